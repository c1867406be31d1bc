#include "core/withdrawal.hpp"
#include "app/zones.hpp"

#include <gtest/gtest.h>

#include "views/withdrawal.hpp"

namespace mitra::core {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

// The withdrawal document (views/withdrawal.hpp), times shown in UTC.
nlohmann::json document(const WithdrawalStatus& s) {
  return views::withdrawal_json(s, find_zone(mitra::app::system_zones(), "UTC").value());
}

Instant at(const char* iso) {
  return parse_time(iso, Instant{seconds{2'000'000'000}},
                    find_zone(mitra::app::system_zones(), "UTC").value())
      .value();
}

WithdrawalStatus status(Instant last, Instant now, double per_day = 4.0,
                        std::optional<double> years = std::nullopt,
                        std::vector<SowsCheck> sows = {}) {
  auto s = withdrawal_status(WithdrawalInput{last, now, per_day, years, std::move(sows)});
  EXPECT_TRUE(s) << s.error().message;
  return *s;
}

TEST(Withdrawal, PhaseAtAndAroundEveryBoundary) {
  const std::vector<std::pair<seconds, WithdrawalPhase>> cases = {
      {seconds{0}, WithdrawalPhase::before_onset},
      {hours{12} - seconds{1}, WithdrawalPhase::before_onset},
      {hours{12}, WithdrawalPhase::onset},
      {hours{24} - seconds{1}, WithdrawalPhase::onset},
      {hours{24}, WithdrawalPhase::peak},
      {hours{72} - seconds{1}, WithdrawalPhase::peak},
      {hours{72}, WithdrawalPhase::easing},
      {hours{168} - seconds{1}, WithdrawalPhase::easing},
      {hours{168}, WithdrawalPhase::lingering},
      {hours{504} - seconds{1}, WithdrawalPhase::lingering},
      {hours{504}, WithdrawalPhase::resolved},
      {hours{24 * 365}, WithdrawalPhase::resolved},
  };
  for (const auto& [elapsed, phase] : cases) {
    EXPECT_EQ(to_string(phase_at(elapsed)), std::string(to_string(phase))) << elapsed.count();
  }
}

TEST(Withdrawal, ReportsHoursNextPhaseAndWhenItStarts) {
  const auto s = status(at("2026-01-10T08:00:00Z"), at("2026-01-11T02:30:00Z"));
  EXPECT_EQ(s.phase, WithdrawalPhase::onset);
  EXPECT_DOUBLE_EQ(s.hours_since_last_dose, 18.5);
  ASSERT_TRUE(s.next_phase);
  EXPECT_EQ(*s.next_phase, WithdrawalPhase::peak);
  EXPECT_EQ(format_utc(*s.next_phase_at), "2026-01-11T08:00:00Z");
  const auto j = document(s);
  EXPECT_EQ(j.at("last_dose_at"), "2026-01-10T08:00:00Z");
  EXPECT_EQ(j.at("hours_since_last_dose"), 18.5);
  EXPECT_EQ(j.at("phase"), "onset");
  EXPECT_EQ(j.at("next_phase"), "peak");
  EXPECT_EQ(j.at("next_phase_at"), "2026-01-11T08:00:00Z");
  EXPECT_EQ(j.at("timing"), "roughly 12 to 24 hours after the last dose");
  EXPECT_EQ(j.at("red_flags").size(), 3u);
}

TEST(Withdrawal, ResolvedHasNoNextPhase) {
  const auto s = status(at("2026-01-01T08:00:00Z"), at("2026-01-22T08:00:00Z"));
  EXPECT_EQ(s.phase, WithdrawalPhase::resolved);
  EXPECT_FALSE(s.next_phase);
  EXPECT_FALSE(s.next_phase_at);
  EXPECT_EQ(document(s).at("next_phase_at"), nullptr);
}

TEST(Withdrawal, SpringForwardDoesNotMoveOnset) {
  // Given a last dose at 22:00 in New York the evening before clocks go forward,
  // 12 real hours later is 11:00 local (13 wall-clock hours): onset begins then, not at 10:00.
  const auto* ny = find_zone(mitra::app::system_zones(), "America/New_York").value();
  const Instant now0 = at("2026-03-10T00:00:00Z");
  const Instant last = parse_time("2026-03-07T22:00", now0, ny).value();
  EXPECT_EQ(status(last, parse_time("2026-03-08T10:59:59", now0, ny).value()).phase,
            WithdrawalPhase::before_onset);
  const auto s = status(last, parse_time("2026-03-08T11:00", now0, ny).value());
  EXPECT_EQ(s.phase, WithdrawalPhase::onset);
  EXPECT_DOUBLE_EQ(s.hours_since_last_dose, 12.0);
  EXPECT_EQ(format_local(*s.next_phase_at, ny), "2026-03-08T23:00:00-04:00");
}

TEST(Withdrawal, FallBackDoesNotMovePeak) {
  // Given a last dose at 22:00 the evening before clocks go back, 24 real hours later is
  // 21:00 local on the next day (23 wall-clock hours).
  const auto* ny = find_zone(mitra::app::system_zones(), "America/New_York").value();
  const Instant now0 = at("2026-11-05T00:00:00Z");
  const Instant last = parse_time("2026-10-31T22:00", now0, ny).value();
  EXPECT_EQ(status(last, parse_time("2026-11-01T20:59", now0, ny).value()).phase,
            WithdrawalPhase::onset);
  const auto s = status(last, parse_time("2026-11-01T21:00", now0, ny).value());
  EXPECT_EQ(s.phase, WithdrawalPhase::peak);
  EXPECT_EQ(format_local(*s.next_phase_at, ny), "2026-11-03T21:00:00-05:00");
}

TEST(Withdrawal, FrequentDosingAndLongUseMeanAHarderCourse) {
  const Instant last = at("2026-01-10T08:00:00Z");
  const Instant now = at("2026-01-11T08:00:00Z");
  EXPECT_EQ(status(last, now, 2.9, 0.5).harder_because, std::vector<std::string>{});
  EXPECT_EQ(status(last, now, 3.0, 0.5).harder_because,
            std::vector<std::string>{"frequent_dosing"});
  EXPECT_EQ(status(last, now, 1.0, 1.0).harder_because, std::vector<std::string>{"long_use"});
  const auto both = status(last, now, 5.0, 4.0);
  EXPECT_EQ(both.harder_because, (std::vector<std::string>{"frequent_dosing", "long_use"}));
  EXPECT_TRUE(document(both).contains("harder_course"));
  EXPECT_FALSE(document(status(last, now, 1.0)).contains("harder_course"));
}

TEST(Withdrawal, OccasionalUseIsNoted) {
  const Instant last = at("2026-01-10T08:00:00Z");
  const Instant now = at("2026-01-11T08:00:00Z");
  EXPECT_TRUE(status(last, now, 0.5).occasional_use);
  EXPECT_FALSE(status(last, now, 1.0).occasional_use);
}

TEST(Withdrawal, ComparesSowsWithTheExpectedRangeOfEachPhase) {
  // Given check-ins in onset (in line), peak (higher than 30) and easing (lower is impossible
  // there, so in line), expect each compared against the phase it was taken in.
  const Instant last = at("2026-01-10T08:00:00Z");
  const auto s = status(last, at("2026-01-14T08:00:00Z"), 4.0, std::nullopt,
                        {{at("2026-01-12T08:00:00Z"), 34},
                         {at("2026-01-10T22:00:00Z"), 12},
                         {at("2026-01-13T09:00:00Z"), 3},
                         {at("2026-01-09T08:00:00Z"), 60}});  // Before the last dose: ignored.
  ASSERT_EQ(s.sows.size(), 3u);
  EXPECT_EQ(s.sows[0].phase, WithdrawalPhase::onset);
  EXPECT_EQ(s.sows[0].comparison, Comparison::in_line);
  EXPECT_EQ(s.sows[1].phase, WithdrawalPhase::peak);
  EXPECT_EQ(s.sows[1].comparison, Comparison::higher);
  EXPECT_EQ(s.sows[2].phase, WithdrawalPhase::easing);
  EXPECT_EQ(s.sows[2].comparison, Comparison::in_line);
  EXPECT_EQ(*s.latest, Comparison::in_line);
  EXPECT_EQ(*s.trend, SowsTrend::falling);
}

TEST(Withdrawal, SowsBelowThePeakRangeIsLowerAndASmallChangeIsSteady) {
  const Instant last = at("2026-01-10T08:00:00Z");
  const auto s = status(last, at("2026-01-12T20:00:00Z"), 4.0, std::nullopt,
                        {{at("2026-01-11T09:00:00Z"), 0}, {at("2026-01-12T09:00:00Z"), 4}});
  EXPECT_EQ(*s.latest, Comparison::lower);
  EXPECT_EQ(*s.trend, SowsTrend::steady);
  EXPECT_EQ(document(s).at("sows").at("latest"), "lower");
}

TEST(Withdrawal, RisingByTheMeaningfulChangeIsRisingAndHighLingeringIsHigher) {
  const Instant last = at("2026-01-01T08:00:00Z");
  const auto s = status(last, at("2026-01-12T08:00:00Z"), 4.0, std::nullopt,
                        {{at("2026-01-10T08:00:00Z"), 5}, {at("2026-01-11T08:00:00Z"), 11}});
  EXPECT_EQ(s.sows.back().phase, WithdrawalPhase::lingering);
  EXPECT_EQ(*s.latest, Comparison::higher);
  EXPECT_EQ(*s.trend, SowsTrend::rising);
}

TEST(Withdrawal, NoCheckInsMeansNoComparison) {
  const auto s = status(at("2026-01-10T08:00:00Z"), at("2026-01-11T08:00:00Z"));
  EXPECT_FALSE(s.latest);
  EXPECT_FALSE(document(s).contains("sows"));
}

TEST(Withdrawal, RefusesALastDoseAfterNowAndBadInputs) {
  auto s = withdrawal_status(
      WithdrawalInput{at("2026-01-11T08:00:00Z"), at("2026-01-10T08:00:00Z"), 1.0, {}, {}});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().field, "last_dose");
  EXPECT_EQ(s.error().message,
            "The last dose (2026-01-11T08:00:00Z) is after now (2026-01-10T08:00:00Z); give a "
            "last dose at or before now (a clock up to 5 minutes fast is allowed).");
  EXPECT_EQ(
      withdrawal_status(
          WithdrawalInput{at("2026-01-10T08:00:00Z"), at("2026-01-11T08:00:00Z"), -1.0, {}, {}})
          .error()
          .field,
      "doses_per_day");
  EXPECT_EQ(withdrawal_status(WithdrawalInput{at("2026-01-10T08:00:00Z"),
                                              at("2026-01-11T08:00:00Z"),
                                              1.0,
                                              {},
                                              {{at("2026-01-10T09:00:00Z"), 65}}})
                .error()
                .message,
            "A SOWS total of 65 is out of range; totals run from 0 to 64.");
}

TEST(Withdrawal, EveryPhaseHasGuideTextInRangesWithSources) {
  for (int i = 0; i <= static_cast<int>(WithdrawalPhase::resolved); ++i) {
    const auto phase = static_cast<WithdrawalPhase>(i);
    const auto& guide = phase_guide(phase);
    EXPECT_EQ(guide.phase, phase);
    EXPECT_FALSE(guide.timing.empty());
    EXPECT_FALSE(guide.what_helps.empty());
    EXPECT_FALSE(guide.sources.empty());
    EXPECT_EQ(parse_phase(to_string(phase)).value(), phase);
  }
}

}  // namespace
}  // namespace mitra::core
