#pragma once
// Validation of free text that people type (notes, product names, triggers).

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mitra::core {

// True if `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Checks that `text` is UTF-8, at most `max_bytes` long and free of control characters
// other than newline and tab. The error names `field`.
Result<std::string> validate_text(std::string_view field, std::string_view text,
                                  std::size_t max_bytes);

// Lower-cases ASCII letters; other bytes are kept.
std::string ascii_lower(std::string_view text);

// Removes leading and trailing ASCII whitespace.
std::string_view trim(std::string_view text);

}  // namespace mitra::core
