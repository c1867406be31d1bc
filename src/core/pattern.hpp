#pragma once
// Pattern analysis of the dose journal, centred on frequency: how often someone doses
// predicts dependence more than how much (clinical-facts §4, source S4). Every measure is
// defined exactly in docs/pattern.md. Pure: the caller passes `now`.

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/journal.hpp"
#include "core/time.hpp"

namespace mitra::core {

struct PatternOptions {
  int days = 7;                                // Window length in journal days, ending today.
  std::chrono::minutes day_start = kDefaultDayStart;
  const date::time_zone* zone = nullptr;       // The zone "today" is read in.
};

// One journal day in the window.
struct DayStats {
  Day day{};
  int doses = 0;
  std::int64_t mass_micrograms = 0;            // Sum of doses whose mass is known.
  std::optional<int> first_dose_minute;        // Local minutes after midnight of the first dose.
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
  int dose_count = 0;
  double doses_per_day = 0.0;                   // dose_count / days.
  int max_doses_in_a_day = 0;
  int days_with_doses = 0;
  // Intervals between consecutive doses within the window, in hours.
  std::optional<double> median_interval_hours;
  std::optional<double> shortest_interval_hours;
  std::optional<double> longest_interval_hours;
  std::optional<double> interval_spread_hours;  // Interquartile range.
  int night_doses = 0;                          // Local time 00:00–04:59 (see docs/pattern.md).
  std::optional<int> median_first_dose_minute;  // Local minutes after midnight.
  std::int64_t amount_per_day_micrograms = 0;   // Mean grams per day (millionths), known masses.
  int doses_without_known_mass = 0;
  Trend interval_trend;                         // Doses getting closer together.
  Trend first_dose_trend;                       // First dose getting earlier.
  Trend amount_trend;                           // Amount per day rising.
  Trend frequency_trend;                        // Doses per day rising.
  std::vector<DayStats> per_day;                // Oldest first, one entry per day in the window.
};

// Analyses `doses` (any order) in the `options.days` journal days ending with the journal
// day that contains `now`. `products` gives capsule and teaspoon weights by product name.
Pattern analyse_pattern(std::span<const Dose> doses,
                        const std::map<std::string, ProductWeights>& products, Instant now,
                        const PatternOptions& options);

}  // namespace mitra::core
