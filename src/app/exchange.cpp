#include "app/exchange.hpp"

#include "formats/journal_export.hpp"

namespace mitra::app {

namespace {

// Imports are capped so a wrong file cannot exhaust memory; 50 years at 20 doses a day fit.
constexpr std::size_t kMaxImportRecords = 500'000;

core::Error with_prefix(const std::string& prefix, core::Error error) {
  error.message = prefix + error.message;
  return error;
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

Result<ImportSummary> import_journal(Context& context, const std::string& text,
                                     const std::string& format) {
  const std::string kind = format.empty() ? formats::sniff_format(text) : format;
  Result<formats::JournalDocument> parsed =
      kind == "json" ? formats::parse_json_document(text)
      : kind == "csv"
          ? formats::parse_csv(text)
          : core::invalid("format", "format \"" + format + "\" is not known; use json or csv");
  if (!parsed) return tl::unexpected(parsed.error());
  if (parsed->doses.size() + parsed->substance_uses.size() > kMaxImportRecords) {
    return core::invalid("file", "the file holds more than " + std::to_string(kMaxImportRecords) +
                                     " records; split it into smaller files");
  }
  // Validate everything before writing anything.
  for (std::size_t i = 0; i < parsed->doses.size(); ++i) {
    auto valid = core::validate_dose(parsed->doses[i], context.now);
    if (!valid) {
      return tl::unexpected(with_prefix(parsed->dose_origins[i] + ": ", valid.error()));
    }
    parsed->doses[i] = std::move(*valid);
  }
  for (std::size_t i = 0; i < parsed->substance_uses.size(); ++i) {
    auto valid = core::validate_substance_use(parsed->substance_uses[i], context.now);
    if (!valid) {
      return tl::unexpected(with_prefix(parsed->substance_use_origins[i] + ": ", valid.error()));
    }
    parsed->substance_uses[i] = std::move(*valid);
  }
  for (const auto& p : parsed->products) {
    if (auto saved = context.store.put_product(p); !saved) return tl::unexpected(saved.error());
  }
  auto counts = context.store.import_records(parsed->doses, parsed->substance_uses);
  if (!counts) return tl::unexpected(counts.error());
  return ImportSummary{counts->first, counts->second};
}

Result<void> backup(Context& context, const std::string& path) {
  if (path.empty()) return core::invalid("path", "give the file to write the backup to");
  return context.store.backup_to(path);
}

}  // namespace mitra::app
