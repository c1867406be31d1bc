#include "formats/ics.hpp"
#include "app/zones.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace mitra::formats {
namespace {

using core::Day;
using date::March;
using date::November;
using std::chrono::hours;

constexpr Day kToday = date::sys_days{date::year{2026} / March / 20};

core::Amount grams(double g) {
  return core::Amount{static_cast<std::int64_t>(g * 1e6 + 0.5), core::Unit::gram};
}

core::Plan plan_in(const std::string& zone, Day start) {
  core::TaperInputs in;
  in.pattern = core::DosingPattern{6, hours{3}, grams(2.5)};
  in.goal = {core::GoalKind::stop, std::nullopt};
  in.wake = hours{7};
  in.sleep = hours{23};
  in.resolution = grams(0.1);
  in.start = start;
  in.zone = zone;
  // These tests are about the calendar, and their expected times follow the planner's sharing
  // rule (5 doses of 2.7 g, then 4 of 3.1 g): the person's opt-in since issue 13.
  in.allow_larger_doses = true;
  return core::make_plan(in, start, "plan42", mitra::app::system_zones()).value();
}

IcsOptions days(Day from, Day to) {
  IcsOptions options;
  options.zones = &mitra::app::system_zones();
  options.from = from;
  options.to = to;
  options.stamp = core::Instant{date::sys_days{date::year{2026} / March / 20}};
  return options;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

TEST(Ics, LibicalReadsBackEveryDoseWithItsReminder) {
  const auto plan = plan_in("Europe/Berlin", kToday);
  const auto text = plan_to_ics(plan, days(kToday, kToday + date::days{1})).value();
  const auto events = read_ics_events(text).value();
  ASSERT_EQ(events.size(), 10u);  // Five doses a day in the first step, two days.
  EXPECT_EQ(events[0].uid, "plan42-20260320-1@mitra");
  EXPECT_EQ(events[0].tzid, "Europe/Berlin");
  EXPECT_EQ(core::format_utc(events[0].starts_at), "2026-03-20T06:00:00Z");
  // Five doses spread over 07:00–23:00 Berlin, the last half an interval before bed (issue 14).
  EXPECT_EQ(core::format_utc(events[4].starts_at), "2026-03-20T20:00:00Z");
  EXPECT_EQ(events[0].alarms, 1);
  EXPECT_EQ(events[0].sequence, 0);
  EXPECT_EQ(events[0].description, "2.7 g");
}

TEST(Ics, PlacesDosesAtTheSameWallTimeAcrossTheSpringChange) {
  // Berlin moves to summer time on 2026-03-29: 07:00 is 06:00Z on the 28th and 05:00Z on the 30th.
  const auto plan = plan_in("Europe/Berlin", kToday);
  const Day from = date::sys_days{date::year{2026} / March / 28};
  const auto events =
      read_ics_events(plan_to_ics(plan, days(from, from + date::days{2})).value()).value();
  ASSERT_EQ(events.size(), 12u);  // Step two (from 27 March): four doses, 5 h apart.
  EXPECT_EQ(core::format_utc(events[0].starts_at), "2026-03-28T06:00:00Z");
  EXPECT_EQ(core::format_utc(events[4].starts_at), "2026-03-29T05:00:00Z");
  EXPECT_EQ(core::format_utc(events[8].starts_at), "2026-03-30T05:00:00Z");
}

TEST(Ics, PlacesDosesAtTheSameWallTimeAcrossTheAutumnChange) {
  // New York leaves summer time on 2026-11-01: 07:00 is 11:00Z on 31 October, 12:00Z on 1 November.
  const Day start = date::sys_days{date::year{2026} / date::October / 31};
  const auto plan = plan_in("America/New_York", start);
  const auto events =
      read_ics_events(plan_to_ics(plan, days(start, start + date::days{1})).value()).value();
  ASSERT_EQ(events.size(), 10u);
  EXPECT_EQ(core::format_utc(events[0].starts_at), "2026-10-31T11:00:00Z");
  EXPECT_EQ(core::format_utc(events[5].starts_at), "2026-11-01T12:00:00Z");
}

TEST(Ics, TitlesAreDiscreetUnlessThePersonOptsIn) {
  const auto plan = plan_in("Europe/Berlin", kToday);
  auto options = days(kToday, kToday);
  const auto discreet = plan_to_ics(plan, options).value();
  EXPECT_EQ(lower(discreet).find("kratom"), std::string::npos);
  EXPECT_EQ(read_ics_events(discreet).value()[0].summary, "Reminder");
  options.wording = Wording::descriptive;
  const auto descriptive = read_ics_events(plan_to_ics(plan, options).value()).value();
  EXPECT_EQ(descriptive[0].summary, "Kratom dose: 2.7 g");
}

TEST(Ics, UidsAreUniqueAndTheSameOnEveryExport) {
  const auto plan = plan_in("Europe/Berlin", kToday);
  const auto options = days(kToday, kToday + date::days{20});
  const auto first = plan_to_ics(plan, options).value();
  EXPECT_EQ(first, plan_to_ics(plan, options).value());
  std::set<std::string> uids;
  const auto events = read_ics_events(first).value();
  for (const auto& e : events) uids.insert(e.uid);
  EXPECT_EQ(uids.size(), events.size());
}

// Bug: after an adjustment to fewer doses a day, re-importing the calendar left the dropped
// doses' reminders in place (their UIDs were simply missing from the new file), reminding the
// person of doses the plan no longer had. They now come back cancelled, without an alarm.
TEST(Ics, DosesAnEarlierVersionHadAndThisOneDroppedAreCancelled) {
  const auto first = plan_in("Europe/Berlin", kToday);  // Five doses on the first day.
  core::TaperInputs fewer = first.inputs;
  fewer.pattern = core::DosingPattern{3, hours{5}, grams(2.5)};
  auto second = core::make_plan(fewer, kToday, "plan42", mitra::app::system_zones()).value();
  second.version = 2;
  auto options = days(kToday, kToday);
  options.earlier_versions = {first};
  const auto events = read_ics_events(plan_to_ics(second, options).value()).value();
  const auto before = core::schedule_for(
      first, kToday, core::find_zone(mitra::app::system_zones(), "Europe/Berlin").value());
  const auto now = core::schedule_for(
      second, kToday, core::find_zone(mitra::app::system_zones(), "Europe/Berlin").value());
  ASSERT_LT(now.size(), before.size());
  ASSERT_EQ(events.size(), before.size());
  for (std::size_t k = 0; k < events.size(); ++k) {
    const auto& e = events[k];
    EXPECT_EQ(e.uid, "plan42-20260320-" + std::to_string(k + 1) + "@mitra");
    EXPECT_EQ(e.sequence, 1);  // Above the first version's 0, so the calendar takes it.
    const bool dropped = k >= now.size();
    EXPECT_EQ(e.cancelled, dropped) << k;
    EXPECT_EQ(e.alarms, dropped ? 0 : 1) << k;
    EXPECT_EQ(e.starts_at, dropped ? before[k].at : now[k].at) << k;
  }
  // Without earlier versions nothing is cancelled.
  const auto alone = read_ics_events(plan_to_ics(second, days(kToday, kToday)).value()).value();
  EXPECT_EQ(alone.size(), now.size());
}

// Bug: after `plan new`, a calendar that had imported the replaced plan went on reminding the
// person of its doses (the new plan's events have other UIDs). Its doses still to come now go
// out cancelled, under their own UIDs and in their own zone.
TEST(Ics, DosesStillToComeOfAReplacedPlanAreCancelled) {
  auto old = plan_in("Asia/Kathmandu", kToday - date::days{5});
  old.plan_id = "plan41";
  old.version = 2;
  auto ended = plan_in("Europe/Berlin", kToday - date::days{400});
  ended.plan_id = "plan40";
  ASSERT_LT(ended.steps.back().ends_on, kToday);
  const auto current = plan_in("Europe/Berlin", kToday);
  auto options = days(kToday, kToday + date::days{2});
  options.replaced_plans = {old, ended};
  options.replaced_from = kToday + date::days{1};
  const auto events = read_ics_events(plan_to_ics(current, options).value()).value();

  const auto* kathmandu = core::find_zone(mitra::app::system_zones(), "Asia/Kathmandu").value();
  std::map<std::string, core::Instant> expected;  // UID → start, of the replaced plan's doses.
  for (Day day = kToday + date::days{1}; day <= old.steps.back().ends_on; day += date::days{1}) {
    const auto doses = core::schedule_for(old, day, kathmandu);
    const auto ymd = date::year_month_day{day};
    char date_text[16];
    std::snprintf(date_text, sizeof date_text, "%04d%02u%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    for (std::size_t k = 0; k < doses.size(); ++k) {
      expected["plan41-" + std::string(date_text) + "-" + std::to_string(k + 1) + "@mitra"] =
          doses[k].at;
    }
  }
  ASSERT_FALSE(expected.empty());
  std::size_t current_events = 0;
  std::size_t replaced_events = 0;
  for (const auto& e : events) {
    EXPECT_EQ(e.uid.rfind("plan40-", 0), std::string::npos) << "a plan that ended: " << e.uid;
    if (e.uid.rfind("plan42-", 0) == 0) {
      ++current_events;
      EXPECT_FALSE(e.cancelled);
      EXPECT_EQ(e.alarms, 1);
      continue;
    }
    ++replaced_events;
    ASSERT_TRUE(expected.contains(e.uid)) << e.uid;
    EXPECT_TRUE(e.cancelled) << e.uid;
    EXPECT_EQ(e.alarms, 0) << e.uid;
    EXPECT_EQ(e.sequence, 2) << e.uid;  // Above version 2's own 1.
    EXPECT_EQ(e.tzid, "Asia/Kathmandu") << e.uid;
    EXPECT_EQ(e.starts_at, expected[e.uid]) << e.uid;  // Read through its own VTIMEZONE.
  }
  EXPECT_EQ(replaced_events, expected.size());
  std::size_t planned = 0;
  for (Day day = kToday; day <= kToday + date::days{2}; day += date::days{1}) {
    planned +=
        core::schedule_for(current, day,
                           core::find_zone(mitra::app::system_zones(), "Europe/Berlin").value())
            .size();
  }
  EXPECT_EQ(current_events, planned);
}

TEST(Ics, RefusesABackwardRange) {
  const auto plan = plan_in("Europe/Berlin", kToday);
  const auto e = plan_to_ics(plan, days(kToday + date::days{1}, kToday)).error();
  EXPECT_EQ(e.field, "to");
  EXPECT_EQ(e.message,
            "the last day 2026-03-20 is before the first day 2026-03-21; give a range that runs "
            "forward");
}

TEST(Ics, APlansOwnZoneIsLookedUpOnlyInTheDatabaseGiven) {
  const auto plan = plan_in("Europe/Berlin", kToday);
  IcsOptions options;  // No database: formats opens none of its own.
  const auto refused = plan_to_ics(plan, options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "tz");
  options.zones = &mitra::app::system_zones();
  EXPECT_TRUE(plan_to_ics(plan, options));
}

TEST(Ics, DefaultRangeCoversTheWholePlan) {
  const auto plan = plan_in("Europe/Berlin", kToday);
  IcsOptions options;
  options.zones = &mitra::app::system_zones();
  const auto events = read_ics_events(plan_to_ics(plan, options).value()).value();
  std::size_t expected = 0;
  for (const auto& step : plan.steps) {
    expected += static_cast<std::size_t>(step.doses_per_day) *
                static_cast<std::size_t>((step.ends_on - step.starts_on).count() + 1);
  }
  EXPECT_EQ(events.size(), expected);
}

// Runs tests/ics_check.py (python3-icalendar) on `text`; returns its exit status and output.
std::pair<int, std::string> python_check(const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("mitra_ics_test_" + std::to_string(::getpid()) + ".ics");
  std::ofstream(path, std::ios::binary) << text;
  const std::string command =
      "/usr/bin/python3 " MITRA_SOURCE_DIR "/tests/ics_check.py " + path.string() + " 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe)) output += buffer.data();
  const int status = ::pclose(pipe);
  std::filesystem::remove(path);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

bool python_icalendar_available() {
  return std::system("/usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1") == 0;
}

TEST(IcsPython, AnIndependentParserAgreesAcrossTheSpringChange) {
  if (!python_icalendar_available()) GTEST_SKIP() << "python3-icalendar is not installed";
  const auto plan = plan_in("Europe/Berlin", kToday);
  const Day from = date::sys_days{date::year{2026} / March / 28};
  const auto [status, output] =
      python_check(plan_to_ics(plan, days(from, from + date::days{2})).value());
  ASSERT_EQ(status, 0) << output;
  std::istringstream lines(output);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 12u) << output;  // Step two (from 27 March): four doses, 5 h apart.
  EXPECT_EQ(rows[0], "plan42-20260328-1@mitra|Reminder|2026-03-28T06:00:00Z|1");
  EXPECT_EQ(rows[4], "plan42-20260329-1@mitra|Reminder|2026-03-29T05:00:00Z|1");
  EXPECT_EQ(rows[8], "plan42-20260330-1@mitra|Reminder|2026-03-30T05:00:00Z|1");
}

TEST(IcsPython, AnIndependentParserAgreesAcrossTheAutumnChangeInSydney) {
  // Sydney leaves summer time on 2026-04-05: 07:00 is 20:00Z the day before, then 21:00Z.
  if (!python_icalendar_available()) GTEST_SKIP() << "python3-icalendar is not installed";
  const Day start = date::sys_days{date::year{2026} / date::April / 4};
  const auto plan = plan_in("Australia/Sydney", start);
  const auto [status, output] =
      python_check(plan_to_ics(plan, days(start, start + date::days{1})).value());
  ASSERT_EQ(status, 0) << output;
  EXPECT_NE(output.find("plan42-20260404-1@mitra|Reminder|2026-04-03T20:00:00Z|1"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("plan42-20260405-1@mitra|Reminder|2026-04-04T21:00:00Z|1"),
            std::string::npos)
      << output;
}

}  // namespace
}  // namespace mitra::formats
