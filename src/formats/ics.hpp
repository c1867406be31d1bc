#pragma once
// A taper plan as an RFC 5545 calendar, written and read back through libical.
//
// Each planned dose is one VEVENT at its wall-clock time in the plan's zone, with a VALARM
// reminder. The calendar carries a VTIMEZONE built from the tz database (core::TimeZone) with every
// offset change in the exported range, so calendar programs place doses correctly across
// daylight-saving changes. Titles are discreet by default ("Reminder": no product name, no
// "kratom"); `Wording::descriptive` is the person's opt-in for explicit titles.
//
// UIDs are stable: "<plan_id>-<YYYYMMDD>-<n>@mitra" for the n-th dose of a day, the same in
// every version of a plan, with SEQUENCE set to the plan version so a re-import updates events.
// A dose an earlier version had on a day where this version has fewer is written as a
// cancelled event (STATUS:CANCELLED, no reminder), so a calendar that imported the earlier
// version drops it instead of reminding the person of a dose the plan no longer has. The doses
// still to come of a plan this one replaced are cancelled the same way (IcsOptions); the app
// passes only the plan replaced last (app::plan_ics), so the file stays bounded.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/taper.hpp"
#include "core/time.hpp"

namespace mitra::formats {

enum class Wording { discreet, descriptive };

struct IcsOptions {
  Wording wording = Wording::discreet;
  // The zone the plan is shown in (the person's zone now): doses are written at the wall times
  // `plan today` shows, in this zone. Default (null): the zone the plan was made in.
  const core::TimeZone* zone = nullptr;
  // Where the zone a plan was made in is looked up (the OS database, from the caller). Needed
  // when `zone` is null or replaced plans are given; without it those are refused ("tz").
  const core::Zones* zones = nullptr;
  std::optional<core::Day> from;  // First day exported; default: the plan's first step.
  std::optional<core::Day> to;    // Last day exported (inclusive); default: the last step's end.
  std::chrono::minutes reminder_before{0};  // The alarm fires this long before the dose.
  std::chrono::minutes duration{15};
  core::Instant stamp{};  // DTSTAMP: when the file is made; passed in so output is reproducible.
  // Earlier versions of the same plan (any order), for the cancelled events described above.
  std::vector<core::Plan> earlier_versions;
  // Plans this one replaced (`plan new`), each as its newest version (with `version` set):
  // their doses from `replaced_from` (default: `from`) to their own end, at most kMaxIcsDays
  // days, go out as cancelled events under their own UIDs, with SEQUENCE one above that
  // version's, so a calendar that imported a replaced plan stops reminding of its doses.
  std::vector<core::Plan> replaced_plans;
  std::optional<core::Day> replaced_from;
};

// The longest range one export may cover.
inline constexpr int kMaxIcsDays = 1100;

// Errors: the zone is unknown ("tz"), the range is empty or longer than kMaxIcsDays ("to").
core::Result<std::string> plan_to_ics(const core::Plan& plan, const IcsOptions& options);

// One VEVENT as libical reads it back, for tests and for checking an export.
struct IcsEvent {
  std::string uid;
  std::string summary;
  std::string description;
  std::string tzid;
  core::Instant starts_at{};  // Resolved to UTC through the calendar's own VTIMEZONE.
  int sequence = 0;
  int alarms = 0;
  bool cancelled = false;  // STATUS:CANCELLED.
};

// Parses `text` with libical; fails ("ics") when libical reports any parse error.
core::Result<std::vector<IcsEvent>> read_ics_events(const std::string& text);

}  // namespace mitra::formats
