#pragma once
// Export, import and backup of the journal.

#include <string>
#include <vector>

#include "app/context.hpp"
#include "store/engine.hpp"

namespace mitra::app {

// json: lossless and re-importable; csv: the dose journal; fhir: a FHIR R4 Bundle for a
// clinician's record system (app/report.hpp's fhir_export, every scope), not re-importable.
enum class ExportFormat { json, csv, fhir };

Result<ExportFormat> parse_export_format(const std::string& text);

// The whole journal in `format`: JSON holds everything mitra keeps (journal, check-ins and
// reflections, every plan version, settings, profile); CSV the dose journal only.
Result<std::string> export_journal(Context& context, ExportFormat format);

// What to do with a record whose id (a product: whose name) is already in the journal with
// other content: "fail" (the default, also for ""), "skip" or "replace". Anything else is
// invalid input naming `on_conflict`.
Result<store::OnConflict> parse_on_conflict(const std::string& text);

// One record of the file whose id is in the journal with other content.
struct ImportConflict {
  std::string origin;               // "doses[3]", "line 12", "products[0]".
  std::string id;                   // The record's id, or the product's name.
  std::vector<std::string> fields;  // The fields that differ: "amount", "note"…
};

struct ImportSummary {
  int imported = 0;                      // New records, products and settings: the sum of…
  store::ImportCounts imported_by_kind;  // …these.
  int already_present = 0;               // In the journal already, identical.
  int replaced = 0;  // Conflicts replaced by the file's version (on_conflict replace).
  int skipped = 0;   // Conflicts where the journal's version was kept (on_conflict skip).
  // Records and settings written (products are not part of undo): what `undo` reverts. 0: the
  // import is not an undo step (undo reverts the change before it).
  int undoable = 0;
  std::vector<ImportConflict> conflicts;  // The replaced or skipped records.
};

// Whether `undo` reverts the import, for people (views/exchange.hpp's "message").
// "Undo reverts this import." or, when it changed no journal record, that it is no undo step.
std::string import_undo_message(const ImportSummary& summary);

// Imports a JSON or CSV export (`format` "json", "csv" or "" to detect). Check-ins and plans
// are checked as the app checks its own (answers scored again, plan documents read whole);
// settings and the profile as `setup` and `profile` check them. All or nothing:
// every record is checked before any is written, and the first problem is reported with
// its record or line and field. A record whose id is already in the journal with other
// content is a conflict, handled as `on_conflict` says (see parse_on_conflict); with "fail"
// every conflict is listed in the error and nothing is written.
Result<ImportSummary> import_journal(Context& context, const std::string& text,
                                     const std::string& format,
                                     const std::string& on_conflict = "");

// Writes a consistent copy of the journal to `path` (SQLite online backup): maintenance, so it
// takes the engine, not the records.
Result<void> backup(store::Engine& engine, const std::string& path);

}  // namespace mitra::app
