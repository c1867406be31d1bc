#include "core/instruments.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string_view>
#include <vector>

#include "views/instruments.hpp"

namespace mitra::core {
namespace {

using nlohmann::json;

const Instrument& get(std::string_view id) { return *find_instrument(id).value(); }

// Yes/no answers with the first `yes` items answered true.
json yes_answers(const Instrument& in, int yes) {
  json answers = json::array();
  for (std::size_t i = 0; i < in.items.size(); ++i) answers.push_back(static_cast<int>(i) < yes);
  return answers;
}

// Scale answers that add up to `total`, filling items in order up to their maximum.
json scale_answers(const Instrument& in, int total) {
  json answers = json::array();
  for (const auto& item : in.items) {
    int best = 0;
    for (const auto& c : item.choices) {
      if (c.score <= total) best = c.score;
    }
    answers.push_back(best);
    total -= best;
  }
  EXPECT_EQ(total, 0) << "test helper could not reach the total";
  return answers;
}

std::string band_of(std::string_view id, const json& answers) {
  auto score = score_answers(get(id), answers);
  EXPECT_TRUE(score) << score.error().message;
  return score && score->band ? score->band->id : "";
}

// Issue 16's review: the "daily" -> "checkin" alias was coded in the CLI, the API (twice) and the
// instrument document. Now core holds it, and every way in takes it.
TEST(Instruments, AnAliasNamesItsInstrumentEverywhereFromOnePlace) {
  EXPECT_EQ(mitra::core::canonical_instrument_id("daily"), "checkin");
  EXPECT_EQ(mitra::core::canonical_instrument_id("sows"), "sows");
  EXPECT_EQ(mitra::core::canonical_instrument_id("nonsense"), "nonsense");
  auto found = mitra::core::find_instrument("daily");
  ASSERT_TRUE(found);
  EXPECT_EQ((*found)->id, "checkin");
  EXPECT_EQ(mitra::core::instrument_aliases("checkin"), std::vector<std::string_view>{"daily"});
  EXPECT_TRUE(mitra::core::instrument_aliases("sows").empty());
  const auto unknown = mitra::core::find_instrument("dialy");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("\"dialy\""), std::string::npos);
  EXPECT_EQ(mitra::views::instrument_document(**found)["aliases"],
            nlohmann::json::array({"daily"}));
}

TEST(Instruments, AllFiveLoadInStableOrderWithTheirItemCountsAndMaxima) {
  std::vector<std::tuple<std::string, std::size_t, int>> got;
  for (const auto& in : instruments()) got.emplace_back(in.id, in.items.size(), in.max_total);
  EXPECT_EQ(got, (std::vector<std::tuple<std::string, std::size_t, int>>{{"dsm5", 11, 11},
                                                                         {"reflection", 7, 7},
                                                                         {"sows", 16, 64},
                                                                         {"cows", 11, 48},
                                                                         {"checkin", 3, 30}}));
}

TEST(Instruments, ItemIdsAreUniqueAcrossInstrumentsSoMisdirectedAnswersCanBeNamed) {
  std::set<std::string> seen;
  for (const auto& in : instruments()) {
    for (const auto& item : in.items) EXPECT_TRUE(seen.insert(item.id).second) << item.id;
  }
}

TEST(Instruments, BandsAreContiguousFromZeroToTheMaximum) {
  for (const auto& in : instruments()) {
    if (in.bands.empty()) continue;
    int next = 0;
    for (const auto& band : in.bands) {
      EXPECT_EQ(band.min, next) << in.id << " " << band.id;
      next = band.max + 1;
    }
    EXPECT_EQ(next, in.max_total + 1) << in.id;
  }
}

TEST(Instruments, CowsItemsKeepTheirOwnAllowedScores) {
  const auto& cows = get("cows");
  std::vector<int> pulse;
  for (const auto& c : cows.items[0].choices) pulse.push_back(c.score);
  EXPECT_EQ(cows.items[0].id, "resting_pulse");
  EXPECT_EQ(pulse, (std::vector<int>{0, 1, 2, 4}));
  std::vector<int> goose;
  for (const auto& c : cows.items[10].choices) goose.push_back(c.score);
  EXPECT_EQ(goose, (std::vector<int>{0, 3, 5}));
}

TEST(Dsm5, CountsCriteriaAndBandsAtEveryBoundary) {
  const auto& dsm = get("dsm5");
  const std::vector<std::pair<int, std::string>> cases = {
      {0, "none"},     {1, "none"},     {2, "mild"},   {3, "mild"},
      {4, "moderate"}, {5, "moderate"}, {6, "severe"}, {11, "severe"}};
  for (const auto& [yes, band] : cases) {
    auto score = score_answers(dsm, yes_answers(dsm, yes));
    ASSERT_TRUE(score);
    EXPECT_EQ(score->total, yes);
    EXPECT_EQ(score->band->id, band) << yes;
  }
}

TEST(Dsm5, ResultTextIsASelfReflectionThatSuggestsAClinician) {
  for (const auto& band : get("dsm5").bands) {
    EXPECT_NE(band.text.find("not a diagnosis"), std::string::npos) << band.id;
    EXPECT_NE(band.text.find("clinician"), std::string::npos) << band.id;
  }
}

TEST(Dsm5, AcceptsNamedAnswersAndZeroOne) {
  json answers = json::object();
  for (const auto& item : get("dsm5").items) answers[item.id] = 0;
  answers["tolerance"] = true;
  answers["withdrawal"] = 1;
  auto score = score_answers(get("dsm5"), answers);
  ASSERT_TRUE(score);
  EXPECT_EQ(score->total, 2);
  EXPECT_EQ(score->band->id, "mild");
  EXPECT_EQ(score->items[9].id, "tolerance");
  EXPECT_EQ(score->items[9].score, 1);
}

TEST(Reflection, NoneForNoYesAndSomeFromOneToSeven) {
  const auto& r = get("reflection");
  EXPECT_EQ(band_of("reflection", yes_answers(r, 0)), "none");
  EXPECT_EQ(band_of("reflection", yes_answers(r, 1)), "some");
  EXPECT_EQ(band_of("reflection", yes_answers(r, 7)), "some");
}

TEST(Sows, BandsAtEveryBoundary) {
  const auto& sows = get("sows");
  const std::vector<std::pair<int, std::string>> cases = {
      {0, "none"},      {1, "mild"},    {10, "mild"},  {11, "moderate"},
      {20, "moderate"}, {21, "severe"}, {64, "severe"}};
  for (const auto& [total, band] : cases) {
    auto score = score_answers(sows, scale_answers(sows, total));
    ASSERT_TRUE(score);
    EXPECT_EQ(score->total, total);
    EXPECT_EQ(score->band->id, band) << total;
  }
}

TEST(Cows, BandsAtEveryBoundary) {
  const auto& cows = get("cows");
  const std::vector<std::pair<int, std::string>> cases = {{0, "none"},
                                                          {4, "none"},
                                                          {5, "mild"},
                                                          {12, "mild"},
                                                          {13, "moderate"},
                                                          {24, "moderate"},
                                                          {25, "moderately_severe"},
                                                          {36, "moderately_severe"},
                                                          {37, "severe"},
                                                          {48, "severe"}};
  for (const auto& [total, band] : cases) {
    auto score = score_answers(cows, scale_answers(cows, total));
    ASSERT_TRUE(score);
    EXPECT_EQ(score->total, total);
    EXPECT_EQ(score->band->id, band) << total;
  }
}

TEST(Checkin, ScoresSleepMoodCravingWithoutBand) {
  auto score = score_answers(get("checkin"), json{{"sleep", 7}, {"mood", 0}, {"craving", 10}});
  ASSERT_TRUE(score);
  EXPECT_EQ(score->total, 17);
  EXPECT_FALSE(score->band);
  EXPECT_EQ(views::score_json(*score),
            (json{{"instrument", "checkin"},
                  {"total", 17},
                  {"band", nullptr},
                  {"items", {{"sleep", 7}, {"mood", 0}, {"craving", 10}}}}));
}

TEST(Checkin, RefusesElevenWithTheAcceptedRange) {
  auto score = score_answers(get("checkin"), json{{"sleep", 11}, {"mood", 0}, {"craving", 0}});
  ASSERT_FALSE(score);
  EXPECT_EQ(score.error().field, "answers.sleep");
  EXPECT_EQ(score.error().message,
            "The answer 11 for item \"sleep\" (Trouble sleeping) is out of range; give a whole "
            "number from 0 to 10.");
}

TEST(Answers, MissingNamedAnswerNamesTheItemAndWhatIsAccepted) {
  auto score = score_answers(get("checkin"), json{{"sleep", 1}, {"mood", 2}});
  ASSERT_FALSE(score);
  EXPECT_EQ(score.error().field, "answers.craving");
  EXPECT_EQ(score.error().message,
            "Item \"craving\" (Cravings for kratom) has no answer; give a whole number from 0 to "
            "10.");
}

TEST(Answers, NullInAListIsAMissingAnswer) {
  json answers = yes_answers(get("dsm5"), 0);
  answers[3] = nullptr;
  auto score = score_answers(get("dsm5"), answers);
  ASSERT_FALSE(score);
  EXPECT_EQ(score.error().field, "answers.cravings");
  EXPECT_EQ(score.error().message,
            "Item \"cravings\" (I had strong urges or cravings to take kratom.), number 4 in the "
            "list, has no answer; give true (yes) or false (no); 1 and 0 also work.");
}

TEST(Answers, OutOfRangeCowsScoreListsTheAllowedScores) {
  json answers = scale_answers(get("cows"), 0);
  answers[0] = 3;
  auto score = score_answers(get("cows"), answers);
  ASSERT_FALSE(score);
  EXPECT_EQ(score.error().field, "answers.resting_pulse");
  EXPECT_EQ(score.error().message,
            "The answer 3 for item \"resting_pulse\" (Resting pulse after sitting or lying for a "
            "minute), number 1 in the list, is out of range; give one of 0, 1, 2 or 4.");
}

TEST(Answers, OutOfRangeSowsScoreAndWrongType) {
  json answers = scale_answers(get("sows"), 0);
  answers[15] = 5;
  EXPECT_EQ(score_answers(get("sows"), answers).error().message,
            "The answer 5 for item \"urge_to_use\" (Want to take kratom right now), number 16 in "
            "the list, is out of range; give a whole number from 0 to 4.");
  answers[15] = "two";
  EXPECT_EQ(
      score_answers(get("sows"), answers).error().message,
      "The answer \"two\" for item \"urge_to_use\" (Want to take kratom right now), number 16 "
      "in the list, is not accepted; give a whole number from 0 to 4.");
  answers[15] = 1.5;
  EXPECT_EQ(score_answers(get("sows"), answers).error().field, "answers.urge_to_use");
  answers[15] = true;
  EXPECT_EQ(score_answers(get("sows"), answers).error().field, "answers.urge_to_use");
}

TEST(Answers, NegativeYesNoIsOutOfRange) {
  json answers = yes_answers(get("reflection"), 0);
  answers[0] = -1;
  auto score = score_answers(get("reflection"), answers);
  ASSERT_FALSE(score);
  EXPECT_EQ(score.error().message,
            "The answer -1 for item \"more_than_meant\" (Do you end up taking more kratom, or keep "
            "going for longer, than you planned?), number 1 in the list, is out of range; give "
            "true (yes) "
            "or false (no); 1 and 0 also work.");
}

TEST(Answers, TooManyInAListSaysHowManyAndSuggestsTheInstrumentTheyFit) {
  auto score = score_answers(get("dsm5"), scale_answers(get("sows"), 0));
  ASSERT_FALSE(score);
  EXPECT_EQ(score.error().field, "answers");
  EXPECT_EQ(score.error().message,
            "The answers list has 16 entries but the DSM-5 self-reflection takes exactly 11, one "
            "per item in published order (larger_or_longer, unable_to_cut_down, time_spent, "
            "cravings, role_failure, social_problems, activities_given_up, hazardous_use, "
            "despite_harm, tolerance, withdrawal). That is the number SOWS takes; were these "
            "answers meant for it?");
}

TEST(Answers, TooFewInAListSaysHowMany) {
  auto score = score_answers(get("checkin"), json::array({1, 2}));
  ASSERT_FALSE(score);
  EXPECT_EQ(score.error().message,
            "The answers list has 2 entries but the daily check-in takes exactly 3, one per item "
            "in published order (sleep, mood, craving).");
}

TEST(Answers, ExtraUnknownItemIsNamed) {
  json answers{{"sleep", 1}, {"mood", 2}, {"craving", 3}, {"energy", 4}};
  auto score = score_answers(get("checkin"), answers);
  ASSERT_FALSE(score);
  EXPECT_EQ(score.error().field, "answers.energy");
  EXPECT_EQ(score.error().message,
            "Unknown item \"energy\" for the daily check-in; the items are sleep, mood, craving.");
}

TEST(Answers, ItemOfAnotherInstrumentSaysWhichOneItBelongsTo) {
  json answers{{"sleep", 1}, {"mood", 2}, {"craving", 3}, {"yawning", 2}};
  auto score = score_answers(get("checkin"), answers);
  ASSERT_FALSE(score);
  EXPECT_EQ(score.error().field, "answers.yawning");
  EXPECT_EQ(score.error().message,
            "Item \"yawning\" belongs to SOWS, not to the daily check-in; were these answers meant "
            "for sows? The items of the daily check-in are sleep, mood, craving.");
}

TEST(Answers, NeitherListNorObjectIsRefused) {
  auto score = score_answers(get("checkin"), json("3,4,5"));
  ASSERT_FALSE(score);
  EXPECT_EQ(score.error().message,
            "The answers must be a list of 3 answers in published order or an object keyed by item "
            "id (sleep, mood, craving); got \"3,4,5\".");
}

TEST(Answers, DocumentMarkedForAnotherInstrumentIsRefused) {
  json doc{{"instrument", "cows"}, {"answers", scale_answers(get("sows"), 0)}};
  auto score = score_document(get("sows"), doc);
  ASSERT_FALSE(score);
  EXPECT_EQ(score.error().field, "instrument");
  EXPECT_EQ(score.error().message,
            "These answers are marked for instrument \"cows\" but SOWS (\"sows\") was asked for; "
            "send answers for sows.");
}

TEST(Answers, DocumentWithoutAnswersIsRefusedAndAMatchingOneIsScored) {
  EXPECT_EQ(score_document(get("sows"), json{{"instrument", "sows"}}).error().message,
            "The document has no \"answers\"; give a list of 16 answers for SOWS or an object "
            "keyed by item id.");
  json doc{{"instrument", "sows"}, {"answers", scale_answers(get("sows"), 21)}};
  auto score = score_document(get("sows"), doc);
  ASSERT_TRUE(score);
  EXPECT_EQ(score->total, 21);
  EXPECT_EQ(views::score_json(*score).at("band"), "severe");
}

TEST(Instruments, UnknownInstrumentListsTheKnownOnes) {
  EXPECT_EQ(find_instrument("phq9").error().message,
            "Unknown instrument \"phq9\"; use one of dsm5, reflection, sows, cows, checkin.");
}

}  // namespace
}  // namespace mitra::core
