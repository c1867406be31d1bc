#include "formats/journal_json.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <system_error>

#include "core/strict_json.hpp"
#include "core/text.hpp"
#include "formats/plan_json.hpp"

namespace mitra::formats {

using namespace core;  // NOLINT(google-build-using-namespace): the records this file encodes.

namespace {

using nlohmann::json;

std::string join_field(const std::string& where, const char* name) {
  return where.empty() ? std::string(name) : where + "." + name;
}

tl::unexpected<Error> wrong_type(const std::string& field, const json& value,
                                 const std::string& wanted) {
  return invalid(
      field, sentence("{field} must be {wanted}, not {type}",
                      {{"field", field}, {"wanted", wanted}, {"type", json_type_words(value)}}));
}

// A present, non-null member, or nullptr.
const json* member(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::string> get_string(const json& j, const std::string& where, const char* name,
                               bool required) {
  const std::string field = join_field(where, name);
  const json* value = member(j, name);
  if (!value) {
    if (required) return invalid(field, sentence("{field} is missing", {{"field", field}}));
    return std::string();
  }
  if (!value->is_string()) return (wrong_type(field, *value, "a string"));
  return value->get<std::string>();
}

// A JSON number as millionths, read from its shortest text so 2.5 stays exactly 2'500'000. A
// fraction is written without an exponent first: JSON allows 1e-06, and the export's own
// 0.000001 comes out as that (found by fuzz_import_json: the export did not import).
Result<std::int64_t> number_micro(const json& value, const std::string& field) {
  if (value.is_number_float()) {
    std::array<char, 400> text{};  // The longest double in fixed notation is ~330 characters.
    const auto [end, error] = std::to_chars(text.data(), text.data() + text.size(),
                                            value.get<double>(), std::chars_format::fixed);
    if (error == std::errc()) {
      return parse_decimal_micro(
          std::string_view(text.data(), static_cast<std::size_t>(end - text.data())), field);
    }
  }
  return parse_decimal_micro(value.dump(), field);
}

// `amount` (a number or a decimal string) and `amount_micro` (an integer): either alone, or
// both with the same value.
Result<std::int64_t> get_micro(const json& j, const std::string& where) {
  const std::string amount_field = join_field(where, "amount");
  const std::string micro_field = join_field(where, "amount_micro");
  std::optional<std::int64_t> from_micro;
  if (const json* m = member(j, "amount_micro")) {
    if (m->is_number_unsigned() &&
        m->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      return invalid(micro_field, sentence("{field} is far too large", {{"field", micro_field}}));
    }
    if (!m->is_number_integer()) {
      return (wrong_type(micro_field, *m, "a whole number of millionths"));
    }
    from_micro = m->get<std::int64_t>();
  }
  std::optional<std::int64_t> from_amount;
  if (const json* a = member(j, "amount")) {
    Result<std::int64_t> parsed =
        a->is_string() ? parse_decimal_micro(a->get<std::string>(), amount_field)
        : a->is_number()
            ? number_micro(*a, amount_field)
            : Result<std::int64_t>(wrong_type(amount_field, *a, "a number such as 2.5"));
    if (!parsed) return parsed;
    from_amount = *parsed;
  }
  if (from_amount && from_micro && *from_amount != *from_micro) {
    return invalid(
        amount_field,
        sentence("{amount_field} {amount} and {micro_field} {micro} disagree; give one of "
                 "them, or both with the same value (amount_micro is the amount in "
                 "millionths)",
                 {{"amount_field", amount_field},
                  {"amount", format_decimal(*from_amount)},
                  {"micro_field", micro_field},
                  {"micro", std::to_string(*from_micro)}}));
  }
  if (from_amount) return *from_amount;
  if (from_micro) return *from_micro;
  return invalid(amount_field, sentence("{field} is missing", {{"field", amount_field}}));
}

Result<void> must_be_object(const json& j, const std::string& where, const char* what) {
  if (j.is_object()) return {};
  const std::string field = where.empty() ? std::string(what) : where;
  return (wrong_type(field, j, "an object"));
}

}  // namespace

Result<Instant> instant_from_string(const std::string& text, const std::string& field) {
  // Only absolute forms are accepted in stored data: a wall time would need a zone.
  return parse_instant(text, field);
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
  if (auto ok = must_be_object(j, where, "dose"); !ok) return tl::unexpected(ok.error());
  const std::string prefix = where.empty() ? "" : where + ".";
  if (auto ok = only_keys(j,
                          {"id", "taken_at", "zone", "amount", "amount_micro", "unit", "form",
                           "product", "note", "triggers"},
                          prefix, core::sentence("of a dose"));
      !ok) {
    return tl::unexpected(ok.error());
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
  if (const json* triggers = member(j, "triggers")) {
    const std::string field = join_field(where, "triggers");
    if (!triggers->is_array()) {
      return (wrong_type(field, *triggers, "a list of words"));
    }
    for (std::size_t i = 0; i < triggers->size(); ++i) {
      const auto& t = (*triggers)[i];
      if (!t.is_string()) {
        return tl::unexpected(
            wrong_type(field + "[" + std::to_string(i) + "]", t, "a word (a string)"));
      }
      dose.triggers.push_back(t.get<std::string>());
    }
  }
  return dose;
}

Result<SubstanceUse> substance_use_from_json(const json& j, const std::string& where) {
  if (auto ok = must_be_object(j, where, "substance_use"); !ok) return tl::unexpected(ok.error());
  const std::string prefix = where.empty() ? "" : where + ".";
  if (auto ok = only_keys(j, {"id", "substance", "taken_at", "zone", "note"}, prefix,
                          core::sentence("of a substance use"));
      !ok) {
    return tl::unexpected(ok.error());
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
  if (auto ok = must_be_object(j, where, "product"); !ok) return tl::unexpected(ok.error());
  const std::string prefix = where.empty() ? "" : where + ".";
  if (auto ok = only_keys(j, {"name", "form", "capsule_mg", "teaspoon_mg"}, prefix,
                          core::sentence("of a product"));
      !ok) {
    return tl::unexpected(ok.error());
  }
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
    const json* weight = member(j, key);
    if (!weight) continue;
    const std::string field = join_field(where, key);
    if (!weight->is_number()) {
      return (wrong_type(field, *weight, "a number of milligrams such as 500"));
    }
    auto micro = number_micro(*weight, field);
    if (!micro) return tl::unexpected(micro.error());
    (std::string(key) == "capsule_mg" ? product.weights.capsule_mg_micro
                                      : product.weights.teaspoon_mg_micro) = *micro;
  }
  return product;
}

json to_json(const Assessment& assessment) {
  return json{{"id", assessment.id},
              {"instrument", assessment.instrument},
              {"taken_at", format_utc(assessment.taken_at)},
              {"zone", assessment.zone},
              {"answers", assessment.answers},
              {"total", assessment.total},
              {"band", assessment.band},
              {"note", assessment.note}};
}

namespace {

// A whole number in [min, max], named `field`.
Result<int> get_int(const json& j, const std::string& where, const char* name, int min, int max) {
  const std::string field = join_field(where, name);
  const json* value = member(j, name);
  if (!value) return invalid(field, sentence("{field} is missing", {{"field", field}}));
  if (!value->is_number_integer()) return wrong_type(field, *value, "a whole number");
  const bool in_range =
      value->is_number_unsigned()
          ? value->get<std::uint64_t>() <= static_cast<std::uint64_t>(max)
          : value->get<std::int64_t>() >= min && value->get<std::int64_t>() <= max;
  if (!in_range || (value->is_number_unsigned() && min > 0 &&
                    value->get<std::uint64_t>() < static_cast<std::uint64_t>(min))) {
    return invalid(field,
                   sentence("{field} {value} is out of range; it must be from {min} to {max}",
                            {{"field", field},
                             {"value", value->dump()},
                             {"min", std::to_string(min)},
                             {"max", std::to_string(max)}}));
  }
  return static_cast<int>(value->get<std::int64_t>());
}

Result<Instant> get_instant(const json& j, const std::string& where, const char* name) {
  auto text = get_string(j, where, name, true);
  if (!text) return tl::unexpected(text.error());
  return instant_from_string(*text, join_field(where, name));
}

}  // namespace

Result<Assessment> assessment_from_json(const json& j, const std::string& where) {
  if (auto ok = must_be_object(j, where, "check-in"); !ok) return tl::unexpected(ok.error());
  const std::string prefix = where.empty() ? "" : where + ".";
  if (auto ok =
          only_keys(j, {"id", "instrument", "taken_at", "zone", "answers", "total", "band", "note"},
                    prefix, core::sentence("of a check-in or reflection"));
      !ok) {
    return tl::unexpected(ok.error());
  }
  Assessment a;
  auto id = get_string(j, where, "id", false);
  if (!id) return tl::unexpected(id.error());
  a.id = *id;
  auto instrument = get_string(j, where, "instrument", true);
  if (!instrument) return tl::unexpected(instrument.error());
  a.instrument = *instrument;
  auto taken = get_instant(j, where, "taken_at");
  if (!taken) return tl::unexpected(taken.error());
  a.taken_at = *taken;
  auto zone = get_string(j, where, "zone", false);
  if (!zone) return tl::unexpected(zone.error());
  a.zone = zone->empty() ? "UTC" : *zone;
  const std::string answers_field = join_field(where, "answers");
  const json* answers = member(j, "answers");
  if (!answers)
    return invalid(answers_field, sentence("{field} is missing", {{"field", answers_field}}));
  if (!answers->is_array()) return wrong_type(answers_field, *answers, "a list of scores");
  for (std::size_t i = 0; i < answers->size(); ++i) {
    const json& score = (*answers)[i];
    const std::string field = answers_field + "[" + std::to_string(i) + "]";
    if (!score.is_number_integer() || score.get<std::int64_t>() < 0 ||
        score.get<std::int64_t>() > 100) {
      return invalid(
          field,
          sentence("{field} must be a score, a whole number from 0, not {score}",
                   {{"field", field},
                    {"score", (score.is_number() ? score.dump() : json_type_words(score))}}));
    }
    a.answers.push_back(static_cast<int>(score.get<std::int64_t>()));
  }
  auto total = get_int(j, where, "total", 0, 10'000);
  if (!total) return tl::unexpected(total.error());
  a.total = *total;
  auto band = get_string(j, where, "band", false);
  if (!band) return tl::unexpected(band.error());
  a.band = *band;
  auto note = get_string(j, where, "note", false);
  if (!note) return tl::unexpected(note.error());
  a.note = *note;
  return a;
}

json to_json(const PlanVersion& version) {
  json plan = json::parse(version.body_json, nullptr, /*allow_exceptions=*/false);
  if (plan.is_discarded()) plan = nullptr;  // Never written by mitra; read back as an error.
  return json{{"plan_id", version.plan_id},
              {"version", version.version},
              {"created_at", format_utc(version.created_at)},
              {"status", version.status},
              {"reason", version.reason},
              {"plan", std::move(plan)}};
}

Result<PlanVersion> plan_version_from_json(const json& j, const std::string& where) {
  if (auto ok = must_be_object(j, where, "plan"); !ok) return tl::unexpected(ok.error());
  const std::string prefix = where.empty() ? "" : where + ".";
  if (auto ok = only_keys(j, {"plan_id", "version", "created_at", "status", "reason", "plan"},
                          prefix, core::sentence("of a plan version"));
      !ok) {
    return tl::unexpected(ok.error());
  }
  PlanVersion v;
  auto plan_id = get_string(j, where, "plan_id", true);
  if (!plan_id) return tl::unexpected(plan_id.error());
  if (plan_id->empty()) {
    return invalid(join_field(where, "plan_id"),
                   sentence("{plan_id} is empty", {{"plan_id", join_field(where, "plan_id")}}));
  }
  v.plan_id = *plan_id;
  auto number = get_int(j, where, "version", 1, 1'000'000);
  if (!number) return tl::unexpected(number.error());
  v.version = *number;
  auto created = get_instant(j, where, "created_at");
  if (!created) return tl::unexpected(created.error());
  v.created_at = *created;
  auto status = get_string(j, where, "status", true);
  if (!status) return tl::unexpected(status.error());
  if (*status != "active" && *status != "held" && *status != "superseded" &&
      *status != "finished") {
    const std::string field = join_field(where, "status");
    return invalid(
        field,
        sentence("{field} \"{value}\" is not known; use active, held, superseded or finished",
                 {{"field", field}, {"value", status->substr(0, 40)}}));
  }
  v.status = *status;
  auto reason = get_string(j, where, "reason", true);
  if (!reason) return tl::unexpected(reason.error());
  v.reason = *reason;
  const std::string plan_field = join_field(where, "plan");
  const json* plan = member(j, "plan");
  if (!plan) return invalid(plan_field, sentence("{field} is missing", {{"field", plan_field}}));
  auto parsed = plan_from_json(*plan);
  if (!parsed) {
    Error error = parsed.error();
    error.field =
        error.field.empty() || error.field == "plan" ? plan_field : plan_field + "." + error.field;
    return tl::unexpected(
        within(std::move(error), sentence("{origin}: {message}", {{"origin", plan_field}})));
  }
  // Kept as the plan's own writer writes it, so that a re-export is the same file.
  v.body_json = plan_to_json(*parsed).dump();
  return v;
}

}  // namespace mitra::formats
