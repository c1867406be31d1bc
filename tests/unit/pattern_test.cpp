#include "core/pattern.hpp"
#include "app/zones.hpp"
#include "core/words.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#ifdef MITRA_HAVE_RAPIDCHECK
#include <rapidcheck/gtest.h>
#endif

namespace mitra::core {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Instant utc(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
  return Instant{date::sys_days{date::year{y} / date::month{m} / date::day{d}}} + hours{h} +
         minutes{min};
}

Day day(int y, unsigned m, unsigned d) {
  return Day{date::year{y} / date::month{m} / date::day{d}};
}

const mitra::core::TimeZone* zone(const char* name) {
  return find_zone(mitra::app::system_zones(), name).value();
}

Dose dose(Instant at, Amount amount = {kMicro, Unit::gram}, std::string tz = "UTC",
          std::string product = {}) {
  Dose d;
  d.id = "d";
  d.taken_at = at;
  d.zone = std::move(tz);
  d.amount = amount;
  d.product = std::move(product);
  return d;
}

Amount grams(std::int64_t g) { return {g * kMicro, Unit::gram}; }

const std::map<std::string, ProductWeights> kNoProducts;

PatternOptions options(int days, const char* tz = "UTC") {
  PatternOptions o;
  o.days = days;
  o.zone = zone(tz);
  o.zones = &mitra::app::system_zones();
  return o;
}

// "Now" for most tests: Friday 2026-01-09 at 20:00 UTC; the 7-day window is 3..9 January.
const Instant kNow = utc(2026, 1, 9, 20, 0);

TEST(Pattern, EmptyJournalHasAWindowOfZeroDays) {
  const Pattern p = analyse_pattern({}, kNoProducts, kNow, options(7));
  EXPECT_EQ(p.days, 7);
  EXPECT_EQ(p.first_day, day(2026, 1, 3));
  EXPECT_EQ(p.last_day, day(2026, 1, 9));
  EXPECT_EQ(p.tracked_days, 0);
  EXPECT_EQ(p.dose_count, 0);
  EXPECT_EQ(p.doses_per_day, 0.0);
  EXPECT_EQ(p.max_doses_in_a_day, 0);
  EXPECT_EQ(p.days_with_doses, 0);
  EXPECT_EQ(p.interval_count, 0);
  EXPECT_FALSE(p.median_interval_hours);
  EXPECT_FALSE(p.shortest_interval_hours);
  EXPECT_FALSE(p.longest_interval_hours);
  EXPECT_FALSE(p.interval_spread_hours);
  EXPECT_FALSE(p.median_waking_interval_hours);
  EXPECT_EQ(p.night_doses, 0);
  EXPECT_FALSE(p.median_first_dose_minute);
  EXPECT_EQ(p.amount_per_day_micrograms, 0);
  EXPECT_FALSE(p.frequency_trend.enough_data);
  EXPECT_FALSE(p.frequency_trend.concerning);
  ASSERT_EQ(p.per_day.size(), 7u);
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(p.per_day[i].day, day(2026, 1, 3) + date::days{static_cast<int>(i)});
    EXPECT_EQ(p.per_day[i].doses, 0);
    EXPECT_FALSE(p.per_day[i].first_dose_minute);
  }
}

TEST(Pattern, OneDoseHasNoIntervals) {
  const std::vector<Dose> doses{dose(utc(2026, 1, 9, 8, 30), grams(3))};
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_EQ(p.dose_count, 1);
  EXPECT_DOUBLE_EQ(p.doses_per_day, 1.0 / 7.0);
  EXPECT_EQ(p.max_doses_in_a_day, 1);
  EXPECT_EQ(p.days_with_doses, 1);
  EXPECT_EQ(p.tracked_days, 1);
  EXPECT_EQ(p.interval_count, 0);
  EXPECT_FALSE(p.median_interval_hours);
  EXPECT_EQ(p.median_first_dose_minute, 8 * 60 + 30);
  EXPECT_EQ(p.per_day.back().first_dose_minute, 8 * 60 + 30);
  EXPECT_EQ(p.total_mass_micrograms, 3 * kMicro);
  EXPECT_EQ(p.amount_per_day_micrograms, 428'571);  // 3 g / 7 days, rounded.
}

TEST(Pattern, CountsDosesPerDayTheBusiestDayAndDaysWithDoses) {
  const std::vector<Dose> doses{
      dose(utc(2026, 1, 7, 8, 0)),  dose(utc(2026, 1, 7, 12, 0)), dose(utc(2026, 1, 7, 16, 0)),
      dose(utc(2026, 1, 8, 9, 0)),  dose(utc(2026, 1, 9, 9, 0)),  dose(utc(2026, 1, 9, 15, 0)),
      dose(utc(2026, 1, 3, 10, 0)),
  };
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_EQ(p.dose_count, 7);
  EXPECT_DOUBLE_EQ(p.doses_per_day, 1.0);
  EXPECT_EQ(p.max_doses_in_a_day, 3);
  EXPECT_EQ(p.days_with_doses, 4);
  std::vector<int> per_day;
  for (const auto& d : p.per_day) per_day.push_back(d.doses);
  EXPECT_EQ(per_day, (std::vector<int>{1, 0, 0, 0, 3, 1, 2}));
}

TEST(Pattern, IntervalsHaveMedianShortestLongestAndSpread) {
  // Given intervals of 2 h, 3 h, 4 h within 8 January and 13 h overnight to the 9th,
  // expect the type-7 quartiles of {2, 3, 4, 13}: Q1 2.75, median 3.5, Q3 6.25.
  const std::vector<Dose> doses{dose(utc(2026, 1, 8, 9, 0)), dose(utc(2026, 1, 8, 11, 0)),
                                dose(utc(2026, 1, 8, 14, 0)), dose(utc(2026, 1, 8, 18, 0)),
                                dose(utc(2026, 1, 9, 7, 0))};
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_EQ(p.interval_count, 4);
  EXPECT_EQ(p.median_interval_hours, 3.5);
  EXPECT_EQ(p.shortest_interval_hours, 2.0);
  EXPECT_EQ(p.longest_interval_hours, 13.0);
  EXPECT_EQ(p.interval_spread_hours, 3.5);
  // Waking intervals leave out the overnight gap: {2, 3, 4}.
  EXPECT_EQ(p.waking_interval_count, 3);
  EXPECT_EQ(p.median_waking_interval_hours, 3.0);
  EXPECT_EQ(p.shortest_waking_interval_hours, 2.0);
  EXPECT_EQ(p.longest_waking_interval_hours, 4.0);
}

TEST(Pattern, IntervalsAreExactToTheSecondAndIgnoreInputOrder) {
  // 1 h 20 min and 2 h 40 min: median 2 h exactly, spread (Q3 2.333… − Q1 1.666…) = 40 min.
  const std::vector<Dose> doses{dose(utc(2026, 1, 9, 12, 0)), dose(utc(2026, 1, 9, 8, 0)),
                                dose(utc(2026, 1, 9, 9, 20))};
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_EQ(p.median_interval_hours, 2.0);
  EXPECT_DOUBLE_EQ(*p.shortest_interval_hours, 80.0 / 60.0);
  EXPECT_DOUBLE_EQ(*p.longest_interval_hours, 160.0 / 60.0);
  EXPECT_DOUBLE_EQ(*p.interval_spread_hours, 40.0 / 60.0);
  EXPECT_EQ(p.median_first_dose_minute, 8 * 60);
}

TEST(Pattern, OneInTheMorningCountsToTheEveningBeforeAndIsANightDose) {
  const std::vector<Dose> doses{dose(utc(2026, 1, 8, 20, 0)), dose(utc(2026, 1, 9, 1, 0)),
                                dose(utc(2026, 1, 9, 4, 59)), dose(utc(2026, 1, 9, 5, 0))};
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  // 20:00 and 01:00 belong to the 8th; 04:59 and 05:00 to the 9th (day start 04:00).
  EXPECT_EQ(p.per_day[5].doses, 2);
  EXPECT_EQ(p.per_day[6].doses, 2);
  EXPECT_EQ(p.per_day[5].first_dose_minute, 20 * 60);
  EXPECT_EQ(p.per_day[6].first_dose_minute, 4 * 60 + 59);
  // Night is 00:00 to 04:59 local: 01:00 and 04:59.
  EXPECT_EQ(p.night_doses, 2);
  // 20:00 → 01:00 is within the 8th, 04:59 → 05:00 within the 9th; 01:00 → 04:59 crosses.
  EXPECT_EQ(p.waking_interval_count, 2);
  EXPECT_DOUBLE_EQ(*p.median_waking_interval_hours, (5.0 + 1.0 / 60.0) / 2.0);
}

TEST(Pattern, FirstDoseAfterMidnightIsLateNotEarly) {
  // First doses at 09:00, 10:00 and (the 8th's only dose) 01:00 the next night. Ordered from
  // the day start they are 09:00 < 10:00 < 01:00, so the median is 10:00, not 09:00.
  const std::vector<Dose> doses{dose(utc(2026, 1, 6, 9, 0)), dose(utc(2026, 1, 7, 10, 0)),
                                dose(utc(2026, 1, 9, 1, 0))};
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_EQ(p.per_day[5].first_dose_minute, 60);
  EXPECT_EQ(p.median_first_dose_minute, 10 * 60);
}

TEST(Pattern, MedianFirstDoseOfAnEvenCountIsTheMeanRoundedDown) {
  const std::vector<Dose> doses{dose(utc(2026, 1, 8, 8, 0)), dose(utc(2026, 1, 9, 8, 15))};
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_EQ(p.median_first_dose_minute, 8 * 60 + 7);
}

TEST(Pattern, IgnoresDosesOutsideTheWindowAndAfterNow) {
  const std::vector<Dose> doses{
      dose(utc(2026, 1, 3, 3, 59)),   // Journal day 2 January: before the window.
      dose(utc(2026, 1, 3, 4, 0)),    // First minute of the window.
      dose(utc(2026, 1, 9, 19, 59)),  // Just before now.
      dose(utc(2026, 1, 9, 20, 6)),   // After now and the 5-minute clock skew (not yet).
      dose(utc(2026, 1, 12, 8, 0)),   // Days later.
      dose(utc(2025, 6, 1, 8, 0)),    // Months earlier.
  };
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_EQ(p.dose_count, 2);
  EXPECT_EQ(p.per_day.front().doses, 1);
  EXPECT_EQ(p.per_day.back().doses, 1);
  EXPECT_EQ(p.interval_count, 1);
  // The journal began in June 2025, so every window day is tracked.
  EXPECT_EQ(p.tracked_days, 7);
}

TEST(Pattern, WindowsOf28And90DaysEndToday) {
  const std::vector<Dose> doses{dose(utc(2025, 10, 12, 8, 0)), dose(utc(2025, 10, 11, 8, 0)),
                                dose(utc(2025, 12, 13, 8, 0)), dose(utc(2025, 12, 12, 8, 0))};
  const Pattern month = analyse_pattern(doses, kNoProducts, kNow, options(28));
  EXPECT_EQ(month.first_day, day(2025, 12, 13));
  EXPECT_EQ(month.per_day.size(), 28u);
  EXPECT_EQ(month.dose_count, 1);
  const Pattern quarter = analyse_pattern(doses, kNoProducts, kNow, options(90));
  EXPECT_EQ(quarter.first_day, day(2025, 10, 12));
  EXPECT_EQ(quarter.per_day.size(), 90u);
  EXPECT_EQ(quarter.dose_count, 3);
  EXPECT_DOUBLE_EQ(quarter.doses_per_day, 3.0 / 90.0);
  EXPECT_EQ(quarter.tracked_days, 90);
}

TEST(Pattern, WindowLengthIsClamped) {
  EXPECT_EQ(analyse_pattern({}, kNoProducts, kNow, options(0)).days, 1);
  EXPECT_EQ(analyse_pattern({}, kNoProducts, kNow, options(-5)).per_day.size(), 1u);
  EXPECT_EQ(analyse_pattern({}, kNoProducts, kNow, options(1'000'000)).days, kMaxPatternDays);
}

TEST(Pattern, TodayIsReadInTheOptionsZoneAndUtcWhenNoneIsGiven) {
  // At 2026-01-10T05:00Z it is 06:00 on the 10th in Berlin and 05:00 in UTC (both past the
  // 04:00 day start), but 00:00 on the 10th in New York, still journal day 9 January.
  const Instant now = utc(2026, 1, 10, 5, 0);
  EXPECT_EQ(analyse_pattern({}, kNoProducts, now, options(7, "Europe/Berlin")).last_day,
            day(2026, 1, 10));
  EXPECT_EQ(analyse_pattern({}, kNoProducts, now, options(7, "America/New_York")).last_day,
            day(2026, 1, 9));
  PatternOptions no_zone;
  EXPECT_EQ(analyse_pattern({}, kNoProducts, now, no_zone).last_day, day(2026, 1, 10));
}

TEST(Pattern, DoseLoggedInAnotherZoneUsesThatZone) {
  // The person lives in Berlin but took a dose at 23:30 in New York on the 8th
  // (2026-01-09T04:30Z, which would be 05:30 on the 9th in Berlin).
  const std::vector<Dose> doses{dose(utc(2026, 1, 9, 4, 30), grams(1), "America/New_York"),
                                dose(utc(2026, 1, 9, 12, 0), grams(1), "Europe/Berlin")};
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7, "Europe/Berlin"));
  EXPECT_EQ(p.per_day[5].day, day(2026, 1, 8));
  EXPECT_EQ(p.per_day[5].doses, 1);
  EXPECT_EQ(p.per_day[5].first_dose_minute, 23 * 60 + 30);
  EXPECT_EQ(p.per_day[6].doses, 1);
  EXPECT_EQ(p.per_day[6].first_dose_minute, 13 * 60);
  EXPECT_EQ(p.night_doses, 0);
  EXPECT_EQ(p.interval_count, 1);
  EXPECT_EQ(p.waking_interval_count, 0);
}

TEST(Pattern, DoseWithAnEmptyOrUnknownZoneFallsBackToTheOptionsZone) {
  const std::vector<Dose> doses{dose(utc(2026, 1, 9, 2, 30), grams(1), ""),
                                dose(utc(2026, 1, 9, 3, 30), grams(1), "Mars/Olympus")};
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7, "Europe/Berlin"));
  // 03:30 CET belongs to the 8th, 04:30 CET to the 9th.
  EXPECT_EQ(p.per_day[5].doses, 1);
  EXPECT_EQ(p.per_day[5].first_dose_minute, 3 * 60 + 30);
  EXPECT_EQ(p.per_day[6].doses, 1);
  EXPECT_EQ(p.night_doses, 2);
}

TEST(Pattern, NewYorkSpringForwardDayHasTwentyThreeHours) {
  // Journal day 7 March 2026 runs from 04:00 EST (09:00Z) to 04:00 EDT on the 8th (08:00Z).
  const Instant now = utc(2026, 3, 8, 20, 0);
  const std::vector<Dose> doses{
      dose(utc(2026, 3, 7, 9, 0), grams(1), "America/New_York"),   // 04:00 EST, 7th.
      dose(utc(2026, 3, 8, 7, 59), grams(1), "America/New_York"),  // 03:59 EDT, still the 7th.
      dose(utc(2026, 3, 8, 8, 0), grams(1), "America/New_York"),   // 04:00 EDT, the 8th.
  };
  const Pattern p = analyse_pattern(doses, kNoProducts, now, options(7, "America/New_York"));
  EXPECT_EQ(p.per_day[5].day, day(2026, 3, 7));
  EXPECT_EQ(p.per_day[5].doses, 2);
  EXPECT_EQ(p.per_day[6].doses, 1);
  // The waking interval within the 7th is 22 h 59 min of real time, not 23 h 59 min.
  EXPECT_DOUBLE_EQ(*p.median_waking_interval_hours, 22.0 + 59.0 / 60.0);
  EXPECT_EQ(p.per_day[5].first_dose_minute, 4 * 60);
  EXPECT_EQ(p.per_day[6].first_dose_minute, 4 * 60);
  EXPECT_EQ(p.night_doses, 3);  // 04:00 EST, 03:59 EDT and 04:00 EDT are all before 05:00.
}

TEST(Pattern, BerlinFallBackDayHasTwentyFiveHours) {
  // Journal day 24 October 2026 runs from 04:00 CEST (02:00Z) to 04:00 CET on the 25th (03:00Z).
  const Instant now = utc(2026, 10, 25, 20, 0);
  const std::vector<Dose> doses{
      dose(utc(2026, 10, 24, 2, 0), grams(1), "Europe/Berlin"),   // 04:00 CEST, 24th.
      dose(utc(2026, 10, 25, 0, 30), grams(1), "Europe/Berlin"),  // 02:30 CEST, 24th.
      dose(utc(2026, 10, 25, 1, 30), grams(1), "Europe/Berlin"),  // 02:30 CET, 24th.
      dose(utc(2026, 10, 25, 3, 0), grams(1), "Europe/Berlin"),   // 04:00 CET, 25th.
  };
  const Pattern p = analyse_pattern(doses, kNoProducts, now, options(7, "Europe/Berlin"));
  EXPECT_EQ(p.per_day[5].day, day(2026, 10, 24));
  EXPECT_EQ(p.per_day[5].doses, 3);
  EXPECT_EQ(p.per_day[6].doses, 1);
  // The two passes through 02:30 are one real hour apart.
  EXPECT_EQ(p.shortest_interval_hours, 1.0);
  EXPECT_EQ(p.longest_waking_interval_hours, 22.5);
  EXPECT_EQ(p.night_doses, 4);
}

TEST(Pattern, AmountPerDayConvertsUnitsAndCountsUnknownMasses) {
  const std::map<std::string, ProductWeights> products{
      {"Green Malay", ProductWeights{500 * kMicro, std::nullopt}},  // 500 mg per capsule.
      {"Red Bali", ProductWeights{std::nullopt, 2'500 * kMicro}},   // 2.5 g per teaspoon.
  };
  const std::vector<Dose> doses{
      dose(utc(2026, 1, 9, 8, 0), {2'500'000, Unit::gram}),                             // 2.5 g
      dose(utc(2026, 1, 9, 9, 0), {750 * kMicro, Unit::milligram}),                     // 0.75 g
      dose(utc(2026, 1, 9, 10, 0), {4 * kMicro, Unit::capsule}, "UTC", "Green Malay"),  // 2 g
      dose(utc(2026, 1, 8, 10, 0), {kMicro, Unit::teaspoon}, "UTC", "Red Bali"),        // 2.5 g
      dose(utc(2026, 1, 8, 11, 0), {2 * kMicro, Unit::capsule}, "UTC",
           "Red Bali"),  // No caps weight.
      dose(utc(2026, 1, 8, 12, 0), {2 * kMicro, Unit::capsule}, "UTC", "Unknown"),
      dose(utc(2026, 1, 8, 13, 0), {15 * kMicro, Unit::millilitre}),  // Never known.
  };
  const Pattern p = analyse_pattern(doses, products, kNow, options(7));
  EXPECT_EQ(p.per_day[6].mass_micrograms, 5'250'000);
  EXPECT_EQ(p.per_day[6].doses_without_known_mass, 0);
  EXPECT_EQ(p.per_day[5].mass_micrograms, 2'500'000);
  EXPECT_EQ(p.per_day[5].doses_without_known_mass, 3);
  EXPECT_EQ(p.total_mass_micrograms, 7'750'000);
  EXPECT_EQ(p.amount_per_day_micrograms, 1'107'143);  // 7.75 g / 7 = 1.1071428… g.
  EXPECT_EQ(p.doses_without_known_mass, 3);
}

// Issue 13, item 3: grams of leaf, grams of extract and milligrams of 7-OH are different
// strengths: each is told in its own unit, never added into one amount, and no amount trend is
// drawn across them.
TEST(Pattern, AmountsAreToldPerFormAndNeverAddedAcrossForms) {
  auto of = [](Dose d, Form form) {
    d.form = form;
    return d;
  };
  std::vector<Dose> doses;
  for (unsigned d = 3; d <= 9; ++d) {
    doses.push_back(of(dose(utc(2026, 1, d, 8, 0), grams(3)), Form::leaf_powder));
    doses.push_back(of(dose(utc(2026, 1, d, 9, 0), {2 * kMicro, Unit::capsule}, "UTC", "Caps"),
                       Form::capsules));  // 2 × 0.5 g of leaf.
    doses.push_back(
        of(dose(utc(2026, 1, d, 14, 0), {15 * kMicro, Unit::milligram}), Form::seven_oh));
  }
  doses.push_back(
      of(dose(utc(2026, 1, 9, 15, 0), {30 * kMicro, Unit::millilitre}), Form::liquid_shot));
  const std::map<std::string, ProductWeights> products{
      {"Caps", ProductWeights{500 * kMicro, std::nullopt}}};
  const Pattern p = analyse_pattern(doses, products, kNow, options(7));
  ASSERT_EQ(p.amounts_by_form.size(), 3u);
  const FormAmount& leaf = p.amounts_by_form[0];
  EXPECT_EQ(leaf.group, StrengthGroup::leaf);
  EXPECT_EQ(leaf.doses, 14);
  EXPECT_EQ(leaf.total_micro, 28 * kMicro);  // 7 × (3 g + 1 g), in grams.
  EXPECT_EQ(leaf.per_day_micro, 4 * kMicro);
  const FormAmount& seven_oh = p.amounts_by_form[1];
  EXPECT_EQ(seven_oh.group, StrengthGroup::seven_oh);
  EXPECT_EQ(seven_oh.total_micro, 105 * kMicro);  // 7 × 15 mg, in milligrams.
  EXPECT_EQ(seven_oh.per_day_micro, 15 * kMicro);
  const FormAmount& shots = p.amounts_by_form[2];
  EXPECT_EQ(shots.group, StrengthGroup::liquid_shot);
  EXPECT_EQ(shots.total_micro, 30 * kMicro);  // Millilitres.
  EXPECT_EQ(shots.doses_without_known_amount, 0);
  EXPECT_EQ(p.per_day[6].form_count(), 3);
  EXPECT_EQ(p.per_day[5].form_count(), 2);
  EXPECT_EQ(p.per_day[6].by_form[static_cast<std::size_t>(StrengthGroup::seven_oh)].total_micro,
            15 * kMicro);
  EXPECT_FALSE(p.amount_trend.enough_data);
  EXPECT_EQ(form_amounts_words(p.amounts_by_form, true),
            "4 g of leaf, 15 mg of 7-OH and 4.29 ml of liquid shots");
}

TEST(Pattern, OneFormKeepsItsAmountTrendAndIsToldInItsOwnUnit) {
  std::vector<Dose> doses;
  for (unsigned d = 3; d <= 9; ++d) {
    Dose one = dose(utc(2026, 1, d, 8, 0), {(10 + d) * kMicro, Unit::milligram});
    one.form = Form::seven_oh;
    doses.push_back(one);
  }
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  ASSERT_EQ(p.amounts_by_form.size(), 1u);
  EXPECT_TRUE(p.amount_trend.enough_data);
  EXPECT_EQ(form_amounts_words(p.amounts_by_form, true), "16 mg");
}

// A day's total of doses under 0.005 g was written to two decimal places: "Today 2 doses, 0 g".
TEST(Pattern, BugATotalUnderFiveThousandthsOfAGramReadZero) {
  const std::vector<Dose> doses{dose(utc(2026, 1, 9, 8, 0), {400, Unit::gram}),
                                dose(utc(2026, 1, 9, 9, 0), {1, Unit::gram})};
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  ASSERT_EQ(p.amounts_by_form.size(), 1u);
  EXPECT_EQ(form_amounts_words(p.amounts_by_form, false), "0.000401 g");
}

// --- Trends -------------------------------------------------------------------------------

// Doses on 3..9 January (the whole 7-day window) from a table of per-day times (UTC hours).
std::vector<Dose> week(const std::vector<std::vector<double>>& hours_per_day,
                       const std::vector<std::int64_t>& grams_per_dose = {}) {
  std::vector<Dose> doses;
  for (std::size_t i = 0; i < hours_per_day.size(); ++i) {
    for (double h : hours_per_day[i]) {
      const std::int64_t g = grams_per_dose.empty() ? 1 : grams_per_dose[i];
      doses.push_back(
          dose(utc(2026, 1, 3 + static_cast<unsigned>(i), 0, 0) + minutes{std::lround(h * 60)},
               grams(g)));
    }
  }
  return doses;
}

TEST(Pattern, RisingDosesPerDayIsConcerning) {
  const auto doses = week({{8},
                           {8, 9},
                           {8, 9, 10},
                           {8, 9, 10, 11},
                           {8, 9, 10, 11, 12},
                           {8, 9, 10, 11, 12, 13},
                           {8, 9, 10, 11, 12, 13, 14}});
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_TRUE(p.frequency_trend.enough_data);
  EXPECT_EQ(p.frequency_trend.per_week, 7.0);  // One more dose a day, every day.
  EXPECT_TRUE(p.frequency_trend.concerning);
  // Each dose is 1 g, so the amount rises with the frequency.
  EXPECT_EQ(p.amount_trend.per_week, 7.0);
  EXPECT_TRUE(p.amount_trend.concerning);
}

TEST(Pattern, SteadyDosesPerDayIsNotConcerning) {
  const auto doses = week({{8, 12}, {8, 12}, {8, 12}, {8, 12}, {8, 12}, {8, 12}, {8, 12}});
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_TRUE(p.frequency_trend.enough_data);
  EXPECT_EQ(p.frequency_trend.per_week, 0.0);
  EXPECT_FALSE(p.frequency_trend.concerning);
  EXPECT_EQ(p.interval_trend.per_week, 0.0);
  EXPECT_FALSE(p.interval_trend.concerning);
  EXPECT_EQ(p.first_dose_trend.per_week, 0.0);
  EXPECT_FALSE(p.first_dose_trend.concerning);
  EXPECT_EQ(p.amount_trend.per_week, 0.0);
  EXPECT_FALSE(p.amount_trend.concerning);
}

TEST(Pattern, FallingDosesPerDayIsNotConcerning) {
  const auto doses =
      week({{8, 10, 12, 14}, {8, 10, 12, 14}, {8, 11, 14}, {8, 11, 14}, {8, 14}, {8, 14}, {8}});
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_LT(p.frequency_trend.per_week, 0.0);
  EXPECT_FALSE(p.frequency_trend.concerning);
  EXPECT_FALSE(p.amount_trend.concerning);
  EXPECT_GT(p.interval_trend.per_week, 0.0);  // Stretching the interval: good.
  EXPECT_FALSE(p.interval_trend.concerning);
}

TEST(Pattern, DosesGettingCloserTogetherIsConcerning) {
  // Two doses a day, 6 h apart on the first day and 30 min closer every day after.
  const auto doses = week({{8, 14}, {8, 13.5}, {8, 13}, {8, 12.5}, {8, 12}, {8, 11.5}, {8, 11}});
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_TRUE(p.interval_trend.enough_data);
  EXPECT_EQ(p.interval_trend.per_week, -3.5);
  EXPECT_TRUE(p.interval_trend.concerning);
  EXPECT_FALSE(p.frequency_trend.concerning);
}

TEST(Pattern, IntervalTrendIsConcerningFromHalfAnHourAWeek) {
  // 5 min closer every day is −35 min a week: past the −0.5 h/week threshold. 4 min is not.
  const auto doses = week({{8, 14},
                           {8, 14 - 5.0 / 60},
                           {8, 14 - 10.0 / 60},
                           {8, 14 - 15.0 / 60},
                           {8, 14 - 20.0 / 60},
                           {8, 14 - 25.0 / 60},
                           {8, 14 - 30.0 / 60}});
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_DOUBLE_EQ(p.interval_trend.per_week, -35.0 / 60.0);
  EXPECT_TRUE(p.interval_trend.concerning);  // −0.583 h/week is past −0.5.
  const auto slower = week({{8, 14},
                            {8, 14 - 4.0 / 60},
                            {8, 14 - 8.0 / 60},
                            {8, 14 - 12.0 / 60},
                            {8, 14 - 16.0 / 60},
                            {8, 14 - 20.0 / 60},
                            {8, 14 - 24.0 / 60}});
  const Pattern q = analyse_pattern(slower, kNoProducts, kNow, options(7));
  EXPECT_DOUBLE_EQ(q.interval_trend.per_week, -28.0 / 60.0);
  EXPECT_FALSE(q.interval_trend.concerning);
}

TEST(Pattern, FirstDoseGettingEarlierIsConcerning) {
  // First dose 10 min earlier every day: −70 min a week.
  const auto doses = week(
      {{10}, {10 - 10.0 / 60}, {10 - 20.0 / 60}, {9.5}, {10 - 40.0 / 60}, {10 - 50.0 / 60}, {9}});
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_TRUE(p.first_dose_trend.enough_data);
  EXPECT_EQ(p.first_dose_trend.per_week, -70.0);
  EXPECT_TRUE(p.first_dose_trend.concerning);
}

TEST(Pattern, FirstDoseGettingLaterIsNotConcerning) {
  const auto doses = week({{9}, {9.5}, {10}, {10.5}, {11}, {11.5}, {12}});
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_EQ(p.first_dose_trend.per_week, 210.0);
  EXPECT_FALSE(p.first_dose_trend.concerning);
}

TEST(Pattern, AmountRisingByAtLeastATenthOfTheMeanDayIsConcerning) {
  // One dose a day: 4, 4, 4, 5, 5, 5, 5 g. Mean 32/7 g; slope 0.214… g/day = 1.5 g/week.
  const auto rising = week({{8}, {8}, {8}, {8}, {8}, {8}, {8}}, {4, 4, 4, 5, 5, 5, 5});
  const Pattern p = analyse_pattern(rising, kNoProducts, kNow, options(7));
  EXPECT_TRUE(p.amount_trend.enough_data);
  EXPECT_DOUBLE_EQ(p.amount_trend.per_week, 1.5);
  EXPECT_TRUE(p.amount_trend.concerning);
  EXPECT_FALSE(p.frequency_trend.concerning);
  // 10, 10, 10, 10, 10, 10, 11 g: slope 0.75 g/week is below a tenth of ~10.1 g.
  const auto slight = week({{8}, {8}, {8}, {8}, {8}, {8}, {8}}, {10, 10, 10, 10, 10, 10, 11});
  const Pattern q = analyse_pattern(slight, kNoProducts, kNow, options(7));
  EXPECT_DOUBLE_EQ(q.amount_trend.per_week, 0.75);
  EXPECT_FALSE(q.amount_trend.concerning);
}

TEST(Pattern, AmountTrendSkipsDaysWithUnknownMasses) {
  auto doses = week({{8}, {8}, {8}, {8}, {8}, {8}, {8}}, {2, 2, 2, 2, 2, 2, 2});
  doses[6].amount = {30 * kMicro, Unit::millilitre};  // Today's mass is unknown.
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_TRUE(p.amount_trend.enough_data);
  EXPECT_EQ(p.amount_trend.per_week, 0.0);
  EXPECT_FALSE(p.amount_trend.concerning);
}

TEST(Pattern, TrendsNeedSevenTrackedDays) {
  // The journal began six days ago: rising frequency, but too little data to call it.
  const auto doses = week(
      {{}, {8}, {8, 9}, {8, 9, 10}, {8, 9, 10, 11}, {8, 9, 10, 11, 12}, {8, 9, 10, 11, 12, 13}});
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_EQ(p.tracked_days, 6);
  EXPECT_FALSE(p.frequency_trend.enough_data);
  EXPECT_FALSE(p.frequency_trend.concerning);
  EXPECT_EQ(p.frequency_trend.per_week, 0.0);
  // In a 28-day window the days before the journal began are not counted as zero-dose days.
  const Pattern month = analyse_pattern(doses, kNoProducts, kNow, options(28));
  EXPECT_EQ(month.tracked_days, 6);
  EXPECT_FALSE(month.frequency_trend.enough_data);
}

TEST(Pattern, JournalStartFromTheCallerOverridesTheEarliestDosePassed) {
  // The caller passes only the window, but the journal began months ago: the empty first day
  // is a real day without doses, so all seven days are tracked and the rise is concerning.
  const auto doses = week(
      {{}, {8}, {8, 9}, {8, 9, 10}, {8, 9, 10, 11}, {8, 9, 10, 11, 12}, {8, 9, 10, 11, 12, 13}});
  PatternOptions o = options(7);
  o.journal_start = utc(2025, 6, 1, 8, 0);
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, o);
  EXPECT_EQ(p.tracked_days, 7);
  EXPECT_TRUE(p.frequency_trend.enough_data);
  EXPECT_EQ(p.frequency_trend.per_week, 7.0);
  EXPECT_TRUE(p.frequency_trend.concerning);
  // A journal that began yesterday tracks two days, whatever the doses say.
  o.journal_start = utc(2026, 1, 8, 12, 0);
  EXPECT_EQ(analyse_pattern(doses, kNoProducts, kNow, o).tracked_days, 2);
}

TEST(Pattern, IntervalTrendNeedsFourDaysWithTwoDoses) {
  const auto doses = week({{8, 14}, {8}, {8, 13}, {8}, {8, 12}, {8}, {8}});
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  EXPECT_FALSE(p.interval_trend.enough_data);
  EXPECT_FALSE(p.interval_trend.concerning);
  EXPECT_TRUE(p.first_dose_trend.enough_data);
}

// --- Properties ---------------------------------------------------------------------------

#ifdef MITRA_HAVE_RAPIDCHECK

std::vector<Dose> random_journal(const std::vector<std::pair<int, int>>& offsets) {
  // Each pair: minutes before now (0..40 days) and a zone choice.
  static const char* const kZones[] = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"};
  std::vector<Dose> doses;
  for (const auto& [minutes_before, z] : offsets) {
    doses.push_back(dose(kNow - minutes{minutes_before}, grams(1), kZones[z]));
  }
  return doses;
}

RC_GTEST_PROP(PatternProperty, DoseCountIsTheSumOfPerDayDoses, ()) {
  const auto offsets = *rc::gen::container<std::vector<std::pair<int, int>>>(
      rc::gen::pair(rc::gen::inRange(0, 40 * 24 * 60), rc::gen::inRange(0, 4)));
  const int days = *rc::gen::element(1, 7, 28, 90);
  const auto doses = random_journal(offsets);
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(days, "Europe/Berlin"));
  int sum = 0;
  for (const auto& d : p.per_day) sum += d.doses;
  RC_ASSERT(static_cast<int>(p.per_day.size()) == days);
  RC_ASSERT(sum == p.dose_count);
  RC_ASSERT(p.total_mass_micrograms == p.dose_count * kMicro);
  RC_ASSERT(p.interval_count == std::max(0, p.dose_count - 1));
  RC_ASSERT(p.night_doses <= p.dose_count);
  RC_ASSERT(p.days_with_doses <= days);
}

RC_GTEST_PROP(PatternProperty, ShortestIsAtMostMedianIsAtMostLongest, ()) {
  const auto offsets = *rc::gen::container<std::vector<std::pair<int, int>>>(
      rc::gen::pair(rc::gen::inRange(0, 8 * 24 * 60), rc::gen::inRange(0, 4)));
  const auto doses = random_journal(offsets);
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7, "America/New_York"));
  RC_ASSERT(p.median_interval_hours.has_value() == (p.dose_count >= 2));
  if (p.median_interval_hours) {
    RC_ASSERT(*p.shortest_interval_hours <= *p.median_interval_hours);
    RC_ASSERT(*p.median_interval_hours <= *p.longest_interval_hours);
    RC_ASSERT(*p.interval_spread_hours >= 0.0);
    RC_ASSERT(*p.interval_spread_hours <= *p.longest_interval_hours - *p.shortest_interval_hours);
  }
  if (p.median_waking_interval_hours) {
    RC_ASSERT(*p.shortest_waking_interval_hours <= *p.median_waking_interval_hours);
    RC_ASSERT(*p.median_waking_interval_hours <= *p.longest_waking_interval_hours);
    RC_ASSERT(*p.shortest_interval_hours <= *p.shortest_waking_interval_hours);
  }
}

// The type-7 quantile of sorted seconds, in hours, computed the textbook way.
double reference_quantile_hours(const std::vector<std::int64_t>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto k = static_cast<std::size_t>(h);
  const double below = static_cast<double>(sorted[k]);
  const double value =
      k + 1 < sorted.size()
          ? below + (h - static_cast<double>(k)) * static_cast<double>(sorted[k + 1] - sorted[k])
          : below;
  return value / 3600.0;
}

RC_GTEST_PROP(PatternProperty, IntervalQuartilesMatchASortedReference, ()) {
  // Doses anywhere from the start of the 7-day window (3 January 04:00 UTC) up to now.
  const auto offsets = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 9600 * 60));
  std::vector<Dose> doses;
  std::vector<std::int64_t> instants;
  for (int s : offsets) {
    doses.push_back(dose(utc(2026, 1, 3, 4, 0) + std::chrono::seconds{s}));
    instants.push_back(s);
  }
  const Pattern p = analyse_pattern(doses, kNoProducts, kNow, options(7));
  RC_ASSERT(p.dose_count == static_cast<int>(doses.size()));
  std::sort(instants.begin(), instants.end());
  std::vector<std::int64_t> gaps;
  for (std::size_t i = 1; i < instants.size(); ++i) gaps.push_back(instants[i] - instants[i - 1]);
  std::sort(gaps.begin(), gaps.end());
  if (gaps.empty()) {
    RC_ASSERT(!p.median_interval_hours);
    return;
  }
  RC_ASSERT(*p.shortest_interval_hours == static_cast<double>(gaps.front()) / 3600.0);
  RC_ASSERT(*p.longest_interval_hours == static_cast<double>(gaps.back()) / 3600.0);
  RC_ASSERT(*p.median_interval_hours == reference_quantile_hours(gaps, 0.5));
  const double spread = reference_quantile_hours(gaps, 0.75) - reference_quantile_hours(gaps, 0.25);
  RC_ASSERT(std::abs(*p.interval_spread_hours - spread) < 1e-9);
}

RC_GTEST_PROP(PatternProperty, InputOrderDoesNotMatter, ()) {
  const auto offsets = *rc::gen::container<std::vector<std::pair<int, int>>>(
      rc::gen::pair(rc::gen::inRange(0, 10 * 24 * 60), rc::gen::inRange(0, 4)));
  auto doses = random_journal(offsets);
  const Pattern a = analyse_pattern(doses, kNoProducts, kNow, options(7, "Europe/Berlin"));
  std::reverse(doses.begin(), doses.end());
  const Pattern b = analyse_pattern(doses, kNoProducts, kNow, options(7, "Europe/Berlin"));
  RC_ASSERT(a.dose_count == b.dose_count);
  RC_ASSERT(a.median_interval_hours == b.median_interval_hours);
  RC_ASSERT(a.interval_spread_hours == b.interval_spread_hours);
  RC_ASSERT(a.median_waking_interval_hours == b.median_waking_interval_hours);
  RC_ASSERT(a.median_first_dose_minute == b.median_first_dose_minute);
  RC_ASSERT(a.night_doses == b.night_doses);
}

#endif

}  // namespace
}  // namespace mitra::core
