// Properties of the taper planner over random patterns, goals, paces, windows and resolutions.
#ifdef MITRA_HAVE_RAPIDCHECK

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "app/zones.hpp"
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

std::chrono::minutes window_of(const TaperInputs& in) {
  const std::chrono::minutes day{24 * 60};
  return ((in.sleep - in.wake) % day + day) % day;
}

// The day's last dose, at wake + (doses − 1) × interval, is no later than bedtime.
bool fits_window(const TaperInputs& in, const TaperStep& step) {
  if (step.doses_per_day <= 1) return true;
  return step.interval * (step.doses_per_day - 1) <= window_of(in);
}

// Digits after the decimal point of "2.5" (1), "3" (0).
std::size_t decimals(const std::string& printed) {
  const auto dot = printed.find('.');
  return dot == std::string::npos ? 0 : printed.size() - dot - 1;
}

// make_plan succeeds for every valid request except a reduce target it cannot go below.
Plan plan_for(const TaperInputs& in) {
  auto plan = make_plan(in, kToday, "prop", mitra::app::system_zones());
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
  // A pattern that does not fit the waking window starts squeezed into it.
  auto interval = doses == 1 ? std::chrono::minutes{24 * 60}
                             : std::min(in.pattern->interval, window_of(in) / (doses - 1));
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
              (step.doses_per_day == 0
                   ? 0
                   : step.amount_per_dose.micro * (step.doses_per_day - 1) + step.last_dose.micro));
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

// Steps follow one another; each lasts the pace's length, or a whole multiple of it (at most
// four) when its cut is a bigger share of the day than the pace allows (issue 14, item 3).
RC_GTEST_PROP(PlannerProperty, StepsFollowOneAnotherAtThePacesLengthOrLongerForBigCuts, ()) {
  const auto in = *valid_inputs();
  const auto plan = plan_for(in);
  const auto rule = pace_rule(in.pace);
  auto next = in.start;
  auto total = in.pattern->amount_per_dose.micro * in.pattern->doses_per_day;
  for (const auto& step : plan.steps) {
    RC_ASSERT(step.starts_on == next);
    const auto length = (step.ends_on - step.starts_on).count() + 1;
    RC_ASSERT(length % rule.step_days == 0);
    RC_ASSERT(length / rule.step_days >= 1 && length / rule.step_days <= 4);
    const auto fall = total - step.daily_total.micro;
    if (step.kind == StepKind::stop || fall <= total * rule.max_fall_permille / 1000) {
      RC_ASSERT(length == rule.step_days);
    } else {
      RC_ASSERT(length > rule.step_days);
    }
    total = step.daily_total.micro;
    next = step.ends_on + date::days{1};
  }
}

// Issue 14, item 1: every planned dose of every step falls within the waking window.
RC_GTEST_PROP(PlannerProperty, EveryPlannedDoseFallsInTheWakingWindow, ()) {
  const auto in = *valid_inputs();
  const auto plan = plan_for(in);
  for (const auto& step : plan.steps) RC_ASSERT(fits_window(in, step));
}

// Issue 14, item 1: for random plans, days and patterns (slips or lighter days), an adjustment
// never has a first-day total above the replaced version's step in force on the reference day,
// never a larger single dose than the person's usual one, and never a dose outside the window.
RC_GTEST_PROP(PlannerProperty, AdjustNeverRaisesTheDailyTotalAndStaysInTheWakingWindow, ()) {
  auto in = *valid_inputs();
  in.allow_larger_doses = false;
  const auto plan = plan_for(in);
  const auto last = plan.steps.back().ends_on;
  const auto span = (last - in.start).count();
  const Day reference =
      in.start + date::days{*rc::gen::inRange<int>(-3, static_cast<int>(span) + 1)};
  const bool slip = *rc::gen::arbitrary<bool>();
  const Day from = slip ? reference + date::days{1} : std::max(reference, in.start);
  const auto unit = in.resolution.unit;
  const auto r = in.resolution.micro;
  const DosingPattern now{*rc::gen::inRange(1, 25),
                          std::chrono::minutes{*rc::gen::inRange(60, 24 * 60 + 1)},
                          Amount{r * *rc::gen::inRange<std::int64_t>(
                                         1, std::min<std::int64_t>(400, max_dose_micro(unit) / r)),
                                 unit}};
  const auto next = replan_after_slip(plan, now, reference, from, std::min(from, reference),
                                      mitra::app::system_zones());
  const auto in_force = step_on(plan, reference).value_or(plan.steps.front());
  if (!next) {
    RC_LOG() << next.error().message;
    RC_ASSERT(in_force.kind == StepKind::stop || next.error().field == "plan");
    return;
  }
  RC_ASSERT(!next->steps.empty());
  RC_ASSERT(next->steps.front().starts_on == from);
  RC_ASSERT(next->steps.front().daily_total.micro <= in_force.daily_total.micro);
  for (const auto& step : next->steps) {
    RC_ASSERT(step.daily_total.micro <= in_force.daily_total.micro);
    RC_ASSERT(step.amount_per_dose.micro <= in.pattern->amount_per_dose.micro);
    RC_ASSERT(fits_window(in, step));
  }
}

// Issue 14, item 3: "2.999999 g". Every amount a plan prints is a multiple of the resolution,
// so it has no more decimals than the resolution has, and reads back exactly.
RC_GTEST_PROP(PlannerProperty, PrintedAmountsHaveNoMoreDecimalsThanTheResolution, ()) {
  const auto in = *valid_inputs();
  const auto plan = plan_for(in);
  const auto allowed = decimals(format_decimal(in.resolution.micro));
  for (const auto& step : plan.steps) {
    for (const auto micro :
         {step.amount_per_dose.micro, step.last_dose.micro, step.daily_total.micro}) {
      const auto printed = format_decimal(micro);
      RC_ASSERT(decimals(printed) <= allowed);
      RC_ASSERT(parse_decimal_micro(printed, "amount").value() == micro);
    }
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
