#include "core/text.hpp"

#include <cstdint>

namespace mitra::core {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_input:
      return "invalid_input";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::conflict:
      return "conflict";
    case ErrorKind::forbidden:
      return "forbidden";
    case ErrorKind::unavailable:
      return "unavailable";
    case ErrorKind::unprocessable:
      return "unprocessable";
    case ErrorKind::internal:
      return "internal";
  }
  return "internal";
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<std::uint8_t>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if ((c & 0xE0) == 0xC0) {
      length = 2;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > n) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto cc = static_cast<std::uint8_t>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      code = (code << 6) | (cc & 0x3F);
    }
    const bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
                          (length == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

Result<std::string> validate_text(std::string_view field, std::string_view text,
                                  std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    return invalid(std::string(field),
                   sentence("{field} is too long: {size} bytes, at most {most} are accepted",
                            {{"field", field},
                             {"size", std::to_string(text.size())},
                             {"most", std::to_string(max_bytes)}}));
  }
  if (!is_valid_utf8(text)) {
    return invalid(std::string(field),
                   sentence("{field} is not valid UTF-8 text", {{"field", field}}));
  }
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      return invalid(std::string(field),
                     sentence("{field} contains a control character; only printable text, tabs "
                              "and line breaks are accepted",
                              {{"field", field}}));
    }
  }
  return std::string(text);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace mitra::core
