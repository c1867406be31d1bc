#include "formats/journal_export.hpp"

#include <nlohmann/json.hpp>

#include "core/journal_json.hpp"
#include "core/text.hpp"

namespace mitra::formats {

namespace {

using nlohmann::json;

const std::vector<std::string> kCsvHeader{"record",    "id",   "taken_at", "zone",
                                          "amount",    "unit", "form",     "product",
                                          "substance", "note", "triggers"};

bool starts_formula(std::string_view value) {
  return !value.empty() && (value.front() == '=' || value.front() == '+' || value.front() == '-' ||
                            value.front() == '@' || value.front() == '\t' || value.front() == '\r');
}

// Undoes the apostrophe `csv_cell` put in front of a formula-like text.
std::string restore_text(const std::string& cell) {
  if (cell.size() >= 2 && cell.front() == '\'' &&
      starts_formula(std::string_view(cell).substr(1))) {
    return cell.substr(1);
  }
  return cell;
}

core::Error at_line(int line, const core::Error& error) {
  return core::Error{error.kind, "line " + std::to_string(line) + ": " + error.message,
                     error.field};
}

}  // namespace

std::string csv_cell(std::string_view value, bool is_text) {
  std::string cell(value);
  if (is_text && starts_formula(cell)) cell.insert(0, "'");
  const bool needs_quotes = cell.find_first_of(",\"\r\n") != std::string::npos;
  if (!needs_quotes) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string to_json_document(const JournalDocument& journal, core::Instant exported_at) {
  json doc{{"format", "mitra-journal"},
           {"version", kJournalFormatVersion},
           {"exported_at", core::format_utc(exported_at)},
           {"doses", json::array()},
           {"substance_uses", json::array()},
           {"products", json::array()}};
  for (const auto& d : journal.doses) doc["doses"].push_back(core::to_json(d));
  for (const auto& u : journal.substance_uses) doc["substance_uses"].push_back(core::to_json(u));
  for (const auto& p : journal.products) doc["products"].push_back(core::to_json(p));
  return doc.dump(2) + "\n";
}

std::string to_csv(const JournalDocument& journal) {
  std::string out;
  for (std::size_t i = 0; i < kCsvHeader.size(); ++i) out += (i ? "," : "") + kCsvHeader[i];
  out += "\r\n";
  for (const auto& d : journal.doses) {
    std::string triggers;
    for (const auto& t : d.triggers) triggers += (triggers.empty() ? "" : ";") + t;
    out += "dose," + csv_cell(d.id, false) + "," + core::format_utc(d.taken_at) + "," +
           csv_cell(d.zone, false) + "," + core::format_decimal(d.amount.micro) + "," +
           core::to_string(d.amount.unit) + "," + core::to_string(d.form) + "," +
           csv_cell(d.product, true) + ",," + csv_cell(d.note, true) + "," +
           csv_cell(triggers, true) + "\r\n";
  }
  for (const auto& u : journal.substance_uses) {
    out += "substance_use," + csv_cell(u.id, false) + "," + core::format_utc(u.taken_at) + "," +
           csv_cell(u.zone, false) + ",,,,," + core::to_string(u.substance) + "," +
           csv_cell(u.note, true) + ",\r\n";
  }
  return out;
}

std::string sniff_format(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    return c == '{' ? "json" : "csv";
  }
  return "csv";
}

core::Result<JournalDocument> parse_json_document(std::string_view text) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    return core::invalid("file", "the file is not valid JSON; a mitra JSON export was expected");
  }
  if (!doc.is_object() || doc.value("format", "") != "mitra-journal") {
    return core::invalid("format",
                         "the file is JSON but not a mitra journal export (\"format\" must be "
                         "\"mitra-journal\")");
  }
  if (!doc.contains("version") || !doc["version"].is_number_integer()) {
    return core::invalid("version", "the export has no version number");
  }
  const int version = doc["version"].get<int>();
  if (version > kJournalFormatVersion) {
    return core::fail(core::ErrorKind::conflict,
                      "the export was written by a newer mitra (format version " +
                          std::to_string(version) + "); update mitra to import it",
                      "version");
  }
  JournalDocument out;
  const auto read_array = [&](const char* key) -> core::Result<const json*> {
    auto it = doc.find(key);
    if (it == doc.end()) return static_cast<const json*>(nullptr);
    if (!it->is_array()) return core::invalid(key, std::string(key) + " must be an array");
    return &*it;
  };
  auto doses = read_array("doses");
  if (!doses) return tl::unexpected(doses.error());
  if (*doses) {
    for (std::size_t i = 0; i < (*doses)->size(); ++i) {
      auto d = core::dose_from_json((**doses)[i], "doses[" + std::to_string(i) + "]");
      if (!d) return tl::unexpected(d.error());
      out.doses.push_back(std::move(*d));
      out.dose_origins.push_back("doses[" + std::to_string(i) + "]");
    }
  }
  auto uses = read_array("substance_uses");
  if (!uses) return tl::unexpected(uses.error());
  if (*uses) {
    for (std::size_t i = 0; i < (*uses)->size(); ++i) {
      auto u =
          core::substance_use_from_json((**uses)[i], "substance_uses[" + std::to_string(i) + "]");
      if (!u) return tl::unexpected(u.error());
      out.substance_uses.push_back(std::move(*u));
      out.substance_use_origins.push_back("substance_uses[" + std::to_string(i) + "]");
    }
  }
  auto products = read_array("products");
  if (!products) return tl::unexpected(products.error());
  if (*products) {
    for (std::size_t i = 0; i < (*products)->size(); ++i) {
      auto p = core::product_from_json((**products)[i], "products[" + std::to_string(i) + "]");
      if (!p) return tl::unexpected(p.error());
      out.products.push_back(std::move(*p));
    }
  }
  return out;
}

core::Result<std::vector<CsvRow>> split_csv(std::string_view text) {
  std::vector<CsvRow> rows;
  CsvRow row{1, {}};
  std::string cell;
  int line = 1;
  bool quoted = false;
  bool cell_started = false;
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // A byte-order mark from a spreadsheet.
  const auto end_row = [&]() {
    row.cells.push_back(std::move(cell));
    cell.clear();
    cell_started = false;
    if (!(row.cells.size() == 1 && row.cells[0].empty())) rows.push_back(std::move(row));
    row = CsvRow{line, {}};
  };
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == '"' && !cell_started) {
      quoted = true;
      cell_started = true;
    } else if (c == ',') {
      row.cells.push_back(std::move(cell));
      cell.clear();
      cell_started = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      ++line;
      end_row();
    } else {
      cell += c;
      cell_started = true;
    }
  }
  if (quoted) {
    return core::invalid("file",
                         "line " + std::to_string(row.line) + ": a quoted cell is never closed");
  }
  if (cell_started || !row.cells.empty()) end_row();
  return rows;
}

core::Result<JournalDocument> parse_csv(std::string_view text) {
  auto rows = split_csv(text);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return core::invalid("file", "the CSV file is empty");
  const auto& header = rows->front();
  if (header.cells != kCsvHeader) {
    std::string expected;
    for (const auto& h : kCsvHeader) expected += (expected.empty() ? "" : ",") + h;
    return core::invalid("file", "line 1: the CSV header must be exactly: " + expected);
  }
  JournalDocument out;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    if (row.cells.size() != kCsvHeader.size()) {
      return core::invalid("file", "line " + std::to_string(row.line) + ": expected " +
                                       std::to_string(kCsvHeader.size()) + " cells, found " +
                                       std::to_string(row.cells.size()));
    }
    const auto& c = row.cells;
    auto when = core::instant_from_string(c[2], "taken_at");
    if (!when) return tl::unexpected(at_line(row.line, when.error()));
    if (c[0] == "dose") {
      core::Dose d;
      d.id = c[1];
      d.taken_at = *when;
      d.zone = c[3].empty() ? "UTC" : c[3];
      auto micro = core::parse_decimal_micro(c[4], "amount");
      if (!micro) return tl::unexpected(at_line(row.line, micro.error()));
      auto unit = core::parse_unit(c[5], "unit");
      if (!unit) return tl::unexpected(at_line(row.line, unit.error()));
      d.amount = core::Amount{*micro, *unit};
      if (!c[6].empty()) {
        auto form = core::parse_form(c[6], "form");
        if (!form) return tl::unexpected(at_line(row.line, form.error()));
        d.form = *form;
      }
      d.product = restore_text(c[7]);
      d.note = restore_text(c[9]);
      const std::string triggers = restore_text(c[10]);
      std::size_t start = 0;
      while (start < triggers.size()) {
        auto semi = triggers.find(';', start);
        if (semi == std::string::npos) semi = triggers.size();
        if (semi > start) d.triggers.push_back(triggers.substr(start, semi - start));
        start = semi + 1;
      }
      out.doses.push_back(std::move(d));
      out.dose_origins.push_back("line " + std::to_string(row.line));
    } else if (c[0] == "substance_use") {
      core::SubstanceUse u;
      u.id = c[1];
      u.taken_at = *when;
      u.zone = c[3].empty() ? "UTC" : c[3];
      auto substance = core::parse_substance(c[8], "substance");
      if (!substance) return tl::unexpected(at_line(row.line, substance.error()));
      u.substance = *substance;
      u.note = restore_text(c[9]);
      out.substance_uses.push_back(std::move(u));
      out.substance_use_origins.push_back("line " + std::to_string(row.line));
    } else {
      return core::invalid("record", "line " + std::to_string(row.line) + ": record \"" + c[0] +
                                         "\" is not known; use dose or substance_use");
    }
  }
  return out;
}

}  // namespace mitra::formats
