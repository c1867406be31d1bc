#pragma once
// The status use case: where the person is now, built on the pattern, the plan, withdrawal and
// the safety rules. The top of app: nothing else in app includes it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "app/context.hpp"
#include "app/plan.hpp"
#include "core/pattern.hpp"
#include "core/safety.hpp"
#include "core/withdrawal.hpp"

namespace mitra::app {

struct StatusReport {
  std::optional<core::Dose> last_dose;
  std::optional<std::chrono::seconds> since_last_dose;
  core::Day today{};
  int today_dose_count = 0;                // Doses today up to now.
  std::int64_t today_mass_micrograms = 0;  // Doses whose mass is known.
  int today_doses_without_mass = 0;
  core::Pattern week;                                // The last 7 journal days.
  std::optional<core::WithdrawalStatus> withdrawal;  // None before the first dose.
  // Urgent advisories that the person's own records or profile set off (the ones shown to
  // everyone, such as 988, are on every screen already).
  std::vector<core::Advisory> urgent;
  std::optional<PlanStatus> plan;  // None without a plan.
};

// Reads what the last 7 journal days, the last dose and the urgent advisories need, and no
// more: the week's doses once, without notes and triggers (today is the week's last day), and
// for the advisories only the doses their rules can look at (see docs/architecture.md).
Result<StatusReport> status(Context& context);

}  // namespace mitra::app
