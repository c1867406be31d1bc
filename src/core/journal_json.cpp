#include "core/journal_json.hpp"

#include "core/text.hpp"

namespace mitra::core {

namespace {

using nlohmann::json;

std::string join_field(const std::string& where, const char* name) {
  return where.empty() ? std::string(name) : where + "." + name;
}

Result<std::string> get_string(const json& j, const std::string& where, const char* name,
                               bool required) {
  const std::string field = join_field(where, name);
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    if (required) return invalid(field, field + " is missing");
    return std::string();
  }
  if (!it->is_string()) return invalid(field, field + " must be a string");
  return it->get<std::string>();
}

Result<std::int64_t> get_micro(const json& j, const std::string& where) {
  if (auto it = j.find("amount_micro"); it != j.end() && !it->is_null()) {
    const std::string field = join_field(where, "amount_micro");
    if (!it->is_number_integer()) return invalid(field, field + " must be an integer");
    return it->get<std::int64_t>();
  }
  const std::string field = join_field(where, "amount");
  auto it = j.find("amount");
  if (it == j.end()) return invalid(field, field + " is missing");
  if (it->is_string()) return parse_decimal_micro(it->get<std::string>(), field);
  if (it->is_number()) {
    // Re-read the number's shortest text form so 2.5 stays exactly 2'500'000.
    return parse_decimal_micro(it->dump(), field);
  }
  return invalid(field, field + " must be a number such as 2.5");
}

}  // namespace

Result<Instant> instant_from_string(const std::string& text, const std::string& field) {
  // Only absolute forms are accepted in stored data: a zone is needed for wall times, so UTC
  // stands in; a wall time without an offset is refused below.
  const date::time_zone* utc = date::locate_zone("UTC");
  const bool has_zone =
      !text.empty() && (text.back() == 'Z' || text.back() == 'z' ||
                        text.find('+', 10) != std::string::npos || text.rfind('-') > 10);
  if (!has_zone) {
    return invalid(field, field + " \"" + text +
                              "\" must be an ISO 8601 instant with Z or an offset, e.g. "
                              "2026-01-09T08:00:00Z");
  }
  return parse_time(text, Instant{}, utc, field);
}

json to_json(const Dose& dose) {
  return json{{"id", dose.id},
              {"taken_at", format_utc(dose.taken_at)},
              {"zone", dose.zone},
              {"amount", json::parse(format_decimal(dose.amount.micro))},
              {"amount_micro", dose.amount.micro},
              {"unit", to_string(dose.amount.unit)},
              {"form", to_string(dose.form)},
              {"product", dose.product},
              {"note", dose.note},
              {"triggers", dose.triggers}};
}

json to_json(const SubstanceUse& use) {
  return json{{"id", use.id},
              {"substance", to_string(use.substance)},
              {"taken_at", format_utc(use.taken_at)},
              {"zone", use.zone},
              {"note", use.note}};
}

json to_json(const Product& product) {
  json j{{"name", product.name}, {"form", to_string(product.form)}};
  j["capsule_mg"] = product.weights.capsule_mg_micro
                        ? json::parse(format_decimal(*product.weights.capsule_mg_micro))
                        : json(nullptr);
  j["teaspoon_mg"] = product.weights.teaspoon_mg_micro
                         ? json::parse(format_decimal(*product.weights.teaspoon_mg_micro))
                         : json(nullptr);
  return j;
}

Result<Dose> dose_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) {
    return invalid(where.empty() ? "dose" : where,
                   (where.empty() ? "dose" : where) + " must be an object");
  }
  Dose dose;
  auto id = get_string(j, where, "id", false);
  if (!id) return tl::unexpected(id.error());
  dose.id = *id;
  auto taken = get_string(j, where, "taken_at", true);
  if (!taken) return tl::unexpected(taken.error());
  auto instant = instant_from_string(*taken, join_field(where, "taken_at"));
  if (!instant) return tl::unexpected(instant.error());
  dose.taken_at = *instant;
  auto zone = get_string(j, where, "zone", false);
  if (!zone) return tl::unexpected(zone.error());
  dose.zone = zone->empty() ? "UTC" : *zone;
  auto micro = get_micro(j, where);
  if (!micro) return tl::unexpected(micro.error());
  auto unit_text = get_string(j, where, "unit", true);
  if (!unit_text) return tl::unexpected(unit_text.error());
  auto unit = parse_unit(*unit_text, join_field(where, "unit"));
  if (!unit) return tl::unexpected(unit.error());
  dose.amount = Amount{*micro, *unit};
  auto form_text = get_string(j, where, "form", false);
  if (!form_text) return tl::unexpected(form_text.error());
  if (!form_text->empty()) {
    auto form = parse_form(*form_text, join_field(where, "form"));
    if (!form) return tl::unexpected(form.error());
    dose.form = *form;
  }
  auto product = get_string(j, where, "product", false);
  if (!product) return tl::unexpected(product.error());
  dose.product = *product;
  auto note = get_string(j, where, "note", false);
  if (!note) return tl::unexpected(note.error());
  dose.note = *note;
  if (auto it = j.find("triggers"); it != j.end() && !it->is_null()) {
    const std::string field = join_field(where, "triggers");
    if (!it->is_array()) return invalid(field, field + " must be an array of words");
    for (const auto& t : *it) {
      if (!t.is_string()) return invalid(field, field + " must be an array of words");
      dose.triggers.push_back(t.get<std::string>());
    }
  }
  return dose;
}

Result<SubstanceUse> substance_use_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) {
    return invalid(where.empty() ? "substance_use" : where, "a substance use must be an object");
  }
  SubstanceUse use;
  auto id = get_string(j, where, "id", false);
  if (!id) return tl::unexpected(id.error());
  use.id = *id;
  auto substance_text = get_string(j, where, "substance", true);
  if (!substance_text) return tl::unexpected(substance_text.error());
  auto substance = parse_substance(*substance_text, join_field(where, "substance"));
  if (!substance) return tl::unexpected(substance.error());
  use.substance = *substance;
  auto taken = get_string(j, where, "taken_at", true);
  if (!taken) return tl::unexpected(taken.error());
  auto instant = instant_from_string(*taken, join_field(where, "taken_at"));
  if (!instant) return tl::unexpected(instant.error());
  use.taken_at = *instant;
  auto zone = get_string(j, where, "zone", false);
  if (!zone) return tl::unexpected(zone.error());
  use.zone = zone->empty() ? "UTC" : *zone;
  auto note = get_string(j, where, "note", false);
  if (!note) return tl::unexpected(note.error());
  use.note = *note;
  return use;
}

Result<Product> product_from_json(const json& j, const std::string& where) {
  if (!j.is_object())
    return invalid(where.empty() ? "product" : where, "a product must be an object");
  Product product;
  auto name = get_string(j, where, "name", true);
  if (!name) return tl::unexpected(name.error());
  product.name = *name;
  auto form_text = get_string(j, where, "form", false);
  if (!form_text) return tl::unexpected(form_text.error());
  if (!form_text->empty()) {
    auto form = parse_form(*form_text, join_field(where, "form"));
    if (!form) return tl::unexpected(form.error());
    product.form = *form;
  }
  for (const char* key : {"capsule_mg", "teaspoon_mg"}) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) continue;
    const std::string field = join_field(where, key);
    if (!it->is_number()) return invalid(field, field + " must be a number of milligrams");
    auto micro = parse_decimal_micro(it->dump(), field);
    if (!micro) return tl::unexpected(micro.error());
    (std::string(key) == "capsule_mg" ? product.weights.capsule_mg_micro
                                      : product.weights.teaspoon_mg_micro) = *micro;
  }
  return product;
}

}  // namespace mitra::core
