#pragma once
// Sealed files: a backup or an export encrypted with a passphrase (libsodium).
//
// The key is derived from the passphrase with Argon2id (crypto_pwhash) and a random salt; the
// content is encrypted in 64 KiB chunks with crypto_secretstream_xchacha20poly1305, the last
// chunk tagged FINAL, and every chunk authenticates the whole header as additional data. So a
// wrong passphrase, a changed byte anywhere, a cut-off end or bytes added after it are all
// refused, and nothing is returned unless the whole file checked out. The layout, version 1
// (integers little-endian), is in docs/formats.md:
//
//   magic "MITRAENC" (8) | version 1 (1) | kind (1) | reserved 0 (2) | opslimit (4)
//   | memlimit in bytes (4) | salt (16) | secretstream header (24) | chunks…

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mitra::formats {

// What a sealed file holds.
enum class SealedKind : std::uint8_t {
  backup = 1,       // A SQLite copy of the journal (`mitra backup --encrypt`).
  json_export = 2,  // `mitra export --format json --encrypt`.
  csv_export = 3,   // `mitra export --format csv --encrypt`.
};

// Argon2id cost. `moderate` (libsodium's MODERATE: 3 passes, 256 MiB) is the default;
// `interactive` (2 passes, 64 MiB) is for tests and small machines.
struct SealStrength {
  std::uint32_t opslimit;
  std::uint32_t memlimit;
};
SealStrength moderate_strength();
SealStrength interactive_strength();
// libsodium's minimum: no protection against guessing. For tests of the format only.
SealStrength minimal_strength();

// The fewest characters a passphrase may have.
inline constexpr std::size_t kMinPassphraseLength = 10;

// Encrypts `content`. Errors: a passphrase shorter than kMinPassphraseLength ("passphrase"),
// libsodium failing to start or to find memory for the key ("passphrase").
core::Result<std::string> seal(std::string_view content, std::string_view passphrase,
                               SealedKind kind, SealStrength strength = moderate_strength());

// Whether `bytes` start like a sealed file (the magic), whatever else is wrong with them.
bool looks_sealed(std::string_view bytes);

struct Unsealed {
  SealedKind kind = SealedKind::backup;
  std::string content;
};

// Decrypts and checks a whole sealed file. Errors name "file" (not a sealed file, a version or
// kind this mitra does not know, a cost outside libsodium's limits, cut off, extra bytes) or
// "passphrase" (wrong, or the file was changed: the two cannot be told apart).
core::Result<Unsealed> unseal(std::string_view sealed, std::string_view passphrase);

}  // namespace mitra::formats
