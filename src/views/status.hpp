#pragma once
// The status document: `mitra status` (--json) and GET /api/v1/status.

#include <nlohmann/json.hpp>

#include "app/status.hpp"

namespace mitra::views {

// {"now","zone","today","last_dose","last_dose_at","hours_since_last_dose","today_doses",
//  "today_amount","unit","today_doses_without_known_mass","week","phase","next_phase",
//  "next_phase_at","urgent_advisories","plan"}.
nlohmann::json status_json(const app::Context& context, const app::StatusReport& report);

}  // namespace mitra::views
