#pragma once
// Journal exports and imports. Formats are documented in docs/formats.md.
//  - JSON: lossless and versioned ({"format": "mitra-journal", "version": 2, …}); holds
//    everything mitra keeps (doses, substance uses, products, check-ins and reflections, every
//    plan version, settings and the profile) and re-imports to the identical journal. Version 1
//    files (doses, substance uses and products only) are still read.
//  - CSV: the dose journal only (doses, substance uses, products), RFC 4180, one row per record,
//  cells that a spreadsheet would run as a formula are
//    neutralised with a leading apostrophe (and restored on import).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/journal.hpp"
#include "core/records.hpp"

namespace mitra::formats {

inline constexpr int kJournalFormatVersion = 2;
// Versions above kJournalFormatVersion up to this one are "written by a newer mitra"; any
// other number is not a version at all.
inline constexpr int kMaxKnownFormatVersion = 1000;

struct JournalDocument {
  std::vector<core::Dose> doses;
  std::vector<core::SubstanceUse> substance_uses;
  std::vector<core::Product> products;
  // Where each record came from, for messages: "line 1204" (CSV) or "doses[3]" (JSON).
  std::vector<std::string> dose_origins;
  std::vector<std::string> substance_use_origins;
  std::vector<std::string> product_origins;  // "products[2]".
  // JSON only.
  std::vector<core::Assessment> assessments;      // Check-ins and reflections.
  std::vector<std::string> assessment_origins;    // "assessments[0]".
  std::vector<core::PlanVersion> plan_versions;   // Every version of every plan, oldest first.
  std::vector<std::string> plan_version_origins;  // "plans[1]".
  // Settings as stored, by key: "zone" and "day_start" ("settings" in the file) and
  // "profile" (the profile's JSON text; "profile" in the file). Each key at most once.
  std::vector<std::pair<std::string, std::string>> settings;
};

// The settings an export carries, in the order written.
inline constexpr const char* kExportedSettings[] = {"zone", "day_start"};

std::string to_json_document(const JournalDocument& journal, core::Instant exported_at);
std::string to_csv(const JournalDocument& journal);

// Parse errors name the record ("doses[3].amount") or the CSV line and column
// ("line 1204, amount"). A plan's own document is checked whole (formats/plan_json.hpp) and
// so is the profile (formats/profile_json.hpp). Checked here: the syntax, every field known and of
// its JSON type (a repeated key, an unknown field or column, `amount` and `amount_micro` that
// disagree are refused), the format version, and no id (no product name) twice in the file. Values
// are validated by app. More than `max_records` records is refused before the records are built.
core::Result<JournalDocument> parse_json_document(std::string_view text,
                                                  std::size_t max_records = SIZE_MAX);
core::Result<JournalDocument> parse_csv(std::string_view text, std::size_t max_records = SIZE_MAX);

// "json" or "csv" from the first non-blank byte.
std::string sniff_format(std::string_view text);

// Splits RFC 4180 text into rows of cells. Each row remembers its starting line number. Stops
// after `max_rows` + 1 rows (so a caller can tell the text holds more than `max_rows`).
struct CsvRow {
  int line = 0;
  std::vector<std::string> cells;
};
core::Result<std::vector<CsvRow>> split_csv(std::string_view text,
                                            std::size_t max_rows = SIZE_MAX - 1);

// Quotes one cell as RFC 4180 requires, neutralising formula injection in text cells.
std::string csv_cell(std::string_view value, bool is_text);

}  // namespace mitra::formats
