#pragma once
// The withdrawal document: `mitra withdrawal` (--json) and GET /api/v1/withdrawal.

#include <optional>

#include <nlohmann/json.hpp>

#include "core/withdrawal.hpp"

namespace mitra::views {

// Where the person is since the last dose: "last_dose_at" (and "_local"), "phase", its guide
// ("title", "timing", "what_happens", "what_helps", "sources"), "next" and "next_phase_at" (and
// "_local"), the notes, "red_flags" and the SOWS check-ins since the last dose ("sows"). Without
// a dose: last_dose_at, hours_since_last_dose, phase, next_phase and next_phase_at, all null.
// With a dose, "language" is the language its texts are in: `language`, or "en" when the
// withdrawal texts have no translation (docs/languages.md).
nlohmann::json withdrawal_json(const std::optional<core::WithdrawalStatus>& status,
                               const core::TimeZone* zone,
                               core::Language language = core::kDefaultLanguage);

}  // namespace mitra::views
