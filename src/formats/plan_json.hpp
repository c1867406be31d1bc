#pragma once
// A taper plan as one JSON document: what the store keeps for each plan version
// (store::PlanVersion::body_json) and what `mitra plan new|show --json` prints. Lossless:
// `plan_from_json(plan_to_json(p)) == p` for every plan. The shape is documented in docs/taper.md.

#include <string>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/taper.hpp"

namespace mitra::formats {

inline constexpr int kPlanFormatVersion = 1;

// {"format":"mitra.plan","format_version":1,"plan_id","version","reason","unit","inputs":{…},
//  "pace_rule":{…},"steps":[{"starts_on","ends_on","kind","doses_per_day","interval_hours",
//  "amount_per_dose","last_dose","daily_total","reason"}…],"earlier_steps":[…],
//  "holds":[{"from","until","reason"}…]}
// Each step's "reason" (core::step_reasons) is written for people and ignored when read back.
// Amounts are decimal numbers in `unit`; intervals are hours (3.5 for 3 h 30 min).
nlohmann::json plan_to_json(const core::Plan& plan);
// One step in the shape above, for callers that print steps alone.
nlohmann::json step_to_json(const core::TaperStep& step);

// Reads what `plan_to_json` writes. Errors name the field, e.g. "steps[2].daily_total".
core::Result<core::Plan> plan_from_json(const nlohmann::json& j);
// Parses text first; a syntax error names the field "plan".
core::Result<core::Plan> plan_from_json_text(const std::string& text);

}  // namespace mitra::formats
