#pragma once
// Taper plan use cases: make a plan, read it, today's doses, hold, resume, adjust after a slip,
// export to a calendar, and the plan-versus-actual summary `mitra status` shows.
// Every change stores a new plan version; nothing is overwritten (store::Store::add_plan_version).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
  std::optional<core::Day> start;   // Default: today.
  std::chrono::minutes wake{7 * 60};
  std::chrono::minutes sleep{23 * 60};
  std::optional<core::Amount> resolution;  // Default: 0.1 of the dose's unit, 1 for capsules.
  // Given explicitly; otherwise derived from the last 7 journal days.
  std::optional<core::DosingPattern> pattern;
  // The product form to plan for when the last 7 days mix forms of different strength (leaf,
  // extract, 7-OH…): only doses of this form (leaf powder and capsules count as one) are used.
  std::optional<core::Form> form;
  // A retry with the same key stores nothing and returns the plan the first call made.
  std::string idempotency_key;
};

// A pattern the person gives instead of the journal's: all three parts, or none (nullopt).
// `interval_hours` may be left out for one dose a day. Errors name `pattern` or `amount`.
Result<std::optional<core::DosingPattern>> given_pattern(std::optional<int> doses_per_day,
                                                         std::optional<double> interval_hours,
                                                         const std::string& amount_per_dose);

// The pattern of the last 7 journal days as the planner needs it (doses per day on days with
// doses, median interval to the half hour, mean grams per dose), or nullopt with no doses.
// With `form`, only doses of that strength group count.
Result<std::optional<core::DosingPattern>> recent_pattern(
    Context& context, std::optional<core::Form> form = std::nullopt);

// The strength groups of the doses in the last 7 journal days ("leaf" for leaf powder and
// capsules, else the form's name), in first-seen order. More than one means the amounts must
// never be added together: `plan new` then needs a form to plan for.
Result<std::vector<std::string>> recent_forms(Context& context);
// "leaf" for leaf_powder and capsules (both grams of leaf), else core::to_string(form).
std::string strength_group(core::Form form);

Result<core::Plan> new_plan(Context& context, const NewPlanRequest& request);

// The current plan; not_found when none was made.
Result<core::Plan> current_plan(Context& context);

struct DayPlan {
  core::Day day{};
  std::optional<core::TaperStep> step;
  std::vector<core::ScheduledDose> doses;
  core::DayComparison so_far;  // Planned versus what was logged that day.
};
Result<DayPlan> plan_for_day(Context& context, core::Day day);
// {"day","doses":[{"at","at_local","amount","unit"}],"step":{…}|null,"so_far":{…}}, the keys
// of `mitra --json plan today`.
nlohmann::json day_plan_json(const Context& context, const DayPlan& day_plan);

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

// {"plan_id","version","held","step":{…}|null,"today":{…},"yesterday":{…},"slip":bool,
//  "hold_suggested":bool,"hold_reason"}; and two or three lines of text for people.
nlohmann::json plan_status_json(const PlanStatus& status);
std::string plan_status_text(const PlanStatus& status);

nlohmann::json day_comparison_json(const core::DayComparison& comparison);

}  // namespace mitra::app
