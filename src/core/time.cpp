#include "core/time.hpp"

#include <cstdio>
#include <optional>
#include <stdexcept>

#include "core/text.hpp"

namespace mitra::core {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// What a time may be written as, the end of every refusal of a time.
Sentence accepted_times() {
  return sentence(
      "use ISO 8601 (2026-01-09T08:00:00Z, 2026-01-09T09:00+01:00, 2026-01-09 09:00), "
      "\"now\", \"08:30\", \"yesterday 22:00\" or \"2h ago\"");
}

// Reads exactly `count` digits at `pos`; advances `pos`.
std::optional<int> read_digits(std::string_view s, std::size_t& pos, std::size_t count) {
  if (pos + count > s.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

Instant from_local(date::local_seconds local, const TimeZone* zone) {
  const auto info = zone->get_info(local);
  switch (info.result) {
    case LocalInfo::unique:
      return Instant{local.time_since_epoch() - info.first.offset};
    case LocalInfo::ambiguous:
      // A wall time that happens twice (clocks going back): take the first.
      return Instant{local.time_since_epoch() - info.first.offset};
    case LocalInfo::nonexistent:
      // A wall time skipped by clocks going forward: move it forward by the gap.
      return Instant{local.time_since_epoch() - info.first.offset};
  }
  return Instant{local.time_since_epoch()};
}

struct ParsedClock {
  int hour = 0;
  int minute = 0;
  int second = 0;
};

std::optional<ParsedClock> read_clock(std::string_view s, std::size_t& pos) {
  auto h = read_digits(s, pos, 2);
  if (!h || pos >= s.size() || s[pos] != ':') return std::nullopt;
  ++pos;
  auto m = read_digits(s, pos, 2);
  if (!m) return std::nullopt;
  int sec = 0;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    auto sv = read_digits(s, pos, 2);
    if (!sv) return std::nullopt;
    sec = *sv;
    if (pos < s.size() && s[pos] == '.') {  // Fractions of a second are dropped.
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
  }
  if (*h > 23 || *m > 59 || sec > 59) return std::nullopt;
  return ParsedClock{*h, *m, sec};
}

std::optional<Instant> parse_iso(std::string_view s, const TimeZone* zone) {
  std::size_t pos = 0;
  auto y = read_digits(s, pos, 4);
  if (!y || pos >= s.size() || s[pos] != '-') return std::nullopt;
  ++pos;
  auto mo = read_digits(s, pos, 2);
  if (!mo || pos >= s.size() || s[pos] != '-') return std::nullopt;
  ++pos;
  auto d = read_digits(s, pos, 2);
  if (!d) return std::nullopt;
  const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*mo)},
                                 date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  ParsedClock clock{};
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
    ++pos;
    auto c = read_clock(s, pos);
    if (!c) return std::nullopt;
    clock = *c;
  }
  const auto wall =
      date::local_days{ymd} + hours{clock.hour} + minutes{clock.minute} + seconds{clock.second};
  if (pos == s.size()) {
    if (zone == nullptr) return std::nullopt;  // A wall time, and no zone to read it in.
    return from_local(wall, zone);
  }
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
    return Instant{wall.time_since_epoch()};
  }
  if (s[pos] == '+' || s[pos] == '-') {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    auto oh = read_digits(s, pos, 2);
    if (!oh) return std::nullopt;
    if (pos < s.size() && s[pos] == ':') ++pos;
    auto om = read_digits(s, pos, 2);
    if (!om || pos != s.size() || *oh > 23 || *om > 59) return std::nullopt;
    const minutes offset{sign * (*oh * 60 + *om)};
    return Instant{wall.time_since_epoch() - offset};
  }
  return std::nullopt;
}

// "2h ago", "45m ago", "1h30m ago", "3 days ago", "90 min ago".
std::optional<seconds> parse_ago(std::string_view s) {
  constexpr std::string_view kSuffix = " ago";
  if (s.size() <= kSuffix.size() || s.substr(s.size() - kSuffix.size()) != kSuffix) {
    return std::nullopt;
  }
  s = trim(s.substr(0, s.size() - kSuffix.size()));
  seconds total{0};
  bool any = false;
  std::size_t pos = 0;
  while (pos < s.size()) {
    long long value = 0;
    std::size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      value = value * 10 + (s[pos] - '0');
      if (value > 100000) return std::nullopt;
      ++pos;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    while (pos < s.size() && s[pos] == ' ') ++pos;
    std::size_t start = pos;
    while (pos < s.size() && s[pos] >= 'a' && s[pos] <= 'z') ++pos;
    const std::string_view unit = s.substr(start, pos - start);
    while (pos < s.size() && s[pos] == ' ') ++pos;
    if (unit == "m" || unit == "min" || unit == "mins" || unit == "minute" || unit == "minutes") {
      total += minutes{value};
    } else if (unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours") {
      total += hours{value};
    } else if (unit == "d" || unit == "day" || unit == "days") {
      total += days{value};
    } else {
      return std::nullopt;
    }
    any = true;
  }
  if (!any) return std::nullopt;
  return total;
}

}  // namespace

Result<const TimeZone*> find_zone(const Zones& zones, std::string_view name,
                                  std::string_view field) {
  const std::string_view trimmed = trim(name);
  const std::string f(field);
  if (trimmed.empty()) {
    return invalid(
        f, sentence("{field} is empty; give an IANA zone such as Europe/Berlin", {{"field", f}}));
  }
  if (const TimeZone* zone = zones.locate(trimmed)) return zone;
  return invalid(f, sentence("{field} \"{value}\" is not a known IANA time zone; use a name such "
                             "as America/New_York, Europe/Berlin or UTC",
                             {{"field", f}, {"value", trimmed}}));
}

const TimeZone* zone_or(const Zones& zones, std::string_view name, const TimeZone* fallback) {
  if (fallback != nullptr && fallback->name() == name) return fallback;
  return find_zone(zones, name).value_or(fallback);
}

Day journal_day(Instant t, const TimeZone* zone, minutes day_start) {
  const auto local = zone->to_local(t);
  return Day{date::floor<days>(local - day_start).time_since_epoch()};
}

Instant day_begin(Day day, const TimeZone* zone, minutes day_start) {
  const auto local = date::local_days{day.time_since_epoch()} + day_start;
  const auto info = zone->get_info(date::local_seconds{local});
  // A day start skipped by clocks going forward: the day begins when the clocks jump, the
  // first instant whose wall time is past the day start, which is where journal_day moves on.
  if (info.result == LocalInfo::nonexistent) return info.second.begin;
  return from_local(local, zone);
}

int local_minute_of_day(Instant t, const TimeZone* zone) {
  const auto local = zone->to_local(t);
  const auto since_midnight = local - date::floor<days>(local);
  return static_cast<int>(std::chrono::duration_cast<minutes>(since_midnight).count());
}

namespace {

// The formatting below is arithmetic, not date::format: that one goes through iostreams and
// the locale, and was the largest single cost of answering a write in `mitra serve` (a dose's
// JSON carries four times). Years outside 0000..9999 still go through date::format, which
// knows how to write them; tests compare the two on random instants in many zones.

void put_two(std::string& out, long long value) {
  out += static_cast<char>('0' + value / 10);
  out += static_cast<char>('0' + value % 10);
}

bool plain_year(Day day) {
  const int year = static_cast<int>(date::year_month_day{day}.year());
  return year >= 0 && year <= 9999;
}

// YYYY-MM-DD.
void put_date(std::string& out, Day day) {
  const date::year_month_day ymd{day};
  const int year = static_cast<int>(ymd.year());
  put_two(out, year / 100);
  put_two(out, year % 100);
  out += '-';
  put_two(out, static_cast<unsigned>(ymd.month()));
  out += '-';
  put_two(out, static_cast<unsigned>(ymd.day()));
}

// HH:MM, and :SS when asked, of the seconds since the start of a day.
void put_clock(std::string& out, seconds since_midnight, bool with_seconds) {
  const long long total = since_midnight.count();
  put_two(out, total / 3600);
  out += ':';
  put_two(out, total / 60 % 60);
  if (with_seconds) {
    out += ':';
    put_two(out, total % 60);
  }
}

// YYYY-MM-DDTHH:MM:SS of a count of seconds since 1970-01-01 00:00 (in UTC or in wall time).
void put_date_time(std::string& out, seconds since_epoch) {
  const auto day = date::floor<days>(date::sys_seconds{since_epoch});
  put_date(out, day);
  out += 'T';
  put_clock(out, date::sys_seconds{since_epoch} - day, true);
}

}  // namespace

std::string format_utc(Instant t) {
  if (!plain_year(date::floor<days>(t))) return date::format("%Y-%m-%dT%H:%M:%SZ", t);
  std::string out;
  out.reserve(20);
  put_date_time(out, t.time_since_epoch());
  out += 'Z';
  return out;
}

std::string format_local(Instant t, const TimeZone* zone) {
  const auto offset = zone->offset(t);
  const auto wall = t.time_since_epoch() + offset;
  std::string out;
  if (plain_year(date::floor<days>(date::sys_seconds{wall}))) {
    out.reserve(25);
    put_date_time(out, wall);
  } else {
    out = date::format("%Y-%m-%dT%H:%M:%S", date::local_seconds{wall});
  }
  // Like %z: the offset's hours and minutes, any seconds of an old local mean time dropped.
  out += offset < seconds{0} ? '-' : '+';
  put_clock(out, offset < seconds{0} ? -offset : offset, false);
  return out;
}

std::string format_date(Day day) {
  if (!plain_year(day)) return date::format("%Y-%m-%d", day);
  std::string out;
  out.reserve(10);
  put_date(out, day);
  return out;
}

std::string format_time_of_day(std::chrono::minutes minutes) {
  const auto m = ((minutes.count() % (24 * 60)) + 24 * 60) % (24 * 60);
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", static_cast<int>(m / 60),
                static_cast<int>(m % 60));
  return buffer;
}

std::string format_clock(Instant t, const TimeZone* zone) {
  std::string out;
  out.reserve(5);
  put_clock(out, minutes{local_minute_of_day(t, zone)}, false);
  return out;
}

std::string format_duration(seconds duration) {
  const bool negative = duration.count() < 0;
  if (negative) duration = -duration;
  const auto total_minutes = std::chrono::duration_cast<minutes>(duration).count();
  const long long d = total_minutes / (24 * 60);
  const long long h = (total_minutes / 60) % 24;
  const long long m = total_minutes % 60;
  std::string out;
  if (d > 0) out += std::to_string(d) + (d == 1 ? " day " : " days ");
  if (d > 0 || h > 0) out += std::to_string(h) + " h";
  if (d == 0) {
    if (!out.empty()) out += " ";
    out += std::to_string(m) + " min";
  }
  return (negative ? "-" : "") + out;
}

Result<Instant> parse_instant(std::string_view text, std::string_view field) {
  const std::string lowered = ascii_lower(trim(text));
  if (auto iso = parse_iso(lowered, nullptr)) return *iso;
  const std::string f(field);
  return invalid(f, sentence("{field} \"{value}\" must be an ISO 8601 instant with Z or an "
                             "offset, e.g. 2026-01-09T08:00:00Z",
                             {{"field", f}, {"value", trim(text)}}));
}

Result<Instant> parse_time(std::string_view text, Instant now, const TimeZone* zone,
                           std::string_view field) {
  const std::string f(field);
  const std::string lowered = ascii_lower(trim(text));
  const std::string_view s = lowered;
  if (s.empty()) {
    return invalid(f, sentence("{field} is empty; {accepted}", {{"field", f}})
                          .with("accepted", accepted_times()));
  }
  if (s == "now") return now;
  if (auto iso = parse_iso(s, zone)) return *iso;
  if (auto ago = parse_ago(s)) return now - *ago;

  // "[today|yesterday] HH:MM"
  std::string_view rest = s;
  int day_shift = 0;
  bool explicit_day = false;
  if (rest.substr(0, 9) == "yesterday") {
    day_shift = -1;
    explicit_day = true;
    rest = trim(rest.substr(9));
  } else if (rest.substr(0, 5) == "today") {
    explicit_day = true;
    rest = trim(rest.substr(5));
  }
  std::string padded(rest);
  if (padded.size() == 4 && padded[1] == ':') padded.insert(0, "0");  // "8:30"
  std::size_t pos = 0;
  auto clock = read_clock(padded, pos);
  if (clock && pos == padded.size()) {
    const auto local_now = zone->to_local(now);
    auto local_day = date::floor<days>(local_now) + days{day_shift};
    auto candidate = from_local(
        local_day + hours{clock->hour} + minutes{clock->minute} + seconds{clock->second}, zone);
    if (!explicit_day && candidate > now) {
      // A bare clock time means the latest such time that has already passed.
      candidate = from_local(local_day - days{1} + hours{clock->hour} + minutes{clock->minute} +
                                 seconds{clock->second},
                             zone);
    }
    return candidate;
  }
  return invalid(f, sentence("{field} \"{value}\" is not a time I can read; {accepted}",
                             {{"field", f}, {"value", trim(text)}})
                        .with("accepted", accepted_times()));
}

Result<Day> parse_date(std::string_view text, std::string_view field) {
  const std::string f(field);
  const std::string_view s = trim(text);
  std::size_t pos = 0;
  auto y = read_digits(s, pos, 4);
  bool ok = y && pos < s.size() && s[pos++] == '-';
  auto m = ok ? read_digits(s, pos, 2) : std::nullopt;
  ok = ok && m && pos < s.size() && s[pos++] == '-';
  auto d = ok ? read_digits(s, pos, 2) : std::nullopt;
  if (ok && d && pos == s.size()) {
    const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                   date::day{static_cast<unsigned>(*d)}};
    if (ymd.ok()) return Day{ymd};
  }
  return invalid(f, sentence("{field} \"{value}\" is not a date; use YYYY-MM-DD, e.g. 2026-01-09",
                             {{"field", f}, {"value", s}}));
}

Result<minutes> parse_clock(std::string_view text, std::string_view field) {
  const std::string f(field);
  std::string s(trim(text));
  if (s.size() == 4 && s[1] == ':') s.insert(0, "0");
  std::size_t pos = 0;
  auto clock = read_clock(s, pos);
  if (!clock || pos != s.size() || clock->second != 0) {
    return invalid(f, sentence("{field} \"{value}\" is not a clock time; use HH:MM from 00:00 to "
                               "23:59",
                               {{"field", f}, {"value", trim(text)}}));
  }
  return minutes{clock->hour * 60 + clock->minute};
}

Result<Instant> validate_past_time(Instant t, Instant now, std::string_view field) {
  const std::string f(field);
  if (t > now + kClockSkew) {
    return invalid(f, sentence("{field} {time} is in the future (now is {now}); only what has "
                               "already happened can be logged (a clock up to 5 minutes fast is "
                               "allowed)",
                               {{"field", f}, {"time", format_utc(t)}, {"now", format_utc(now)}}));
  }
  if (t < kEarliestInstant) {
    return invalid(f, sentence("{field} {time} is before 1990; check the date",
                               {{"field", f}, {"time", format_utc(t)}}));
  }
  return t;
}

}  // namespace mitra::core
