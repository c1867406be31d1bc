#pragma once
// Export, import and backup of the journal.

#include <string>

#include "app/context.hpp"

namespace mitra::app {

enum class ExportFormat { json, csv };

Result<ExportFormat> parse_export_format(const std::string& text);

// The whole journal in `format`.
Result<std::string> export_journal(Context& context, ExportFormat format);

struct ImportSummary {
  int imported = 0;
  int skipped = 0;  // Records whose id is already in the journal.
};

// Imports a JSON or CSV export (`format` "json", "csv" or "" to detect). All or nothing:
// every record is checked before any is written, and the first problem is reported with
// its record or line and field.
Result<ImportSummary> import_journal(Context& context, const std::string& text,
                                     const std::string& format);

// Writes a consistent copy of the database to `path` (SQLite online backup).
Result<void> backup(Context& context, const std::string& path);

}  // namespace mitra::app
