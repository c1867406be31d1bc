#pragma once
// An IANA time zone as the operating system compiles it: a TZif file (RFC 8536), read from its
// bytes. core never opens the file itself (core/time.hpp, `Zones`; app/zones.cpp reads it).
//
// mitra's own reader, not the date library's: date's reader walks the whole zoneinfo folder on
// its first lookup and needs the C++ runtime as a shared library (docs/architecture.md,
// "Start-up"). This one reads one zone's file when that zone is first used, and it also follows
// the file's closing rule (the POSIX TZ string) past the file's last transition, as RFC 8536
// asks, where date's kept the last offset for ever.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>
#include <tl/expected.hpp>

namespace mitra::core {

// A span of time over which a zone keeps one offset and abbreviation.
struct ZoneInfo {
  std::chrono::sys_seconds begin;  // The first instant of the span.
  std::chrono::sys_seconds end;    // The first instant after it.
  std::chrono::seconds offset;     // Wall-clock time minus UTC.
  bool dst = false;                // Daylight-saving time.
  std::string abbrev;              // "CET", "CEST", "+0530" …
};

// Where a wall-clock time falls in a zone.
struct LocalInfo {
  enum : int { unique, nonexistent, ambiguous };
  int result = unique;
  // unique: the span it falls in; ambiguous (clocks going back): the earlier of the two spans;
  // nonexistent (skipped by clocks going forward): the span before the gap.
  ZoneInfo first;
  // ambiguous: the later span; nonexistent: the span after the gap; otherwise empty.
  ZoneInfo second;
};

// Which instant a wall-clock time that happens twice stands for.
enum class Choose { earliest, latest };

class TimeZone {
 public:
  // The zone `name` from the bytes of its TZif file (versions 1 to 4). Zones with leap-second
  // records ("right/…") are refused, as are files whose counts, indexes or offsets do not hold
  // together; the error says what was wrong, for the log and for tests.
  static tl::expected<TimeZone, std::string> from_tzif(std::string name, std::string_view bytes);
  // A zone at one fixed offset ("UTC", when the system has no zone files).
  static TimeZone fixed(std::string name, std::chrono::seconds offset, std::string abbrev);

  const std::string& name() const { return name_; }

  // The span that instant `t` falls in.
  ZoneInfo get_info(std::chrono::sys_seconds t) const;
  // Where the wall-clock time `t` falls.
  LocalInfo get_info(date::local_seconds t) const;

  // Wall-clock time minus UTC at `t` (get_info(t).offset without building the span).
  std::chrono::seconds offset(std::chrono::sys_seconds t) const;
  // The wall-clock time of `t`.
  date::local_seconds to_local(std::chrono::sys_seconds t) const {
    return date::local_seconds{t.time_since_epoch() + offset(t)};
  }
  // The instant of wall-clock time `t`: for a time that happens twice, the one `choose` says;
  // for a time skipped by the clocks going forward, the instant they jumped.
  std::chrono::sys_seconds to_sys(date::local_seconds t, Choose choose) const;

  // One kind of time the zone keeps, and a change to it (public for the reader in the .cpp).
  struct Type {
    std::int32_t offset = 0;
    bool dst = false;
    std::string abbrev;
  };
  struct Change {
    std::int64_t at;     // Seconds since 1970 (UTC).
    std::uint16_t type;  // Index into types_.
  };
  // The closing rule of a TZif file with daylight-saving time: the days and times of the
  // yearly changes to (start) and from (end) daylight-saving time.
  struct RuleDay {
    char kind = 'M';  // 'J': day 1..365, no Feb 29; 'n': day 0..365; 'M': month.week.weekday.
    int number = 0;   // For 'J' and 'n'.
    int month = 0, week = 0, weekday = 0;  // For 'M' (week 5: the last).
    std::int32_t time = 7200;  // Seconds after local midnight (may be negative, or past 24 h).
  };
  struct Rule {
    std::uint16_t standard = 0;  // Index into types_.
    std::uint16_t daylight = 0;
    RuleDay start;
    RuleDay end;
  };

 private:
  struct Span {
    std::int64_t begin;
    std::int64_t end;
    std::uint16_t type;
  };

  TimeZone() = default;
  Span span_at(std::int64_t t) const;
  Span rule_span(std::int64_t t) const;
  ZoneInfo info(const Span& span) const;
  // The changes the closing rule makes in years first..last, in order.
  std::vector<Change> rule_changes(int first, int last) const;
  // The same, raw: a year's last change may be undone by the next year's first.
  std::vector<Change> yearly_changes(int first, int last) const;
  bool same_type(std::uint16_t a, std::uint16_t b) const;
  // Appends `change` to `changes` unless it changes nothing; a change at the instant of the
  // last one replaces it.
  void push_change(std::vector<Change>& changes, Change change) const;

  std::string name_;
  std::vector<Type> types_;
  std::vector<Change> changes_;  // Ascending; no two in a row of the same type.
  std::uint16_t initial_ = 0;    // The type before the first change.
  bool has_rule_ = false;        // `rule_` holds, and changes_ ends where it takes over.
  Rule rule_;
};

}  // namespace mitra::core
