#pragma once
// JSON text written by hand exactly as nlohmann::json::dump() writes the same value (compact,
// its escapes, its numbers), without building the value first: for documents written often
// (a dose's JSON after every write) and for texts that must stay byte for byte what dump()
// wrote before (an idempotency key's request fingerprint, app/journal.cpp).

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/amount.hpp"

namespace mitra::core {

// An object's keys in the order the caller gives, which must be sorted as dump() sorts them.
class JsonText {
 public:
  JsonText() { out_.reserve(512); }
  std::string take() && { return std::move(out_); }

  JsonText& key(std::string_view name) {
    out_ += first_ ? '{' : ',';
    first_ = false;
    string(name);
    out_ += ':';
    return *this;
  }
  void end() { out_ += first_ ? "{}" : "}"; }

  void string(std::string_view text) {
    // Printable ASCII other than quote and backslash is written as it is; anything else
    // (escapes, UTF-8, and dump()'s refusal of invalid UTF-8) is left to nlohmann.
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
      return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    });
    if (plain) {
      out_ += '"';
      out_ += text;
      out_ += '"';
    } else {
      out_ += nlohmann::json(std::string(text)).dump();
    }
  }
  void integer(std::int64_t value) { out_ += std::to_string(value); }
  // A decimal as core::format_decimal writes it, as the number json::parse would read from it.
  void decimal(std::int64_t micro) {
    const std::string text = core::format_decimal(micro);
    if (text.find('.') == std::string::npos) {
      out_ += text;  // Read as an integer, written back unchanged.
    } else {
      // dump() writes a double with this function (Grisu2, shortest round trip in most cases);
      // calling it directly spares building a json value and a serializer for one number.
      std::array<char, 64> digits{};
      const char* end = nlohmann::detail::to_chars(digits.data(), digits.data() + digits.size(),
                                                   std::strtod(text.c_str(), nullptr));
      out_.append(digits.data(), static_cast<std::size_t>(end - digits.data()));
    }
  }
  // An array of an integer and a string: [1, "g"].
  void integer_and_string(std::int64_t value, std::string_view text) {
    out_ += '[';
    integer(value);
    out_ += ',';
    string(text);
    out_ += ']';
  }
  void strings(const std::vector<std::string>& list) {
    out_ += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out_ += ',';
      string(list[i]);
    }
    out_ += ']';
  }

 private:
  std::string out_;
  bool first_ = true;
};

}  // namespace mitra::core
