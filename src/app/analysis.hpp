#pragma once
// Use cases that read the journal and explain it: status and pattern.

#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/plan.hpp"
#include "core/pattern.hpp"
#include "core/safety.hpp"
#include "core/withdrawal.hpp"

namespace mitra::app {

// Loads the doses the pattern of the last `days` journal days needs and analyses them.
// `days` must be from 1 to 3650.
Result<core::Pattern> pattern(Context& context, int days);

// The doses of journal day `day` taken by now (one up to core::kClockSkew ahead counts as
// taken), each placed on its day in its own zone as the pattern places it;
// brief records (no note or triggers), oldest first. Status's "doses today" and the plan's "so
// far" both count these: after a change of zone they counted different doses (issue 14, item 11).
Result<std::vector<core::Dose>> doses_of_day(Context& context, core::Day day);

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
