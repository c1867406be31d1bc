#include "formats/journal_export.hpp"

#include <algorithm>
#include <cstdint>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/strict_json.hpp"

#include "core/text.hpp"
#include "formats/journal_json.hpp"
#include "formats/profile_json.hpp"

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

// A text that `csv_cell` writes with an apostrophe in front: one that starts like a formula, or
// one that already starts with apostrophes before such a start ("'=SUM(A1)" itself). Without the
// second, "'=SUM(A1)" was written as it is, and reading it back took its apostrophe away
// (found by fuzz_import_csv).
bool needs_apostrophe(std::string_view value) {
  while (!value.empty() && value.front() == '\'') value.remove_prefix(1);
  return starts_formula(value);
}

// Undoes the apostrophe `csv_cell` put in front of a text.
std::string restore_text(const std::string& cell) {
  if (!cell.empty() && cell.front() == '\'' && needs_apostrophe(std::string_view(cell).substr(1))) {
    return cell.substr(1);
  }
  return cell;
}

core::Error at_line(int line, const core::Error& error) {
  return core::within(error,
                      core::sentence("line {line}: {message}", {{"line", std::to_string(line)}}));
}

}  // namespace

std::string csv_cell(std::string_view value, bool is_text) {
  std::string cell(value);
  if (is_text && needs_apostrophe(cell)) cell.insert(0, "'");
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
  for (const auto& d : journal.doses) doc["doses"].push_back(to_json(d));
  for (const auto& u : journal.substance_uses) doc["substance_uses"].push_back(to_json(u));
  for (const auto& p : journal.products) doc["products"].push_back(to_json(p));
  doc["assessments"] = json::array();
  for (const auto& a : journal.assessments) doc["assessments"].push_back(to_json(a));
  doc["plans"] = json::array();
  for (const auto& v : journal.plan_versions) doc["plans"].push_back(to_json(v));
  doc["settings"] = json::object();
  doc["profile"] = nullptr;
  for (const auto& [key, value] : journal.settings) {
    if (key == "profile") {
      json profile = json::parse(value, nullptr, /*allow_exceptions=*/false);
      if (!profile.is_discarded()) doc["profile"] = std::move(profile);
    } else {
      doc["settings"][key] = value;
    }
  }
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

namespace {

core::Error too_many_records(std::size_t max_records) {
  return core::Error{core::ErrorKind::invalid_input,
                     "the file holds more than " + std::to_string(max_records) +
                         " records; split it into smaller files",
                     "file"};
}

// The same id twice in one file: each record needs its own.
class IdRegister {
 public:
  core::Result<void> add(const std::string& id, const std::string& origin,
                         const std::string& field) {
    if (id.empty()) return {};
    const auto [it, fresh] = seen_.emplace(id, origin);
    if (fresh) return {};
    return core::invalid(field,
                         core::sentence("{origin}: id \"{id}\" is also the id of {other}; each "
                                        "record in a file needs its own id",
                                        {{"origin", origin}, {"id", id}, {"other", it->second}}));
  }

 private:
  std::unordered_map<std::string, std::string> seen_;
};

}  // namespace

core::Result<JournalDocument> parse_json_document(std::string_view text, std::size_t max_records) {
  // Each record has at most ten fields and ten triggers: 32 values a record is generous.
  const std::size_t max_values =
      max_records > SIZE_MAX / 32 - 64 ? SIZE_MAX : max_records * 32 + 64;
  core::JsonPrescan scan(max_records, max_values);
  scan.run(text);
  if (scan.too_deep()) {
    return core::invalid("file",
                         core::sentence("the file nests lists or objects more than {depth} deep; a "
                                        "mitra journal export nests four",
                                        {{"depth", std::to_string(core::JsonPrescan::kMaxDepth)}}));
  }
  if (scan.over()) return tl::unexpected(too_many_records(max_records));
  if (!scan.repeated().empty()) {
    return core::invalid(scan.repeated(),
                         core::sentence("{field} appears more than once; give each field once.",
                                        {{"field", scan.repeated()}}));
  }
  const json parsed = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return core::invalid(
        "file", core::sentence("the file is not valid JSON; a mitra JSON export was expected"));
  }
  const json& doc = parsed;
  if (!doc.is_object()) {
    return core::invalid("file",
                         core::sentence("the file is JSON but not a mitra journal export (it is "
                                        "{type}, not an object with \"format\": \"mitra-journal\")",
                                        {{"type", core::json_type_words(doc)}}));
  }
  const auto format = doc.find("format");
  if (format == doc.end() || !format->is_string() ||
      format->get<std::string>() != "mitra-journal") {
    return core::invalid(
        "format",
        format == doc.end()
            ? core::sentence("the file is JSON but not a mitra journal export (\"format\" must be "
                             "\"mitra-journal\", and it is missing)")
            : core::sentence(
                  "the file is JSON but not a mitra journal export (\"format\" must be "
                  "\"mitra-journal\", not {value})",
                  {{"value", format->is_string() ? format->dump(-1, ' ', true).substr(0, 40)
                                                 : core::json_type_words(*format)}}));
  }
  if (auto ok = core::only_keys(doc,
                                {"format", "version", "exported_at", "doses", "substance_uses",
                                 "products", "assessments", "plans", "settings", "profile"},
                                "", core::sentence("of a mitra journal export"));
      !ok) {
    return tl::unexpected(ok.error());
  }
  const auto version = doc.find("version");
  if (version == doc.end())
    return core::invalid("version", core::sentence("the export has no version number"));
  const std::string newest = std::to_string(kJournalFormatVersion);
  if (!version->is_number_integer()) {
    return core::invalid(
        "version",
        core::sentence(
            "version must be a whole number, not {type}; this mitra reads versions 1 to {newest}",
            {{"type", core::json_type_words(*version)}, {"newest", newest}}));
  }
  const bool too_big = version->is_number_unsigned() &&
                       version->get<std::uint64_t>() > std::uint64_t{kMaxKnownFormatVersion};
  const std::int64_t number = too_big ? 0 : version->get<std::int64_t>();
  if (too_big || number < 1 || number > kMaxKnownFormatVersion) {
    return core::invalid("version",
                         core::sentence("version {value} is not a mitra journal format version; "
                                        "this mitra reads versions 1 to {newest}",
                                        {{"value", version->dump()}, {"newest", newest}}));
  }
  if (number > kJournalFormatVersion) {
    return core::fail(core::ErrorKind::conflict,
                      core::sentence("the export was written by a newer mitra (format version "
                                     "{number}); update mitra to import it",
                                     {{"number", std::to_string(number)}}),
                      "version");
  }
  if (const auto at = doc.find("exported_at"); at != doc.end() && !at->is_string()) {
    return core::invalid(
        "exported_at",
        core::sentence("exported_at must be a string such as \"2026-01-09T08:00:00Z\", not {type}",
                       {{"type", core::json_type_words(*at)}}));
  }
  JournalDocument out;
  const auto read_array = [&](const char* key) -> core::Result<const json*> {
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) return static_cast<const json*>(nullptr);
    if (!it->is_array()) {
      return core::invalid(
          key, core::sentence("{key} must be a list, not {type}",
                              {{"key", std::string(key)}, {"type", core::json_type_words(*it)}}));
    }
    return &*it;
  };
  IdRegister ids;
  auto doses = read_array("doses");
  if (!doses) return tl::unexpected(doses.error());
  if (*doses) {
    for (std::size_t i = 0; i < (*doses)->size(); ++i) {
      const std::string where = "doses[" + std::to_string(i) + "]";
      auto d = formats::dose_from_json((**doses)[i], where);
      if (!d) return tl::unexpected(d.error());
      if (auto fresh = ids.add(d->id, where, where + ".id"); !fresh) {
        return tl::unexpected(fresh.error());
      }
      out.doses.push_back(std::move(*d));
      out.dose_origins.push_back(where);
    }
  }
  auto uses = read_array("substance_uses");
  if (!uses) return tl::unexpected(uses.error());
  if (*uses) {
    for (std::size_t i = 0; i < (*uses)->size(); ++i) {
      const std::string where = "substance_uses[" + std::to_string(i) + "]";
      auto u = formats::substance_use_from_json((**uses)[i], where);
      if (!u) return tl::unexpected(u.error());
      if (auto fresh = ids.add(u->id, where, where + ".id"); !fresh) {
        return tl::unexpected(fresh.error());
      }
      out.substance_uses.push_back(std::move(*u));
      out.substance_use_origins.push_back(where);
    }
  }
  auto products = read_array("products");
  if (!products) return tl::unexpected(products.error());
  if (*products) {
    std::unordered_map<std::string, std::string> names;
    for (std::size_t i = 0; i < (*products)->size(); ++i) {
      const std::string where = "products[" + std::to_string(i) + "]";
      auto p = formats::product_from_json((**products)[i], where);
      if (!p) return tl::unexpected(p.error());
      const auto [it, fresh] = names.emplace(std::string(core::trim(p->name)), where);
      if (!fresh) {
        return core::invalid(
            where + ".name",
            core::sentence(
                "{where}: the product \"{name}\" is also in {other}; give each product once",
                {{"where", where}, {"name", p->name}, {"other", it->second}}));
      }
      out.products.push_back(std::move(*p));
      out.product_origins.push_back(where);
    }
  }
  auto assessments = read_array("assessments");
  if (!assessments) return tl::unexpected(assessments.error());
  if (*assessments) {
    IdRegister assessment_ids;
    for (std::size_t i = 0; i < (*assessments)->size(); ++i) {
      const std::string where = "assessments[" + std::to_string(i) + "]";
      auto a = formats::assessment_from_json((**assessments)[i], where);
      if (!a) return tl::unexpected(a.error());
      if (auto fresh = assessment_ids.add(a->id, where, where + ".id"); !fresh) {
        return tl::unexpected(fresh.error());
      }
      out.assessments.push_back(std::move(*a));
      out.assessment_origins.push_back(where);
    }
  }
  auto plans = read_array("plans");
  if (!plans) return tl::unexpected(plans.error());
  if (*plans) {
    std::unordered_map<std::string, std::string> versions;
    for (std::size_t i = 0; i < (*plans)->size(); ++i) {
      const std::string where = "plans[" + std::to_string(i) + "]";
      auto v = formats::plan_version_from_json((**plans)[i], where);
      if (!v) return tl::unexpected(v.error());
      const std::string key = v->plan_id + "/" + std::to_string(v->version);
      const auto [it, fresh] = versions.emplace(key, where);
      if (!fresh) {
        return core::invalid(where + ".version",
                             core::sentence("{where}: version {version} of plan {plan_id} is also "
                                            "in {other}; give each plan version once",
                                            {{"where", where},
                                             {"version", std::to_string(v->version)},
                                             {"plan_id", v->plan_id},
                                             {"other", it->second}}));
      }
      out.plan_versions.push_back(std::move(*v));
      out.plan_version_origins.push_back(where);
    }
  }
  if (const auto settings = doc.find("settings"); settings != doc.end() && !settings->is_null()) {
    if (!settings->is_object()) {
      return core::invalid(
          "settings", core::sentence("settings must be an object such as {\"zone\": "
                                     "\"Europe/Berlin\", \"day_start\": \"04:00\"}, not {settings}",
                                     {{"settings", core::json_type_words(*settings)}}));
    }
    if (auto ok = core::only_keys(*settings, {"zone", "day_start"}, "settings.",
                                  core::sentence("of settings"));
        !ok) {
      return tl::unexpected(ok.error());
    }
    for (const char* key : kExportedSettings) {
      const auto value = settings->find(key);
      if (value == settings->end() || value->is_null()) continue;
      if (!value->is_string()) {
        return core::invalid(
            std::string("settings.") + key,
            core::sentence("settings.{key} must be a string, not {type}",
                           {{"key", key}, {"type", core::json_type_words(*value)}}));
      }
      out.settings.emplace_back(key, value->get<std::string>());
    }
  }
  if (const auto profile = doc.find("profile"); profile != doc.end() && !profile->is_null()) {
    auto read = formats::profile_from_json(*profile);
    if (!read) return tl::unexpected(read.error());
    out.settings.emplace_back("profile", formats::to_json(*read).dump());
  }
  return out;
}

core::Result<std::vector<CsvRow>> split_csv(std::string_view text, std::size_t max_rows) {
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
  for (; i < text.size() && rows.size() <= max_rows; ++i) {
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
  if (rows.size() > max_rows) return rows;
  if (quoted) {
    return core::invalid("file", core::sentence("line {line}: a quoted cell is never closed",
                                                {{"line", std::to_string(row.line)}}));
  }
  if (cell_started || !row.cells.empty()) end_row();
  return rows;
}

core::Result<JournalDocument> parse_csv(std::string_view text, std::size_t max_records) {
  auto rows = split_csv(text, max_records == SIZE_MAX ? SIZE_MAX - 1 : max_records + 1);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return core::invalid("file", core::sentence("the CSV file is empty"));
  if (rows->size() - 1 > max_records) return tl::unexpected(too_many_records(max_records));
  // The header names the columns, in any order; each known column once, none unknown.
  const auto& header = rows->front();
  std::string expected;
  for (const auto& h : kCsvHeader) expected += (expected.empty() ? "" : ",") + h;
  std::vector<std::size_t> column(kCsvHeader.size(), SIZE_MAX);
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    const std::string& name = header.cells[i];
    const auto known = std::find(kCsvHeader.begin(), kCsvHeader.end(), name);
    if (known == kCsvHeader.end()) {
      return core::invalid(
          name.empty() ? "file" : name,
          core::sentence("line 1: column \"{value}\" is not known; the columns are {expected}",
                         {{"value", name.substr(0, 40)}, {"expected", expected}}));
    }
    auto& slot = column[static_cast<std::size_t>(known - kCsvHeader.begin())];
    if (slot != SIZE_MAX) {
      return core::invalid(
          name,
          core::sentence("line 1: column {name} appears more than once; give each column once",
                         {{"name", name}}));
    }
    slot = i;
  }
  for (std::size_t k = 0; k < kCsvHeader.size(); ++k) {
    if (column[k] == SIZE_MAX) {
      return core::invalid(
          kCsvHeader[k],
          core::sentence("line 1: column {column} is missing; the columns are {expected}",
                         {{"column", kCsvHeader[k]}, {"expected", expected}}));
    }
  }
  JournalDocument out;
  IdRegister ids;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    if (row.cells.size() != header.cells.size()) {
      return core::invalid("file",
                           core::sentence("line {line}: expected {expected} cells, found {found}",
                                          {{"line", std::to_string(row.line)},
                                           {"expected", std::to_string(header.cells.size())},
                                           {"found", std::to_string(row.cells.size())}}));
    }
    // The cell of column `k` of kCsvHeader.
    const auto cell = [&](std::size_t k) -> const std::string& { return row.cells[column[k]]; };
    const std::string origin = "line " + std::to_string(row.line);
    auto when = formats::instant_from_string(cell(2), "taken_at");
    if (!when) return tl::unexpected(at_line(row.line, when.error()));
    if (cell(0) == "dose") {
      core::Dose d;
      d.id = cell(1);
      d.taken_at = *when;
      d.zone = cell(3).empty() ? "UTC" : cell(3);
      auto micro = core::parse_decimal_micro(cell(4), "amount");
      if (!micro) return tl::unexpected(at_line(row.line, micro.error()));
      auto unit = core::parse_unit(cell(5), "unit");
      if (!unit) return tl::unexpected(at_line(row.line, unit.error()));
      d.amount = core::Amount{*micro, *unit};
      if (!cell(6).empty()) {
        auto form = core::parse_form(cell(6), "form");
        if (!form) return tl::unexpected(at_line(row.line, form.error()));
        d.form = *form;
      }
      if (!cell(8).empty()) {
        return core::invalid(
            "substance", core::sentence("{origin}: a dose has no substance; leave the substance "
                                        "cell empty or make the record a substance_use",
                                        {{"origin", origin}}));
      }
      d.product = restore_text(cell(7));
      d.note = restore_text(cell(9));
      const std::string triggers = restore_text(cell(10));
      std::size_t start = 0;
      while (start < triggers.size()) {
        auto semi = triggers.find(';', start);
        if (semi == std::string::npos) semi = triggers.size();
        if (semi > start) d.triggers.push_back(triggers.substr(start, semi - start));
        start = semi + 1;
      }
      if (auto fresh = ids.add(d.id, origin, "id"); !fresh) return tl::unexpected(fresh.error());
      out.doses.push_back(std::move(d));
      out.dose_origins.push_back(origin);
    } else if (cell(0) == "substance_use") {
      core::SubstanceUse u;
      u.id = cell(1);
      u.taken_at = *when;
      u.zone = cell(3).empty() ? "UTC" : cell(3);
      for (const std::size_t k : {4u, 5u, 6u, 7u, 10u}) {
        if (!cell(k).empty()) {
          return core::invalid(
              kCsvHeader[k],
              core::sentence("{origin}: a substance use has no {column}; leave that cell empty",
                             {{"origin", origin}, {"column", kCsvHeader[k]}}));
        }
      }
      auto substance = core::parse_substance(cell(8), "substance");
      if (!substance) return tl::unexpected(at_line(row.line, substance.error()));
      u.substance = *substance;
      u.note = restore_text(cell(9));
      if (auto fresh = ids.add(u.id, origin, "id"); !fresh) return tl::unexpected(fresh.error());
      out.substance_uses.push_back(std::move(u));
      out.substance_use_origins.push_back(origin);
    } else {
      return core::invalid(
          "record",
          core::sentence("{origin}: record \"{cell}\" is not known; use dose or substance_use",
                         {{"origin", origin}, {"cell", cell(0)}}));
    }
  }
  return out;
}

}  // namespace mitra::formats
