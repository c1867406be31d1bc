// libFuzzer harness: the amount parser (core/amount). Properties: nothing crashes or throws;
// a parsed amount formats and parses back to itself; a decimal formats back to itself.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/amount.hpp"
#include "fuzz_check.hpp"

using namespace mitra::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto amount = parse_amount(text)) {
    const std::string shown = format_amount(*amount);
    auto again = parse_amount(shown);
    FUZZ_CHECK(again && *again == *amount, "parse_amount(format_amount(a)) != a for " + shown);
    if (auto valid = validate_dose_amount(*amount)) {
      const ProductWeights heaviest{kMaxProductWeightMg * kMicro, kMaxProductWeightMg * kMicro};
      (void)mass_micrograms(*valid, heaviest);
      (void)mass_micrograms(*valid, ProductWeights{});
    }
  } else {
    FUZZ_CHECK(!amount.error().message.empty() && amount.error().field == "amount",
               "an error without a message or not naming the field");
  }

  if (auto micro = parse_decimal_micro(text, "number")) {
    const std::string shown = format_decimal(*micro);
    auto again = parse_decimal_micro(shown, "number");
    FUZZ_CHECK(again && *again == *micro,
               "parse_decimal_micro(format_decimal(x)) != x for " + shown);
  }
  (void)parse_unit(text);
  return 0;
}
