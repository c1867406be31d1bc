#pragma once
// Use cases of "understanding and safety": reflect, check in, withdrawal, safety, profile.
// Each validates first and writes nothing on error. Learn and help need no store: the CLI
// reads core::facts_for / core::help_resources directly.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "core/instruments.hpp"
#include "core/pattern.hpp"
#include "core/profile.hpp"
#include "core/safety.hpp"
#include "core/withdrawal.hpp"

namespace mitra::app {

// The profile saved as the setting "profile"; an empty profile when none was saved.
Result<core::Profile> load_profile(Context& context);
// Validates `document` (core::profile_from_json) and saves it whole.
Result<core::Profile> save_profile(Context& context, const nlohmann::json& document);

struct AssessmentResult {
  std::string id;  // The stored assessment's id.
  core::Score score;
  std::vector<core::Pathway> pathways;  // For reflections: from the profile and the band.
};

// Scores `document` ({"answers": …}) for `instrument_id` and stores it with `context.now`.
// For "dsm5" and "reflection" the care pathways that fit the profile are attached.
// With an idempotency key, a retry stores nothing and returns the first call's id; the same
// key with other answers or another instrument is a conflict.
Result<AssessmentResult> assess(Context& context, const std::string& instrument_id,
                                const nlohmann::json& document,
                                const std::string& idempotency_key = "");

// The withdrawal timeline from the last logged dose; nullopt when no dose is logged.
// Uses doses per day over the last 7 journal days, years of use from the profile, and SOWS
// check-ins since the last dose.
Result<std::optional<core::WithdrawalStatus>> withdrawal(Context& context);
// The same from the last dose and the pattern of the last 7 journal days, when the caller
// has them already (status).
Result<std::optional<core::WithdrawalStatus>> withdrawal(Context& context,
                                                         const std::optional<core::Dose>& last,
                                                         const core::Pattern& week);

// Look-back for advisories: the longest condition window in data/advisories.json.
inline constexpr std::chrono::days kSafetyLookback{90};

// Advisories from the last 90 days of doses and substance uses and the profile.
Result<std::vector<core::Advisory>> safety(Context& context);

}  // namespace mitra::app
