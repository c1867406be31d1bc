#pragma once
// Pattern analysis of the dose journal, centred on frequency: how often someone doses
// predicts dependence more than how much (clinical-facts §4, source S4). Every measure is
// defined exactly in docs/pattern.md. Pure: the caller passes `now`.
//
// Thread safety: `analyse_pattern` has no shared state; calls may run concurrently.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/journal.hpp"
#include "core/time.hpp"

namespace mitra::core {

// The longest window analysed (about 100 years); longer requests are cut to this.
inline constexpr int kMaxPatternDays = 36'600;

// A dose is a night dose when its local wall-clock time is from 00:00 to 04:59.
inline constexpr int kNightEndMinute = 5 * 60;

// Trends need at least this many tracked days, and this many days that carry a value.
inline constexpr int kMinTrendDays = 7;
inline constexpr int kMinTrendPoints = 4;

// Thresholds for `Trend::concerning` (our own choices, not clinical facts; see docs/pattern.md).
inline constexpr double kConcerningDosesPerDayPerWeek = 0.5;     // One more dose a day in 2 weeks.
inline constexpr double kConcerningIntervalHoursPerWeek = -0.5;  // Doses 30 min closer each week.
inline constexpr double kConcerningFirstDoseMinutesPerWeek = -30;   // First dose 30 min earlier.
inline constexpr double kConcerningAmountShareOfMeanPerWeek = 0.1;  // 10 % of the mean day a week.

struct PatternOptions {
  int days = 7;  // Window length in journal days, ending today (1..kMaxPatternDays).
  std::chrono::minutes day_start = kDefaultDayStart;
  const TimeZone* zone = nullptr;  // The zone "today" is read in; UTC when null.
  // Where a dose's own zone is looked up (a dose logged while travelling is counted on its own
  // local day). Without it, or for a zone it does not know, the dose is read in `zone`.
  const Zones* zones = nullptr;
  // When the journal began (the first dose ever logged), if the caller passes only part of the
  // journal. Days before its journal day (in `zone`) are not counted by the trends. When absent,
  // the earliest dose in `doses` up to `now` is taken as the start.
  std::optional<Instant> journal_start;
};

// The doses of one strength group and their amount, told in the group's own unit (grams of
// leaf or extract, milligrams of 7-OH, millilitres of liquid shots): forms of different strength
// are never added together (issue 13, item 3).
struct FormAmount {
  StrengthGroup group = StrengthGroup::leaf;
  int doses = 0;
  std::int64_t total_micro = 0;  // Millionths of amount_unit(group), known amounts only.
  int doses_without_known_amount = 0;
  std::int64_t per_day_micro = 0;  // total_micro / days (in `Pattern::amounts_by_form` only).
};

// One journal day in the window.
struct DayStats {
  Day day{};
  int doses = 0;
  std::int64_t mass_micrograms = 0;  // Sum of doses whose mass is known, all forms.
  int doses_without_known_mass = 0;  // Doses on this day whose mass cannot be known.
  std::optional<int>
      first_dose_minute;  // Local minutes after midnight of the first dose (0..1439).
  // Indexed by StrengthGroup; a group with no dose that day has doses == 0.
  std::array<FormAmount, kStrengthGroups> by_form{};
  // How many strength groups the day's doses belong to (0 on a day without doses).
  int form_count() const;
};

// A trend: the slope of a measure over the window, and whether it is a warning sign.
struct Trend {
  double per_week = 0.0;  // Change per 7 days of the measure (hours, minutes, grams…).
  bool concerning = false;
  bool enough_data = false;
};

struct Pattern {
  int days = 0;
  Day first_day{};
  Day last_day{};
  // Window days from the journal day of the earliest dose ever logged (or first_day, whichever
  // is later) to last_day; 0 when nothing was ever logged. Trends only look at these days.
  int tracked_days = 0;
  int dose_count = 0;
  double doses_per_day = 0.0;  // dose_count / days.
  int max_doses_in_a_day = 0;
  int days_with_doses = 0;
  // Intervals between consecutive doses within the window (overnight gaps included), in hours.
  int interval_count = 0;
  std::optional<double> median_interval_hours;
  std::optional<double> shortest_interval_hours;
  std::optional<double> longest_interval_hours;
  std::optional<double> interval_spread_hours;  // Interquartile range.
  // "Waking" intervals: only between consecutive doses of the same journal day, in hours.
  int waking_interval_count = 0;
  std::optional<double> median_waking_interval_hours;
  std::optional<double> shortest_waking_interval_hours;
  std::optional<double> longest_waking_interval_hours;
  int night_doses = 0;                          // Local time 00:00–04:59 (see docs/pattern.md).
  std::optional<int> median_first_dose_minute;  // Local minutes after midnight (0..1439).
  // Sum of known masses in the window, all forms: meaningful only when the window holds one
  // strength group (`amounts_by_form.size() <= 1`); views show `amounts_by_form` otherwise.
  std::int64_t total_mass_micrograms = 0;
  std::int64_t amount_per_day_micrograms = 0;  // Mean grams per day (millionths), known masses.
  int doses_without_known_mass = 0;
  // One entry per strength group with doses in the window, in StrengthGroup order.
  std::vector<FormAmount> amounts_by_form;
  Trend interval_trend;    // Doses getting closer together (hours per week).
  Trend first_dose_trend;  // First dose getting earlier (minutes per week).
  // Amount per day rising (grams per day, per week); not computed (enough_data false) when the
  // window mixes strength groups.
  Trend amount_trend;
  Trend frequency_trend;          // Doses per day rising (doses per day, per week).
  std::vector<DayStats> per_day;  // Oldest first, one entry per day in the window.
};

// Analyses `doses` (any order) in the `options.days` journal days ending with the journal
// day that contains `now`. Each dose's journal day is read in its own zone (`Dose::zone`),
// falling back to `options.zone` when that is empty or unknown. `products` gives capsule and
// teaspoon weights by product name. Pass the whole journal, or set `options.journal_start`:
// the start of the journal decides which days trends look at (see `Pattern::tracked_days`).
Pattern analyse_pattern(std::span<const Dose> doses,
                        const std::map<std::string, ProductWeights>& products, Instant now,
                        const PatternOptions& options);

}  // namespace mitra::core
