#pragma once
// The profile as one JSON document: what the app saves (the setting "profile") and what
// `mitra profile --set` and PUT /api/v1/profile read.

#include <nlohmann/json.hpp>

#include "core/profile.hpp"

namespace mitra::formats {

// {"prescription_opioid_use": true, …, "years_of_use": 2.5, "reasons": ["pain"], "other_reason":
// ""}. Unanswered fields are omitted.
nlohmann::json to_json(const core::Profile& profile);
// Reads the object above. Unknown keys, wrong types, out-of-range years, unknown or repeated
// reasons are refused with the field named ("profile.years_of_use", "profile.reasons").
core::Result<core::Profile> profile_from_json(const nlohmann::json& json);

}  // namespace mitra::formats
