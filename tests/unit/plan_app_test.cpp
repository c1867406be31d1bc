// The taper plan use cases against a real SQLite store: a new user with a week of journal.
#include "app/plan.hpp"
#include "app/zones.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "app/journal.hpp"
#include "app/understanding.hpp"
#include "formats/ics.hpp"
#include "formats/plan_json.hpp"
#include "store/store.hpp"
#include "test_support.hpp"
#include "views/plan.hpp"

namespace mitra::app {
namespace {

core::Instant at(const std::string& text) {
  return core::parse_time(text, core::Instant{}, mitra::app::system_zones().locate("UTC"), "at")
      .value();
}

class PlanApp : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store(dir_.file("mitra.db"), store::OpenMode::create_if_missing).value();
    context_.emplace(
        make_context(*store_, at("2026-03-19T23:30:00+01:00"), "Europe/Berlin", "UTC").value());
    // Six doses of 2.5 g a day, every 3 h from 07:00, for the week before 20 March.
    for (int day = 13; day <= 19; ++day) {
      for (const char* hour : {"07", "10", "13", "16", "19", "22"}) {
        log("2.5g", "2026-03-" + std::to_string(day) + "T" + hour + ":00:00+01:00");
      }
    }
    context_->now = at("2026-03-20T08:00:00+01:00");
  }

  void log(const std::string& amount, const std::string& when) {
    DoseInput input;
    input.amount = amount;
    input.at = when;
    ASSERT_TRUE(log_dose(*context_, input)) << when;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::optional<Context> context_;
};

TEST_F(PlanApp, NewPlanFromTheJournalStretchesIntervalsFirst) {
  auto plan = new_plan(*context_, NewPlanRequest{});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->inputs.pattern,
            (core::DosingPattern{6, std::chrono::hours{3}, {2'500'000, core::Unit::gram}}));
  // The day's last dose shrinks first (no dose grows), then that dosing point goes.
  const auto& first = plan->steps.at(0);
  EXPECT_EQ(first.starts_on, core::Day{date::year{2026} / date::March / 20});
  EXPECT_EQ(first.kind, core::StepKind::smaller_last_dose);
  EXPECT_EQ(first.doses_per_day, 6);
  EXPECT_EQ(first.amount_per_dose, (core::Amount{2'500'000, core::Unit::gram}));
  EXPECT_EQ(first.last_dose, (core::Amount{1'000'000, core::Unit::gram}));
  const auto& second = plan->steps.at(1);
  EXPECT_EQ(second.kind, core::StepKind::fewer_doses);
  EXPECT_EQ(second.doses_per_day, 5);
  EXPECT_EQ(second.interval, std::chrono::minutes{210});
  EXPECT_EQ(plan->inputs.pace, core::Pace::steady);  // No profile: the default.
  EXPECT_EQ(current_plan(*context_).value(), *plan);
}

// Issue 13, item 3: grams of leaf, grams of extract and milligrams of 7-OH are never added up.
TEST_F(PlanApp, MixedFormsInTheLastSevenDaysAreRefusedNamingTheForms) {
  for (const char* day : {"18", "19"}) {
    DoseInput input;
    input.amount = "1g";
    input.form = "extract";
    input.at = std::string("2026-03-") + day + "T12:30:00+01:00";
    ASSERT_TRUE(log_dose(*context_, input));
  }
  const auto e = new_plan(*context_, NewPlanRequest{}).error();
  EXPECT_EQ(e.field, "form");
  EXPECT_EQ(e.message,
            "your last 7 days mix leaf and extract, which differ in strength and are never added "
            "together; plan for one of them with --form (leaf or extract), or give your pattern "
            "with --doses-per-day, --interval and --amount");
  EXPECT_FALSE(current_plan(*context_));

  NewPlanRequest leaf;
  leaf.form = core::Form::leaf_powder;
  auto plan = new_plan(*context_, leaf);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->inputs.pattern,
            (core::DosingPattern{6, std::chrono::hours{3}, {2'500'000, core::Unit::gram}}));

  NewPlanRequest extract;
  extract.form = core::Form::extract;
  plan = new_plan(*context_, extract);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->inputs.pattern->doses_per_day, 1);
  EXPECT_EQ(plan->inputs.pattern->amount_per_dose, (core::Amount{1'000'000, core::Unit::gram}));

  NewPlanRequest seven_oh;
  seven_oh.form = core::Form::seven_oh;
  EXPECT_EQ(new_plan(*context_, seven_oh).error().message,
            "no seven_oh doses were logged in the last 7 days; choose a form you logged: leaf or "
            "extract");
}

// Issue 13: a week of 15 mg doses of 7-OH was planned in grams with the 0.1 g step of a kitchen
// scale, and 15 mg rounded up to that step: every planned dose was 100 mg, almost seven times
// the dose taken. 7-OH is planned in milligrams, and no planned dose is larger than one taken.
TEST_F(PlanApp, BugASevenOhPlanFromFifteenMilligramDosesPlannedDosesOfOneHundredMilligrams) {
  context_->now = at("2026-03-27T23:00:00+01:00");
  for (int day = 21; day <= 26; ++day) {
    for (const char* hour : {"08", "14", "20"}) {
      DoseInput input;
      input.amount = "15mg";
      input.form = "7-oh";
      input.at = "2026-03-" + std::to_string(day) + "T" + hour + ":00:00+01:00";
      ASSERT_TRUE(log_dose(*context_, input)) << input.at;
    }
  }
  auto plan = preview_plan(*context_, NewPlanRequest{});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->inputs.pattern->amount_per_dose,
            (core::Amount{15'000'000, core::Unit::milligram}));
  EXPECT_EQ(plan->inputs.resolution, (core::Amount{1'000'000, core::Unit::milligram}));
  for (const auto& step : plan->steps) {
    EXPECT_EQ(step.amount_per_dose.unit, core::Unit::milligram);
    EXPECT_LE(step.amount_per_dose.micro, 15'000'000) << core::format_amount(step.amount_per_dose);
  }
  // Asked for grams, the plan still never rounds 15 mg up to 0.1 g: it is refused, naming the
  // resolution.
  NewPlanRequest coarse;
  coarse.resolution = core::Amount{100'000, core::Unit::gram};
  const auto e = preview_plan(*context_, coarse).error();
  EXPECT_EQ(e.field, "resolution");
  EXPECT_EQ(e.message,
            "your dose (0.015 g) is smaller than the measuring resolution (0.1 g): a plan in such "
            "steps would plan doses larger than you take; give a finer one with --resolution, "
            "e.g. 0.0015 g");
}

TEST_F(PlanApp, ADoseGivenByHandSmallerThanTheResolutionIsRefusedNotRoundedUp) {
  NewPlanRequest request;
  request.pattern = core::DosingPattern{3, std::chrono::hours{4}, {50'000, core::Unit::gram}};
  const auto e = preview_plan(*context_, request).error();
  EXPECT_EQ(e.field, "resolution");
  EXPECT_FALSE(current_plan(*context_));
}

// Issue 13, item 4: "10 % a month or slower" after long-term use.
TEST_F(PlanApp, LongTermUseProfileDefaultsToTheMonthlyPace) {
  ASSERT_TRUE(save_profile(*context_, nlohmann::json{{"years_of_use", 2}}));
  auto plan = new_plan(*context_, NewPlanRequest{});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->inputs.pace, core::Pace::slow);
  EXPECT_EQ(plan->steps[1].starts_on - plan->steps[0].starts_on, date::days{30});
  NewPlanRequest chosen;
  chosen.pace = core::Pace::steady;
  EXPECT_EQ(new_plan(*context_, chosen).value().inputs.pace, core::Pace::steady);
}

// Issue 14, item 1: the adjustment after a slip started from the slip (7 doses) and raised the
// daily total; now the step in force runs once more.
TEST_F(PlanApp, ASlipShowsInPlanStatusAndAdjustNeverRaisesTheDailyTotal) {
  const auto first = new_plan(*context_, NewPlanRequest{}).value();
  // Given seven doses of 3 g on the first day (6 planned, the last of them smaller).
  context_->now = at("2026-03-20T21:00:00+01:00");
  for (const char* hour : {"07", "09", "11", "13", "15", "17", "19"}) {
    log("3g", std::string("2026-03-20T") + hour + ":30:00+01:00");
  }
  auto status = plan_status(*context_).value();
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->today.over_plan);
  EXPECT_EQ(status->today.actual_doses, 7);
  EXPECT_EQ(views::plan_status_json(*status)["slip"], true);

  auto adjusted = adjust_plan(*context_);
  ASSERT_TRUE(adjusted) << adjusted.error().message;
  EXPECT_EQ(adjusted->version, 2);
  EXPECT_EQ(adjusted->reason, "slip");
  // The new version starts the day after the slip with the step of the slip day once more;
  // day one stays in history, and today is still planned as it was.
  const auto& again = adjusted->steps.front();
  EXPECT_EQ(again.starts_on, core::Day{date::year{2026} / date::March / 21});
  EXPECT_EQ(again.kind, core::StepKind::repeat);
  EXPECT_EQ(again.daily_total, first.steps.front().daily_total);
  for (const auto& step : adjusted->steps) {
    EXPECT_LE(step.daily_total.micro, first.steps.front().daily_total.micro);
    EXPECT_LE(step.amount_per_dose.micro, 2'500'000);
  }
  EXPECT_EQ(adjusted->inputs.pattern, first.inputs.pattern);
  ASSERT_EQ(adjusted->earlier_steps.size(), 1u);
  EXPECT_EQ(adjusted->earlier_steps[0].ends_on, core::Day{date::year{2026} / date::March / 20});
  EXPECT_EQ(store_->plan_history(adjusted->plan_id).value().size(), 2u);
  EXPECT_EQ(plan_status(*context_).value()->today.planned_doses, 6);
  // Adjusting again for the same slip changes nothing, and says so.
  EXPECT_EQ(adjust_plan(*context_).error().field, "plan");
}

// Issue 14, item 2: a plan made in the evening started that day, already "6 of 5".
TEST_F(PlanApp, NewPlanStartsTomorrowWhenDosesAreLoggedToday) {
  log("2.5g", "2026-03-20T07:00:00+01:00");
  NewPlanRequest request;
  const auto plan = new_plan(*context_, request).value();
  EXPECT_EQ(plan.steps.front().starts_on, core::Day{date::year{2026} / date::March / 21});
  const auto note = start_note(*context_, request, plan);
  ASSERT_TRUE(note);
  EXPECT_NE(note->find("starts tomorrow, 2026-03-21"), std::string::npos);
  // Today is before the plan: never a slip, never "1 of 0 planned doses".
  const auto status = plan_status(*context_).value().value();
  EXPECT_FALSE(status.today.in_plan);
  EXPECT_FALSE(status.today.over_plan);
  const auto text = views::plan_status_text(status);
  EXPECT_EQ(text.find("of 0 planned"), std::string::npos) << text;
  EXPECT_NE(text.find("Plan today    before the plan starts (2026-03-21); 1 dose logged"),
            std::string::npos)
      << text;
  // Asked for, today it is.
  request.start = core::Day{date::year{2026} / date::March / 20};
  EXPECT_EQ(new_plan(*context_, request).value().steps.front().starts_on, *request.start);
  EXPECT_FALSE(start_note(*context_, request, plan));
}

// Issue 14, item 2: the day after a plan made in the evening said "Yesterday 6 of 0 planned".
TEST_F(PlanApp, StatusTheDayAfterANewPlanNeverSaysSixOfZero) {
  context_->now = at("2026-03-20T21:00:00+01:00");
  for (const char* hour : {"07", "10", "13", "16", "19"}) {
    log("2.5g", std::string("2026-03-20T") + hour + ":00:00+01:00");
  }
  ASSERT_TRUE(new_plan(*context_, NewPlanRequest{}));
  context_->now = at("2026-03-21T09:00:00+01:00");
  const auto status = plan_status(*context_).value().value();
  EXPECT_TRUE(status.today.in_plan);
  EXPECT_FALSE(status.yesterday.in_plan);
  EXPECT_FALSE(status.yesterday.over_plan);
  const auto text = views::plan_status_text(status);
  EXPECT_EQ(text.find("of 0 planned"), std::string::npos) << text;
  EXPECT_NE(text.find("Yesterday     before the plan starts (2026-03-21); 5 doses logged"),
            std::string::npos)
      << text;
  EXPECT_EQ(views::plan_status_json(status)["yesterday"]["in_plan"], false);
}

// Issue 14, item 3: a journal in capsules of a product with a weight refused --resolution 1caps
// and planned in grams.
TEST_F(PlanApp, ACapsuleJournalPlansInCapsules) {
  ProductInput product;
  product.name = "Green";
  product.form = "capsules";
  product.capsule_weight = "500mg";
  ASSERT_TRUE(save_product(*context_, product));
  context_->now = at("2026-04-20T08:00:00+01:00");
  for (int day = 13; day <= 19; ++day) {
    for (const char* hour : {"08", "14", "20"}) {
      DoseInput input;
      input.amount = "4caps";
      input.form = "capsules";
      input.product = "Green";
      input.at = "2026-04-" + std::to_string(day) + "T" + hour + ":00:00+01:00";
      ASSERT_TRUE(log_dose(*context_, input));
    }
  }
  const auto plan = new_plan(*context_, NewPlanRequest{});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->inputs.pattern->amount_per_dose, (core::Amount{4'000'000, core::Unit::capsule}));
  EXPECT_EQ(plan->inputs.resolution, (core::Amount{1'000'000, core::Unit::capsule}));
  NewPlanRequest one_cap;
  one_cap.resolution = core::Amount{1'000'000, core::Unit::capsule};
  ASSERT_TRUE(new_plan(*context_, one_cap));
  // Asked for in grams, the weight converts: 4 × 0.5 g.
  NewPlanRequest in_grams;
  in_grams.resolution = core::Amount{500'000, core::Unit::gram};
  const auto grams = new_plan(*context_, in_grams);
  ASSERT_TRUE(grams) << grams.error().message;
  EXPECT_EQ(grams->inputs.pattern->amount_per_dose, (core::Amount{2'000'000, core::Unit::gram}));
}

// Issue 14, item 3: `--resolution 0.5g` printed "2.999999 g" (a mean per day times days,
// divided again, lost a millionth).
TEST_F(PlanApp, HalfGramResolutionNeverPlansFromAFloatArtefact) {
  context_->now = at("2026-04-20T08:00:00+01:00");
  for (int day = 13; day <= 19; ++day) {
    for (const char* hour : {"07", "10", "13", "16", "19", "22"}) {
      log("3g", "2026-04-" + std::to_string(day) + "T" + hour + ":00:00+01:00");
    }
  }
  log("3.1g", "2026-04-19T23:00:00+01:00");  // A mean that is not a whole number of millionths.
  NewPlanRequest request;
  request.resolution = core::Amount{500'000, core::Unit::gram};
  const auto plan = new_plan(*context_, request).value();
  EXPECT_EQ(plan.inputs.pattern->amount_per_dose, (core::Amount{3'000'000, core::Unit::gram}));
  const auto text = formats::plan_to_json(plan).dump();
  for (const char* artefact : {"99999", "00001"}) {
    EXPECT_EQ(text.find(artefact), std::string::npos) << text;
  }
}

TEST_F(PlanApp, HoldAndResumeAreNewVersions) {
  ASSERT_TRUE(new_plan(*context_, NewPlanRequest{}));
  auto held = hold_plan(*context_, "hard week").value();
  EXPECT_TRUE(core::is_held(held));
  EXPECT_EQ(current_plan(*context_).value().version, 2);
  context_->now = at("2026-03-24T08:00:00+01:00");
  auto resumed = resume_plan(*context_).value();
  EXPECT_EQ(resumed.version, 3);
  EXPECT_EQ(resumed.steps[1].starts_on, core::Day{date::year{2026} / date::March / 31});
}

TEST_F(PlanApp, CalendarOfTheCurrentPlanReadsBack) {
  ASSERT_TRUE(new_plan(*context_, NewPlanRequest{}));
  auto text = plan_ics(*context_, formats::Wording::discreet);
  ASSERT_TRUE(text) << text.error().message;
  const auto events = formats::read_ics_events(*text).value();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(core::format_utc(events[0].starts_at), "2026-03-20T06:00:00Z");
  EXPECT_EQ(events[0].summary, "Reminder");
}

TEST_F(PlanApp, CalendarCancelsTheDosesALaterVersionDropped) {
  const auto first = new_plan(*context_, NewPlanRequest{}).value();
  // A second version from three doses a day (as an adjustment after a lighter week would be).
  core::TaperInputs fewer = first.inputs;
  fewer.pattern =
      core::DosingPattern{3, std::chrono::hours{5}, first.inputs.pattern->amount_per_dose};
  auto second = core::make_plan(fewer, core::Day{date::year{2026} / date::March / 20},
                                first.plan_id, mitra::app::system_zones())
                    .value();
  store::PlanVersion version{first.plan_id, 2,        context_->now,
                             "active",      "adjust", formats::plan_to_json(second).dump()};
  ASSERT_TRUE(store_->add_plan_version(version));

  const auto events =
      formats::read_ics_events(plan_ics(*context_, formats::Wording::discreet).value()).value();
  const auto today = [](const formats::IcsEvent& e) {
    return e.uid.find("-20260320-") != std::string::npos;
  };
  int kept = 0;
  int cancelled = 0;
  for (const auto& e : events) {
    if (!today(e)) continue;
    ++(e.cancelled ? cancelled : kept);
    EXPECT_EQ(e.sequence, 1);
  }
  const core::Day day{date::year{2026} / date::March / 20};
  const auto now_planned = core::schedule_for(second, day, context_->zone).size();
  const auto before = core::schedule_for(first, day, context_->zone).size();
  ASSERT_LT(now_planned, before);
  EXPECT_EQ(kept, static_cast<int>(now_planned));
  EXPECT_EQ(cancelled, static_cast<int>(before - now_planned));
}

// Bug: a plan replaced by `plan new` kept its reminders in calendars that had imported it.
TEST_F(PlanApp, CalendarCancelsThePlanThatANewPlanReplaced) {
  const auto first = new_plan(*context_, NewPlanRequest{}).value();
  const auto before =
      formats::read_ics_events(plan_ics(*context_, formats::Wording::discreet).value()).value();
  context_->now += std::chrono::hours{24};  // The next day, a fresh start.
  const auto second = new_plan(*context_, NewPlanRequest{}).value();
  ASSERT_NE(second.plan_id, first.plan_id);
  const auto after =
      formats::read_ics_events(plan_ics(*context_, formats::Wording::discreet).value()).value();

  // Every dose of the first plan from today on comes back cancelled; the days before are left.
  const std::string today = "-20260321-";
  std::set<std::string> still_to_come;
  for (const auto& e : before) {
    if (e.starts_at >= at("2026-03-21T00:00:00+01:00")) still_to_come.insert(e.uid);
  }
  ASSERT_FALSE(still_to_come.empty());
  std::set<std::string> cancelled;
  for (const auto& e : after) {
    if (e.uid.rfind(first.plan_id + "-", 0) != 0) {
      EXPECT_FALSE(e.cancelled) << e.uid;
      continue;
    }
    EXPECT_TRUE(e.cancelled) << e.uid;
    EXPECT_EQ(e.alarms, 0) << e.uid;
    EXPECT_EQ(e.sequence, 1) << e.uid;
    cancelled.insert(e.uid);
  }
  EXPECT_EQ(cancelled, still_to_come);
  EXPECT_TRUE(std::any_of(after.begin(), after.end(), [&](const formats::IcsEvent& e) {
    return e.uid.rfind(second.plan_id + "-", 0) == 0 && e.uid.find(today) != std::string::npos;
  }));
}

TEST(PlanAppEmpty, RefusesANewPlanWithAnEmptyJournal) {
  testing::TempDir dir;
  auto store = store::open_store(dir.file("mitra.db"), store::OpenMode::create_if_missing).value();
  auto context = make_context(*store, at("2026-03-20T08:00:00Z"), "Europe/Berlin", "UTC").value();
  const auto e = new_plan(context, NewPlanRequest{}).error();
  EXPECT_EQ(e.field, "pattern");
}

}  // namespace
}  // namespace mitra::app
