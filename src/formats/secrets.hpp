#pragma once
// Secrets as bytes, with libsodium: random codes and tokens, digests of them for storing, and
// password hashes (argon2id). For clinic accounts (app/clinic.hpp); sealed files use the same
// library (sealed.hpp).
//
// Thread-safe: libsodium is started once (start_sodium) and its functions keep no state.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mitra::formats {

using core::Result;

// Starts libsodium (once per process; later calls do nothing).
Result<void> start_sodium();

// `bytes` random bytes from the operating system, as 2 × `bytes` lowercase hex digits.
Result<std::string> random_hex(std::size_t bytes);

// BLAKE2b-256 of `secret`, as 64 hex digits: what is stored of a high-entropy secret (an
// invitation code, a session token), so that a copy of the database does not hold them. Not
// for passwords: a guessable secret needs a slow hash (hash_password).
std::string secret_digest(std::string_view secret);

// An argon2id hash of `password` in libsodium's string form ("$argon2id$v=19$m=…"), with
// libsodium's interactive limits (64 MiB, 2 passes): about a tenth of a second. Unavailable
// when the memory cannot be had.
Result<std::string> hash_password(std::string_view password);
// Whether `password` is the one `hash` was made from; false for a hash that is not one.
bool password_matches(std::string_view hash, std::string_view password);

}  // namespace mitra::formats
