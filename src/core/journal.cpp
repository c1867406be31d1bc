#include "core/journal.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/text.hpp"

namespace mitra::core {

namespace {

// The longest record id a file may bring.
constexpr std::size_t kMaxIdBytes = 64;

std::string normalise_name(std::string_view text) {
  std::string out = ascii_lower(trim(text));
  std::replace(out.begin(), out.end(), '-', '_');
  std::replace(out.begin(), out.end(), ' ', '_');
  return out;
}

template <typename Enum, std::size_t N>
Result<Enum> parse_named(std::string_view text, std::string_view field,
                         const std::array<std::pair<std::string_view, Enum>, N>& names,
                         const Sentence& accepted) {
  const std::string key = normalise_name(text);
  for (const auto& [name, value] : names) {
    if (name == key) return value;
  }
  return invalid(std::string(field),
                 sentence("{field} \"{value}\" is not known; use one of {accepted}",
                          {{"field", field}, {"value", trim(text)}})
                     .with("accepted", accepted));
}

constexpr std::array<std::pair<std::string_view, Form>, 13> kFormNames{{
    {"leaf_powder", Form::leaf_powder},
    {"leaf", Form::leaf_powder},
    {"powder", Form::leaf_powder},
    {"capsules", Form::capsules},
    {"capsule", Form::capsules},
    {"caps", Form::capsules},
    {"extract", Form::extract},
    {"seven_oh", Form::seven_oh},
    {"7_oh", Form::seven_oh},
    {"7oh", Form::seven_oh},
    {"liquid_shot", Form::liquid_shot},
    {"shot", Form::liquid_shot},
    {"other", Form::other},
}};

constexpr std::array<std::pair<std::string_view, Substance>, 17> kSubstanceNames{{
    {"alcohol", Substance::alcohol},
    {"opioid", Substance::opioid},
    {"opioids", Substance::opioid},
    {"benzodiazepine", Substance::benzodiazepine},
    {"benzodiazepines", Substance::benzodiazepine},
    {"benzo", Substance::benzodiazepine},
    {"stimulant", Substance::stimulant},
    {"stimulants", Substance::stimulant},
    {"gabapentinoid", Substance::gabapentinoid},
    {"gabapentin", Substance::gabapentinoid},
    {"pregabalin", Substance::gabapentinoid},
    {"other_sedative", Substance::other_sedative},
    {"buprenorphine", Substance::buprenorphine},
    {"methadone", Substance::methadone},
    {"cannabis", Substance::cannabis},
    {"other", Substance::other},
    {"sedative", Substance::other_sedative},
}};

// What a form or a substance may be, as the refusals say it (translated with them).
Sentence accepted_forms() {
  return sentence("leaf_powder, capsules, extract, seven_oh (7-OH product), liquid_shot or other");
}
Sentence accepted_substances() {
  return sentence(
      "alcohol, opioid, benzodiazepine, stimulant, gabapentinoid, other_sedative, buprenorphine, "
      "methadone, cannabis or other");
}

Result<std::string> validate_zone_name(const Zones& zones, const std::string& zone) {
  auto found = find_zone(zones, zone);
  if (!found) return tl::unexpected(found.error());
  return zone;
}

}  // namespace

const char* to_string(Form form) {
  switch (form) {
    case Form::leaf_powder:
      return "leaf_powder";
    case Form::capsules:
      return "capsules";
    case Form::extract:
      return "extract";
    case Form::seven_oh:
      return "seven_oh";
    case Form::liquid_shot:
      return "liquid_shot";
    case Form::other:
      return "other";
  }
  return "other";
}

StrengthGroup strength_group(Form form) {
  switch (form) {
    case Form::leaf_powder:
    case Form::capsules:
      return StrengthGroup::leaf;
    case Form::extract:
      return StrengthGroup::extract;
    case Form::seven_oh:
      return StrengthGroup::seven_oh;
    case Form::liquid_shot:
      return StrengthGroup::liquid_shot;
    case Form::other:
      break;
  }
  return StrengthGroup::other;
}

const char* to_string(StrengthGroup group) {
  switch (group) {
    case StrengthGroup::leaf:
      return "leaf";
    case StrengthGroup::extract:
      return "extract";
    case StrengthGroup::seven_oh:
      return "seven_oh";
    case StrengthGroup::liquid_shot:
      return "liquid_shot";
    case StrengthGroup::other:
      break;
  }
  return "other";
}

Unit amount_unit(StrengthGroup group) {
  if (group == StrengthGroup::seven_oh) return Unit::milligram;
  if (group == StrengthGroup::liquid_shot) return Unit::millilitre;
  return Unit::gram;
}

std::optional<std::int64_t> amount_in(const Amount& amount, Unit unit,
                                      const ProductWeights& weights) {
  if (amount.unit == unit) return amount.micro;
  if (unit != Unit::gram && unit != Unit::milligram) return std::nullopt;
  const auto mass = mass_micrograms(amount, weights);  // Millionths of a gram, at most 4 kg.
  if (!mass) return std::nullopt;
  return unit == Unit::gram ? *mass : *mass * 1000;
}

const char* to_string(Substance substance) {
  switch (substance) {
    case Substance::alcohol:
      return "alcohol";
    case Substance::opioid:
      return "opioid";
    case Substance::benzodiazepine:
      return "benzodiazepine";
    case Substance::stimulant:
      return "stimulant";
    case Substance::gabapentinoid:
      return "gabapentinoid";
    case Substance::other_sedative:
      return "other_sedative";
    case Substance::buprenorphine:
      return "buprenorphine";
    case Substance::methadone:
      return "methadone";
    case Substance::cannabis:
      return "cannabis";
    case Substance::other:
      return "other";
  }
  return "other";
}

Result<Form> parse_form(std::string_view text, std::string_view field) {
  return parse_named(text, field, kFormNames, accepted_forms());
}

Result<Substance> parse_substance(std::string_view text, std::string_view field) {
  return parse_named(text, field, kSubstanceNames, accepted_substances());
}

const std::vector<std::string>& known_triggers() {
  static const std::vector<std::string> kTriggers{"stress",  "pain",      "tiredness", "boredom",
                                                  "social",  "habit",     "anxiety",   "low_mood",
                                                  "craving", "withdrawal"};
  return kTriggers;
}

Result<std::string> parse_trigger(std::string_view text, std::string_view field) {
  auto checked = validate_text(field, trim(text), kMaxTriggerBytes);
  if (!checked) return checked;
  std::string word = normalise_name(*checked);
  if (word.empty())
    return invalid(std::string(field), sentence("{field} is empty", {{"field", field}}));
  if (word.find('\n') != std::string::npos || word.find(',') != std::string::npos) {
    return invalid(
        std::string(field),
        sentence("{field} must be one word or short phrase without commas", {{"field", field}}));
  }
  return word;
}

// A record's id, when it has one (records made here get 32 hex digits; a file may bring its
// own): letters, digits, '-' and '_' only, so it is always valid UTF-8 and safe in a path,
// a CSV cell and a terminal. Bug: a CSV id with a byte that is not UTF-8 was stored, and the
// journal could never be exported as JSON again.
Result<void> validate_record_id(const std::string& id) {
  if (id.empty()) return {};
  bool ok = id.size() <= kMaxIdBytes;
  for (char c : id) {
    ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                c == '-' || c == '_');
  }
  if (ok) return {};
  return invalid("id", sentence("id must be at most {count} letters, digits, - or _ (mitra's own "
                                "ids are 32 hex digits)",
                                {{"count", std::to_string(kMaxIdBytes)}}));
}

Result<Dose> validate_dose(Dose dose, Instant now, const Zones& zones,
                           std::string_view time_field) {
  if (auto id = validate_record_id(dose.id); !id) return tl::unexpected(id.error());
  auto amount = validate_dose_amount(dose.amount);
  if (!amount) return tl::unexpected(amount.error());
  auto when = validate_past_time(dose.taken_at, now, time_field);
  if (!when) return tl::unexpected(when.error());
  auto zone = validate_zone_name(zones, dose.zone);
  if (!zone) return tl::unexpected(zone.error());
  if (!trim(dose.product).empty()) {
    auto product = validate_product_name(dose.product, "product");
    if (!product) return tl::unexpected(product.error());
    dose.product = *product;
  } else {
    dose.product.clear();
  }
  auto note = validate_text("note", dose.note, kMaxNoteBytes);
  if (!note) return tl::unexpected(note.error());
  if (dose.triggers.size() > kMaxTriggers) {
    return invalid("trigger", sentence("at most {count} triggers are accepted for one dose",
                                       {{"count", std::to_string(kMaxTriggers)}}));
  }
  std::vector<std::string> triggers;
  for (const auto& t : dose.triggers) {
    auto parsed = parse_trigger(t);
    if (!parsed) return tl::unexpected(parsed.error());
    if (std::find(triggers.begin(), triggers.end(), *parsed) == triggers.end()) {
      triggers.push_back(*parsed);
    }
  }
  dose.triggers = std::move(triggers);
  return dose;
}

Result<std::string> validate_product_name(std::string_view text, std::string_view field) {
  const std::string f(field);
  const std::string_view name = trim(text);
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    // C1 controls (U+0080 to U+009F, "\xC2\x80" to "\xC2\x9F") include a terminal's CSI.
    const bool c1 = c == 0xC2 && i + 1 < name.size() &&
                    static_cast<unsigned char>(name[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(name[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F || c1) {
      return invalid(f, sentence("{field} contains a control character, tab or line break; a "
                                 "product name is printable text on one line",
                                 {{"field", f}}));
    }
  }
  auto checked = validate_text(field, name, kMaxNameBytes);
  if (!checked) return checked;
  if (checked->empty()) {
    return invalid(f, sentence("{field} is empty; give the product a name", {{"field", f}}));
  }
  return checked;
}

Result<Product> validate_product(Product product, const std::string& where) {
  const auto field = [&where](const char* name) {
    return where.empty() ? std::string(name) : where + "." + name;
  };
  auto name = validate_product_name(product.name, field("name"));
  if (!name) return tl::unexpected(name.error());
  product.name = *name;
  const std::pair<const char*, const std::optional<std::int64_t>*> weights[] = {
      {"capsule_mg", &product.weights.capsule_mg_micro},
      {"teaspoon_mg", &product.weights.teaspoon_mg_micro}};
  for (const auto& [key, weight] : weights) {
    if (*weight && !valid_product_weight(**weight)) {
      const auto f = field(key);
      return invalid(f, sentence("{field} {value} is not a weight one capsule or teaspoon can "
                                 "have; give milligrams above 0 and at most {most}, e.g. 500",
                                 {{"field", f},
                                  {"value", format_decimal(**weight)},
                                  {"most", std::to_string(kMaxProductWeightMg)}}));
    }
  }
  return product;
}

Result<SubstanceUse> validate_substance_use(SubstanceUse use, Instant now, const Zones& zones,
                                            std::string_view time_field) {
  if (auto id = validate_record_id(use.id); !id) return tl::unexpected(id.error());
  auto when = validate_past_time(use.taken_at, now, time_field);
  if (!when) return tl::unexpected(when.error());
  auto zone = validate_zone_name(zones, use.zone);
  if (!zone) return tl::unexpected(zone.error());
  auto note = validate_text("note", use.note, kMaxNoteBytes);
  if (!note) return tl::unexpected(note.error());
  return use;
}

}  // namespace mitra::core
