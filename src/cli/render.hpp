#pragma once
// Helpers for human-readable output: aligned tables, a small bar chart. The JSON documents
// are views/ (shared with the server).

#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/journal.hpp"
#include "core/language.hpp"
#include "core/pattern.hpp"

namespace mitra::cli {

// Columns padded to the widest cell (counted in characters, not bytes).
std::string table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows);

// One line per day: "Mon 01-05  ████ 4" ("lun 05/01  ████ 4").
std::string doses_chart(const std::vector<core::DayStats>& days,
                        core::Language language = core::kDefaultLanguage);

// "3.1 h" ("3,1 h") or "—".
std::string hours(const std::optional<double>& value,
                  core::Language language = core::kDefaultLanguage);
// A table row's time in `zone`: "Thu 2026-12-03 08:30" ("jue 2026-12-03 08:30").
std::string row_time(core::Instant t, const core::TimeZone* zone,
                     core::Language language = core::kDefaultLanguage);

// "07:45" from minutes after midnight, or "—".
std::string clock(const std::optional<int>& minute);

// The examples of a help screen, put ahead of its crisis lines: "\nExamples:\n  mitra status\n  …",
// the heading in `language`, each line indented by two spaces (a line's own words are the
// caller's to translate; the command lines stay as typed).
std::string examples(core::Language language, std::initializer_list<std::string> lines);

// The line that ends every human screen: where help is, in `language`.
std::string help_line(core::Language language = core::kDefaultLanguage);

}  // namespace mitra::cli
