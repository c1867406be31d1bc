#include "formats/secrets.hpp"

#include <sodium.h>

#include <vector>

namespace mitra::formats {

Result<void> start_sodium() {
  if (sodium_init() < 0)
    return core::fail(core::ErrorKind::internal, core::sentence("libsodium could not start"));
  return {};
}

Result<std::string> random_hex(std::size_t bytes) {
  if (auto started = start_sodium(); !started) return tl::unexpected(started.error());
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  hex.pop_back();  // The terminating NUL.
  sodium_memzero(raw.data(), raw.size());
  return hex;
}

std::string secret_digest(std::string_view secret) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  char hex[2 * sizeof digest + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, 2 * sizeof digest);
}

Result<std::string> hash_password(std::string_view password) {
  if (auto started = start_sodium(); !started) return tl::unexpected(started.error());
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return core::fail(
        core::ErrorKind::unavailable,
        core::sentence(
            "There is not enough memory to hash the password now; try again in a moment."),
        "password");
  }
  return std::string(hash);
}

bool password_matches(std::string_view hash, std::string_view password) {
  if (!start_sodium()) return false;
  // libsodium reads the hash as a C string of at most crypto_pwhash_STRBYTES.
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

}  // namespace mitra::formats
