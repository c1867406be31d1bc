#include "app/zones.hpp"
#include "views/journal.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace mitra::views {
namespace {

using core::Dose;
using core::SubstanceUse;

const mitra::core::TimeZone* zone(const char* name) {
  return core::find_zone(mitra::app::system_zones(), name).value();
}

// Random text from pieces that need each kind of treatment in JSON: plain ASCII, quotes and
// backslashes, control characters, UTF-8 of two to four bytes.
std::string random_text(std::mt19937& random) {
  static const std::array<const char*, 14> pieces{"a",  "Z",    " ",    "2.5g", "\"", "\\", "\n",
                                                  "\t", "\x01", "\x1f", "\x7f", "é",  "€",  "😀"};
  std::string text;
  const int length = std::uniform_int_distribution<int>(0, 6)(random);
  for (int i = 0; i < length; ++i) {
    text += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(random)];
  }
  return text;
}

std::int64_t random_micro(std::mt19937& random) {
  static const std::array<std::int64_t, 9> edges{0,         1,         10, 999'999,   1'000'000,
                                                 2'500'000, 1'234'567, -1, -2'500'000};
  if (std::uniform_int_distribution<int>(0, 3)(random) == 0) {
    return edges[std::uniform_int_distribution<std::size_t>(0, edges.size() - 1)(random)];
  }
  return std::uniform_int_distribution<std::int64_t>(-1'000'000'000, 1'000'000'000'000)(random);
}

// The zones records carry, one the tz database does not know among them (the fallback is used
// then).
const std::array<const char*, 5> kZoneNames{"Europe/Berlin", "Asia/Kathmandu", "UTC",
                                            "America/St_Johns", "Mars/Olympus_Mons"};

const mitra::core::TimeZone* random_fallback(std::mt19937& random) {
  static const std::array<const mitra::core::TimeZone*, 3> fallbacks{
      zone("Europe/Berlin"), zone("Australia/Lord_Howe"), zone("UTC")};
  return fallbacks[std::uniform_int_distribution<std::size_t>(0, fallbacks.size() - 1)(random)];
}

core::Instant random_instant(std::mt19937& random) {
  return core::Instant{std::chrono::seconds{
      std::uniform_int_distribution<std::int64_t>(-2'000'000'000, 8'000'000'000)(random)}};
}

TEST(JournalView, DoseTextIsTheDumpOfTheDoseDocument) {
  std::mt19937 random(20261128);
  for (int i = 0; i < 20'000; ++i) {
    Dose dose;
    dose.id = random_text(random);
    dose.taken_at = random_instant(random);
    dose.zone =
        kZoneNames[std::uniform_int_distribution<std::size_t>(0, kZoneNames.size() - 1)(random)];
    dose.amount.micro = random_micro(random);
    dose.amount.unit = static_cast<core::Unit>(std::uniform_int_distribution<int>(0, 4)(random));
    dose.form = static_cast<core::Form>(std::uniform_int_distribution<int>(0, 5)(random));
    dose.product = random_text(random);
    dose.note = random_text(random);
    const int triggers = std::uniform_int_distribution<int>(0, 3)(random);
    for (int t = 0; t < triggers; ++t) dose.triggers.push_back(random_text(random));
    const auto* fallback = random_fallback(random);
    ASSERT_EQ(dose_json_text(dose, fallback, mitra::app::system_zones()),
              dose_json(dose, fallback, mitra::app::system_zones()).dump())
        << "dose " << i << ", amount_micro " << dose.amount.micro;
  }
}

TEST(JournalView, SubstanceUseTextIsTheDumpOfTheUseDocument) {
  std::mt19937 random(11282026);
  for (int i = 0; i < 20'000; ++i) {
    SubstanceUse use;
    use.id = random_text(random);
    use.substance = static_cast<core::Substance>(std::uniform_int_distribution<int>(0, 9)(random));
    use.taken_at = random_instant(random);
    use.zone =
        kZoneNames[std::uniform_int_distribution<std::size_t>(0, kZoneNames.size() - 1)(random)];
    use.note = random_text(random);
    const auto* fallback = random_fallback(random);
    ASSERT_EQ(use_json_text(use, fallback, mitra::app::system_zones()),
              use_json(use, fallback, mitra::app::system_zones()).dump())
        << "use " << i;
  }
}

TEST(JournalView, DoseTextRefusesInvalidUtf8AsTheDumpDoes) {
  Dose dose;
  dose.id = "x";
  dose.zone = "UTC";
  dose.note = "\xff\xfe";
  EXPECT_ANY_THROW(dose_json(dose, zone("UTC"), mitra::app::system_zones()).dump());
  EXPECT_ANY_THROW(dose_json_text(dose, zone("UTC"), mitra::app::system_zones()));
}

}  // namespace
}  // namespace mitra::views
