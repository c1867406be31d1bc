// libFuzzer harness: core::parse_json_strict, parse_json_object and only_keys, the gate every
// decoder of outside JSON goes through. Properties: nothing crashes or throws; a refusal names
// a field and says why; what is accepted (nested at most JsonPrescan::kMaxDepth deep) is what
// nlohmann's own parser reads, and its dump
// parses back (strictly) to the same document.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/strict_json.hpp"
#include "fuzz_check.hpp"

using mitra::core::json_type_words;
using mitra::core::only_keys;
using mitra::core::parse_json_object;
using mitra::core::parse_json_strict;
using nlohmann::json;

namespace {

bool all_finite(const json& value) {
  if (value.is_number_float()) return std::isfinite(value.get<double>());
  if (value.is_structured()) {
    for (const auto& element : value) {
      if (!all_finite(element)) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const json plain = json::parse(text.begin(), text.end(), nullptr, false);

  auto strict = parse_json_strict(text, "doses[0]");
  if (!strict) {
    FUZZ_CHECK(!strict.error().message.empty() && !strict.error().field.empty(),
               "a refusal without a message or a field");
    if (strict.error().message.find("more than once") != std::string::npos) {
      FUZZ_CHECK(!plain.is_discarded(), "a repeated key reported in text that is not JSON");
    } else if (strict.error().message.find(" deep") != std::string::npos) {
      // Nested past JsonPrescan::kMaxDepth: refused before it is parsed, valid JSON or not.
    } else {
      FUZZ_CHECK(plain.is_discarded(), "valid JSON refused: " + strict.error().message);
    }
  } else {
    FUZZ_CHECK(!plain.is_discarded() && plain == *strict, "strict and plain parses differ");
    (void)json_type_words(*strict);
    if (all_finite(*strict)) {
      const std::string dumped = strict->dump();
      auto again = parse_json_strict(dumped);
      FUZZ_CHECK(again && *again == *strict, "dump does not parse back strictly: " + dumped);
    }
  }

  auto object = parse_json_object(text, "body", "{\"amount\": \"2g\"}");
  FUZZ_CHECK(object.has_value() == (strict.has_value() && strict->is_object()),
             "parse_json_object disagrees with parse_json_strict");
  if (object) {
    auto known = only_keys(*object, {"amount", "taken_at", "note"}, "doses[2].",
                           mitra::core::sentence("of a dose"));
    if (!known) {
      FUZZ_CHECK(known.error().field.rfind("doses[2].", 0) == 0, "the unknown key is not named");
    } else {
      for (const auto& item : object->items()) {
        FUZZ_CHECK(item.key() == "amount" || item.key() == "taken_at" || item.key() == "note",
                   "only_keys let " + item.key() + " through");
      }
    }
  }
  return 0;
}
