// libFuzzer harness: the time-expression parser (core/time): parse_time, parse_date and
// parse_clock. The first byte picks the zone and "now" (near daylight-saving changes); the rest
// is the text. Properties: nothing crashes or throws; a parsed instant lies within its journal
// day; its UTC form parses back to it; a date and a clock time format back to themselves.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "app/zones.hpp"
#include "core/time.hpp"
#include "fuzz_check.hpp"

using namespace mitra::core;

namespace {

const mitra::core::TimeZone* zone_number(std::size_t n) {
  static const std::array<const mitra::core::TimeZone*, 6> zones{
      mitra::app::system_zones().locate("UTC"),
      mitra::app::system_zones().locate("Europe/Berlin"),
      mitra::app::system_zones().locate("America/New_York"),
      mitra::app::system_zones().locate("Asia/Kolkata"),
      mitra::app::system_zones().locate("Australia/Lord_Howe"),
      mitra::app::system_zones().locate("Pacific/Chatham")};
  return zones[n % zones.size()];
}

Instant now_number(std::size_t n) {
  static const std::array<Instant, 4> nows{
      Instant{std::chrono::seconds{1767945600}},  // 2026-01-09T08:00:00Z
      Instant{std::chrono::seconds{1774744200}},  // 2026-03-29T00:30:00Z, Berlin springs forward
      Instant{std::chrono::seconds{1793509200}},  // 2026-11-01T05:00:00Z, New York falls back
      Instant{std::chrono::seconds{1775352600}},  // 2026-04-05T01:30:00Z, Lord Howe's half hour
  };
  return nows[n % nows.size()];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto* zone = zone_number(data[0]);
  const auto now = now_number(data[0] / 8u);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  if (auto t = parse_time(text, now, zone)) {
    const std::string utc = format_utc(*t);
    (void)format_local(*t, zone);
    (void)format_clock(*t, zone);
    const int minute = local_minute_of_day(*t, zone);
    FUZZ_CHECK(minute >= 0 && minute < 24 * 60, utc);
    const auto day = journal_day(*t, zone, kDefaultDayStart);
    const auto begin = day_begin(day, zone, kDefaultDayStart);
    const auto next = day_begin(day + date::days{1}, zone, kDefaultDayStart);
    FUZZ_CHECK(begin <= *t && *t < next, "instant " + utc + " outside its journal day " +
                                             format_date(day) + " [" + format_utc(begin) + ", " +
                                             format_utc(next) + ")");
    const int year = static_cast<int>(date::year_month_day{date::floor<date::days>(*t)}.year());
    if (year >= 0 && year <= 9999) {
      auto again = parse_time(utc, now, zone);
      FUZZ_CHECK(again && *again == *t, "parse_time(format_utc(t)) != t for " + utc);
    }
    (void)validate_past_time(*t, now, "time");
  } else {
    FUZZ_CHECK(!t.error().message.empty() && t.error().field == "time",
               "an error without a message or not naming the field");
  }

  if (auto day = parse_date(text)) {
    const std::string shown = format_date(*day);
    auto again = parse_date(shown);
    FUZZ_CHECK(again && *again == *day, "parse_date(format_date(d)) != d for " + shown);
    (void)day_begin(*day, zone, kDefaultDayStart);
  }
  if (auto clock = parse_clock(text, "day_start")) {
    FUZZ_CHECK(clock->count() >= 0 && clock->count() < 24 * 60, std::string(text));
  }
  return 0;
}
