#include "core/amount.hpp"

#include <array>
#include <limits>

#include "core/text.hpp"

namespace mitra::core {

const char* to_string(Unit unit) {
  switch (unit) {
    case Unit::gram:
      return "g";
    case Unit::milligram:
      return "mg";
    case Unit::capsule:
      return "caps";
    case Unit::millilitre:
      return "ml";
    case Unit::teaspoon:
      return "tsp";
  }
  return "g";
}

namespace {

struct UnitName {
  std::string_view name;
  Unit unit;
};

constexpr std::array<UnitName, 17> kUnitNames{{
    {"g", Unit::gram},
    {"gram", Unit::gram},
    {"grams", Unit::gram},
    {"mg", Unit::milligram},
    {"milligram", Unit::milligram},
    {"milligrams", Unit::milligram},
    {"cap", Unit::capsule},
    {"caps", Unit::capsule},
    {"capsule", Unit::capsule},
    {"capsules", Unit::capsule},
    {"ml", Unit::millilitre},
    {"millilitre", Unit::millilitre},
    {"millilitres", Unit::millilitre},
    {"tsp", Unit::teaspoon},
    {"teaspoon", Unit::teaspoon},
    {"teaspoons", Unit::teaspoon},
    {"milliliters", Unit::millilitre},
}};

}  // namespace

Result<Unit> parse_unit(std::string_view text, std::string_view field) {
  const std::string lowered = ascii_lower(trim(text));
  for (const auto& entry : kUnitNames) {
    if (entry.name == lowered) return entry.unit;
  }
  return invalid(std::string(field),
                 sentence("unknown unit \"{unit}\"; use g, mg, caps, ml or tsp", {{"unit", text}}));
}

Result<std::int64_t> parse_decimal_micro(std::string_view text, std::string_view field) {
  const std::string f(field);
  text = trim(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  std::int64_t whole = 0;
  std::int64_t fraction = 0;
  int fraction_digits = 0;
  bool seen_digit = false;
  bool seen_point = false;
  constexpr std::int64_t kMaxWhole = std::numeric_limits<std::int64_t>::max() / kMicro / 10;
  // A comma is a decimal comma only where it cannot be a thousands separator: one comma, no
  // point, and not exactly three digits after it ("2,5" is 2.5; "1,000" could be 1 or 1000).
  if (const auto comma = text.find(','); comma != std::string_view::npos) {
    const auto after = text.substr(comma + 1);
    const bool grouped =
        after.size() == 3 && after.find_first_not_of("0123456789") == std::string_view::npos;
    if (grouped || text.find('.') != std::string_view::npos ||
        after.find(',') != std::string_view::npos) {
      return invalid(f, sentence("{field} \"{value}\" has a comma that could separate thousands or "
                                 "decimals; write the number without a thousands separator and "
                                 "with a decimal point, e.g. 1000mg or 2.5g",
                                 {{"field", f}, {"value", text}}));
    }
  }
  for (char c : text) {
    if (c == '.' || c == ',') {
      if (seen_point) {
        return invalid(
            f, sentence("{field} \"{value}\" is not a number", {{"field", f}, {"value", text}}));
      }
      seen_point = true;
    } else if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (seen_point) {
        if (++fraction_digits > 6) {
          return invalid(f, sentence("{field} has more than six decimal places", {{"field", f}}));
        }
        fraction = fraction * 10 + (c - '0');
      } else {
        whole = whole * 10 + (c - '0');
        if (whole > kMaxWhole) {
          return invalid(f, sentence("{field} is far too large", {{"field", f}}));
        }
      }
    } else {
      return invalid(
          f, sentence("{field} \"{value}\" is not a number", {{"field", f}, {"value", text}}));
    }
  }
  if (!seen_digit) {
    return invalid(f, sentence("{field} is missing a number, e.g. 2.5", {{"field", f}}));
  }
  for (int i = fraction_digits; i < 6; ++i) fraction *= 10;
  const std::int64_t value = whole * kMicro + fraction;
  return negative ? -value : value;
}

Result<Amount> parse_amount(std::string_view text, std::string_view field) {
  const std::string f(field);
  const std::string_view trimmed = trim(text);
  if (trimmed.empty()) {
    return invalid(
        f, sentence("{field} is empty; write it like 2.5g, 500mg or 2caps", {{"field", f}}));
  }
  std::size_t split = 0;
  while (split < trimmed.size() &&
         ((trimmed[split] >= '0' && trimmed[split] <= '9') || trimmed[split] == '.' ||
          trimmed[split] == ',' || trimmed[split] == '-' || trimmed[split] == '+')) {
    ++split;
  }
  const std::string_view number = trimmed.substr(0, split);
  const std::string_view unit = trim(trimmed.substr(split));
  if (unit.empty()) {
    return invalid(f, sentence("{field} \"{value}\" has no unit; add one of g, mg, caps, ml or "
                               "tsp, e.g. 2.5g",
                               {{"field", f}, {"value", trimmed}}));
  }
  auto micro = parse_decimal_micro(number, field);
  if (!micro) return tl::unexpected(micro.error());
  auto parsed_unit = parse_unit(unit, field);
  if (!parsed_unit) return tl::unexpected(parsed_unit.error());
  return Amount{*micro, *parsed_unit};
}

std::int64_t max_dose_micro(Unit unit) {
  switch (unit) {
    case Unit::gram:
      return 100 * kMicro;
    case Unit::milligram:
      return 100'000 * kMicro;
    case Unit::capsule:
      return 200 * kMicro;
    case Unit::millilitre:
      return 1'000 * kMicro;
    case Unit::teaspoon:
      return 40 * kMicro;
  }
  return 0;
}

Result<Amount> validate_dose_amount(Amount amount, std::string_view field) {
  const std::string f(field);
  if (amount.micro <= 0) {
    return invalid(f, sentence("{field} must be more than zero, e.g. 2.5g", {{"field", f}}));
  }
  if (amount.micro > max_dose_micro(amount.unit)) {
    return invalid(
        f, sentence("{field} {amount} is above the most one dose may be ({most}); check the "
                    "number and the unit",
                    {{"field", f},
                     {"amount", format_amount(amount)},
                     {"most", format_amount(Amount{max_dose_micro(amount.unit), amount.unit})}}));
  }
  return amount;
}

std::string format_decimal(std::int64_t micro) {
  std::string sign;
  std::uint64_t value = 0;
  if (micro < 0) {
    sign = "-";
    value = static_cast<std::uint64_t>(-(micro + 1)) + 1;
  } else {
    value = static_cast<std::uint64_t>(micro);
  }
  std::string out = sign + std::to_string(value / kMicro);
  std::uint64_t fraction = value % kMicro;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, 6 - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

std::string format_amount(const Amount& amount) {
  return format_decimal(amount.micro) + " " + to_string(amount.unit);
}

bool valid_product_weight(std::int64_t mg_micro) {
  return mg_micro > 0 && mg_micro <= kMaxProductWeightMg * kMicro;
}

namespace {

// `count_micro` capsules or teaspoons of `mg_micro` each, in millionths of a gram. A weight
// outside the accepted range (saved before weights were checked) makes the mass unknown, and
// an amount outside a dose's range too, so every mass is at most 4 kg and sums of them cannot
// overflow.
std::optional<std::int64_t> scaled_mass(std::int64_t count_micro,
                                        const std::optional<std::int64_t>& mg_micro) {
  if (!mg_micro || !valid_product_weight(*mg_micro)) return std::nullopt;
  if (count_micro < 0 || count_micro > max_dose_micro(Unit::capsule)) return std::nullopt;
  // micro count * (mg micro each) / 1e6 = mg micro; / 1000 = g micro. Both factors are
  // bounded above, so the product is at most 200e6 * 20e9 = 4e18, within int64.
  return count_micro * *mg_micro / kMicro / 1000;
}

}  // namespace

std::optional<std::int64_t> mass_micrograms(const Amount& amount, const ProductWeights& weights) {
  switch (amount.unit) {
    case Unit::gram:
      return amount.micro;
    case Unit::milligram:
      return amount.micro / 1000;
    case Unit::capsule:
      return scaled_mass(amount.micro, weights.capsule_mg_micro);
    case Unit::teaspoon:
      return scaled_mass(amount.micro, weights.teaspoon_mg_micro);
    case Unit::millilitre:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace mitra::core
