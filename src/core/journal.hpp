#pragma once
// The journal's records: kratom doses and uses of other substances.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/amount.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace mitra::core {

enum class Form { leaf_powder, capsules, extract, seven_oh, liquid_shot, other };

// Products of different strength are never added together (issue 13, item 3): leaf (powder and
// capsules), extract, 7-OH, liquid shots and other products each form a group of their own.
enum class StrengthGroup { leaf, extract, seven_oh, liquid_shot, other };
inline constexpr std::size_t kStrengthGroups = 5;

StrengthGroup strength_group(Form form);
// "leaf", "extract", "seven_oh", "liquid_shot", "other".
const char* to_string(StrengthGroup group);
// The unit a group's amounts are told in: milligrams for 7-OH, millilitres for liquid shots,
// grams for the rest.
Unit amount_unit(StrengthGroup group);
// `amount` in millionths of `unit`: as logged when the units match; for grams and milligrams,
// through its mass (`mass_micrograms`); nullopt when it cannot be known.
std::optional<std::int64_t> amount_in(const Amount& amount, Unit unit,
                                      const ProductWeights& weights);

enum class Substance {
  alcohol,
  opioid,
  benzodiazepine,
  stimulant,
  gabapentinoid,
  other_sedative,
  buprenorphine,
  methadone,
  cannabis,
  other,
};

inline constexpr std::size_t kMaxNoteBytes = 4096;
inline constexpr std::size_t kMaxNameBytes = 100;
inline constexpr std::size_t kMaxTriggerBytes = 40;
inline constexpr std::size_t kMaxTriggers = 10;

struct Dose {
  std::string id;
  Instant taken_at{};
  std::string zone;  // IANA zone the person was in.
  Amount amount;
  Form form = Form::leaf_powder;
  std::string product;
  std::string note;
  std::vector<std::string> triggers;

  friend bool operator==(const Dose&, const Dose&) = default;
};

struct SubstanceUse {
  std::string id;
  Substance substance = Substance::other;
  Instant taken_at{};
  std::string zone;
  std::string note;

  friend bool operator==(const SubstanceUse&, const SubstanceUse&) = default;
};

// A product the person uses, with what one capsule or teaspoon of it weighs.
struct Product {
  std::string name;
  Form form = Form::leaf_powder;
  ProductWeights weights;

  friend bool operator==(const Product&, const Product&) = default;
};

// Names used in the CLI, the API and exports: "leaf_powder", "seven_oh", …
const char* to_string(Form form);
const char* to_string(Substance substance);
// Accepts the names above, with '-' or ' ' for '_', and a few synonyms ("powder", "7-oh", "benzo").
Result<Form> parse_form(std::string_view text, std::string_view field = "form");
Result<Substance> parse_substance(std::string_view text, std::string_view field = "substance");

// The triggers offered by default; people may add their own words.
const std::vector<std::string>& known_triggers();
// Lower-cases and checks one trigger word.
Result<std::string> parse_trigger(std::string_view text, std::string_view field = "trigger");

// Checks every field of a dose against `now` (its zone against `zones`); returns the dose
// normalised (trimmed text). `time_field` names the time in errors: "taken_at" in files, "at"
// where a person typed it.
Result<Dose> validate_dose(Dose dose, Instant now, const Zones& zones,
                           std::string_view time_field = "taken_at");
Result<SubstanceUse> validate_substance_use(SubstanceUse use, Instant now, const Zones& zones,
                                            std::string_view time_field = "taken_at");

// A product's name: trimmed, not empty, at most kMaxNameBytes, printable text on one line
// (no control characters, tabs, line breaks or terminal escape sequences).
Result<std::string> validate_product_name(std::string_view text, std::string_view field = "name");

// Checks a product as `mitra product` makes it, wherever it comes from (the CLI, the API, an
// import): the name as above and each weight above zero and at most kMaxProductWeightMg.
// Fields are named after `where` ("products[2].capsule_mg"); returns the product with its name
// trimmed.
Result<Product> validate_product(Product product, const std::string& where = "");

}  // namespace mitra::core
