#pragma once
// The documents of taper plans: `mitra plan new|show|today|hold|resume|adjust` (--json) and
// GET/POST /api/v1/plans, /plans/current/{today,status,hold,resume,adjust}; the plan part of
// the status document. The plan itself is the lossless plan format (formats/plan_json.hpp,
// docs/taper.md).

#include <string>

#include <nlohmann/json.hpp>

#include "app/plan.hpp"
#include "core/taper.hpp"

namespace mitra::views {

// The plan in the plan format (formats::plan_to_json): `plan show`, GET /plans/current, and the
// answers of hold, resume and adjust.
// Its texts (each step's reason, the pace's summary and description, the notes) are in
// `language`; the plan is stored with them in English (formats/plan_json.cpp), and they are
// derived from the plan, never read back, so they are written again here.
nlohmann::json plan_json(const core::Plan& plan, core::Language language = core::Language::en);
// A new plan (`plan new`, POST /plans): plan_json and "before_you_start" ([{"text","sources"}]),
// "start_note" (text or null) and "preview"; a preview has "plan_id": null (nothing stored).
enum class Stored { yes, preview };
nlohmann::json new_plan_json(const core::Plan& plan, const app::PlanAdvice& advice, Stored stored,
                             core::Language language = core::Language::en);

// {"day","doses":[{"at","at_local","amount","unit"}],"step":{…}|null,"so_far":{…}}:
// `plan today` and GET /plans/current/today.
nlohmann::json day_plan_json(const app::DayPlan& day_plan, const core::TimeZone* zone);

// {"day","planned_doses","planned_amount","actual_doses","actual_amount",
//  "doses_in_other_units","in_plan","over_plan"}.
nlohmann::json day_comparison_json(const core::DayComparison& comparison);

// {"plan_id","version","unit","held","step":{…}|null,"today":{…},"yesterday":{…},"slip",
//  "hold_suggested","hold_reason"}: the "plan" of the status document.
nlohmann::json plan_status_json(const app::PlanStatus& status);
// Two or three lines for people: the step in force and today against the plan.
std::string plan_status_text(const app::PlanStatus& status,
                             core::Language language = core::kDefaultLanguage);
// GET /plans/current/status: plan_status_json and its "text".
nlohmann::json plan_status_document(const app::PlanStatus& status,
                                    core::Language language = core::kDefaultLanguage);

}  // namespace mitra::views
