#include "core/pattern.hpp"

#include <algorithm>
#include <limits>
#include <string_view>
#include <utility>

namespace mitra::core {

namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::int64_t kMinutesPerDay = 1'440;
constexpr std::int64_t kNoInstant = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kUnknownMass = -1;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t seconds_of(Instant t) { return t.time_since_epoch().count(); }

// Maps zone names to zones, and remembers for each zone the UTC offset of the last period
// seen. Doses come mostly in time order, so nearly every dose is converted to local time with
// two comparisons instead of a zone lookup and a search through the zone's transitions.
class ZoneCache {
 public:
  // `fallback` null means UTC; `zones` null means every name is read in `fallback`.
  ZoneCache(const Zones* zones, const TimeZone* fallback) : zones_(zones), fallback_(fallback) {}

  // Local wall-clock seconds since the epoch of UTC second `t` in the zone named `name`
  // (the fallback zone when the name is empty or unknown).
  std::int64_t local_seconds(std::string_view name, std::int64_t t) {
    Entry& e = entry(name);
    if (t < e.begin || t >= e.end) refresh(e, t);
    return t + e.offset;
  }

 private:
  struct Entry {
    std::string_view name;
    const TimeZone* zone = nullptr;
    std::int64_t begin = 0;  // [begin, end) is the UTC span where `offset` holds.
    std::int64_t end = 0;
    std::int64_t offset = 0;
  };

  Entry& entry(std::string_view name) {
    if (last_ < entries_.size() && entries_[last_].name == name) return entries_[last_];
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].name == name) {
        last_ = i;
        return entries_[i];
      }
    }
    entries_.push_back(
        Entry{name, zones_ != nullptr ? zone_or(*zones_, name, fallback_) : fallback_});
    last_ = entries_.size() - 1;
    return entries_.back();
  }

  static void refresh(Entry& e, std::int64_t t) {
    if (e.zone == nullptr) {  // UTC, for ever.
      e.begin = std::numeric_limits<std::int64_t>::min();
      e.end = std::numeric_limits<std::int64_t>::max();
      e.offset = 0;
      return;
    }
    const auto info = e.zone->get_info(Instant{std::chrono::seconds{t}});
    e.begin = seconds_of(info.begin);
    e.end = seconds_of(info.end);
    e.offset = info.offset.count();
  }

  const Zones* zones_;
  const TimeZone* fallback_;
  std::vector<Entry> entries_;
  std::size_t last_ = 0;
};

// One dose inside the window, reduced to what the analysis needs.
struct WindowDose {
  std::int64_t t = 0;       // UTC seconds.
  std::int64_t mass = 0;    // Micrograms, or kUnknownMass.
  std::int64_t amount = 0;  // Millionths of amount_unit(group), or kUnknownMass.
  StrengthGroup group = StrengthGroup::leaf;
  std::int32_t day = 0;     // Index into the window, 0 = first_day.
  std::int32_t minute = 0;  // Local minutes after midnight, 0..1439.
};

// The type-7 (linear interpolation) quartiles of `values`, times 4: exact in integers because
// the interpolation weight is a multiple of 1/4. Quartile q (1, 2, 3) sits at position
// h = (n - 1) * q / 4 of the sorted values: x[floor h] + frac(h) * (x[floor h + 1] - x[floor h]).
// Found by selection (std::nth_element) rather than a full sort: the values are reordered.
struct Quartiles {
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::int64_t q1_times4 = 0;
  std::int64_t median_times4 = 0;
  std::int64_t q3_times4 = 0;
};

Quartiles quartiles(std::vector<std::int64_t>& v) {
  const auto n = static_cast<std::int64_t>(v.size());
  const auto position = [n](std::int64_t q) {
    const std::int64_t h4 = (n - 1) * q;
    return std::pair<std::size_t, std::int64_t>{static_cast<std::size_t>(h4 / 4), h4 % 4};
  };
  const auto interpolate = [](std::int64_t at, std::int64_t next, std::int64_t r) {
    return 4 * at + r * (next - at);
  };
  const auto [km, rm] = position(2);
  const auto [k1, r1] = position(1);
  const auto [k3, r3] = position(3);
  const auto b = v.begin();
  const auto e = v.end();
  const auto offset = [b](std::size_t k) { return b + static_cast<std::ptrdiff_t>(k); };

  // Split at the median: [0, km] holds the km + 1 smallest values, (km, n) the rest.
  std::nth_element(b, offset(km), e);
  const std::int64_t at_km = v[km];
  const bool has_right = km + 1 < v.size();
  const std::int64_t after_km = has_right ? *std::min_element(offset(km + 1), e) : at_km;
  Quartiles out;
  out.median_times4 = interpolate(at_km, after_km, rm);
  out.max = has_right ? *std::max_element(offset(km + 1), e) : at_km;

  // The upper quartile lies in the right part (or at the median itself for tiny n).
  if (k3 == km) {
    out.q3_times4 = interpolate(at_km, after_km, r3);
  } else {
    std::nth_element(offset(km + 1), offset(k3), e);
    const std::int64_t at = v[k3];
    out.q3_times4 = interpolate(at, r3 != 0 ? *std::min_element(offset(k3 + 1), e) : at, r3);
  }
  // The lower quartile lies in the left part, which includes the median value.
  if (k1 == km) {
    out.q1_times4 = interpolate(at_km, after_km, r1);
  } else {
    std::nth_element(b, offset(k1), offset(km + 1));
    const std::int64_t at = v[k1];
    out.q1_times4 =
        interpolate(at, r1 != 0 ? *std::min_element(offset(k1 + 1), offset(km + 1)) : at, r1);
  }
  out.min = *std::min_element(b, offset(km + 1));
  return out;
}

constexpr double kQuarterSecondsPerHour = 4.0 * 3600.0;

struct IntervalStats {
  std::optional<double> median;
  std::optional<double> shortest;
  std::optional<double> longest;
  std::optional<double> spread;
};

IntervalStats interval_stats(std::vector<std::int64_t>& seconds) {
  IntervalStats s;
  if (seconds.empty()) return s;
  const Quartiles q = quartiles(seconds);
  s.shortest = static_cast<double>(q.min) / 3600.0;
  s.longest = static_cast<double>(q.max) / 3600.0;
  s.median = static_cast<double>(q.median_times4) / kQuarterSecondsPerHour;
  s.spread = static_cast<double>(q.q3_times4 - q.q1_times4) / kQuarterSecondsPerHour;
  return s;
}

// Least-squares slope of y over x (x in days), scaled to a week.
class Regression {
 public:
  void add(long double x, long double y) {
    ++points_;
    sx_ += x;
    sy_ += y;
    sxx_ += x * x;
    sxy_ += x * y;
  }
  int points() const { return points_; }
  long double mean_y() const { return points_ > 0 ? sy_ / points_ : 0.0L; }
  // Zero when every x is the same.
  double slope_per_week() const {
    const long double n = points_;
    const long double denominator = n * sxx_ - sx_ * sx_;
    if (points_ < 2 || denominator <= 0) return 0.0;
    return static_cast<double>((n * sxy_ - sx_ * sy_) / denominator * 7.0L);
  }

 private:
  int points_ = 0;
  long double sx_ = 0, sy_ = 0, sxx_ = 0, sxy_ = 0;
};

Trend make_trend(const Regression& r, int tracked_days, bool concerning_if_enough,
                 double per_week) {
  Trend t;
  t.enough_data = tracked_days >= kMinTrendDays && r.points() >= kMinTrendPoints;
  if (!t.enough_data) return t;
  t.per_week = per_week;
  t.concerning = concerning_if_enough;
  return t;
}

}  // namespace

int DayStats::form_count() const {
  return static_cast<int>(std::count_if(by_form.begin(), by_form.end(),
                                        [](const FormAmount& f) { return f.doses > 0; }));
}

Pattern analyse_pattern(std::span<const Dose> doses,
                        const std::map<std::string, ProductWeights>& products, Instant now,
                        const PatternOptions& options) {
  const TimeZone* today_zone = options.zone;  // UTC when null: see the two below.
  const auto journal_day_of = [&](Instant t) {
    return today_zone != nullptr
               ? journal_day(t, today_zone, options.day_start)
               : Day{date::floor<date::days>(t - options.day_start).time_since_epoch()};
  };
  const int days = std::clamp(options.days, 1, kMaxPatternDays);
  const std::int64_t day_start_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(options.day_start).count();

  Pattern p;
  p.days = days;
  p.last_day = journal_day_of(now);
  p.first_day = p.last_day - date::days{days - 1};
  const std::int64_t first_day_number = p.first_day.time_since_epoch().count();

  // Any zone's offset is within a day of `today_zone`'s, so a dose outside these UTC bounds
  // cannot fall into the window and is skipped without a zone conversion.
  const std::int64_t lower_bound =
      seconds_of(today_zone != nullptr
                     ? day_begin(p.first_day, today_zone, options.day_start)
                     : Instant{p.first_day.time_since_epoch()} + options.day_start) -
      2 * kSecondsPerDay;
  const std::int64_t now_seconds = seconds_of(now);

  ZoneCache zones(options.zones, today_zone);
  std::vector<WindowDose> window;
  window.reserve(std::min<std::size_t>(doses.size(), static_cast<std::size_t>(days) * 64));
  const Dose* earliest = nullptr;

  const auto weights_of = [&products](const Dose& d) -> const ProductWeights& {
    static const ProductWeights kNoWeights{};
    if (d.amount.unit == Unit::capsule || d.amount.unit == Unit::teaspoon) {
      const auto it = products.find(d.product);
      if (it != products.end()) return it->second;
    }
    return kNoWeights;
  };

  for (const Dose& d : doses) {
    const std::int64_t t = seconds_of(d.taken_at);
    // Not yet taken as of `now`; a dose within the allowed clock skew counts as taken now.
    if (t > now_seconds + kClockSkew.count()) continue;
    if (earliest == nullptr || d.taken_at < earliest->taken_at) earliest = &d;
    if (t < lower_bound) continue;
    const std::int64_t local = zones.local_seconds(d.zone, t);
    const std::int64_t day = floor_div(local - day_start_seconds, kSecondsPerDay);
    const std::int64_t index = day - first_day_number;
    if (index < 0 || index >= days) continue;
    const std::int64_t minute = (local - floor_div(local, kSecondsPerDay) * kSecondsPerDay) / 60;
    const ProductWeights& weights = weights_of(d);
    const auto mass = mass_micrograms(d.amount, weights);
    const StrengthGroup group = strength_group(d.form);
    const auto amount = amount_in(d.amount, amount_unit(group), weights);
    window.push_back(WindowDose{t, mass ? *mass : kUnknownMass, amount ? *amount : kUnknownMass,
                                group, static_cast<std::int32_t>(index),
                                static_cast<std::int32_t>(minute)});
  }

  const auto by_time = [](const WindowDose& a, const WindowDose& b) {
    if (a.t != b.t) return a.t < b.t;
    return a.day != b.day ? a.day < b.day : a.minute < b.minute;
  };
  if (!std::is_sorted(window.begin(), window.end(), by_time)) {
    std::sort(window.begin(), window.end(), by_time);
  }

  // Per-day counts, masses and first/last dose.
  p.per_day.resize(static_cast<std::size_t>(days));
  for (int i = 0; i < days; ++i)
    p.per_day[static_cast<std::size_t>(i)].day = p.first_day + date::days{i};
  std::vector<std::int64_t> first_at(static_cast<std::size_t>(days), kNoInstant);
  std::vector<std::int64_t> last_at(static_cast<std::size_t>(days), kNoInstant);
  std::vector<std::int64_t> intervals;
  std::vector<std::int64_t> waking;
  intervals.reserve(window.size());
  waking.reserve(window.size());

  for (std::size_t i = 0; i < window.size(); ++i) {
    const WindowDose& w = window[i];
    const auto di = static_cast<std::size_t>(w.day);
    DayStats& ds = p.per_day[di];
    ++ds.doses;
    if (w.mass == kUnknownMass) {
      ++ds.doses_without_known_mass;
    } else {
      ds.mass_micrograms += w.mass;
    }
    FormAmount& form = ds.by_form[static_cast<std::size_t>(w.group)];
    ++form.doses;
    if (w.amount == kUnknownMass) {
      ++form.doses_without_known_amount;
    } else {
      form.total_micro += w.amount;
    }
    if (first_at[di] == kNoInstant) {
      first_at[di] = w.t;
      ds.first_dose_minute = w.minute;
    }
    last_at[di] = w.t;
    if (w.minute < kNightEndMinute) ++p.night_doses;
    if (i > 0) {
      const std::int64_t gap = w.t - window[i - 1].t;
      intervals.push_back(gap);
      if (window[i - 1].day == w.day) waking.push_back(gap);
    }
  }

  p.dose_count = static_cast<int>(window.size());
  p.doses_per_day = static_cast<double>(p.dose_count) / days;
  p.interval_count = static_cast<int>(intervals.size());
  p.waking_interval_count = static_cast<int>(waking.size());
  const IntervalStats all = interval_stats(intervals);
  p.median_interval_hours = all.median;
  p.shortest_interval_hours = all.shortest;
  p.longest_interval_hours = all.longest;
  p.interval_spread_hours = all.spread;
  const IntervalStats awake = interval_stats(waking);
  p.median_waking_interval_hours = awake.median;
  p.shortest_waking_interval_hours = awake.shortest;
  p.longest_waking_interval_hours = awake.longest;

  // Where tracking began: the journal day of the earliest dose ever logged (up to `now`).
  int tracked_from = days;
  if (options.journal_start) {
    const Day start = journal_day_of(*options.journal_start);
    tracked_from = static_cast<int>(
        std::clamp<std::int64_t>(start.time_since_epoch().count() - first_day_number, 0, days));
  } else if (earliest != nullptr) {
    const std::int64_t local = zones.local_seconds(earliest->zone, seconds_of(earliest->taken_at));
    const std::int64_t day = floor_div(local - day_start_seconds, kSecondsPerDay);
    tracked_from = static_cast<int>(std::clamp<std::int64_t>(day - first_day_number, 0, days));
  }
  p.tracked_days = days - tracked_from;

  // First-dose times are ordered by minutes after the day start, so that a dose at 01:00
  // (the end of the evening before) counts as late, not early.
  const auto day_start_minute = static_cast<int>(options.day_start.count() % kMinutesPerDay);
  const auto since_day_start = [day_start_minute](int minute) {
    return static_cast<int>((minute - day_start_minute + kMinutesPerDay) % kMinutesPerDay);
  };
  std::vector<int> first_minutes;
  first_minutes.reserve(static_cast<std::size_t>(days));

  std::array<FormAmount, kStrengthGroups> by_form{};
  for (std::size_t g = 0; g < kStrengthGroups; ++g)
    by_form[g].group = static_cast<StrengthGroup>(g);
  Regression frequency, amount, interval, first_dose;
  for (int i = 0; i < days; ++i) {
    const auto di = static_cast<std::size_t>(i);
    DayStats& ds = p.per_day[di];
    for (std::size_t g = 0; g < kStrengthGroups; ++g) ds.by_form[g].group = by_form[g].group;
    if (ds.doses > 0) {
      ++p.days_with_doses;
      p.max_doses_in_a_day = std::max(p.max_doses_in_a_day, ds.doses);
      p.total_mass_micrograms += ds.mass_micrograms;
      p.doses_without_known_mass += ds.doses_without_known_mass;
      first_minutes.push_back(since_day_start(*ds.first_dose_minute));
      for (std::size_t g = 0; g < kStrengthGroups; ++g) {
        by_form[g].doses += ds.by_form[g].doses;
        by_form[g].total_micro += ds.by_form[g].total_micro;
        by_form[g].doses_without_known_amount += ds.by_form[g].doses_without_known_amount;
      }
    }
    if (i < tracked_from) continue;
    const auto x = static_cast<long double>(i - tracked_from);
    frequency.add(x, ds.doses);
    if (ds.doses_without_known_mass == 0) {
      amount.add(x, static_cast<long double>(ds.mass_micrograms) / kMicro);
    }
    if (ds.doses >= 2) {
      interval.add(x,
                   static_cast<long double>(last_at[di] - first_at[di]) / (ds.doses - 1) / 3600.0L);
    }
    if (ds.doses >= 1) first_dose.add(x, since_day_start(*ds.first_dose_minute));
  }
  p.amount_per_day_micrograms = (p.total_mass_micrograms + days / 2) / days;
  for (FormAmount& form : by_form) {
    if (form.doses == 0) continue;
    form.per_day_micro = (form.total_micro + days / 2) / days;
    p.amounts_by_form.push_back(form);
  }

  if (!first_minutes.empty()) {
    std::sort(first_minutes.begin(), first_minutes.end());
    const std::size_t n = first_minutes.size();
    const int median =
        n % 2 == 1 ? first_minutes[n / 2] : (first_minutes[n / 2 - 1] + first_minutes[n / 2]) / 2;
    p.median_first_dose_minute = static_cast<int>((median + day_start_minute) % kMinutesPerDay);
  }

  const double frequency_slope = frequency.slope_per_week();
  p.frequency_trend = make_trend(frequency, p.tracked_days,
                                 frequency_slope >= kConcerningDosesPerDayPerWeek, frequency_slope);
  const double interval_slope = interval.slope_per_week();
  p.interval_trend = make_trend(interval, p.tracked_days,
                                interval_slope <= kConcerningIntervalHoursPerWeek, interval_slope);
  const double first_slope = first_dose.slope_per_week();
  p.first_dose_trend = make_trend(first_dose, p.tracked_days,
                                  first_slope <= kConcerningFirstDoseMinutesPerWeek, first_slope);
  const double amount_slope = amount.slope_per_week();
  const double amount_mean = static_cast<double>(amount.mean_y());
  // Grams of leaf and milligrams of 7-OH are not one measure: no amount trend across forms.
  if (p.amounts_by_form.size() <= 1) {
    p.amount_trend = make_trend(
        amount, p.tracked_days,
        amount_slope > 0 && amount_slope >= kConcerningAmountShareOfMeanPerWeek * amount_mean,
        amount_slope);
  }
  return p;
}

}  // namespace mitra::core
