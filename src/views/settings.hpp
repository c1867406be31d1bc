#pragma once
// The documents of the person's own set-up: the settings (`mitra setup`, GET/PUT
// /api/v1/settings) and the profile (`mitra profile`, GET/PUT /api/v1/profile).

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "core/profile.hpp"

namespace mitra::views {

// {"zone","zone_in_use","day_start","configured","language"}: "zone" is the saved zone (or the
// machine's before setup); "zone_in_use" differs from it only when --tz was given, which wins for
// every command or request but is never saved. "language": the web app's saved language ("en",
// "es"), or null when it follows the browser.
nlohmann::json settings_json(const app::Context& context);

// {"profile": {…}, "saved": bool, "pathways": [the care pathways that fit it]}.
enum class Saved { no, yes };
nlohmann::json profile_json(const core::Profile& profile, Saved saved,
                            core::Language language = core::kDefaultLanguage);

}  // namespace mitra::views
