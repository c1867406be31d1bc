#include "core/amount.hpp"

#include <gtest/gtest.h>

namespace mitra::core {
namespace {

TEST(Amount, ParsesGramsWithDecimals) {
  auto a = parse_amount("2.5g");
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, (Amount{2'500'000, Unit::gram}));
}

TEST(Amount, ParsesUnitsWithSpacesAndSpellings) {
  EXPECT_EQ(parse_amount("500 mg").value(), (Amount{500 * kMicro, Unit::milligram}));
  EXPECT_EQ(parse_amount("2caps").value(), (Amount{2 * kMicro, Unit::capsule}));
  EXPECT_EQ(parse_amount("1 teaspoon").value(), (Amount{kMicro, Unit::teaspoon}));
  EXPECT_EQ(parse_amount("15ml").value(), (Amount{15 * kMicro, Unit::millilitre}));
}

TEST(Amount, RefusesMissingOrUnknownUnit) {
  EXPECT_EQ(parse_amount("2.5").error().message,
            "amount \"2.5\" has no unit; add one of g, mg, caps, ml or tsp, e.g. 2.5g");
  EXPECT_EQ(parse_amount("3 oz").error().message,
            "unknown unit \"oz\"; use g, mg, caps, ml or tsp");
  EXPECT_EQ(parse_amount("3 oz").error().field, "amount");
}

TEST(Amount, RefusesZeroNegativeAndAbsurdDoses) {
  EXPECT_FALSE(validate_dose_amount(parse_amount("0g").value()));
  EXPECT_FALSE(validate_dose_amount(parse_amount("-1g").value()));
  EXPECT_EQ(
      validate_dose_amount(parse_amount("250g").value()).error().message,
      "amount 250 g is above the most one dose may be (100 g); check the number and the unit");
  EXPECT_TRUE(validate_dose_amount(parse_amount("100g").value()));
}

TEST(Amount, RefusesMoreThanSixDecimals) { EXPECT_FALSE(parse_amount("1.1234567g")); }

TEST(Amount, FormatsShortestExactDecimal) {
  EXPECT_EQ(format_decimal(2'500'000), "2.5");
  EXPECT_EQ(format_decimal(3 * kMicro), "3");
  EXPECT_EQ(format_decimal(1), "0.000001");
  EXPECT_EQ(format_decimal(-1'250'000), "-1.25");
}

TEST(Amount, ConvertsToMassOnlyWhenWeightIsKnown) {
  ProductWeights weights{.capsule_mg_micro = 500 * kMicro, .teaspoon_mg_micro = std::nullopt};
  EXPECT_EQ(mass_micrograms(Amount{2 * kMicro, Unit::capsule}, weights), 1 * kMicro);
  EXPECT_EQ(mass_micrograms(Amount{500 * kMicro, Unit::milligram}, {}), 500'000);
  EXPECT_EQ(mass_micrograms(Amount{kMicro, Unit::teaspoon}, weights), std::nullopt);
  EXPECT_EQ(mass_micrograms(Amount{kMicro, Unit::millilitre}, weights), std::nullopt);
}

}  // namespace
}  // namespace mitra::core
