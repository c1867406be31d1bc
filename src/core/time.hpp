#pragma once
// The time model. Instants are UTC seconds; every record keeps the IANA zone the
// person was in, so travel and daylight-saving changes never move a logged dose.
// A "journal day" begins at a configurable hour (default 04:00), so a 1 a.m. dose
// belongs to the evening before. Nothing here reads the clock: `now` is always passed in.

#include <chrono>
#include <string>
#include <string_view>

#include <date/date.h>

#include "core/error.hpp"
#include "core/time_zone.hpp"

namespace mitra::core {

using Instant = std::chrono::sys_seconds;
using Day = date::sys_days;  // A journal day, named by its civil date.

inline constexpr std::chrono::minutes kDefaultDayStart{4 * 60};

// The IANA time-zone database as core sees it: a name in, a zone out. core never opens the
// operating system's zone files itself; the caller gives it the database (app::system_zones()
// reads the OS's; a test may give a smaller one).
class Zones {
 public:
  virtual ~Zones() = default;
  // The zone called `name` ("Europe/Berlin"), or nullptr when the database has none.
  virtual const TimeZone* locate(std::string_view name) const = 0;
};

// Looks up an IANA zone ("Europe/Berlin") in `zones`. The error names `field` ("tz").
Result<const TimeZone*> find_zone(const Zones& zones, std::string_view name,
                                  std::string_view field = "tz");
// The zone a record was logged in: `name`, or `fallback` when the database does not know it.
// Most records carry the zone in use, which is returned without a lookup.
const TimeZone* zone_or(const Zones& zones, std::string_view name, const TimeZone* fallback);

// The journal day an instant belongs to, in `zone`, with days starting at `day_start`
// after local midnight.
Day journal_day(Instant t, const TimeZone* zone, std::chrono::minutes day_start);

// The first instant of journal day `day` in `zone` (DST gaps resolve to the later instant).
Instant day_begin(Day day, const TimeZone* zone, std::chrono::minutes day_start);

// Minutes after local midnight of the wall-clock time of `t` in `zone` (0..1439).
int local_minute_of_day(Instant t, const TimeZone* zone);

// "2026-01-09T08:00:00Z".
std::string format_utc(Instant t);
// "2026-01-09T09:00:00+01:00": the wall time in `zone` with its offset.
std::string format_local(Instant t, const TimeZone* zone);
// "2026-01-09".
std::string format_date(Day day);
// "08:30".
std::string format_clock(Instant t, const TimeZone* zone);
// A time of day given as minutes after midnight, "HH:MM" (e.g. a day start of 05:00).
std::string format_time_of_day(std::chrono::minutes minutes);
// "3 h 20 min", "2 days 4 h": a duration for people, to the minute.
std::string format_duration(std::chrono::seconds duration);

// Parses a TIME as the CLI and API accept it, relative to `now` in `zone`:
//  - ISO 8601 with Z or an offset: 2026-01-09T08:00:00Z, 2026-01-09T09:00+01:00
//  - ISO 8601 wall time, read in `zone`: 2026-01-09T09:00, "2026-01-09 09:00"
//  - friendly forms: "now", "08:30" (the latest such time not after now),
//    "yesterday 22:00", "today 07:15", "2h ago", "45m ago", "1h30m ago", "3 days ago".
// The error names `field` and shows accepted forms.
Result<Instant> parse_time(std::string_view text, Instant now, const TimeZone* zone,
                           std::string_view field = "time");

// Parses an instant as stored data holds it, no zone needed: ISO 8601 with Z or an offset
// ("2026-01-09T08:00:00Z", "2026-01-09T09:00+01:00"). Anything else, a wall time without an
// offset or a friendly form included, is refused naming `field`.
Result<Instant> parse_instant(std::string_view text, std::string_view field);

// Parses YYYY-MM-DD.
Result<Day> parse_date(std::string_view text, std::string_view field = "date");

// Parses HH:MM into minutes after midnight.
Result<std::chrono::minutes> parse_clock(std::string_view text, std::string_view field);

// The earliest instant a journal may hold; anything before is surely an error.
inline constexpr Instant kEarliestInstant{std::chrono::seconds{631152000}};  // 1990-01-01

// How far ahead of `now` a record's time may be: a phone's or a second machine's clock running
// a little fast (issue 14, item 6). Such a record is stored as given, and every read treats it
// as taken now (never "after now", never a negative time since).
inline constexpr std::chrono::seconds kClockSkew{5 * 60};

// A record's time must not be more than kClockSkew in the future, nor before 1990.
Result<Instant> validate_past_time(Instant t, Instant now, std::string_view field);

}  // namespace mitra::core
