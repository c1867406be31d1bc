#pragma once
// Taper plan use cases: make a plan, read it, today's doses, hold, resume, adjust after a slip,
// export to a calendar, and the plan-versus-actual summary `mitra status` shows.
// Every change stores a new plan version; nothing is overwritten
// (store::Records::add_plan_version).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "core/taper.hpp"
#include "formats/ics.hpp"

namespace mitra::app {

struct NewPlanRequest {
  core::GoalKind goal = core::GoalKind::stop;
  std::optional<core::Amount> target;  // Per day; required for `reduce`.
  // Default: core::default_pace(profile) — slow after a year or more of use, when pregnant or
  // on buprenorphine/methadone; steady otherwise.
  std::optional<core::Pace> pace;
  bool allow_larger_doses = false;  // Phase one may share a dropped dose among the others.
  // Default: today, or tomorrow when doses are already logged today (docs/cli.md).
  std::optional<core::Day> start;
  std::chrono::minutes wake{7 * 60};
  std::chrono::minutes sleep{23 * 60};
  // Default: 0.1 of the dose's unit, 1 for capsules. Its unit also picks the unit a journal
  // pattern is read in (capsules, or grams where a product's weight is known).
  std::optional<core::Amount> resolution;
  // Given explicitly; otherwise derived from the last 7 journal days.
  std::optional<core::DosingPattern> pattern;
  // The product form to plan for when the last 7 days mix forms of different strength (leaf,
  // extract, 7-OH…): only doses of this form (leaf powder and capsules count as one) are used.
  std::optional<core::Form> form;
  // A retry with the same key stores nothing and returns the plan the first call made.
  std::string idempotency_key;
};

// A new plan as a person types it (the CLI's options) or sends it (the API's JSON): text and
// numbers as given, empty when left out. read_new_plan parses and checks it, once, for both, and
// fills in the defaults (NewPlanRequest's), so that whatever the CLI takes the API takes too.
struct NewPlanInput {
  std::string goal;    // "stop" or "reduce"; empty: stop.
  std::string target;  // Per day: "6g/day", "6 g per day" or "6g"; required for reduce.
  std::string pace;    // slow, gentle, steady or brisk; empty: the profile's default.
  std::string form;    // A form name or "leaf"; empty: every form logged.
  bool allow_larger_doses = false;
  std::string start;       // YYYY-MM-DD; empty: the default day.
  std::string wake;        // HH:MM; empty: 07:00.
  std::string sleep;       // HH:MM; empty: 23:00.
  std::string resolution;  // "0.1g", "1caps"; empty: the default.
  // The pattern now, instead of the journal's: all three (interval optional for one a day).
  std::optional<int> doses_per_day;
  std::optional<double> interval_hours;
  std::string amount_per_dose;
  std::string idempotency_key;
};
Result<NewPlanRequest> read_new_plan(const NewPlanInput& input);

// "5g/day", "5 g per day", "5g per day" or "5g": an amount per day; errors name `field`.
Result<core::Amount> parse_daily_amount(std::string text, const std::string& field);

// A pattern the person gives instead of the journal's: all three parts, or none (nullopt).
// `interval_hours` may be left out for one dose a day. Errors name `pattern` or `amount`.
// The form a plan is for, as the CLI's --form and the API's "form" take it: a form name, or
// "leaf" for leaf powder and capsules together.
Result<core::Form> plan_form(const std::string& text);

Result<std::optional<core::DosingPattern>> given_pattern(std::optional<int> doses_per_day,
                                                         std::optional<double> interval_hours,
                                                         const std::string& amount_per_dose);

// The pattern of the last 7 journal days as the planner needs it (doses per day on days with
// doses, median interval to the half hour, mean grams per dose), or nullopt with no doses.
// With `form`, only doses of that strength group count.
// The last 7 days' pattern with the largest single dose in them, in `unit`: by default the unit
// every dose was logged in (capsules, grams, milligrams, millilitres), else grams, or milligrams
// for 7-OH (doses whose amount cannot be told in that unit are left out).
// The amount per dose is the exact mean (rounded to the nearest millionth), not a float.
struct JournalPattern {
  core::DosingPattern pattern;
  core::Amount largest_dose;
};
Result<std::optional<JournalPattern>> journal_pattern(
    Context& context, std::optional<core::StrengthGroup> form = std::nullopt,
    std::optional<core::Unit> unit = std::nullopt);

Result<std::optional<core::DosingPattern>> recent_pattern(
    Context& context, std::optional<core::Form> form = std::nullopt);

// The strength groups of the doses in the last 7 journal days ("leaf" for leaf powder and
// capsules, else the form's name), in first-seen order. More than one means the amounts must
// never be added together: `plan new` then needs a form to plan for.
Result<std::vector<std::string>> recent_forms(Context& context);

// How many doses are logged on today's journal day.
Result<int> doses_logged_today(Context& context);

// The plan `new_plan` would make, without storing anything (`plan new --preview`).
Result<core::Plan> preview_plan(Context& context, const NewPlanRequest& request);
Result<core::Plan> new_plan(Context& context, const NewPlanRequest& request);
// A sentence for people when the plan starts tomorrow because doses were already logged today
// (the request gave no start); nullopt otherwise. JSON key "start_note".
std::optional<std::string> start_note(const Context& context, const NewPlanRequest& request,
                                      const core::Plan& plan);

// What a person reads before starting a new plan: notes that fit their profile (pregnant, or on
// buprenorphine or methadone: involve the provider first; a year or more of use: why the
// default pace is slow) and the start note. The documents' "before_you_start" (the provider
// notes, then the long-term-use note) and "start_note".
struct PlanAdvice {
  std::vector<core::TaperText> involve_provider;
  std::optional<core::TaperText> long_term_use;
  std::optional<std::string> start_note;
};
Result<PlanAdvice> plan_advice(Context& context, const NewPlanRequest& request,
                               const core::Plan& plan);

// The current plan; not_found when none was made.
Result<core::Plan> current_plan(Context& context);

struct DayPlan {
  core::Day day{};
  std::optional<core::TaperStep> step;
  std::vector<core::ScheduledDose> doses;
  core::DayComparison so_far;  // Planned versus what was logged that day.
};
Result<DayPlan> plan_for_day(Context& context, core::Day day);

Result<core::Plan> hold_plan(Context& context, std::string reason);
Result<core::Plan> resume_plan(Context& context);
// Re-plans from where the person is: from the most recent day (today or yesterday) that went
// over plan, starting the day after it; else from the last 7 days' pattern, starting today.
// The old steps stay in the new version's history (`earlier_steps`).
// With an idempotency key, a retry stores nothing and returns the version the first call made.
Result<core::Plan> adjust_plan(Context& context, const std::string& idempotency_key = "");

Result<std::string> plan_ics(Context& context, formats::Wording wording);

// For `mitra status` (and the home screen): the plan in force, today's and yesterday's plan
// versus actual, and whether holding is worth suggesting. Nullopt when there is no plan.
struct PlanStatus {
  core::Plan plan;
  std::optional<core::TaperStep> step;
  core::DayComparison today;
  core::DayComparison yesterday;
  bool held = false;
  core::HoldSuggestion suggestion;
};
Result<std::optional<PlanStatus>> plan_status(Context& context);

}  // namespace mitra::app
