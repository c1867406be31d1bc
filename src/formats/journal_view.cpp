#include "formats/journal_view.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "core/journal_json.hpp"

namespace mitra::formats {

namespace {

// Rounds to `decimals` places so JSON shows 3.143, not 3.1430000000000002.
double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// "07:45" from minutes after midnight.
std::string clock_text(int minute) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", (minute / 60) % 24, minute % 60);
  return buffer;
}

nlohmann::json optional_clock(const std::optional<int>& minute) {
  return minute ? nlohmann::json(clock_text(*minute)) : nlohmann::json(nullptr);
}

}  // namespace

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
                       {"first_dose", optional_clock(d.first_dose_minute)}});
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
      {"median_first_dose", optional_clock(p.median_first_dose_minute)},
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

}  // namespace mitra::formats
