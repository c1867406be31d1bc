#include "cli/render.hpp"

#include "core/words.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/translate.hpp"

namespace mitra::cli {

namespace {

std::size_t display_width(const std::string& s) {
  std::size_t width = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

}  // namespace

std::string table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths(header.size(), 0);
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = display_width(header[i]);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out += cells[i];
      if (i + 1 < cells.size()) out += std::string(widths[i] - display_width(cells[i]) + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  for (const auto& row : rows) out += line(row);
  return out;
}

std::string doses_chart(const std::vector<core::DayStats>& days, core::Language language) {
  std::string out;
  for (const auto& d : days) {
    std::string label = core::format_short_day(d.day, language);
    std::string bar;
    for (int i = 0; i < d.doses && i < 40; ++i) bar += "█";
    out += "  " + label + "  " + bar + (bar.empty() ? "" : " ") + std::to_string(d.doses) + "\n";
  }
  return out;
}

std::string hours(const std::optional<double>& value, core::Language language) {
  if (!value) return "—";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", *value);
  return core::format_number(buffer, language) + " h";
}

std::string clock(const std::optional<int>& minute) {
  if (!minute) return "—";
  return core::format_time_of_day(std::chrono::minutes{*minute});
}

std::string examples(core::Language language, std::initializer_list<std::string> lines) {
  std::string out = "\n" + std::string(core::tr(language, "Examples:")) + "\n";
  for (const auto& line : lines) out += "  " + line + "\n";
  return out;
}

std::string help_line(core::Language language) {
  return std::string(core::tr(language,
                              "Help any time: `mitra help-now` · emergency 911 · crisis 988 (call "
                              "or text) · Poison Help 1-800-222-1222 · SAMHSA 1-800-662-4357")) +
         "\n";
}

std::string row_time(core::Instant t, const core::TimeZone* zone, core::Language language) {
  const std::string weekday_time = core::format_weekday_time(t, zone, language);
  const auto space = weekday_time.find(' ');
  const auto day =
      zone == nullptr ? date::format("%Y-%m-%d", t) : date::format("%Y-%m-%d", zone->to_local(t));
  return weekday_time.substr(0, space) + " " + day + weekday_time.substr(space);
}

}  // namespace mitra::cli
