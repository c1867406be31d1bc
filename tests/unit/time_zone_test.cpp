// core::TimeZone, mitra's reader of the system's TZif files (core/time_zone.hpp), against the
// date library's reader it replaced (still linked into the tests, as the reference), against
// zic's own output in both of its forms, and on files written by hand.
#include "core/time_zone.hpp"

#include <date/tz.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "app/zones.hpp"
#include "test_support.hpp"

namespace mitra::core {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TimeZone system_zone(const std::string& name, const std::string& folder = "/usr/share/zoneinfo") {
  auto zone = TimeZone::from_tzif(name, read_file(folder + "/" + name));
  if (!zone) throw std::runtime_error(name + ": " + zone.error());
  return std::move(*zone);
}

sys_seconds year_start(int year) {
  return sys_seconds{date::sys_days{date::year{year} / date::January / 1}};
}

// date's reader keeps the last offset of a file for ever; the files here hold transitions up to
// 2037, so the two agree on everything before.
const sys_seconds kFrom = year_start(1900);
const sys_seconds kTo = year_start(2037);

void expect_same_span(const date::sys_info& expected, const ZoneInfo& actual,
                      const std::string& at) {
  EXPECT_EQ(actual.offset, expected.offset) << at;
  EXPECT_EQ(actual.abbrev, expected.abbrev) << at;
  EXPECT_EQ(actual.dst, expected.save != std::chrono::minutes{0}) << at;
  // Spans reaching before 1900 or after 2036 begin or end where each reader puts the ends of time.
  if (expected.begin > kFrom) {
    EXPECT_EQ(actual.begin, expected.begin) << at;
  }
  if (expected.end < kTo) {
    EXPECT_EQ(actual.end, expected.end) << at;
  }
}

TEST(TimeZone, AgreesWithTheDateLibraryInEveryZoneAtRandomInstants) {
  std::mt19937_64 random(20261203);
  std::uniform_int_distribution<long long> when(kFrom.time_since_epoch().count(),
                                                kTo.time_since_epoch().count());
  std::uniform_int_distribution<long long> shift(-3 * 3600, 3 * 3600);
  const auto& zones = date::get_tzdb().zones;
  ASSERT_GT(zones.size(), 300u);
  for (const auto& reference : zones) {
    const TimeZone zone = system_zone(reference.name());
    for (int i = 0; i < 200; ++i) {
      const sys_seconds t{seconds{when(random)}};
      const std::string at = reference.name() + " " + date::format("%F %T", t);
      expect_same_span(reference.get_info(t), zone.get_info(t), at);
      EXPECT_EQ(zone.offset(t), reference.get_info(t).offset) << at;
      const date::local_seconds wall{t.time_since_epoch() + seconds{shift(random)}};
      const auto expected = reference.get_info(wall);
      const auto actual = zone.get_info(wall);
      ASSERT_EQ(actual.result, expected.result) << at;
      expect_same_span(expected.first, actual.first, at);
      if (expected.result != date::local_info::unique) {
        expect_same_span(expected.second, actual.second, at);
      }
    }
    if (HasFailure()) return;  // One zone's report is enough.
  }
}

TEST(TimeZone, AgreesWithTheDateLibraryAroundEveryChangeOfChosenZones) {
  // Zones with half-hour and 45-minute offsets, a 30-minute daylight saving, southern
  // hemisphere rules, double summer time, negative daylight saving and a skipped day.
  for (const char* name :
       {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham",
        "America/Santiago", "Europe/Dublin", "Africa/Casablanca", "Asia/Kolkata", "Pacific/Apia",
        "Europe/London", "America/St_Johns", "Antarctica/Troll"}) {
    const auto* reference = date::locate_zone(name);
    const TimeZone zone = system_zone(name);
    for (auto t = kFrom; t < kTo;) {
      const auto span = reference->get_info(t);
      if (span.end >= kTo) break;
      const auto next = reference->get_info(span.end);
      for (const seconds offset : {span.offset, next.offset}) {
        for (const long long nudge : {-3601LL, -3600LL, -1800LL, -1LL, 0LL, 1LL, 1800LL, 3600LL}) {
          const date::local_seconds wall{span.end.time_since_epoch() + offset + seconds{nudge}};
          const std::string at = std::string(name) + " " + date::format("%F %T", wall);
          const auto expected = reference->get_info(wall);
          const auto actual = zone.get_info(wall);
          ASSERT_EQ(actual.result, expected.result) << at;
          expect_same_span(expected.first, actual.first, at);
          EXPECT_EQ(zone.to_sys(wall, Choose::earliest),
                    reference->to_sys(wall, date::choose::earliest))
              << at;
          EXPECT_EQ(zone.to_sys(wall, Choose::latest),
                    reference->to_sys(wall, date::choose::latest))
              << at;
        }
      }
      t = span.end;
    }
  }
}

// zic writes "slim" files (transitions only until the last rule takes over, the rest left to
// the closing TZ string) or "fat" ones (transitions up to 2037). Both must read the same, up to
// 2100 and beyond: the closing rule is followed past the file's last transition.
TEST(TimeZone, SlimAndFatFilesOfTheSameZonesReadTheSame) {
  testing::TempDir dir;
  const std::string source = "/usr/share/zoneinfo/tzdata.zi";
  ASSERT_TRUE(std::ifstream(source).good()) << "tzdata ships " << source;
  for (const char* form : {"slim", "fat"}) {
    const std::string command =
        "zic -b " + std::string(form) + " -d " + dir.file(form) + " " + source + " 2>/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  std::mt19937_64 random(7);
  std::uniform_int_distribution<long long> when(year_start(1900).time_since_epoch().count(),
                                                year_start(2400).time_since_epoch().count());
  for (const char* name :
       {"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago",
        "Pacific/Chatham", "Africa/Casablanca", "Asia/Tokyo", "America/Godthab", "Asia/Tehran"}) {
    const TimeZone slim = system_zone(name, dir.file("slim"));
    const TimeZone fat = system_zone(name, dir.file("fat"));
    for (int i = 0; i < 3000; ++i) {
      const sys_seconds t{seconds{when(random)}};
      const std::string at = std::string(name) + " " + date::format("%F %T", t);
      const auto a = slim.get_info(t);
      const auto b = fat.get_info(t);
      ASSERT_EQ(a.offset, b.offset) << at;
      ASSERT_EQ(a.abbrev, b.abbrev) << at;
      ASSERT_EQ(a.dst, b.dst) << at;
      ASSERT_EQ(a.end, b.end) << at;
      if (t > year_start(1901)) {
        ASSERT_EQ(a.begin, b.begin) << at;
      }
      ASSERT_LE(a.begin, t) << at;
      ASSERT_GT(a.end, t) << at;
    }
  }
}

TEST(TimeZone, FollowsTheClosingRulePastTheLastTransition) {
  const TimeZone berlin = system_zone("Europe/Berlin");
  // 2150: summer time from the last Sunday of March, 01:00 UTC, to the last Sunday of October.
  const auto summer = berlin.get_info(sys_seconds{date::sys_days{date::year{2150} / 7 / 1}});
  EXPECT_EQ(summer.offset, seconds{7200});
  EXPECT_EQ(summer.abbrev, "CEST");
  EXPECT_TRUE(summer.dst);
  EXPECT_EQ(summer.begin, sys_seconds{date::sys_days{date::year{2150} / 3 / 29}} + seconds{3600});
  EXPECT_EQ(summer.end, sys_seconds{date::sys_days{date::year{2150} / 10 / 25}} + seconds{3600});
  const auto winter = berlin.get_info(sys_seconds{date::sys_days{date::year{2150} / 12 / 1}});
  EXPECT_EQ(winter.offset, seconds{3600});
  EXPECT_EQ(winter.abbrev, "CET");
}

// A TZif file written by hand: version 2, no 32-bit data, `transitions` (instant, type) with
// `types` (offset, dst, abbreviation), and the closing TZ string.
struct HandType {
  std::int32_t offset;
  bool dst;
  std::string abbrev;
};
std::string tzif(const std::vector<std::pair<std::int64_t, int>>& transitions,
                 const std::vector<HandType>& types, const std::string& footer, char version = '2',
                 std::uint32_t leaps = 0) {
  std::string chars;
  std::vector<std::size_t> at;
  for (const auto& type : types) {
    at.push_back(chars.size());
    chars += type.abbrev + '\0';
  }
  auto be = [](std::string& out, std::uint64_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>(value >> (8 * i) & 0xff);
  };
  auto header = [&](std::string& out, std::uint32_t time, std::uint32_t type, std::uint32_t charcnt,
                    std::uint32_t leap) {
    out += "TZif";
    out += version;
    out += std::string(15, '\0');
    for (const std::uint32_t count : {0u, 0u, leap, time, type, charcnt}) be(out, count, 4);
  };
  std::string out;
  // An empty version-1 block (one type, one character), as zic -b slim writes.
  header(out, 0, 1, 1, 0);
  out += std::string(6, '\0');
  out += '\0';
  header(out, static_cast<std::uint32_t>(transitions.size()),
         static_cast<std::uint32_t>(types.size()), static_cast<std::uint32_t>(chars.size()), leaps);
  for (const auto& [when, type] : transitions) be(out, static_cast<std::uint64_t>(when), 8);
  for (const auto& [when, type] : transitions) out += static_cast<char>(type);
  for (std::size_t i = 0; i < types.size(); ++i) {
    be(out, static_cast<std::uint32_t>(types[i].offset), 4);
    out += static_cast<char>(types[i].dst);
    out += static_cast<char>(at[i]);
  }
  out += chars;
  for (std::uint32_t i = 0; i < leaps; ++i) {
    be(out, 0, 8);  // When, then the correction: 12 bytes a record.
    be(out, 0, 4);
  }
  out += '\n' + footer + '\n';
  return out;
}

TEST(TimeZone, AZoneOfOnlyAClosingRuleChangesTwiceAYear) {
  const auto zone = TimeZone::from_tzif(
      "Hand/Eastern", tzif({}, {{-18000, false, "EST"}}, "EST5EDT,M3.2.0,M11.1.0"));
  ASSERT_TRUE(zone) << zone.error();
  // 2026: from 2 a.m. on 8 March to 2 a.m. (daylight time) on 1 November.
  const auto summer = zone->get_info(sys_seconds{date::sys_days{date::year{2026} / 6 / 1}});
  EXPECT_EQ(summer.abbrev, "EDT");
  EXPECT_EQ(summer.offset, seconds{-14400});
  EXPECT_EQ(summer.begin,
            sys_seconds{date::sys_days{date::year{2026} / 3 / 8}} + seconds{7 * 3600});
  EXPECT_EQ(summer.end, sys_seconds{date::sys_days{date::year{2026} / 11 / 1}} + seconds{6 * 3600});
  // 02:30 on 8 March does not happen; 01:30 on 1 November happens twice.
  const auto skipped =
      date::local_seconds{date::local_days{date::year{2026} / 3 / 8}} + seconds{9000};
  EXPECT_EQ(zone->get_info(skipped).result, LocalInfo::nonexistent);
  EXPECT_EQ(zone->to_sys(skipped, Choose::earliest), summer.begin);
  const auto twice =
      date::local_seconds{date::local_days{date::year{2026} / 11 / 1}} + seconds{5400};
  const auto both = zone->get_info(twice);
  EXPECT_EQ(both.result, LocalInfo::ambiguous);
  EXPECT_EQ(both.first.abbrev, "EDT");
  EXPECT_EQ(both.second.abbrev, "EST");
  EXPECT_EQ(zone->to_sys(twice, Choose::latest) - zone->to_sys(twice, Choose::earliest),
            seconds{3600});
}

TEST(TimeZone, DaylightTimeAllYearHasNoChanges) {
  // RFC 8536's example of a rule that keeps daylight time all year, from 1970 on.
  const auto zone = TimeZone::from_tzif(
      "Hand/AllYear",
      tzif({{0, 1}}, {{-18000, false, "EST"}, {-14400, true, "EDT"}}, "EST5EDT4,0/0,J365/25"));
  ASSERT_TRUE(zone) << zone.error();
  const auto info = zone->get_info(sys_seconds{date::sys_days{date::year{2300} / 6 / 1}});
  EXPECT_EQ(info.abbrev, "EDT");
  EXPECT_EQ(info.begin, sys_seconds{seconds{0}});
  EXPECT_EQ(info.end, sys_seconds{date::sys_days{date::year::max() / date::December / 31}});
}

TEST(TimeZone, RefusesFilesThatDoNotHoldTogether) {
  const std::vector<HandType> one{{3600, false, "CET"}};
  const std::string good = tzif({{0, 0}}, one, "CET-1");
  ASSERT_TRUE(TimeZone::from_tzif("Hand/Good", good));
  const auto refusal = [](const std::string& bytes) {
    const auto zone = TimeZone::from_tzif("Hand/Bad", bytes);
    return zone ? std::string("accepted") : zone.error();
  };
  EXPECT_EQ(refusal(""), "shorter than a TZif header");
  EXPECT_EQ(refusal("TZjf" + good.substr(4)), "not a TZif file");
  EXPECT_EQ(refusal(tzif({{0, 0}}, one, "CET-1", '9')), "TZif version not known");
  for (std::size_t cut = 44; cut < good.size() - 8; cut += 7) {
    EXPECT_NE(refusal(good.substr(0, cut)), "accepted") << cut;
  }
  EXPECT_EQ(refusal(tzif({{0, 1}}, one, "CET-1")),
            "a transition names a time type that is not there");
  EXPECT_EQ(refusal(tzif({{10, 0}, {5, 0}}, one, "CET-1")),
            "transition times are not in ascending order");
  EXPECT_EQ(refusal(tzif({{0, 0}}, {{100000, false, "X"}}, "")), "a UTC offset is out of range");
  EXPECT_EQ(refusal(tzif({{0, 0}}, one, "CET-1", '2', 1)),
            "leap-second records (a \"right/\" zone) are not supported");
  EXPECT_EQ(refusal(tzif({{0, 0}}, one, "CET-1CEST")),
            "the closing rule \"CET-1CEST\" is not valid");
  EXPECT_EQ(refusal(tzif({{0, 0}}, one, "CET-1CEST,M13.5.0,M10.5.0/3")),
            "the closing rule \"CET-1CEST,M13.5.0,M10.5.0/3\" is not valid");
  EXPECT_EQ(refusal(good.substr(0, good.size() - 1)), "the closing rule is not terminated");
}

TEST(TimeZone, AFixedZoneKeepsItsOffset) {
  const TimeZone utc = TimeZone::fixed("UTC", seconds{0}, "UTC");
  const auto info = utc.get_info(year_start(2026));
  EXPECT_EQ(info.offset, seconds{0});
  EXPECT_EQ(info.abbrev, "UTC");
  EXPECT_EQ(utc.get_info(date::local_seconds{seconds{86400}}).result, LocalInfo::unique);
}

TEST(SystemZones, KnowsZonesAndLinksAndRefusesPathsOutOfTheFolder) {
  const auto& zones = app::system_zones();
  const auto* berlin = zones.locate("Europe/Berlin");
  ASSERT_NE(berlin, nullptr);
  EXPECT_EQ(berlin->name(), "Europe/Berlin");
  EXPECT_EQ(zones.locate("Europe/Berlin"), berlin) << "read once, then kept";
  ASSERT_NE(zones.locate("US/Eastern"), nullptr) << "a link to America/New_York";
  EXPECT_EQ(zones.locate("US/Eastern")->name(), "US/Eastern");
  for (const char* name :
       {"", "Mars/Olympus", "../../etc/passwd", "/etc/localtime", "Europe/../Europe/Berlin",
        "Europe//Berlin", "Europe/Berlin/", "zone.tab", "tzdata.zi", "posixrules",
        "posix/Europe/Berlin", "right/Europe/Berlin", "Factory", ".hidden", "Europe"}) {
    EXPECT_EQ(zones.locate(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace mitra::core
