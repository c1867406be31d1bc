#include "app/exchange.hpp"

#include <string>
#include <vector>

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
  error.message = origin + ": " + error.message;
  error.field = field_at(origin, error.field);
  return error;
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

std::string describe(const ImportConflict& c) {
  std::string fields;
  for (const auto& f : c.fields) fields += (fields.empty() ? "" : ", ") + f;
  const bool product = c.origin.rfind("products[", 0) == 0;
  return c.origin + " (" + (product ? "product \"" : "id ") + c.id + (product ? "\"" : "") +
         ") differs in " + fields;
}

// Every conflict, the first ten by name, when the import stopped because of them.
core::Error conflict_error(const std::vector<ImportConflict>& conflicts) {
  constexpr std::size_t kShown = 10;
  std::string list;
  for (std::size_t i = 0; i < conflicts.size() && i < kShown; ++i) {
    list += (i ? "; " : "") + describe(conflicts[i]);
  }
  if (conflicts.size() > kShown) {
    list += "; and " + std::to_string(conflicts.size() - kShown) + " more";
  }
  const std::string count = std::to_string(conflicts.size());
  return core::Error{
      core::ErrorKind::conflict,
      count + (conflicts.size() == 1 ? " record differs" : " records differ") +
          " from what the journal holds under the same id: " + list +
          ". Nothing was imported. To take the file's versions, import with --on-conflict "
          "replace (API: on_conflict=replace); to keep the journal's, with skip.",
      field_at(conflicts.front().origin,
               conflicts.front().origin.rfind("products[", 0) == 0 ? "name" : "id")};
}

}  // namespace

Result<ExportFormat> parse_export_format(const std::string& text) {
  if (text == "json") return ExportFormat::json;
  if (text == "csv") return ExportFormat::csv;
  return core::invalid("format", "format \"" + text + "\" is not known; use json or csv");
}

Result<std::string> export_journal(Context& context, ExportFormat format) {
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
  if (format == ExportFormat::json) return formats::to_json_document(journal, context.now);
  return formats::to_csv(journal);
}

Result<store::OnConflict> parse_on_conflict(const std::string& text) {
  if (text.empty() || text == "fail") return store::OnConflict::fail;
  if (text == "skip") return store::OnConflict::skip;
  if (text == "replace") return store::OnConflict::replace;
  return core::invalid("on_conflict", "on_conflict \"" + text.substr(0, 40) +
                                          "\" is not known; use fail, skip or replace");
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
      kind == "json"  ? formats::parse_json_document(text, kMaxImportRecords)
      : kind == "csv" ? formats::parse_csv(text, kMaxImportRecords)
                      : core::invalid("format", "format \"" + format.substr(0, 40) +
                                                    "\" is not known; use json or csv");
  if (!parsed) return tl::unexpected(parsed.error());
  // Validate everything before writing anything.
  for (std::size_t i = 0; i < parsed->doses.size(); ++i) {
    auto valid = core::validate_dose(parsed->doses[i], context.now);
    if (!valid) return tl::unexpected(at_origin(parsed->dose_origins[i], valid.error()));
    parsed->doses[i] = std::move(*valid);
  }
  for (std::size_t i = 0; i < parsed->substance_uses.size(); ++i) {
    auto valid = core::validate_substance_use(parsed->substance_uses[i], context.now);
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
  auto outcome = context.store.import_records(parsed->doses, parsed->substance_uses,
                                              parsed->products, *policy);
  if (!outcome) return tl::unexpected(outcome.error());

  ImportSummary summary;
  using Kind = store::ImportOutcome::Clash::Kind;
  for (const auto& clash : outcome->clashes) {
    ImportConflict conflict;
    if (clash.kind == Kind::dose) {
      const auto& mine = parsed->doses[clash.index];
      conflict = {parsed->dose_origins[clash.index], mine.id, {}};
      if (clash.other_kind) {
        return core::invalid(field_at(conflict.origin, "id"),
                             conflict.origin + ": id \"" + mine.id +
                                 "\" is the id of a substance use in the journal; a dose cannot "
                                 "take it. Nothing was imported.");
      }
      conflict.fields = differing_fields(mine, *clash.stored_dose);
    } else if (clash.kind == Kind::substance_use) {
      const auto& mine = parsed->substance_uses[clash.index];
      conflict = {parsed->substance_use_origins[clash.index], mine.id, {}};
      if (clash.other_kind) {
        return core::invalid(field_at(conflict.origin, "id"),
                             conflict.origin + ": id \"" + mine.id +
                                 "\" is the id of a dose in the journal; a substance use cannot "
                                 "take it. Nothing was imported.");
      }
      conflict.fields = differing_fields(mine, *clash.stored_use);
    } else {
      const auto& mine = parsed->products[clash.index];
      conflict = {parsed->product_origins[clash.index], mine.name,
                  differing_fields(mine, *clash.stored_product)};
    }
    summary.conflicts.push_back(std::move(conflict));
  }
  if (!outcome->written) return tl::unexpected(conflict_error(summary.conflicts));
  summary.imported = outcome->imported;
  summary.already_present = outcome->already_present;
  summary.replaced = outcome->replaced;
  summary.skipped = outcome->skipped;
  summary.undoable = outcome->undoable;
  return summary;
}

Result<void> backup(Context& context, const std::string& path) {
  if (path.empty()) return core::invalid("path", "give the file to write the backup to");
  return context.store.backup_to(path);
}

}  // namespace mitra::app
