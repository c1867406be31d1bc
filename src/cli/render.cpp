#include "cli/render.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/journal_json.hpp"

namespace mitra::cli {

namespace {

std::size_t display_width(const std::string& s) {
  std::size_t width = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

// Rounds to `decimals` places so JSON shows 3.143, not 3.1430000000000002.
double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
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

std::string doses_chart(const std::vector<core::DayStats>& days) {
  std::string out;
  for (const auto& d : days) {
    std::string label = date::format("%a %m-%d", d.day);
    std::string bar;
    for (int i = 0; i < d.doses && i < 40; ++i) bar += "█";
    out += "  " + label + "  " + bar + (bar.empty() ? "" : " ") + std::to_string(d.doses) + "\n";
  }
  return out;
}

nlohmann::json dose_json(const core::Dose& dose, const date::time_zone* zone) {
  auto j = core::to_json(dose);
  const auto* own_zone = core::find_zone(dose.zone).value_or(zone);
  j["taken_at_local"] = core::format_local(dose.taken_at, own_zone);
  return j;
}

nlohmann::json use_json(const core::SubstanceUse& use, const date::time_zone* zone) {
  auto j = core::to_json(use);
  const auto* own_zone = core::find_zone(use.zone).value_or(zone);
  j["taken_at_local"] = core::format_local(use.taken_at, own_zone);
  return j;
}

std::string grams(std::int64_t micrograms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", static_cast<double>(micrograms) / 1e6);
  std::string out = buffer;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out + " g";
}

std::string hours(const std::optional<double>& value) {
  if (!value) return "—";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f h", *value);
  return buffer;
}

std::string clock(const std::optional<int>& minute) {
  if (!minute) return "—";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", (*minute / 60) % 24, *minute % 60);
  return buffer;
}

nlohmann::json pattern_json(const core::Pattern& p) {
  using nlohmann::json;
  const auto optional = [](const std::optional<double>& v) {
    return v ? json(round_to(*v, 2)) : json(nullptr);
  };
  const auto trend = [](const core::Trend& t) {
    return json{{"per_week", round_to(t.per_week, 2)},
                {"concerning", t.concerning},
                {"enough_data", t.enough_data}};
  };
  json per_day = json::array();
  for (const auto& d : p.per_day) {
    per_day.push_back({{"day", core::format_date(d.day)},
                       {"doses", d.doses},
                       {"amount", round_to(static_cast<double>(d.mass_micrograms) / 1e6, 3)},
                       {"first_dose", d.first_dose_minute ? json(clock(d.first_dose_minute))
                                                          : json(nullptr)}});
  }
  return json{
      {"days", p.days},
      {"from", core::format_date(p.first_day)},
      {"to", core::format_date(p.last_day)},
      {"dose_count", p.dose_count},
      {"doses_per_day", round_to(p.doses_per_day, 2)},
      {"max_doses_in_a_day", p.max_doses_in_a_day},
      {"days_with_doses", p.days_with_doses},
      {"median_interval_hours", optional(p.median_interval_hours)},
      {"shortest_interval_hours", optional(p.shortest_interval_hours)},
      {"longest_interval_hours", optional(p.longest_interval_hours)},
      {"interval_spread_hours", optional(p.interval_spread_hours)},
      {"night_doses", p.night_doses},
      {"median_first_dose", p.median_first_dose_minute ? json(clock(p.median_first_dose_minute))
                                                       : json(nullptr)},
      {"amount_per_day", round_to(static_cast<double>(p.amount_per_day_micrograms) / 1e6, 3)},
      {"unit", "g"},
      {"doses_without_known_mass", p.doses_without_known_mass},
      {"trends",
       {{"interval", trend(p.interval_trend)},
        {"first_dose", trend(p.first_dose_trend)},
        {"amount", trend(p.amount_trend)},
        {"frequency", trend(p.frequency_trend)}}},
      {"per_day", per_day}};
}

std::string help_line() {
  return "Help any time: `mitra help-now` · crisis 988 (call or text) · Poison Help "
         "1-800-222-1222 · SAMHSA 1-800-662-4357\n";
}

}  // namespace mitra::cli
