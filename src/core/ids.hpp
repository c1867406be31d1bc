#pragma once
// Record ids as people type them: shortened as git shortens commits, to the shortest prefix
// that no other record's id starts with, and any such prefix accepted back.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"

namespace mitra::core {

// Ids are shown with at least this many characters, so that they read the same from day to day
// while the journal grows.
inline constexpr std::size_t kShortIdLength = 8;
// A typed prefix must hold at least this many characters.
inline constexpr std::size_t kShortestIdPrefix = 4;

// For each id of `ids`, its shortest prefix of at least `minimum` characters that no other id
// starts with; an id that is itself the beginning of another id is kept whole.
std::unordered_map<std::string, std::string> shortest_unique_prefixes(
    std::vector<std::string> ids, std::size_t minimum = kShortIdLength);

// The one id of `ids` that `typed` names: the id equal to it, else the only id starting with
// it. No id: not_found; several, or fewer than kShortestIdPrefix characters: invalid_input,
// naming `field`.
Result<std::string> match_id_prefix(const std::vector<std::string>& ids, const std::string& typed,
                                    const std::string& field);

// An idempotency key (the API's Idempotency-Key header, the CLI's --idempotency-key): at most
// this many characters.
inline constexpr std::size_t kMaxIdempotencyKeyLength = 255;

// Whether `key` is a key mitra takes: 1 to kMaxIdempotencyKeyLength visible ASCII characters
// (letters, digits, punctuation; no spaces, no control or non-ASCII bytes), as a UUID is. One
// rule for every adapter and engine: PostgreSQL refused bytes that are not UTF-8 with an error
// that named no field, SQLite stored them, and an empty key was taken as none. invalid_input
// naming `field` otherwise.
Result<void> check_idempotency_key(std::string_view key, const std::string& field);

}  // namespace mitra::core
