#include "app/exchange.hpp"

#include <string>
#include <vector>

#include <algorithm>
#include <tuple>

#include "app/report.hpp"
#include "core/instruments.hpp"
#include "core/records.hpp"
#include "core/text.hpp"
#include "formats/journal_export.hpp"

namespace mitra::app {

namespace {

// Imports are capped so a wrong file cannot exhaust memory; 50 years at 20 doses a day fit.
constexpr std::size_t kMaxImportRecords = 500'000;

// "doses[3]" and "amount" make "doses[3].amount"; a CSV line is not part of a field name.
std::string field_at(const std::string& origin, const std::string& field) {
  if (origin.rfind("line ", 0) == 0) return field;
  return field.empty() ? origin : origin + "." + field;
}

// An error about one record: its message starts with where the record is.
core::Error at_origin(const std::string& origin, core::Error error) {
  error.field = field_at(origin, error.field);
  return core::within(std::move(error),
                      core::sentence("{origin}: {message}", {{"origin", origin}}));
}

std::vector<std::string> differing_fields(const core::Dose& a, const core::Dose& b) {
  std::vector<std::string> out;
  if (a.taken_at != b.taken_at) out.emplace_back("taken_at");
  if (a.zone != b.zone) out.emplace_back("zone");
  if (a.amount.micro != b.amount.micro) out.emplace_back("amount");
  if (a.amount.unit != b.amount.unit) out.emplace_back("unit");
  if (a.form != b.form) out.emplace_back("form");
  if (a.product != b.product) out.emplace_back("product");
  if (a.note != b.note) out.emplace_back("note");
  if (a.triggers != b.triggers) out.emplace_back("triggers");
  return out;
}

std::vector<std::string> differing_fields(const core::SubstanceUse& a,
                                          const core::SubstanceUse& b) {
  std::vector<std::string> out;
  if (a.substance != b.substance) out.emplace_back("substance");
  if (a.taken_at != b.taken_at) out.emplace_back("taken_at");
  if (a.zone != b.zone) out.emplace_back("zone");
  if (a.note != b.note) out.emplace_back("note");
  return out;
}

std::vector<std::string> differing_fields(const core::Product& a, const core::Product& b) {
  std::vector<std::string> out;
  if (a.form != b.form) out.emplace_back("form");
  if (a.weights.capsule_mg_micro != b.weights.capsule_mg_micro) out.emplace_back("capsule_mg");
  if (a.weights.teaspoon_mg_micro != b.weights.teaspoon_mg_micro) {
    out.emplace_back("teaspoon_mg");
  }
  return out;
}

std::vector<std::string> differing_fields(const core::Assessment& a, const core::Assessment& b) {
  std::vector<std::string> out;
  if (a.instrument != b.instrument) out.emplace_back("instrument");
  if (a.taken_at != b.taken_at) out.emplace_back("taken_at");
  if (a.zone != b.zone) out.emplace_back("zone");
  if (a.answers != b.answers) out.emplace_back("answers");
  if (a.total != b.total) out.emplace_back("total");
  if (a.band != b.band) out.emplace_back("band");
  if (a.note != b.note) out.emplace_back("note");
  return out;
}

std::vector<std::string> differing_fields(const core::PlanVersion& a, const core::PlanVersion& b) {
  std::vector<std::string> out;
  if (a.created_at != b.created_at) out.emplace_back("created_at");
  if (a.reason != b.reason) out.emplace_back("reason");
  if (a.body_json != b.body_json) out.emplace_back("plan");
  return out;
}

// "Check-ins and reflections": validated as `mitra checkin` would save them, and the total
// and band must be what the answers give (a file whose total was edited is refused, not
// silently rescored).
Result<core::Assessment> validate_assessment(core::Assessment a, core::Instant now,
                                             const core::Zones& zones, const std::string& origin) {
  const auto at = [&](const std::string& field, core::Sentence message) {
    return core::invalid(
        origin + "." + field,
        core::sentence("{origin}.{field} {message}", {{"origin", origin}, {"field", field}})
            .with("message", std::move(message)));
  };
  if (auto id = core::validate_record_id(a.id); !id) {
    return tl::unexpected(at_origin(origin, id.error()));
  }
  auto instrument = core::find_instrument(a.instrument);
  if (!instrument) return tl::unexpected(at_origin(origin, instrument.error()));
  auto score = core::score_answers(**instrument, nlohmann::json(a.answers));
  if (!score) return tl::unexpected(at_origin(origin, score.error()));
  if (score->total != a.total) {
    return at("total", core::sentence("{total} is not the total of the answers ({sum}); give the "
                                      "answers as they were, with their total",
                                      {{"total", std::to_string(a.total)},
                                       {"sum", std::to_string(score->total)}}));
  }
  const std::string band = score->band ? score->band->id : "";
  if (band != a.band) {
    return at(
        "band",
        core::sentence(
            "\"{band}\" is not the band of a total of {total} (\"{right}\")",
            {{"band", a.band.substr(0, 40)}, {"total", std::to_string(a.total)}, {"right", band}}));
  }
  auto when = core::validate_past_time(a.taken_at, now, "taken_at");
  if (!when) return tl::unexpected(at_origin(origin, when.error()));
  if (auto zone = core::find_zone(zones, a.zone, "zone"); !zone) {
    return tl::unexpected(at_origin(origin, zone.error()));
  }
  auto note = core::validate_text("note", a.note, core::kMaxNoteBytes);
  if (!note) return tl::unexpected(at_origin(origin, note.error()));
  return a;
}

Result<core::PlanVersion> validate_plan_version(core::PlanVersion v, core::Instant now,
                                                const std::string& origin) {
  if (auto id = core::validate_record_id(v.plan_id); !id) {
    // validate_record_id names the field "id"; here it is the plan's.
    core::Error error = core::error_of(
        core::ErrorKind::invalid_input,
        core::sentence("plan_id must be at most {count} letters, digits, - or _ (mitra's own ids "
                       "are 32 hex digits)",
                       {{"count", "64"}}),
        "plan_id");
    return tl::unexpected(at_origin(origin, error));
  }
  auto when = core::validate_past_time(v.created_at, now, "created_at");
  if (!when) return tl::unexpected(at_origin(origin, when.error()));
  auto reason = core::validate_text("reason", v.reason, 200);
  if (!reason) return tl::unexpected(at_origin(origin, reason.error()));
  return v;
}

// The zone and day start as `mitra setup` saves them.
Result<std::string> validate_setting(const std::string& key, const std::string& value,
                                     const core::Zones& zones) {
  const std::string field = key == "profile" ? "profile" : "settings." + key;
  if (key == "zone") {
    if (auto zone = core::find_zone(zones, value, field); !zone)
      return tl::unexpected(zone.error());
    return value;
  }
  if (key == "day_start") {
    auto clock = core::parse_clock(value, field);
    if (!clock) return tl::unexpected(clock.error());
    return core::format_time_of_day(*clock);
  }
  return value;  // The profile: checked whole by formats.
}

core::Sentence describe(const ImportConflict& c) {
  std::string fields;
  for (const auto& f : c.fields) fields += (fields.empty() ? "" : ", ") + f;
  if (c.origin.rfind("settings", 0) == 0 || c.origin == "profile") {
    return core::sentence("{origin} differs from the journal's", {{"origin", c.origin}});
  }
  if (c.origin.rfind("products[", 0) == 0) {
    return core::sentence("{origin} (product \"{name}\") differs in {fields}",
                          {{"origin", c.origin}, {"name", c.id}, {"fields", fields}});
  }
  if (c.origin.rfind("plans[", 0) == 0) {
    return core::sentence("{origin} (plan {id}) differs in {fields}",
                          {{"origin", c.origin}, {"id", c.id}, {"fields", fields}});
  }
  return core::sentence("{origin} (id {id}) differs in {fields}",
                        {{"origin", c.origin}, {"id", c.id}, {"fields", fields}});
}

// The field that names a record of `origin`'s kind.
std::string conflict_field(const std::string& origin) {
  if (origin.rfind("products[", 0) == 0) return "name";
  if (origin.rfind("plans[", 0) == 0) return "version";
  if (origin.rfind("settings", 0) == 0 || origin == "profile") return "";
  return "id";
}

// Every conflict, the first ten by name, when the import stopped because of them.
core::Error conflict_error(const std::vector<ImportConflict>& conflicts) {
  constexpr std::size_t kShown = 10;
  // The list is "{first}; {rest}", each part a sentence of its own.
  core::Sentence list = describe(conflicts.front());
  for (std::size_t i = 1; i < conflicts.size() && i < kShown; ++i) {
    list = core::sentence("{list}; {next}").with("list", list).with("next", describe(conflicts[i]));
  }
  if (conflicts.size() > kShown) {
    list = core::sentence("{list}; and {count} more",
                          {{"count", std::to_string(conflicts.size() - kShown)}})
               .with("list", list);
  }
  const std::string count = std::to_string(conflicts.size());
  auto message = conflicts.size() == 1
                     ? core::sentence(
                           "{count} record differs from what the journal holds under the same "
                           "id: {list}. Nothing was imported. To take the file's versions, import "
                           "with --on-conflict replace (API: on_conflict=replace); to keep the "
                           "journal's, with skip.",
                           {{"count", count}})
                     : core::sentence(
                           "{count} records differ from what the journal holds under the same "
                           "id: {list}. Nothing was imported. To take the file's versions, import "
                           "with --on-conflict replace (API: on_conflict=replace); to keep the "
                           "journal's, with skip.",
                           {{"count", count}});
  return core::error_of(
      core::ErrorKind::conflict, message.with("list", std::move(list)),
      field_at(conflicts.front().origin, conflict_field(conflicts.front().origin)));
}

}  // namespace

Result<ExportFormat> parse_export_format(const std::string& text) {
  if (text == "json") return ExportFormat::json;
  if (text == "csv") return ExportFormat::csv;
  if (text == "fhir") return ExportFormat::fhir;
  return core::invalid(
      "format",
      core::sentence("format \"{text}\" is not known; use json, csv or fhir", {{"text", text}}));
}

Result<std::string> export_journal(Context& context, ExportFormat format) {
  if (format == ExportFormat::fhir) {
    // One's own journal, whole: every scope (app/report.hpp).
    auto bundle = fhir_export(context, core::all_scopes());
    if (!bundle) return tl::unexpected(bundle.error());
    return bundle->dump(2) + "\n";
  }
  formats::JournalDocument journal;
  auto doses = context.store.list_doses({});
  if (!doses) return tl::unexpected(doses.error());
  journal.doses = std::move(*doses);
  auto uses = context.store.list_substance_uses({});
  if (!uses) return tl::unexpected(uses.error());
  journal.substance_uses = std::move(*uses);
  auto products = context.store.list_products();
  if (!products) return tl::unexpected(products.error());
  journal.products = std::move(*products);
  if (format == ExportFormat::json) {
    auto assessments = context.store.list_assessments("", {});
    if (!assessments) return tl::unexpected(assessments.error());
    journal.assessments = std::move(*assessments);
    auto plans = context.store.latest_plan_versions();
    if (!plans) return tl::unexpected(plans.error());
    for (const auto& latest : *plans) {
      auto history = context.store.plan_history(latest.plan_id);
      if (!history) return tl::unexpected(history.error());
      journal.plan_versions.insert(journal.plan_versions.end(), history->begin(), history->end());
    }
    // Oldest first, as they were written: the last one is the current plan.
    std::stable_sort(journal.plan_versions.begin(), journal.plan_versions.end(),
                     [](const core::PlanVersion& a, const core::PlanVersion& b) {
                       return std::tie(a.created_at, a.version) < std::tie(b.created_at, b.version);
                     });
    for (const char* key : {"zone", "day_start", "profile"}) {
      auto value = context.store.get_setting(key);
      if (!value) return tl::unexpected(value.error());
      if (*value) journal.settings.emplace_back(key, **value);
    }
  }
  if (format == ExportFormat::json) return formats::to_json_document(journal, context.now);
  return formats::to_csv(journal);
}

Result<store::OnConflict> parse_on_conflict(const std::string& text) {
  if (text.empty() || text == "fail") return store::OnConflict::fail;
  if (text == "skip") return store::OnConflict::skip;
  if (text == "replace") return store::OnConflict::replace;
  return core::invalid(
      "on_conflict",
      core::sentence("on_conflict \"{value}\" is not known; use fail, skip or replace",
                     {{"value", text.substr(0, 40)}}));
}

std::string import_undo_message(const ImportSummary& summary) {
  if (summary.undoable > 0) return "Undo reverts this import.";
  return "Nothing in the journal changed, so this import is not a step for undo.";
}

Result<ImportSummary> import_journal(Context& context, const std::string& text,
                                     const std::string& format, const std::string& on_conflict) {
  auto policy = parse_on_conflict(on_conflict);
  if (!policy) return tl::unexpected(policy.error());
  const std::string kind = format.empty() ? formats::sniff_format(text) : format;
  Result<formats::JournalDocument> parsed =
      kind == "json" ? formats::parse_json_document(text, kMaxImportRecords)
      : kind == "csv"
          ? formats::parse_csv(text, kMaxImportRecords)
          : core::invalid("format",
                          core::sentence("format \"{value}\" is not known; use json or csv",
                                         {{"value", format.substr(0, 40)}}));
  if (!parsed) return tl::unexpected(parsed.error());
  // Validate everything before writing anything.
  for (std::size_t i = 0; i < parsed->doses.size(); ++i) {
    auto valid = core::validate_dose(parsed->doses[i], context.now, *context.zones);
    if (!valid) return tl::unexpected(at_origin(parsed->dose_origins[i], valid.error()));
    parsed->doses[i] = std::move(*valid);
  }
  for (std::size_t i = 0; i < parsed->substance_uses.size(); ++i) {
    auto valid =
        core::validate_substance_use(parsed->substance_uses[i], context.now, *context.zones);
    if (!valid) {
      return tl::unexpected(at_origin(parsed->substance_use_origins[i], valid.error()));
    }
    parsed->substance_uses[i] = std::move(*valid);
  }
  for (std::size_t i = 0; i < parsed->products.size(); ++i) {
    auto valid = core::validate_product(parsed->products[i], parsed->product_origins[i]);
    if (!valid) return tl::unexpected(valid.error());
    parsed->products[i] = std::move(*valid);
  }
  for (std::size_t i = 0; i < parsed->assessments.size(); ++i) {
    auto valid = validate_assessment(parsed->assessments[i], context.now, *context.zones,
                                     parsed->assessment_origins[i]);
    if (!valid) return tl::unexpected(valid.error());
  }
  for (std::size_t i = 0; i < parsed->plan_versions.size(); ++i) {
    auto valid = validate_plan_version(parsed->plan_versions[i], context.now,
                                       parsed->plan_version_origins[i]);
    if (!valid) return tl::unexpected(valid.error());
  }
  for (auto& [key, value] : parsed->settings) {
    auto valid = validate_setting(key, value, *context.zones);
    if (!valid) return tl::unexpected(valid.error());
    value = std::move(*valid);
  }
  const auto setting_origin = [&](std::size_t i) {
    const std::string& key = parsed->settings[i].first;
    return key == "profile" ? std::string("profile") : "settings." + key;
  };
  store::ImportRecords records{std::move(parsed->doses),         std::move(parsed->substance_uses),
                               std::move(parsed->products),      std::move(parsed->assessments),
                               std::move(parsed->plan_versions), parsed->settings};
  auto outcome = context.store.import_records(records, *policy);
  if (!outcome) return tl::unexpected(outcome.error());

  ImportSummary summary;
  using Kind = store::ImportOutcome::Clash::Kind;
  for (const auto& clash : outcome->clashes) {
    ImportConflict conflict;
    if (clash.kind == Kind::dose) {
      const auto& mine = records.doses[clash.index];
      conflict = {parsed->dose_origins[clash.index], mine.id, {}};
      if (clash.other_kind) {
        return core::invalid(
            field_at(conflict.origin, "id"),
            core::sentence("{origin}: id \"{id}\" is the id of a substance use in the journal; a "
                           "dose cannot take it. Nothing was imported.",
                           {{"origin", conflict.origin}, {"id", mine.id}}));
      }
      conflict.fields = differing_fields(mine, *clash.stored_dose);
    } else if (clash.kind == Kind::substance_use) {
      const auto& mine = records.substance_uses[clash.index];
      conflict = {parsed->substance_use_origins[clash.index], mine.id, {}};
      if (clash.other_kind) {
        return core::invalid(
            field_at(conflict.origin, "id"),
            core::sentence("{origin}: id \"{id}\" is the id of a dose in the journal; a substance "
                           "use cannot take it. Nothing was imported.",
                           {{"origin", conflict.origin}, {"id", mine.id}}));
      }
      conflict.fields = differing_fields(mine, *clash.stored_use);
    } else if (clash.kind == Kind::product) {
      const auto& mine = records.products[clash.index];
      conflict = {parsed->product_origins[clash.index], mine.name,
                  differing_fields(mine, *clash.stored_product)};
    } else if (clash.kind == Kind::assessment) {
      const auto& mine = records.assessments[clash.index];
      conflict = {parsed->assessment_origins[clash.index], mine.id,
                  differing_fields(mine, *clash.stored_assessment)};
    } else if (clash.kind == Kind::plan_version) {
      const auto& mine = records.plan_versions[clash.index];
      conflict = {parsed->plan_version_origins[clash.index],
                  mine.plan_id + " version " + std::to_string(mine.version),
                  differing_fields(mine, *clash.stored_plan_version)};
      if (*policy == store::OnConflict::replace) {
        return core::fail(
            core::ErrorKind::conflict,
            core::sentence(
                "{origin}: version {version} of plan {plan_id} is in the journal with other "
                "content, and a plan version is never replaced (plans only grow). Nothing was "
                "imported. To keep the journal's versions, import with --on-conflict skip.",
                {{"origin", conflict.origin},
                 {"version", std::to_string(mine.version)},
                 {"plan_id", mine.plan_id}}),
            field_at(conflict.origin, "version"));
      }
    } else {
      conflict = {setting_origin(clash.index), records.settings[clash.index].first, {}};
    }
    summary.conflicts.push_back(std::move(conflict));
  }
  if (!outcome->written) return tl::unexpected(conflict_error(summary.conflicts));
  summary.imported = outcome->imported;
  summary.imported_by_kind = outcome->imported_by_kind;
  summary.already_present = outcome->already_present;
  summary.replaced = outcome->replaced;
  summary.skipped = outcome->skipped;
  summary.undoable = outcome->undoable;
  return summary;
}

Result<void> backup(store::Engine& engine, const std::string& path) {
  if (path.empty())
    return core::invalid("path", core::sentence("give the file to write the backup to"));
  return engine.backup_to(path);
}

}  // namespace mitra::app
