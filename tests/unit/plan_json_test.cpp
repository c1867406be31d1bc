// Reading a stored plan document: amounts are checked, never wrapped.
#include "formats/plan_json.hpp"
#include "app/zones.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace mitra::formats {
namespace {

nlohmann::json small_plan() {
  core::TaperInputs in;
  in.pattern = core::DosingPattern{2, std::chrono::hours{6}, {2'000'000, core::Unit::gram}};
  in.goal = {core::GoalKind::stop, std::nullopt};
  in.start = date::sys_days{date::year{2026} / date::March / 20};
  in.zone = "UTC";
  const auto plan = core::make_plan(in, in.start, "p1", mitra::app::system_zones()).value();
  return plan_to_json(plan);
}

// Found in review: micro() multiplied a whole number by a million unchecked, so a stored
// "daily_total": 9223372036854775807 wrapped to a negative amount.
TEST(PlanJson, AWholeNumberTooLargeForMillionthsIsOutOfRangeNotWrapped) {
  for (const auto& huge :
       {nlohmann::json(9'223'372'036'854'775'807LL), nlohmann::json(18'446'744'073'709'551'615ULL),
        nlohmann::json(-9'223'372'036'854'775'807LL), nlohmann::json(1'000'000'000'001LL)}) {
    auto doc = small_plan();
    doc["steps"][0]["daily_total"] = huge;
    const auto read = plan_from_json(doc);
    ASSERT_FALSE(read) << huge;
    EXPECT_EQ(read.error().field, "steps[0].daily_total");
    EXPECT_EQ(read.error().message,
              "steps[0].daily_total is out of range; amounts are at most 1000000000000 in "
              "absolute value");
  }
  auto fine = small_plan();
  fine["steps"][0]["daily_total"] = 1'000'000'000'000LL;
  EXPECT_TRUE(plan_from_json(fine));
}

TEST(PlanJson, StepReasonsAreWrittenAndIgnoredWhenReadBack) {
  const auto doc = small_plan();
  ASSERT_TRUE(doc["steps"][0].contains("reason"));
  EXPECT_FALSE(doc["steps"][0]["reason"].get<std::string>().empty());
  const auto back = plan_from_json(doc).value();
  EXPECT_EQ(plan_to_json(back), doc);
}

TEST(PlanJson, ARepeatStepReadsBack) {
  auto doc = small_plan();
  doc["steps"][0]["kind"] = "repeat";
  const auto back = plan_from_json(doc).value();
  EXPECT_EQ(back.steps[0].kind, core::StepKind::repeat);
}

}  // namespace
}  // namespace mitra::formats
