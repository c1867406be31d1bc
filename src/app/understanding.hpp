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
// Validates `document` (formats::profile_from_json) and saves it whole.
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

// Days of journal before the last dose whose pattern the withdrawal guidance reads.
inline constexpr int kWithdrawalPatternDays = 7;

// The newest dose taken by `context.now`: at most core::kClockSkew after it (a clock a little
// fast), never one later (a journal read as of an earlier --now). nullopt when there is none.
Result<std::optional<core::Dose>> last_dose_by_now(Context& context);

// The withdrawal timeline from the last dose taken by now; nullopt when no dose is logged.
// Uses doses per day over the 7 journal days that end with the last dose (the pattern before
// it, not the days since: issue 14, item 5; over fewer days when the journal began within
// them), years of use from the profile, and SOWS check-ins since the last dose.
Result<std::optional<core::WithdrawalStatus>> withdrawal(Context& context);
// The same from the last dose, when the caller has it already (status).
Result<std::optional<core::WithdrawalStatus>> withdrawal(Context& context,
                                                         const std::optional<core::Dose>& last);

// Look-back for advisories: the longest condition window in data/advisories.json.
inline constexpr std::chrono::days kSafetyLookback{90};

// Advisories from the last 90 days of doses and substance uses and the profile.
Result<std::vector<core::Advisory>> safety(Context& context);

}  // namespace mitra::app
