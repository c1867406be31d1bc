#pragma once
// Exact amounts. A number never travels without its unit, and arithmetic is done on
// integer millionths of the unit, never on floating point.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mitra::core {

enum class Unit { gram, milligram, capsule, millilitre, teaspoon };

inline constexpr std::int64_t kMicro = 1'000'000;

struct Amount {
  std::int64_t micro = 0;  // Millionths of `unit`: 2.5 g is {2'500'000, gram}.
  Unit unit = Unit::gram;

  friend bool operator==(const Amount&, const Amount&) = default;
};

// "g", "mg", "caps", "ml", "tsp".
const char* to_string(Unit unit);

// Accepts the symbols above and common spellings ("grams", "capsule", "teaspoons").
// The error names `field` and lists the accepted units.
Result<Unit> parse_unit(std::string_view text, std::string_view field = "unit");

// Parses "2.5g", "500 mg", "2caps", "5ml", "1tsp". At most six decimal places.
// Only checks the syntax; see `validate_dose_amount` for the range.
Result<Amount> parse_amount(std::string_view text, std::string_view field = "amount");

// Parses a decimal number ("2.5") into millionths. Negative numbers are accepted. A comma is
// read as a decimal point only where it cannot be a thousands separator ("2,5"); "1,000",
// "1,000,000" and "1,000.5" are refused as ambiguous.
Result<std::int64_t> parse_decimal_micro(std::string_view text, std::string_view field);

// The largest amount one dose may have in `unit`; anything above is surely a typing slip.
std::int64_t max_dose_micro(Unit unit);

// A dose amount must be above zero and at most `max_dose_micro`.
Result<Amount> validate_dose_amount(Amount amount, std::string_view field = "amount");

// "2.5" for 2'500'000: the shortest exact decimal.
std::string format_decimal(std::int64_t micro);

// "2.5 g".
std::string format_amount(const Amount& amount);

// The most one capsule or teaspoon of a product may weigh, in milligrams.
inline constexpr std::int64_t kMaxProductWeightMg = 20'000;

// A capsule or teaspoon weight, in millionths of a milligram, is above zero and at most
// kMaxProductWeightMg.
bool valid_product_weight(std::int64_t mg_micro);

// What one capsule or one level teaspoon of a product weighs, when the person has said.
struct ProductWeights {
  std::optional<std::int64_t> capsule_mg_micro;   // Millionths of a milligram.
  std::optional<std::int64_t> teaspoon_mg_micro;  // Millionths of a milligram.

  friend bool operator==(const ProductWeights&, const ProductWeights&) = default;
};

// The mass of `amount` in millionths of a gram, or nullopt when it cannot be known
// (millilitres, or capsules and teaspoons of a product with no weight given, or a weight or
// count outside the accepted ranges). A known mass is at most 4 kg, so sums cannot overflow.
std::optional<std::int64_t> mass_micrograms(const Amount& amount, const ProductWeights& weights);

}  // namespace mitra::core
