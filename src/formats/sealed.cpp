#include "formats/sealed.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "formats/secrets.hpp"

namespace mitra::formats {

namespace {

using core::fail;
using core::invalid;
using core::Result;

constexpr std::string_view kMagic = "MITRAENC";
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kChunk = std::size_t{64} << 10;  // Plain bytes per chunk.
constexpr std::size_t kSaltBytes = crypto_pwhash_SALTBYTES;
constexpr std::size_t kStreamHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kHeaderBytes = 8 + 1 + 1 + 2 + 4 + 4 + kSaltBytes + kStreamHeaderBytes;
constexpr std::size_t kAbytes = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t kKeyBytes = crypto_secretstream_xchacha20poly1305_KEYBYTES;

static_assert(kSaltBytes == 16 && kStreamHeaderBytes == 24, "the documented layout");

void put_u32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::uint32_t get_u32(std::string_view in, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  }
  return value;
}

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}
unsigned char* bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

// The key, wiped when it goes out of scope.
struct Key {
  std::array<unsigned char, kKeyBytes> bytes{};
  ~Key() { sodium_memzero(bytes.data(), bytes.size()); }
};

Result<void> derive(Key& key, std::string_view passphrase, const unsigned char* salt,
                    std::uint32_t opslimit, std::uint32_t memlimit) {
  if (crypto_pwhash(key.bytes.data(), key.bytes.size(), passphrase.data(), passphrase.size(), salt,
                    opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return invalid(
        "passphrase",
        core::sentence("there is not enough memory to derive the key ({mebibytes} MiB are needed)",
                       {{"mebibytes", std::to_string(memlimit >> 20)}}));
  }
  return {};
}

}  // namespace

SealStrength moderate_strength() {
  return {static_cast<std::uint32_t>(crypto_pwhash_OPSLIMIT_MODERATE),
          static_cast<std::uint32_t>(crypto_pwhash_MEMLIMIT_MODERATE)};
}

SealStrength interactive_strength() {
  return {static_cast<std::uint32_t>(crypto_pwhash_OPSLIMIT_INTERACTIVE),
          static_cast<std::uint32_t>(crypto_pwhash_MEMLIMIT_INTERACTIVE)};
}

SealStrength minimal_strength() {
  return {static_cast<std::uint32_t>(crypto_pwhash_OPSLIMIT_MIN),
          static_cast<std::uint32_t>(crypto_pwhash_MEMLIMIT_MIN)};
}

bool looks_sealed(std::string_view bytes) { return bytes.substr(0, kMagic.size()) == kMagic; }

Result<std::string> seal(std::string_view content, std::string_view passphrase, SealedKind kind,
                         SealStrength strength) {
  if (passphrase.size() < kMinPassphraseLength) {
    return invalid("passphrase",
                   core::sentence("the passphrase must have at least {count} characters; a few "
                                  "unrelated words are easy to remember",
                                  {{"count", std::to_string(kMinPassphraseLength)}}));
  }
  if (auto started = start_sodium(); !started) return tl::unexpected(started.error());
  std::array<unsigned char, kSaltBytes> salt{};
  randombytes_buf(salt.data(), salt.size());
  Key key;
  if (auto derived = derive(key, passphrase, salt.data(), strength.opslimit, strength.memlimit);
      !derived) {
    return tl::unexpected(derived.error());
  }
  crypto_secretstream_xchacha20poly1305_state state;
  std::array<unsigned char, kStreamHeaderBytes> stream_header{};
  crypto_secretstream_xchacha20poly1305_init_push(&state, stream_header.data(), key.bytes.data());

  std::string out;
  const std::size_t chunks = std::max<std::size_t>(1, (content.size() + kChunk - 1) / kChunk);
  out.reserve(kHeaderBytes + content.size() + chunks * kAbytes);
  out += kMagic;
  out += static_cast<char>(kVersion);
  out += static_cast<char>(kind);
  out += std::string(2, '\0');
  put_u32(out, strength.opslimit);
  put_u32(out, strength.memlimit);
  out.append(reinterpret_cast<const char*>(salt.data()), salt.size());
  out.append(reinterpret_cast<const char*>(stream_header.data()), stream_header.size());
  const std::string header = out;

  for (std::size_t i = 0; i < chunks; ++i) {
    const auto piece = content.substr(std::min(content.size(), i * kChunk), kChunk);
    const unsigned char tag = i + 1 == chunks ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                              : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const std::size_t at = out.size();
    out.resize(at + piece.size() + kAbytes);
    crypto_secretstream_xchacha20poly1305_push(&state, bytes(out) + at, nullptr, bytes(piece),
                                               piece.size(), bytes(header), header.size(), tag);
  }
  sodium_memzero(&state, sizeof state);
  return out;
}

Result<Unsealed> unseal(std::string_view sealed, std::string_view passphrase) {
  if (!looks_sealed(sealed)) {
    return invalid(
        "file",
        core::sentence("this is not an encrypted mitra file (it does not start with {start})",
                       {{"start", std::string(kMagic)}}));
  }
  if (sealed.size() < kHeaderBytes + kAbytes) {
    return invalid("file",
                   core::sentence("the encrypted file is cut off: it is shorter than its header"));
  }
  if (static_cast<std::uint8_t>(sealed[8]) != kVersion) {
    return invalid(
        "file",
        core::sentence("the encrypted file is version {version}; this mitra reads version 1 (a "
                       "newer mitra made it?)",
                       {{"version", std::to_string(static_cast<unsigned char>(sealed[8]))}}));
  }
  const auto kind_byte = static_cast<std::uint8_t>(sealed[9]);
  if (kind_byte < 1 || kind_byte > 3 || sealed[10] != '\0' || sealed[11] != '\0') {
    return invalid("file", core::sentence("the encrypted file's header is damaged (unknown kind)"));
  }
  const std::uint32_t opslimit = get_u32(sealed, 12);
  const std::uint32_t memlimit = get_u32(sealed, 16);
  // A changed header could otherwise ask for any amount of work or memory before the first
  // chunk fails to authenticate.
  if (opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      memlimit < crypto_pwhash_MEMLIMIT_MIN || memlimit > crypto_pwhash_MEMLIMIT_SENSITIVE) {
    return invalid(
        "file", core::sentence("the encrypted file's header is damaged (key cost out of range)"));
  }
  if (auto started = start_sodium(); !started) return tl::unexpected(started.error());
  const auto header = sealed.substr(0, kHeaderBytes);
  Key key;
  if (auto derived = derive(key, passphrase, bytes(sealed) + 20, opslimit, memlimit); !derived) {
    return tl::unexpected(derived.error());
  }
  crypto_secretstream_xchacha20poly1305_state state;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state, bytes(sealed) + 20 + kSaltBytes,
                                                      key.bytes.data()) != 0) {
    return invalid("file", core::sentence("the encrypted file's header is damaged"));
  }
  Unsealed result{static_cast<SealedKind>(kind_byte), {}};
  result.content.reserve(sealed.size() - kHeaderBytes);
  std::size_t at = kHeaderBytes;
  bool final_seen = false;
  std::string piece;
  while (at < sealed.size()) {
    if (final_seen) {
      sodium_memzero(result.content.data(), result.content.size());
      return invalid("file",
                     core::sentence("the encrypted file has bytes after its end; it was changed"));
    }
    const std::size_t length = std::min(sealed.size() - at, kChunk + kAbytes);
    if (length < kAbytes) {
      sodium_memzero(result.content.data(), result.content.size());
      return invalid("file", core::sentence("the encrypted file is cut off"));
    }
    piece.resize(length - kAbytes);
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&state, bytes(piece), nullptr, &tag,
                                                   bytes(sealed) + at, length, bytes(header),
                                                   header.size()) != 0) {
      sodium_memzero(result.content.data(), result.content.size());
      sodium_memzero(piece.data(), piece.size());
      return invalid("passphrase",
                     at == kHeaderBytes
                         ? "the passphrase is wrong, or the file was changed; nothing was read"
                         : "the file was changed or damaged after byte " + std::to_string(at) +
                               "; nothing was read");
    }
    result.content += piece;
    final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    at += length;
  }
  sodium_memzero(piece.data(), piece.size());
  sodium_memzero(&state, sizeof state);
  if (!final_seen) {
    sodium_memzero(result.content.data(), result.content.size());
    return invalid("file",
                   core::sentence("the encrypted file is cut off: its last part is missing"));
  }
  return result;
}

}  // namespace mitra::formats
