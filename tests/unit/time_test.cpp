#include "core/time.hpp"
#include "app/zones.hpp"

#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>

namespace mitra::core {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

Instant utc(int y, unsigned m, unsigned d, int h = 0, int min = 0, int s = 0) {
  return Instant{date::sys_days{date::year{y} / date::month{m} / date::day{d}}} + hours{h} +
         minutes{min} + seconds{s};
}

Day day(int y, unsigned m, unsigned d) {
  return Day{date::year{y} / date::month{m} / date::day{d}};
}

const mitra::core::TimeZone* zone(const char* name) {
  return find_zone(mitra::app::system_zones(), name).value();
}

const std::string kAccepted =
    "use ISO 8601 (2026-01-09T08:00:00Z, 2026-01-09T09:00+01:00, 2026-01-09 09:00), "
    "\"now\", \"08:30\", \"yesterday 22:00\" or \"2h ago\"";

// --- Zones --------------------------------------------------------------------------------

TEST(Time, FindsZonesByIanaNameAndRefusesOthers) {
  EXPECT_EQ(find_zone(mitra::app::system_zones(), " Europe/Berlin ").value()->name(),
            "Europe/Berlin");
  const auto empty = find_zone(mitra::app::system_zones(), "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().field, "tz");
  EXPECT_EQ(empty.error().message, "tz is empty; give an IANA zone such as Europe/Berlin");
  EXPECT_EQ(find_zone(mitra::app::system_zones(), "Mars/Olympus").error().message,
            "tz \"Mars/Olympus\" is not a known IANA time zone; use a name such as "
            "America/New_York, Europe/Berlin or UTC");
}

// A database that knows one zone: core looks names up only where it is told to.
class OneZone final : public Zones {
 public:
  const mitra::core::TimeZone* locate(std::string_view name) const override {
    ++lookups;
    return name == "Europe/Berlin" ? mitra::app::system_zones().locate("Europe/Berlin") : nullptr;
  }
  mutable int lookups = 0;
};

TEST(Time, ZonesAreLookedUpInTheDatabaseTheCallerGives) {
  OneZone one;
  EXPECT_EQ(find_zone(one, "Europe/Berlin").value()->name(), "Europe/Berlin");
  // UTC is in every real database, not in this one.
  EXPECT_EQ(find_zone(one, "UTC", "zone").error().field, "zone");
  EXPECT_EQ(one.lookups, 2);
  // A record in the zone in use needs no lookup; one in an unknown zone falls back.
  const auto* berlin = mitra::app::system_zones().locate("Europe/Berlin");
  EXPECT_EQ(zone_or(one, "Europe/Berlin", berlin), berlin);
  EXPECT_EQ(one.lookups, 2);
  EXPECT_EQ(zone_or(one, "America/New_York", berlin), berlin);
  EXPECT_EQ(one.lookups, 3);
}

TEST(Time, StoredInstantsNeedNoZone) {
  EXPECT_EQ(parse_instant("2026-01-09T09:00+01:00", "taken_at").value(),
            parse_instant("2026-01-09T08:00:00Z", "taken_at").value());
  for (const char* text : {"2026-01-09T08:00", "08:30", "now", "2h ago", "yesterday 22:00", ""}) {
    const auto refused = parse_instant(text, "taken_at");
    ASSERT_FALSE(refused) << text;
    EXPECT_EQ(refused.error().field, "taken_at");
    EXPECT_NE(refused.error().message.find("must be an ISO 8601 instant with Z or an offset"),
              std::string::npos);
  }
}

// --- Journal days -------------------------------------------------------------------------

TEST(Time, JournalDayBeginsAtFourInTheMorning) {
  const auto* berlin = zone("Europe/Berlin");
  // 2026-01-09 03:59 CET is still the evening of the 8th; 04:00 starts the 9th.
  EXPECT_EQ(journal_day(utc(2026, 1, 9, 2, 59), berlin, kDefaultDayStart), day(2026, 1, 8));
  EXPECT_EQ(journal_day(utc(2026, 1, 9, 3, 0), berlin, kDefaultDayStart), day(2026, 1, 9));
  // A 1 a.m. dose belongs to the evening before.
  EXPECT_EQ(journal_day(utc(2026, 1, 9, 0, 0), berlin, kDefaultDayStart), day(2026, 1, 8));
  // With days starting at midnight the journal day is the calendar day.
  EXPECT_EQ(journal_day(utc(2026, 1, 9, 0, 0), berlin, minutes{0}), day(2026, 1, 9));
  EXPECT_EQ(journal_day(utc(2026, 1, 8, 22, 59), berlin, minutes{0}), day(2026, 1, 8));
}

TEST(Time, JournalDayIsReadInTheGivenZone) {
  // 2026-01-10T04:30Z is 05:30 in Berlin (the 10th) but 23:30 on the 9th in New York.
  EXPECT_EQ(journal_day(utc(2026, 1, 10, 4, 30), zone("Europe/Berlin"), kDefaultDayStart),
            day(2026, 1, 10));
  EXPECT_EQ(journal_day(utc(2026, 1, 10, 4, 30), zone("America/New_York"), kDefaultDayStart),
            day(2026, 1, 9));
}

TEST(Time, BerlinSpringForwardDayIsTwentyThreeHours) {
  // Clocks go from 02:00 CET to 03:00 CEST on 2026-03-29, inside journal day 28 March.
  const auto* berlin = zone("Europe/Berlin");
  EXPECT_EQ(day_begin(day(2026, 3, 28), berlin, kDefaultDayStart), utc(2026, 3, 28, 3, 0));
  EXPECT_EQ(day_begin(day(2026, 3, 29), berlin, kDefaultDayStart), utc(2026, 3, 29, 2, 0));
  EXPECT_EQ(day_begin(day(2026, 3, 29), berlin, kDefaultDayStart) -
                day_begin(day(2026, 3, 28), berlin, kDefaultDayStart),
            hours{23});
  // 03:59 CEST is 01:59Z: still the 28th; 04:00 CEST starts the 29th.
  EXPECT_EQ(journal_day(utc(2026, 3, 29, 1, 59), berlin, kDefaultDayStart), day(2026, 3, 28));
  EXPECT_EQ(journal_day(utc(2026, 3, 29, 2, 0), berlin, kDefaultDayStart), day(2026, 3, 29));
}

TEST(Time, BerlinFallBackDayIsTwentyFiveHours) {
  // Clocks go from 03:00 CEST back to 02:00 CET on 2026-10-25, inside journal day 24 October.
  const auto* berlin = zone("Europe/Berlin");
  EXPECT_EQ(day_begin(day(2026, 10, 24), berlin, kDefaultDayStart), utc(2026, 10, 24, 2, 0));
  EXPECT_EQ(day_begin(day(2026, 10, 25), berlin, kDefaultDayStart), utc(2026, 10, 25, 3, 0));
  // Both passes through 02:30 belong to the 24th; 04:00 CET (03:00Z) starts the 25th.
  EXPECT_EQ(journal_day(utc(2026, 10, 25, 0, 30), berlin, kDefaultDayStart), day(2026, 10, 24));
  EXPECT_EQ(journal_day(utc(2026, 10, 25, 1, 30), berlin, kDefaultDayStart), day(2026, 10, 24));
  EXPECT_EQ(journal_day(utc(2026, 10, 25, 2, 59), berlin, kDefaultDayStart), day(2026, 10, 24));
  EXPECT_EQ(journal_day(utc(2026, 10, 25, 3, 0), berlin, kDefaultDayStart), day(2026, 10, 25));
}

TEST(Time, NewYorkSpringForwardAndFallBack) {
  const auto* new_york = zone("America/New_York");
  // 2026-03-08: 02:00 EST -> 03:00 EDT. Journal day 7 March is 23 hours.
  EXPECT_EQ(day_begin(day(2026, 3, 7), new_york, kDefaultDayStart), utc(2026, 3, 7, 9, 0));
  EXPECT_EQ(day_begin(day(2026, 3, 8), new_york, kDefaultDayStart), utc(2026, 3, 8, 8, 0));
  EXPECT_EQ(journal_day(utc(2026, 3, 8, 7, 59), new_york, kDefaultDayStart), day(2026, 3, 7));
  EXPECT_EQ(journal_day(utc(2026, 3, 8, 8, 0), new_york, kDefaultDayStart), day(2026, 3, 8));
  // 2026-11-01: 02:00 EDT -> 01:00 EST. Journal day 31 October is 25 hours.
  EXPECT_EQ(day_begin(day(2026, 10, 31), new_york, kDefaultDayStart), utc(2026, 10, 31, 8, 0));
  EXPECT_EQ(day_begin(day(2026, 11, 1), new_york, kDefaultDayStart), utc(2026, 11, 1, 9, 0));
  EXPECT_EQ(journal_day(utc(2026, 11, 1, 8, 59), new_york, kDefaultDayStart), day(2026, 10, 31));
  EXPECT_EQ(journal_day(utc(2026, 11, 1, 9, 0), new_york, kDefaultDayStart), day(2026, 11, 1));
}

TEST(Time, DayStartSkippedBySpringForwardBeginsAtTheChange) {
  // With days starting at 02:30, the 29 March day start does not exist in Berlin; the day
  // begins when the clocks jump (01:00Z = 03:00 CEST), which is where journal_day moves on.
  const auto* berlin = zone("Europe/Berlin");
  const minutes start{2 * 60 + 30};
  const Instant begin = day_begin(day(2026, 3, 29), berlin, start);
  EXPECT_EQ(begin, utc(2026, 3, 29, 1, 0));
  EXPECT_EQ(journal_day(begin, berlin, start), day(2026, 3, 29));
  EXPECT_EQ(journal_day(begin - seconds{1}, berlin, start), day(2026, 3, 28));
}

TEST(Time, DayStartRepeatedByFallBackTakesTheFirstPass) {
  const auto* berlin = zone("Europe/Berlin");
  const minutes start{2 * 60 + 30};
  const Instant begin = day_begin(day(2026, 10, 25), berlin, start);
  EXPECT_EQ(begin, utc(2026, 10, 25, 0, 30));  // 02:30 CEST.
  EXPECT_EQ(journal_day(begin, berlin, start), day(2026, 10, 25));
  EXPECT_EQ(journal_day(begin - seconds{1}, berlin, start), day(2026, 10, 24));
}

TEST(Time, DayBeginAndJournalDayAgreeAcrossAYear) {
  const mitra::core::TimeZone* const zones[] = {zone("Europe/Berlin"), zone("America/New_York"),
                                                zone("Australia/Sydney"), zone("UTC")};
  for (const auto* z : zones) {
    for (Day d = day(2026, 1, 1); d < day(2027, 1, 1); d += date::days{1}) {
      const Instant begin = day_begin(d, z, kDefaultDayStart);
      ASSERT_EQ(journal_day(begin, z, kDefaultDayStart), d) << z->name() << " " << format_date(d);
      ASSERT_EQ(journal_day(begin - seconds{1}, z, kDefaultDayStart), d - date::days{1})
          << z->name() << " " << format_date(d);
    }
  }
}

TEST(Time, LocalMinuteOfDayIsWallClock) {
  EXPECT_EQ(local_minute_of_day(utc(2026, 1, 9, 7, 30), zone("Europe/Berlin")), 8 * 60 + 30);
  EXPECT_EQ(local_minute_of_day(utc(2026, 7, 9, 7, 30), zone("Europe/Berlin")), 9 * 60 + 30);
  EXPECT_EQ(local_minute_of_day(utc(2026, 1, 9, 3, 0), zone("America/New_York")), 22 * 60);
}

// --- Formatting ---------------------------------------------------------------------------

TEST(Time, FormatsInstantsDatesAndClocks) {
  EXPECT_EQ(format_utc(utc(2026, 1, 9, 8, 0)), "2026-01-09T08:00:00Z");
  EXPECT_EQ(format_local(utc(2026, 1, 9, 8, 0), zone("Europe/Berlin")),
            "2026-01-09T09:00:00+01:00");
  EXPECT_EQ(format_local(utc(2026, 7, 9, 8, 0), zone("Europe/Berlin")),
            "2026-07-09T10:00:00+02:00");
  EXPECT_EQ(format_local(utc(2026, 1, 9, 8, 0), zone("America/New_York")),
            "2026-01-09T03:00:00-05:00");
  EXPECT_EQ(format_local(utc(2026, 1, 9, 8, 0), zone("UTC")), "2026-01-09T08:00:00+00:00");
  EXPECT_EQ(format_local(utc(2026, 1, 9, 8, 0), zone("Asia/Kolkata")), "2026-01-09T13:30:00+05:30");
  EXPECT_EQ(format_date(day(2026, 1, 9)), "2026-01-09");
  EXPECT_EQ(format_clock(utc(2026, 1, 9, 7, 5), zone("Europe/Berlin")), "08:05");
}

// The formatters are arithmetic (fast); date::format (iostreams) is the reference they must
// match, character for character, on random instants in zones with odd offsets and rules.
TEST(Time, FormattersMatchDateFormatOnRandomInstantsInManyZones) {
  const char* zones[] = {"UTC",
                         "Europe/Berlin",
                         "America/New_York",
                         "Asia/Kolkata",
                         "Asia/Kathmandu",
                         "Australia/Lord_Howe",
                         "America/St_Johns",
                         "Pacific/Chatham",
                         "Pacific/Kiritimati",
                         "Africa/Monrovia",
                         "America/Sao_Paulo",
                         "Europe/Dublin"};
  std::mt19937_64 random(20261128);
  // 1850..2250: old local mean times with odd seconds, and far-future rules.
  std::uniform_int_distribution<long long> when(-3'786'825'600LL, 8'835'955'200LL);
  for (const char* name : zones) {
    const auto* z = zone(name);
    for (int i = 0; i < 3000; ++i) {
      const Instant t{seconds{when(random)}};
      // The reference: date's own formatting of the wall time, given the zone's offset.
      const ZoneInfo info = z->get_info(t);
      std::ostringstream zoned;
      date::to_stream(zoned, "%Y-%m-%dT%H:%M:%S%z", z->to_local(t), &info.abbrev, &info.offset);
      std::string local = zoned.str();
      local.insert(local.size() - 2, ":");
      ASSERT_EQ(format_local(t, z), local) << name << " " << t.time_since_epoch().count();
      ASSERT_EQ(format_utc(t), date::format("%Y-%m-%dT%H:%M:%SZ", t));
      ASSERT_EQ(format_clock(t, z), date::format("%H:%M", z->to_local(t))) << name;
      ASSERT_EQ(format_date(date::floor<std::chrono::days>(t)),
                date::format("%Y-%m-%d", date::floor<std::chrono::days>(t)));
    }
  }
}

TEST(Time, FormattersWriteYearsOutsideFourDigitsLikeDateFormat) {
  for (const int year : {-1, 0, 1, 999, 9999, 10000}) {
    const Instant t = utc(year, 6, 1, 12, 30, 15);
    EXPECT_EQ(format_utc(t), date::format("%Y-%m-%dT%H:%M:%SZ", t)) << year;
    EXPECT_EQ(format_date(day(year, 6, 1)), date::format("%Y-%m-%d", day(year, 6, 1))) << year;
  }
  EXPECT_EQ(format_utc(utc(0, 1, 1)), "0000-01-01T00:00:00Z");
  EXPECT_EQ(format_date(day(9999, 12, 31)), "9999-12-31");
}

TEST(Time, FormatsDurationsForPeopleToTheMinute) {
  EXPECT_EQ(format_duration(seconds{0}), "0 min");
  EXPECT_EQ(format_duration(seconds{59}), "0 min");
  EXPECT_EQ(format_duration(minutes{45}), "45 min");
  EXPECT_EQ(format_duration(minutes{200}), "3 h 20 min");
  EXPECT_EQ(format_duration(hours{3}), "3 h 0 min");
  EXPECT_EQ(format_duration(hours{24}), "1 day 0 h");
  EXPECT_EQ(format_duration(hours{52} + minutes{59}), "2 days 4 h");
  EXPECT_EQ(format_duration(-minutes{90}), "-1 h 30 min");
}

// --- Parsing times ------------------------------------------------------------------------

class ParseTime : public ::testing::Test {
 protected:
  const mitra::core::TimeZone* berlin_ = zone("Europe/Berlin");
  Instant now_ = utc(2026, 1, 9, 9, 0);  // 10:00 in Berlin.

  Instant parse(std::string_view text) const { return parse_time(text, now_, berlin_).value(); }
  std::string error(std::string_view text) const {
    return parse_time(text, now_, berlin_).error().message;
  }
};

TEST_F(ParseTime, ReadsIsoWithZ) {
  EXPECT_EQ(parse("2026-01-09T08:00:00Z"), utc(2026, 1, 9, 8, 0));
  EXPECT_EQ(parse("2026-01-09t08:00:00z"), utc(2026, 1, 9, 8, 0));
  EXPECT_EQ(parse("2026-01-09T08:00Z"), utc(2026, 1, 9, 8, 0));
  EXPECT_EQ(parse("2026-01-09T08:00:00.750Z"), utc(2026, 1, 9, 8, 0));  // Fractions dropped.
}

TEST_F(ParseTime, ReadsIsoWithOffset) {
  EXPECT_EQ(parse("2026-01-09T09:00+01:00"), utc(2026, 1, 9, 8, 0));
  EXPECT_EQ(parse("2026-01-09T09:00:00+0100"), utc(2026, 1, 9, 8, 0));
  EXPECT_EQ(parse("2026-01-09T03:00:00-05:00"), utc(2026, 1, 9, 8, 0));
  EXPECT_EQ(parse("2026-01-09T13:30+05:30"), utc(2026, 1, 9, 8, 0));
}

TEST_F(ParseTime, ReadsWallTimeInTheZone) {
  EXPECT_EQ(parse("2026-01-09T09:00"), utc(2026, 1, 9, 8, 0));
  EXPECT_EQ(parse("2026-01-09 09:00"), utc(2026, 1, 9, 8, 0));
  EXPECT_EQ(parse("2026-07-09 09:00"), utc(2026, 7, 9, 7, 0));  // Summer time.
  EXPECT_EQ(parse("2026-01-09"), utc(2026, 1, 8, 23, 0));       // A date alone is local midnight.
  EXPECT_EQ(parse_time("2026-01-09 09:00", now_, zone("America/New_York")).value(),
            utc(2026, 1, 9, 14, 0));
}

TEST_F(ParseTime, WallTimeInASpringForwardGapMovesForwardByTheGap) {
  // 02:30 does not exist in Berlin on 2026-03-29; it is read as 03:30 CEST.
  EXPECT_EQ(parse("2026-03-29 02:30"), utc(2026, 3, 29, 1, 30));
}

TEST_F(ParseTime, WallTimeRepeatedByFallBackTakesTheFirstPass) {
  // 02:30 happens twice in Berlin on 2026-10-25; the first (CEST) is taken.
  EXPECT_EQ(parse("2026-10-25 02:30"), utc(2026, 10, 25, 0, 30));
}

TEST_F(ParseTime, ReadsNow) {
  EXPECT_EQ(parse("now"), now_);
  EXPECT_EQ(parse("  NOW "), now_);
}

TEST_F(ParseTime, BareClockIsTheLatestSuchTimeNotAfterNow) {
  EXPECT_EQ(parse("08:30"), utc(2026, 1, 9, 7, 30));  // Earlier today.
  EXPECT_EQ(parse("8:30"), utc(2026, 1, 9, 7, 30));
  EXPECT_EQ(parse("10:00"), now_);                   // Exactly now is not after now.
  EXPECT_EQ(parse("10:01"), utc(2026, 1, 8, 9, 1));  // Not yet today: yesterday's.
  EXPECT_EQ(parse("23:15"), utc(2026, 1, 8, 22, 15));
}

TEST_F(ParseTime, ReadsTodayAndYesterdayWithAClock) {
  EXPECT_EQ(parse("yesterday 22:00"), utc(2026, 1, 8, 21, 0));
  EXPECT_EQ(parse("Yesterday 07:15"), utc(2026, 1, 8, 6, 15));
  EXPECT_EQ(parse("today 07:15"), utc(2026, 1, 9, 6, 15));
  // An explicit "today" is taken as said, even later than now; validate_past_time refuses it.
  EXPECT_EQ(parse("today 11:00"), utc(2026, 1, 9, 10, 0));
}

TEST_F(ParseTime, YesterdayIsReadInLocalTimeAcrossSpringForward) {
  // Now is 10:00 CEST on 2026-03-29; yesterday 22:00 was still CET.
  const Instant now = utc(2026, 3, 29, 8, 0);
  EXPECT_EQ(parse_time("yesterday 22:00", now, berlin_).value(), utc(2026, 3, 28, 21, 0));
  EXPECT_EQ(parse_time("09:00", now, berlin_).value(), utc(2026, 3, 29, 7, 0));
}

TEST_F(ParseTime, ReadsDurationsAgo) {
  EXPECT_EQ(parse("2h ago"), now_ - hours{2});
  EXPECT_EQ(parse("45m ago"), now_ - minutes{45});
  EXPECT_EQ(parse("1h30m ago"), now_ - minutes{90});
  EXPECT_EQ(parse("90 min ago"), now_ - minutes{90});
  EXPECT_EQ(parse("3 days ago"), now_ - hours{72});
  EXPECT_EQ(parse("1 day 2 hours ago"), now_ - hours{26});
}

TEST_F(ParseTime, RefusesMalformedInputWithTheAcceptedForms) {
  EXPECT_EQ(error(""), "time is empty; " + kAccepted);
  EXPECT_EQ(error("   "), "time is empty; " + kAccepted);
  for (const char* text :
       {"tomorrow", "2026-01-09T25:00", "2026-13-01", "2026-02-30T08:00", "2026-01-09T08:00+1",
        "2026-01-09T08:00:00Zx", "2h", "ago", "h ago", "5 weeks ago", "1.5h ago", "yesterday",
        "today 24:00", "8.30", "2026/01/09 08:00"}) {
    EXPECT_EQ(error(text),
              "time \"" + std::string(text) + "\" is not a time I can read; " + kAccepted)
        << text;
  }
}

TEST_F(ParseTime, ErrorNamesTheFieldAndShowsTheTextAsTyped) {
  const auto result = parse_time(" Tomorrow ", now_, berlin_, "at");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().field, "at");
  EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(result.error().message, "at \"Tomorrow\" is not a time I can read; " + kAccepted);
}

// --- Past times ---------------------------------------------------------------------------

// Issue 14, item 6: five minutes of clock skew (a phone's clock a little fast), no more.
TEST(Time, ValidatePastTimeAllowsFiveMinutesOfSkewAndRefusesTheFuture) {
  const Instant now = utc(2026, 1, 9, 8, 0);
  EXPECT_EQ(validate_past_time(now, now, "time").value(), now);
  EXPECT_EQ(validate_past_time(now + seconds{300}, now, "time").value(), now + seconds{300});
  const auto future = validate_past_time(now + seconds{301}, now, "taken_at");
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().field, "taken_at");
  EXPECT_EQ(future.error().message,
            "taken_at 2026-01-09T08:05:01Z is in the future (now is 2026-01-09T08:00:00Z); only "
            "what has already happened can be logged (a clock up to 5 minutes fast is allowed)");
}

TEST(Time, ValidatePastTimeRefusesBefore1990) {
  const Instant now = utc(2026, 1, 9, 8, 0);
  EXPECT_EQ(validate_past_time(kEarliestInstant, now, "time").value(), utc(1990, 1, 1));
  EXPECT_EQ(validate_past_time(kEarliestInstant - seconds{1}, now, "time").error().message,
            "time 1989-12-31T23:59:59Z is before 1990; check the date");
}

// --- Dates and clocks ---------------------------------------------------------------------

TEST(Time, ParsesDates) {
  EXPECT_EQ(parse_date("2026-01-09").value(), day(2026, 1, 9));
  EXPECT_EQ(parse_date(" 2024-02-29 ").value(), day(2024, 2, 29));
  for (const char* text :
       {"2026-02-29", "2026-1-9", "2026-01-09T08:00", "09.01.2026", "", "2026-13-01"}) {
    EXPECT_EQ(parse_date(text).error().message,
              "date \"" + std::string(text) + "\" is not a date; use YYYY-MM-DD, e.g. 2026-01-09")
        << text;
  }
  EXPECT_EQ(parse_date("x", "start").error().field, "start");
  EXPECT_EQ(parse_date("x", "start").error().message,
            "start \"x\" is not a date; use YYYY-MM-DD, e.g. 2026-01-09");
}

TEST(Time, ParsesClockTimes) {
  EXPECT_EQ(parse_clock("08:30", "wake").value(), minutes{510});
  EXPECT_EQ(parse_clock("8:30", "wake").value(), minutes{510});
  EXPECT_EQ(parse_clock("00:00", "wake").value(), minutes{0});
  EXPECT_EQ(parse_clock("23:59", "wake").value(), minutes{1439});
  for (const char* text : {"24:00", "08:60", "0830", "8", "08:30:15", "", "noon"}) {
    const auto result = parse_clock(text, "wake");
    ASSERT_FALSE(result) << text;
    EXPECT_EQ(result.error().field, "wake");
    EXPECT_EQ(result.error().message, "wake \"" + std::string(text) +
                                          "\" is not a clock time; use HH:MM from 00:00 to 23:59");
  }
}

}  // namespace
}  // namespace mitra::core
