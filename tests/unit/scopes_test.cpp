// The scopes a person shares with a specialist (core/sharing.hpp).

#include <gtest/gtest.h>

#include "core/sharing.hpp"

namespace mitra {
namespace {

TEST(Scopes, ParsedFromTheirNamesEachOnceAndAtLeastOne) {
  const auto scopes = core::parse_scopes({"plan", "pattern"});
  ASSERT_TRUE(scopes);
  EXPECT_EQ(*scopes, (core::Scopes{core::Scope::pattern, core::Scope::plan}));
  for (const auto& bad : std::vector<std::vector<std::string>>{
           {}, {"plan", "plan"}, {"Plan"}, {"journal", ""}, {"everything"}}) {
    const auto refused = core::parse_scopes(bad);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "scopes");
  }
}

TEST(Scopes, JoinedAndSplitRoundTripInTheirFixedOrder) {
  const auto all = core::all_scopes();
  EXPECT_EQ(core::join_scopes(all), "pattern journal checkins reflections plan safety");
  EXPECT_EQ(core::split_scopes(core::join_scopes(all)).value(), all);
  EXPECT_EQ(core::join_scopes({core::Scope::safety, core::Scope::journal}), "journal safety");
  EXPECT_EQ(core::split_scopes("").value(), core::Scopes{});
  EXPECT_FALSE(core::split_scopes("journal diary"));
}

}  // namespace
}  // namespace mitra
