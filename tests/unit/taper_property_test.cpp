// Properties of the taper planner over random patterns, goals, paces, windows and resolutions.
#ifdef MITRA_HAVE_RAPIDCHECK

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "core/taper.hpp"
#include "formats/plan_json.hpp"

namespace mitra::core {
namespace {

constexpr Day kToday = date::sys_days{date::year{2026} / date::March / 20};

// A random valid request: a resolution, a dose of at least one resolution (not necessarily a
// multiple of it), 1–12 doses a day, any pace, a waking window of 1–20 h, and a stop goal or a
// reduce target between one resolution and today's daily total.
rc::Gen<TaperInputs> valid_inputs() {
  return rc::gen::exec([] {
    TaperInputs in;
    const auto resolution =
        *rc::gen::element<std::int64_t>(10'000, 100'000, 250'000, 500'000, kMicro);
    const auto unit = *rc::gen::element(Unit::gram, Unit::capsule, Unit::milligram);
    in.resolution = {resolution, unit};
    const auto most_units =
        std::min<std::int64_t>(200, (max_dose_micro(unit) - resolution) / resolution);
    const auto units = *rc::gen::inRange<std::int64_t>(1, most_units + 1);
    const auto extra = *rc::gen::inRange<std::int64_t>(0, resolution);
    const int doses = *rc::gen::inRange(1, 13);
    const int interval_minutes = *rc::gen::inRange(60, 24 * 60 + 1);
    in.pattern = DosingPattern{doses, std::chrono::minutes{interval_minutes},
                               Amount{units * resolution + extra, unit}};
    in.pace = *rc::gen::element(Pace::slow, Pace::gentle, Pace::steady, Pace::brisk);
    in.allow_larger_doses = *rc::gen::arbitrary<bool>();
    in.wake = std::chrono::minutes{*rc::gen::inRange(0, 24 * 60)};
    const int window = *rc::gen::inRange(60, 20 * 60 + 1);
    in.sleep = std::chrono::minutes{(in.wake.count() + window) % (24 * 60)};
    in.start = kToday + date::days{*rc::gen::inRange(0, 60)};
    in.zone = *rc::gen::element<std::string>("Europe/Berlin", "America/New_York", "UTC",
                                             "Australia/Sydney");
    const auto total = in.pattern->amount_per_dose.micro * doses;
    if (*rc::gen::arbitrary<bool>()) {
      in.goal = {GoalKind::stop, std::nullopt};
    } else {
      in.goal = {GoalKind::reduce,
                 Amount{*rc::gen::inRange<std::int64_t>(resolution, total), unit}};
    }
    return in;
  });
}

// make_plan succeeds for every valid request except a reduce target it cannot go below.
Plan plan_for(const TaperInputs& in) {
  auto plan = make_plan(in, kToday, "prop");
  if (!plan) {
    RC_LOG() << plan.error().message;
    RC_PRE(plan.error().field != "target");
    RC_FAIL("make_plan refused a valid request");
  }
  return *plan;
}

RC_GTEST_PROP(PlannerProperty, DailyTotalNeverRises, ()) {
  const auto in = *valid_inputs();
  const auto plan = plan_for(in);
  auto previous = in.pattern->amount_per_dose.micro * in.pattern->doses_per_day;
  for (const auto& step : plan.steps) {
    RC_ASSERT(step.daily_total.micro <= previous);
    previous = step.daily_total.micro;
  }
}

RC_GTEST_PROP(PlannerProperty, DosesPerDayNeverRiseAndIntervalNeverShrinks, ()) {
  const auto in = *valid_inputs();
  const auto plan = plan_for(in);
  int doses = in.pattern->doses_per_day;
  auto interval = doses == 1 ? std::chrono::minutes{24 * 60} : in.pattern->interval;
  for (const auto& step : plan.steps) {
    RC_ASSERT(step.doses_per_day <= doses);
    if (step.kind == StepKind::stop) continue;  // No doses, so no interval.
    RC_ASSERT(step.interval >= interval);
    doses = step.doses_per_day;
    interval = step.interval;
  }
}

RC_GTEST_PROP(PlannerProperty, EachStepStaysWithinThePaceExceptTheStop, ()) {
  const auto in = *valid_inputs();
  const auto plan = plan_for(in);
  auto total = in.pattern->amount_per_dose.micro * in.pattern->doses_per_day;
  int doses = in.pattern->doses_per_day;
  for (const auto& step : plan.steps) {
    if (step.kind != StepKind::stop) {
      RC_ASSERT(total - step.daily_total.micro <=
                max_daily_fall(in.pace, total, doses, in.resolution.micro));
    }
    total = step.daily_total.micro;
    doses = step.doses_per_day;
  }
}

RC_GTEST_PROP(PlannerProperty, EveryAmountIsAMultipleOfTheResolution, ()) {
  const auto in = *valid_inputs();
  const auto plan = plan_for(in);
  for (const auto& step : plan.steps) {
    RC_ASSERT(step.amount_per_dose.micro % in.resolution.micro == 0);
    RC_ASSERT(step.last_dose.micro % in.resolution.micro == 0);
    RC_ASSERT(step.last_dose.micro <= step.amount_per_dose.micro);
    RC_ASSERT(step.daily_total.micro ==
              (step.doses_per_day == 0 ? 0
                                       : step.amount_per_dose.micro * (step.doses_per_day - 1) +
                                             step.last_dose.micro));
    RC_ASSERT(step.amount_per_dose.unit == in.resolution.unit);
    if (step.kind != StepKind::stop) RC_ASSERT(step.amount_per_dose.micro >= in.resolution.micro);
  }
}

// Issue 13, item 4: phase one never makes a single dose larger than today's usual dose unless
// the person asks for it (allow_larger_doses).
RC_GTEST_PROP(PlannerProperty, NoPlannedDoseIsLargerThanTodaysUsualDose, ()) {
  auto in = *valid_inputs();
  in.allow_larger_doses = false;
  const auto plan = plan_for(in);
  for (const auto& step : plan.steps) {
    RC_ASSERT(step.amount_per_dose.micro <= in.pattern->amount_per_dose.micro);
    RC_ASSERT(step.last_dose.micro <= in.pattern->amount_per_dose.micro);
  }
}

RC_GTEST_PROP(PlannerProperty, StopPlanEndsAtZeroAndReducePlanAtTheTarget, ()) {
  const auto in = *valid_inputs();
  const auto plan = plan_for(in);
  RC_ASSERT(!plan.steps.empty());
  const auto& last = plan.steps.back();
  if (in.goal.kind == GoalKind::stop) {
    RC_ASSERT(last.kind == StepKind::stop);
    RC_ASSERT(last.daily_total.micro == 0);
  } else {
    // At the target, or under it by less than one measuring unit per dose.
    const auto target = in.goal.daily_target->micro;
    RC_ASSERT(last.daily_total.micro <= target);
    RC_ASSERT(last.daily_total.micro + in.resolution.micro * last.doses_per_day > target);
  }
}

RC_GTEST_PROP(PlannerProperty, StepsFollowOneAnotherAtThePacesLength, ()) {
  const auto in = *valid_inputs();
  const auto plan = plan_for(in);
  auto next = in.start;
  for (const auto& step : plan.steps) {
    RC_ASSERT(step.starts_on == next);
    RC_ASSERT((step.ends_on - step.starts_on).count() + 1 == pace_rule(in.pace).step_days);
    next = step.ends_on + date::days{1};
  }
}

RC_GTEST_PROP(PlannerProperty, SameInputsGiveTheSamePlan, ()) {
  const auto in = *valid_inputs();
  RC_ASSERT(plan_for(in) == plan_for(in));
}

RC_GTEST_PROP(PlanJsonProperty, RoundTripsEveryPlanExactly, ()) {
  const auto in = *valid_inputs();
  auto plan = plan_for(in);
  if (*rc::gen::arbitrary<bool>()) plan = hold(plan, in.start, "tired").value();
  const auto text = formats::plan_to_json(plan).dump();
  const auto back = formats::plan_from_json_text(text);
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == plan);
}

}  // namespace
}  // namespace mitra::core

#endif  // MITRA_HAVE_RAPIDCHECK
