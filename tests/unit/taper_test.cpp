#include "core/taper.hpp"
#include "app/zones.hpp"

#include <gtest/gtest.h>

#include <map>
#include <vector>

namespace mitra::core {
namespace {

using date::March;
using date::November;
using std::chrono::hours;
using std::chrono::minutes;

constexpr Day kToday = date::sys_days{date::year{2026} / March / 20};

Amount grams(double g) { return Amount{static_cast<std::int64_t>(g * 1e6 + 0.5), Unit::gram}; }

TaperInputs inputs_for(int doses, int interval_hours, double grams_per_dose) {
  TaperInputs in;
  in.pattern = DosingPattern{doses, hours{interval_hours}, grams(grams_per_dose)};
  in.goal = {GoalKind::stop, std::nullopt};
  in.pace = Pace::steady;
  in.wake = hours{7};
  in.sleep = hours{23};
  in.resolution = grams(0.1);
  in.start = kToday;
  in.zone = "Europe/Berlin";
  return in;
}

// A compact view of a step: kind, doses a day, interval in minutes, grams per dose (×10).
struct Shape {
  StepKind kind;
  int doses;
  long interval_minutes;
  std::int64_t tenths_per_dose;
  friend bool operator==(const Shape&, const Shape&) = default;
};

std::vector<Shape> shapes(const Plan& plan, std::size_t count) {
  std::vector<Shape> out;
  for (std::size_t i = 0; i < count && i < plan.steps.size(); ++i) {
    const auto& s = plan.steps[i];
    out.push_back({s.kind, s.doses_per_day, static_cast<long>(s.interval.count()),
                   s.amount_per_dose.micro / 100'000});
  }
  return out;
}

void PrintTo(const Shape& s, std::ostream* os) {
  *os << "{" << to_string(s.kind) << ", " << s.doses << ", " << s.interval_minutes << ", "
      << s.tenths_per_dose << "}";
}

TEST(Planner, StretchesIntervalBeforeTrimmingDose) {
  // Given six doses a day every 3 h of 2.5 g, awake 07:00–23:00, steady pace (10 % a week):
  // expect dosing points to go first (3 h → 4 h → 5 h), each by the day's last dose shrinking
  // by at most 10 % of the daily total a step until it is gone, the other doses staying at
  // 2.5 g, and no dose trimmed before that.
  auto plan = make_plan(inputs_for(6, 3, 2.5), kToday, "p1", mitra::app::system_zones());
  ASSERT_TRUE(plan) << plan.error().message;
  const std::vector<Shape> expected = {
      {StepKind::smaller_last_dose, 6, 180, 25},  // last dose 1.0 g: 13.5 g a day
      {StepKind::fewer_doses, 5, 210, 25},        // 12.5 g
      {StepKind::smaller_last_dose, 5, 210, 25},  // last 1.3 g: 11.3 g
      {StepKind::smaller_last_dose, 5, 210, 25},  // last 0.2 g: 10.2 g
      {StepKind::fewer_doses, 4, 270, 25},        // 10 g
  };
  EXPECT_EQ(shapes(*plan, 5), expected);
  EXPECT_EQ(plan->steps[0].last_dose, grams(1.0));
  EXPECT_EQ(plan->steps[0].daily_total, grams(13.5));
  EXPECT_EQ(plan->steps[2].last_dose, grams(1.3));
  EXPECT_EQ(plan->steps[3].daily_total, grams(10.2));
}

// Issue 13, item 4: phase one used to share a dropped dose among the others, making single doses
// up to twice today's (6 × 2.5 g became 5 × 2.7 g, then 2 × 4.8 g).
TEST(Planner, NoSinglePlannedDoseIsLargerThanTheCurrentLargestUsualDose) {
  for (const auto pace : {Pace::slow, Pace::gentle, Pace::steady, Pace::brisk}) {
    for (const auto goal : {GoalKind::stop, GoalKind::reduce}) {
      TaperInputs in = inputs_for(6, 3, 2.5);
      in.pace = pace;
      in.goal = {goal, goal == GoalKind::reduce ? std::optional<Amount>(grams(4.0)) : std::nullopt};
      const auto plan = make_plan(in, kToday, "p1", mitra::app::system_zones()).value();
      for (const auto& step : plan.steps) {
        EXPECT_LE(step.amount_per_dose.micro, grams(2.5).micro) << to_string(pace);
        EXPECT_LE(step.last_dose.micro, step.amount_per_dose.micro) << to_string(pace);
      }
    }
  }
}

TEST(Planner, WithLargerDosesAllowedADroppedDoseIsSharedUpToTwiceTodaysDose) {
  // The person may ask for the old behaviour: part of each dropped dose goes to the others so
  // the daily total falls by at most 10 %, no dose growing past twice today's.
  TaperInputs in = inputs_for(6, 3, 2.5);
  in.allow_larger_doses = true;
  auto plan = make_plan(in, kToday, "p1", mitra::app::system_zones());
  ASSERT_TRUE(plan) << plan.error().message;
  const std::vector<Shape> expected = {
      {StepKind::fewer_doses, 5, 210, 27},    // 13.5 g a day
      {StepKind::fewer_doses, 4, 270, 31},    // 12.4 g
      {StepKind::fewer_doses, 3, 360, 38},    // 11.4 g
      {StepKind::smaller_doses, 3, 360, 35},  // two doses of 5.2 g would pass twice 2.5 g
      {StepKind::fewer_doses, 2, 630, 48},    // 9.6 g
  };
  EXPECT_EQ(shapes(*plan, 5), expected);
  EXPECT_EQ(plan->steps[0].daily_total, grams(13.5));
}

TEST(Planner, TrimsFromTheStartWhenThereIsOneDoseADay) {
  auto plan = make_plan(inputs_for(1, 24, 8.0), kToday, "p1", mitra::app::system_zones());
  ASSERT_TRUE(plan) << plan.error().message;
  const std::vector<Shape> expected = {
      {StepKind::smaller_doses, 1, 1440, 72},
      {StepKind::smaller_doses, 1, 1440, 65},  // 7.2 × 0.9 = 6.48, rounded up to 6.5
      {StepKind::smaller_doses, 1, 1440, 59},
  };
  EXPECT_EQ(shapes(*plan, 3), expected);
}

TEST(Planner, StopPlanStepsToZeroOnceUnderATenthOfTheStart) {
  auto plan = make_plan(inputs_for(1, 24, 8.0), kToday, "p1", mitra::app::system_zones());
  ASSERT_TRUE(plan);
  const auto& steps = plan->steps;
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(steps.back().kind, StepKind::stop);
  EXPECT_EQ(steps.back().daily_total, grams(0));
  EXPECT_EQ(steps.back().doses_per_day, 0);
  // The step before the stop is the first at or under 0.8 g, a tenth of 8 g.
  EXPECT_LE(steps[steps.size() - 2].daily_total.micro, grams(0.8).micro);
  EXPECT_GT(steps[steps.size() - 3].daily_total.micro, grams(0.8).micro);
}

TEST(Planner, TrimsByOneMeasuringUnitWhenTheShareIsSmallerThanThat) {
  // Given one capsule resolution and 3 capsules a day in one dose, 10 % is 0.3 capsule: expect
  // a capsule a step, then the stop.
  TaperInputs in = inputs_for(1, 24, 1.0);
  in.pattern->amount_per_dose = {3 * kMicro, Unit::capsule};
  in.resolution = {kMicro, Unit::capsule};
  auto plan = make_plan(in, kToday, "p1", mitra::app::system_zones());
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->steps.size(), 3u);
  EXPECT_EQ(plan->steps[0].amount_per_dose, (Amount{2 * kMicro, Unit::capsule}));
  EXPECT_EQ(plan->steps[1].amount_per_dose, (Amount{kMicro, Unit::capsule}));
  EXPECT_EQ(plan->steps[2].kind, StepKind::stop);
}

TEST(Planner, StepsLastAsLongAsThePaceSays) {
  auto steady = make_plan(inputs_for(1, 24, 8.0), kToday, "p1", mitra::app::system_zones()).value();
  EXPECT_EQ(steady.steps[0].starts_on, kToday);
  EXPECT_EQ(steady.steps[0].ends_on, kToday + date::days{6});
  EXPECT_EQ(steady.steps[1].starts_on, kToday + date::days{7});
  TaperInputs in = inputs_for(1, 24, 8.0);
  in.pace = Pace::gentle;
  auto gentle = make_plan(in, kToday, "p1", mitra::app::system_zones()).value();
  EXPECT_EQ(gentle.steps[1].starts_on, kToday + date::days{14});
  in.pace = Pace::brisk;
  auto brisk = make_plan(in, kToday, "p1", mitra::app::system_zones()).value();
  EXPECT_EQ(brisk.steps[0].amount_per_dose, grams(6.4));  // 20 % off 8 g.
}

TEST(Planner, ReducePlanEndsAtTheTargetWithDosesNoBiggerThanToday) {
  // Given 6 × 2.5 g and a target of 6 g a day: expect 3 doses of 2.0 g at the end.
  TaperInputs in = inputs_for(6, 3, 2.5);
  in.goal = {GoalKind::reduce, grams(6.0)};
  auto plan = make_plan(in, kToday, "p1", mitra::app::system_zones());
  ASSERT_TRUE(plan) << plan.error().message;
  const auto& last = plan->steps.back();
  EXPECT_EQ(last.doses_per_day, 3);
  EXPECT_EQ(last.amount_per_dose, grams(2.0));
  EXPECT_EQ(last.daily_total, grams(6.0));
  // After the last step a reduce plan keeps it.
  const auto after = step_on(*plan, last.ends_on + date::days{30});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->daily_total, grams(6.0));
}

TEST(Planner, LongTermUseProfileDefaultsToTheMonthlyPace) {
  Profile p;
  EXPECT_EQ(default_pace(p), Pace::steady);
  p.years_of_use = 0.5;
  EXPECT_EQ(default_pace(p), Pace::steady);
  p.years_of_use = 1.0;
  EXPECT_EQ(default_pace(p), Pace::slow);
  EXPECT_EQ(pace_rule(Pace::slow).max_fall_permille, 100);
  EXPECT_EQ(pace_rule(Pace::slow).step_days, 30);
  EXPECT_EQ(parse_pace("slow").value(), Pace::slow);
  EXPECT_EQ(parse_pace("fast").error().message,
            "unknown pace \"fast\"; use slow, gentle, steady or brisk");
}

TEST(Planner, PregnantOrOnOpioidTreatmentInvolvesTheProviderFirstAtTheSlowestPace) {
  Profile p;
  EXPECT_TRUE(involve_provider_notes(p).empty());
  p.pregnant = true;
  EXPECT_EQ(default_pace(p), Pace::slow);
  ASSERT_EQ(involve_provider_notes(p).size(), 1u);
  EXPECT_NE(involve_provider_notes(p)[0].text.find("prenatal care provider before you start"),
            std::string::npos);
  p.pregnant = false;
  p.on_opioid_treatment = true;
  EXPECT_EQ(default_pace(p), Pace::slow);
  ASSERT_EQ(involve_provider_notes(p).size(), 1u);
  EXPECT_NE(involve_provider_notes(p)[0].text.find("talk to your prescriber before you start"),
            std::string::npos);
  EXPECT_NE(involve_provider_notes(p)[0].text.find("do not stop or change your medication"),
            std::string::npos);
}

TEST(Planner, PacesAreDescribedHonestlyWithTheirSources) {
  EXPECT_EQ(pace_text(Pace::slow).summary, "at most 10 % less a day every 30 days (about a month)");
  EXPECT_NE(pace_text(Pace::gentle).description.find("Twice as fast as the monthly pace"),
            std::string::npos);
  EXPECT_NE(pace_text(Pace::steady)
                .description.find("faster than the guidance suggests after a "
                                  "year or more"),
            std::string::npos);
  EXPECT_NE(pace_text(Pace::brisk).description.find("mitra's own option"), std::string::npos);
  for (const auto pace : {Pace::slow, Pace::gentle, Pace::steady, Pace::brisk}) {
    EXPECT_FALSE(pace_text(pace).sources.empty()) << to_string(pace);
  }
  EXPECT_NE(plan_not_advice().text.find("not medical advice"), std::string::npos);
}

TEST(Planner, SameInputsGiveTheSamePlan) {
  EXPECT_EQ(make_plan(inputs_for(6, 3, 2.5), kToday, "p1", mitra::app::system_zones()).value(),
            make_plan(inputs_for(6, 3, 2.5), kToday, "p1", mitra::app::system_zones()).value());
}

TEST(PlannerInput, RefusesATargetAboveTheCurrentAmount) {
  TaperInputs in = inputs_for(2, 6, 2.0);
  in.goal = {GoalKind::reduce, grams(5.0)};
  const auto e = make_plan(in, kToday, "p1", mitra::app::system_zones()).error();
  EXPECT_EQ(e.field, "target");
  EXPECT_EQ(e.message,
            "the daily target of 5 g is above the current 4 g a day; choose a target at or below "
            "4 g");
}

TEST(PlannerInput, RefusesAWakingWindowTooShortForOneDose) {
  TaperInputs in = inputs_for(2, 6, 2.0);
  in.sleep = in.wake + minutes{30};
  const auto e = make_plan(in, kToday, "p1", mitra::app::system_zones()).error();
  EXPECT_EQ(e.field, "sleep");
  EXPECT_EQ(e.message,
            "the waking window from wake to sleep is too short for even one dose; give a window "
            "of at least 1 hour, e.g. --wake 07:00 --sleep 23:00");
}

TEST(PlannerInput, RefusesAResolutionCoarserThanADose) {
  TaperInputs in = inputs_for(2, 6, 0.5);
  in.resolution = grams(1.0);
  const auto e = make_plan(in, kToday, "p1", mitra::app::system_zones()).error();
  EXPECT_EQ(e.field, "resolution");
  EXPECT_EQ(e.message,
            "a resolution of 1 g is coarser than a dose of 0.5 g; use a resolution no larger than "
            "one dose, e.g. 0.1 g");
}

TEST(PlannerInput, RefusesAStartDateInThePast) {
  TaperInputs in = inputs_for(2, 6, 2.0);
  in.start = kToday - date::days{1};
  const auto e = make_plan(in, kToday, "p1", mitra::app::system_zones()).error();
  EXPECT_EQ(e.field, "start");
  EXPECT_EQ(e.message,
            "the start date 2026-03-19 is in the past; start today (2026-03-20) or later");
}

TEST(PlannerInput, RefusesAMissingPattern) {
  TaperInputs in = inputs_for(2, 6, 2.0);
  in.pattern.reset();
  const auto e = make_plan(in, kToday, "p1", mitra::app::system_zones()).error();
  EXPECT_EQ(e.field, "pattern");
  EXPECT_EQ(e.message,
            "no dosing pattern was given and the journal has no doses in the last 7 days; log a "
            "few days of doses, or give the doses per day, the interval and the amount per dose");
}

TEST(PlannerInput, BugAnUnknownZoneWasNamedTzNotZone) {
  // The inputs' field is `zone`, and taper.hpp says the error names it; it said "tz".
  TaperInputs in = inputs_for(2, 6, 2.0);
  in.zone = "Mars/Olympus";
  EXPECT_EQ(make_plan(in, kToday, "p1", mitra::app::system_zones()).error().field, "zone");
}

TEST(Schedule, PlacesDosesFromWakeAtTheStepsInterval) {
  const auto* berlin = find_zone(mitra::app::system_zones(), "Europe/Berlin").value();
  auto plan = make_plan(inputs_for(6, 3, 2.5), kToday, "p1", mitra::app::system_zones()).value();
  const auto doses = schedule_for(plan, kToday, berlin);
  ASSERT_EQ(doses.size(), 6u);
  std::vector<std::string> times;
  for (const auto& d : doses) times.push_back(format_clock(d.at, berlin));
  EXPECT_EQ(times,
            (std::vector<std::string>{"07:00", "10:00", "13:00", "16:00", "19:00", "22:00"}));
  EXPECT_EQ(doses[0].amount, grams(2.5));
  EXPECT_EQ(doses[5].amount, grams(1.0));  // The day's last dose, on its way out.
  EXPECT_EQ(format_utc(doses[0].at), "2026-03-20T06:00:00Z");
}

TEST(Schedule, KeepsWallClockTimesAcrossADaylightSavingChange) {
  // Berlin moves to summer time on 2026-03-29: the 07:00 dose is 06:00Z before, 05:00Z after.
  const auto* berlin = find_zone(mitra::app::system_zones(), "Europe/Berlin").value();
  auto plan = make_plan(inputs_for(6, 3, 2.5), kToday, "p1", mitra::app::system_zones()).value();
  const Day after = date::sys_days{date::year{2026} / March / 30};
  EXPECT_EQ(format_utc(schedule_for(plan, after, berlin)[0].at), "2026-03-30T05:00:00Z");
}

TEST(Schedule, IsEmptyBeforeTheStartAndAfterAStop) {
  const auto* berlin = find_zone(mitra::app::system_zones(), "Europe/Berlin").value();
  auto plan = make_plan(inputs_for(1, 24, 8.0), kToday, "p1", mitra::app::system_zones()).value();
  EXPECT_TRUE(schedule_for(plan, kToday - date::days{1}, berlin).empty());
  EXPECT_TRUE(schedule_for(plan, plan.steps.back().ends_on + date::days{1}, berlin).empty());
}

TEST(Adapting, HoldRepeatsTheCurrentStepAndResumeShiftsTheRest) {
  auto plan = make_plan(inputs_for(1, 24, 8.0), kToday, "p1", mitra::app::system_zones()).value();
  const Day held_on = kToday + date::days{3};
  auto held = hold(plan, held_on, "stressful week").value();
  EXPECT_EQ(held.version, 2);
  EXPECT_TRUE(is_held(held));
  // While held, two weeks later is still step one's 7.2 g.
  EXPECT_EQ(step_on(held, kToday + date::days{20})->amount_per_dose, grams(7.2));
  auto resumed = resume(held, held_on + date::days{10}).value();
  EXPECT_EQ(resumed.version, 3);
  EXPECT_FALSE(is_held(resumed));
  EXPECT_EQ(resumed.steps[0].ends_on, kToday + date::days{16});
  EXPECT_EQ(resumed.steps[1].starts_on, kToday + date::days{17});
  EXPECT_EQ(resumed.holds.at(0).until, held_on + date::days{10});
  EXPECT_EQ(plan.steps[1].starts_on, kToday + date::days{7});  // The old version is untouched.
}

TEST(Adapting, RefusesToHoldTwiceOrResumeWithoutAHold) {
  auto plan = make_plan(inputs_for(1, 24, 8.0), kToday, "p1", mitra::app::system_zones()).value();
  EXPECT_EQ(resume(plan, kToday).error().message,
            "the plan is not on hold, so there is nothing to resume");
  auto held = hold(plan, kToday, "").value();
  EXPECT_EQ(hold(held, kToday, "").error().message,
            "the plan is already on hold since 2026-03-20; resume it first");
}

TEST(Adapting, SuggestsHoldingForModerateSymptomsOrHighCraving) {
  EXPECT_TRUE(suggest_hold(SymptomBand::moderate, std::nullopt).suggested);
  EXPECT_TRUE(suggest_hold(SymptomBand::severe, 2).suggested);
  EXPECT_TRUE(suggest_hold(SymptomBand::mild, 7).suggested);
  EXPECT_FALSE(suggest_hold(SymptomBand::mild, 6).suggested);
  EXPECT_FALSE(suggest_hold(std::nullopt, std::nullopt).suggested);
}

TEST(Adapting, ComparesADayAndFlagsMoreThanPlannedAsASlip) {
  auto plan = make_plan(inputs_for(6, 3, 2.5), kToday, "p1", mitra::app::system_zones()).value();
  const std::vector<Amount> on_plan = {grams(2.5), grams(2.5), grams(2.5), grams(2.5)};
  const auto fine = compare_day(plan, kToday, on_plan);
  EXPECT_EQ(fine.planned_doses, 6);
  EXPECT_EQ(fine.planned_total, grams(13.5));
  EXPECT_EQ(fine.actual_total, grams(10.0));
  EXPECT_FALSE(fine.over_plan);
  const std::vector<Amount> slip = {grams(5), grams(5), grams(5)};
  EXPECT_TRUE(compare_day(plan, kToday, slip).over_plan);
}

// Regression: `mitra status` flagged the day before a plan started as a slip, because a day
// with no step counted as "0 doses planned".
TEST(Adapting, DayBeforeThePlanStartsIsNeverASlip) {
  auto plan = make_plan(inputs_for(6, 3, 2.5), kToday, "p1", mitra::app::system_zones()).value();
  const std::vector<Amount> usual = {grams(2.5), grams(2.5), grams(2.5)};
  const auto before = compare_day(plan, kToday - date::days{1}, usual);
  EXPECT_EQ(before.planned_doses, 0);
  EXPECT_EQ(before.actual_doses, 3);
  EXPECT_FALSE(before.over_plan);
}

TEST(Adapting, SlipRepeatsTheStepInForceAndKeepsHistory) {
  auto plan = make_plan(inputs_for(6, 3, 2.5), kToday, "p1", mitra::app::system_zones()).value();
  // Day 16 is in the third step: 5 doses, the last of them 1.3 g.
  const Day slip_day = kToday + date::days{16};
  const auto& in_force = plan.steps[2];
  ASSERT_EQ(in_force.kind, StepKind::smaller_last_dose);
  const DosingPattern now{5, hours{3}, grams(3.0)};
  auto next = replan_after_slip(plan, now, slip_day, slip_day + date::days{1}, slip_day,
                                mitra::app::system_zones())
                  .value();
  EXPECT_EQ(next.plan_id, "p1");
  EXPECT_EQ(next.version, 2);
  EXPECT_EQ(next.reason, "slip");
  ASSERT_EQ(next.earlier_steps.size(), 3u);
  EXPECT_EQ(next.earlier_steps[0], plan.steps[0]);
  EXPECT_EQ(next.earlier_steps[2].ends_on, slip_day);
  // 5 × 3 g is above the step in force (larger doses): that step runs once more, in full, and
  // the rest of the plan follows it unchanged but for the dates.
  const auto& again = next.steps.front();
  EXPECT_EQ(again.kind, StepKind::repeat);
  EXPECT_EQ(again.starts_on, slip_day + date::days{1});
  EXPECT_EQ(again.ends_on - again.starts_on, in_force.ends_on - in_force.starts_on);
  EXPECT_EQ(again.daily_total, in_force.daily_total);
  ASSERT_EQ(next.steps.size(), plan.steps.size() - 2);
  EXPECT_EQ(next.steps[1].starts_on, again.ends_on + date::days{1});
  EXPECT_EQ(next.steps[1].daily_total, plan.steps[3].daily_total);
  // A repeated smaller_last_dose step keeps its smaller last dose.
  const auto day =
      schedule_for(next, again.starts_on, mitra::app::system_zones().locate("Europe/Berlin"));
  ASSERT_EQ(day.size(), 5u);
  EXPECT_EQ(day.back().amount, grams(1.3));
  EXPECT_EQ(day.front().amount, grams(2.5));
}

// Issue 14, item 2: a plan made in the evening starts tomorrow; "Hold at this step" that evening
// was refused ("the plan has not started"). Held before it starts, the plan waits.
TEST(Adapting, APlanHeldBeforeItStartsWaitsAndResumingMovesItsStart) {
  TaperInputs in = inputs_for(6, 3, 2.5);
  in.start = kToday + date::days{1};
  const auto tomorrow = make_plan(in, kToday, "p1", mitra::app::system_zones()).value();
  const auto held = hold(tomorrow, kToday, "not yet").value();
  EXPECT_FALSE(step_on(held, kToday + date::days{2}));
  const auto resumed = resume(held, kToday + date::days{3}).value();
  EXPECT_EQ(resumed.steps.front().starts_on, kToday + date::days{4});
  EXPECT_EQ(resumed.steps.front().daily_total, tomorrow.steps.front().daily_total);
}

// Issue 14, item 1: plan 5 × 3.3 g (awake 07:00–22:00), log 7 × 3.3 g in one day, adjust: the
// new version started at 6 × 3.5 g = 21 g a day (above 16.5 g) with a dose at 00:30.
TEST(Adapting, AdjustAfterASlipNeverRaisesTheDailyTotalNorDosesAfterBedtime) {
  TaperInputs in = inputs_for(5, 3, 3.3);
  in.sleep = hours{22};
  const auto plan = make_plan(in, kToday, "p1", mitra::app::system_zones()).value();
  const auto in_force = *step_on(plan, kToday);
  const DosingPattern slipped{7, hours{3}, grams(3.3)};
  for (const auto& now : {slipped, DosingPattern{6, hours{3}, grams(3.5)}}) {
    const auto next = replan_after_slip(plan, now, kToday, kToday + date::days{1}, kToday,
                                        mitra::app::system_zones())
                          .value();
    for (const auto& step : next.steps) {
      EXPECT_LE(step.daily_total.micro, in_force.daily_total.micro);
      EXPECT_LE(step.amount_per_dose.micro, grams(3.3).micro);
    }
    const auto* zone = mitra::app::system_zones().locate("Europe/Berlin");
    for (int d = 0; d < 120; ++d) {
      for (const auto& dose : schedule_for(next, kToday + date::days{d}, zone)) {
        EXPECT_GE(dose.local_minute, 7 * 60);
        EXPECT_LE(dose.local_minute, 22 * 60);
      }
    }
  }
}

TEST(Adapting, BelowThePlanAdjustPlansAfreshFromWhereThePersonIs) {
  const auto plan =
      make_plan(inputs_for(6, 3, 2.5), kToday, "p1", mitra::app::system_zones()).value();
  const DosingPattern lighter{4, hours{4}, grams(2.0)};
  const auto next =
      replan_after_slip(plan, lighter, kToday, kToday, kToday, mitra::app::system_zones()).value();
  EXPECT_EQ(next.inputs.pattern, lighter);
  EXPECT_NE(next.steps.front().kind, StepKind::repeat);
  EXPECT_LT(next.steps.front().daily_total.micro, grams(8.0).micro);
}

TEST(Adapting, AdjustingTwiceForOneSlipChangesNothingAndSaysSo) {
  const auto plan =
      make_plan(inputs_for(6, 3, 2.5), kToday, "p1", mitra::app::system_zones()).value();
  const DosingPattern slipped{8, hours{2}, grams(2.5)};
  const auto once = replan_after_slip(plan, slipped, kToday, kToday + date::days{1}, kToday,
                                      mitra::app::system_zones())
                        .value();
  const auto twice = replan_after_slip(once, slipped, kToday, kToday + date::days{1}, kToday,
                                       mitra::app::system_zones());
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().field, "plan");
  EXPECT_EQ(twice.error().message,
            "the plan was already adjusted after 2026-03-20 (version 2 starts on 2026-03-21); "
            "nothing was changed");
}

TEST(Adapting, AfterTheStopStepAdjustCannotAddDosesBack) {
  const auto plan =
      make_plan(inputs_for(1, 24, 1.0), kToday, "p1", mitra::app::system_zones()).value();
  const Day after = plan.steps.back().starts_on + date::days{2};
  const auto e = replan_after_slip(plan, DosingPattern{1, hours{24}, grams(1.0)}, after,
                                   after + date::days{1}, after, mitra::app::system_zones())
                     .error();
  EXPECT_EQ(e.field, "plan");
}

// Issue 14, item 3: for 6 × 3 g the two-a-day step was "every 16 h", one dose at bedtime.
TEST(Planner, AFewDailyDosesSpreadAcrossTheWakingDayNotOneAtBedtime) {
  const auto plan =
      make_plan(inputs_for(6, 3, 3.0), kToday, "p1", mitra::app::system_zones()).value();
  const auto* zone = mitra::app::system_zones().locate("Europe/Berlin");
  std::map<int, std::vector<int>> times;  // Doses a day → local clock minutes of the first day.
  for (const auto& step : plan.steps) {
    if (times.count(step.doses_per_day) || step.doses_per_day == 0) continue;
    for (const auto& dose : schedule_for(plan, step.starts_on, zone)) {
      times[step.doses_per_day].push_back(dose.local_minute);
    }
  }
  // Awake 07:00–23:00: morning and late afternoon; morning, early afternoon and evening.
  EXPECT_EQ(times[2], (std::vector<int>{7 * 60, 17 * 60 + 30}));
  EXPECT_EQ(times[3], (std::vector<int>{7 * 60, 13 * 60, 19 * 60}));
  for (const auto& [doses, day] : times) {
    EXPECT_LE(day.back(), 23 * 60 - 60) << doses << " doses a day";
  }
}

TEST(Planner, APatternThatDoesNotFitTheWakingWindowIsSqueezedIntoIt) {
  TaperInputs in = inputs_for(7, 3, 2.0);
  in.sleep = hours{22};  // 7 doses every 3 h need 18 h; 15 h are awake.
  const auto plan = make_plan(in, kToday, "p1", mitra::app::system_zones()).value();
  for (const auto& step : plan.steps) {
    if (step.doses_per_day < 2) continue;
    EXPECT_LE(step.interval * (step.doses_per_day - 1), hours{15});
  }
}

// Issue 14, item 3: in whole capsules the end went 4 → 3 → 2 → 0, a step a week (25 %, 33 %,
// 100 %): steps whose cut is more than the pace's share last longer instead.
TEST(Planner, WholeCapsuleStepsNearTheEndLastLongerRatherThanCutMore) {
  TaperInputs in = inputs_for(1, 24, 1.0);
  in.pattern->amount_per_dose = {4 * kMicro, Unit::capsule};
  in.resolution = {kMicro, Unit::capsule};
  const auto plan = make_plan(in, kToday, "p1", mitra::app::system_zones()).value();
  std::vector<long> lengths;
  std::vector<std::int64_t> caps;
  for (const auto& step : plan.steps) {
    lengths.push_back((step.ends_on - step.starts_on).count() + 1);
    caps.push_back(step.daily_total.micro / kMicro);
  }
  EXPECT_EQ(caps, (std::vector<std::int64_t>{3, 2, 1, 0}));
  // 4 → 3 is 25 % (3 weeks at 10 % a week), 3 → 2 is 33 % (4), 2 → 1 is 50 % (4 at most).
  EXPECT_EQ(lengths, (std::vector<long>{21, 28, 28, 7}));
  const auto reasons = step_reasons(plan);
  EXPECT_EQ(reasons[0],
            "Each dose 4 caps to 3 caps, 25 % less a day; the cuts get smaller as the dose does. "
            "It lasts 21 days, not 7: the cut is more than the pace's 10 %, so there is longer to "
            "settle.");
}

TEST(Planner, EveryStepHasAOneLineReason) {
  const auto plan =
      make_plan(inputs_for(6, 3, 2.5), kToday, "p1", mitra::app::system_zones()).value();
  const auto reasons = step_reasons(plan);
  ASSERT_EQ(reasons.size(), plan.steps.size());
  EXPECT_EQ(reasons[0],
            "The day's last dose gets smaller (1 g) on its way out; the other doses stay 2.5 g.");
  EXPECT_EQ(reasons[1],
            "One dose a day fewer (6 to 5), the rest spread every 3 h 30 min across the day; each "
            "dose stays 2.5 g.");
  EXPECT_EQ(reasons.back(), "The last step: no more doses.");
  for (const auto& r : reasons) EXPECT_EQ(r.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace mitra::core
