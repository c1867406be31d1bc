// Issue 14, item 9: record ids as people type them (core/ids.hpp), and through the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "test_support.hpp"

namespace mitra::core {
namespace {

TEST(ShortIds, AreEightCharactersWhenNothingElseStartsTheSame) {
  const auto shown = shortest_unique_prefixes({"0123456789abcdef", "fedcba9876543210"});
  EXPECT_EQ(shown.at("0123456789abcdef"), "01234567");
  EXPECT_EQ(shown.at("fedcba9876543210"), "fedcba98");
}

TEST(ShortIds, GrowUntilNeighboursDiffer) {
  // Two records made in the same minute share their first 8 characters (12 of time, then random).
  const auto shown = shortest_unique_prefixes(
      {"019ad1f3a2b4c5d6e7f8", "019ad1f3a2b4ffff0000", "019ad1f3a2c000000000"});
  EXPECT_EQ(shown.at("019ad1f3a2b4c5d6e7f8"), "019ad1f3a2b4c");
  EXPECT_EQ(shown.at("019ad1f3a2b4ffff0000"), "019ad1f3a2b4f");
  EXPECT_EQ(shown.at("019ad1f3a2c000000000"), "019ad1f3a2c");
}

TEST(ShortIds, AnIdThatBeginsAnotherIsShownWhole) {
  const auto shown = shortest_unique_prefixes({"bench0001", "bench00012", "abc"});
  EXPECT_EQ(shown.at("bench0001"), "bench0001");
  EXPECT_EQ(shown.at("bench00012"), "bench00012");
  EXPECT_EQ(shown.at("abc"), "abc");
}

TEST(IdPrefix, AWholeIdWinsOverLongerIdsItBegins) {
  EXPECT_EQ(*match_id_prefix({"bench0001", "bench00012"}, "bench0001", "id"), "bench0001");
}

TEST(IdPrefix, NoMatchIsNotFoundAndNamesTheField) {
  auto r = match_id_prefix({"0123456789"}, "9999", "id");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::not_found);
  EXPECT_EQ(r.error().field, "id");
}

TEST(IdPrefix, AmbiguousOrTooShortIsRefusedWithWhatToDo) {
  auto ambiguous = match_id_prefix({"0123456789", "0123999999"}, "0123", "id");
  ASSERT_FALSE(ambiguous);
  EXPECT_EQ(ambiguous.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(ambiguous.error().message.find("begins 2 ids"), std::string::npos)
      << ambiguous.error().message;
  auto short_one = match_id_prefix({"0123456789"}, "01", "id");
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(short_one.error().message.find("at least 4"), std::string::npos);
}

// Property: for ids made as the store makes them (clustered in time), every shown id is at
// least 8 characters, different from every other shown id, and picks exactly its own record.
TEST(IdempotencyKey, TakesOneTo255VisibleAsciiCharacters) {
  for (const std::string& key : {std::string("k"), std::string(255, 'k'),
                                 std::string("0190a7e4-1c2b-7d3e-8f00-123456789abc"),
                                 std::string("!~{}[]\"'.,;:/\\|?*+=%$#@^&()_-`<>")}) {
    EXPECT_TRUE(check_idempotency_key(key, "Idempotency-Key")) << key;
  }
  for (const std::string& key :
       {std::string(""), std::string(256, 'k'), std::string(" k"), std::string("k\t"),
        std::string("a b"), std::string("k\x7f"), std::string("k\x01"), std::string("cl\xc3\xa9"),
        std::string("\xff")}) {
    const auto checked = check_idempotency_key(key, "idempotency-key");
    ASSERT_FALSE(checked) << key;
    EXPECT_EQ(checked.error().kind, ErrorKind::invalid_input) << key;
    EXPECT_EQ(checked.error().field, "idempotency-key") << key;
  }
}

TEST(ShortIds, EveryShownIdPicksItsOwnRecord) {
  std::mt19937_64 random(20261202);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> ids;
    const auto base = static_cast<unsigned long long>(0x019ad1f3a2b4ULL + random() % 1000);
    const int count = 1 + static_cast<int>(random() % 200);
    for (int i = 0; i < count; ++i) {
      char text[33];
      std::snprintf(text, sizeof text, "%012llx%020llx",
                    base + static_cast<unsigned long long>(random() % 5000),
                    static_cast<unsigned long long>(random() % 4000));
      ids.emplace_back(text, 32);
    }
    const auto shown = shortest_unique_prefixes(ids);
    std::set<std::string> distinct;
    for (const auto& [id, prefix] : shown) {
      EXPECT_GE(prefix.size(), kShortIdLength);
      EXPECT_EQ(id.rfind(prefix, 0), 0u);
      distinct.insert(prefix);
      auto picked = match_id_prefix(ids, prefix, "id");
      ASSERT_TRUE(picked) << prefix << ": " << picked.error().message;
      EXPECT_EQ(*picked, id);
    }
    EXPECT_EQ(distinct.size(), shown.size());
  }
}

}  // namespace
}  // namespace mitra::core

namespace mitra::testing {
namespace {

// The bug: `mitra list` showed 8-character ids that `edit` and `delete` refused, and two
// records logged close together showed the same 8 characters.
TEST(CliIds, BugListShowedIdsThatEditAndDeleteRefusedAndRecordsCloseTogetherSharedThem) {
  TempDir dir;
  const auto mitra = [&dir](const std::string& args) {
    return run_shell("MITRA_DB= '" + std::string(MITRA_BINARY) + "' --db '" +
                         dir.file("journal.db") + "' --tz UTC --now 2026-01-10T12:00:00Z " + args,
                     dir);
  };
  // Two doses made in the same minute (ids begin with the time they were made), as an import
  // of them brings them back, and a substance use logged now.
  write_file(
      dir.file("two.csv"),
      "record,id,taken_at,zone,amount,unit,form,product,substance,note,triggers\n"
      "dose,019ad1f3a2b4c5d6e7f8091a2b3c4d5e,2026-01-10T08:00:00Z,UTC,2,g,leaf_powder,,,,\n"
      "dose,019ad1f3a2b4ffff0000111122223333,2026-01-10T09:00:00Z,UTC,3,g,leaf_powder,,,,\n");
  ASSERT_EQ(mitra("import '" + dir.file("two.csv") + "'").exit_code, 0);
  ASSERT_EQ(mitra("use alcohol --at 2026-01-10T09:30:00Z").exit_code, 0);
  const auto listed = mitra("list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto whole = nlohmann::json::parse(mitra("--json list").out);
  std::vector<std::string> ids;
  for (const auto& d : whole["doses"]) ids.push_back(d["id"]);
  for (const auto& u : whole["substance_uses"]) ids.push_back(u["id"]);
  ASSERT_EQ(ids.size(), 3u);
  ASSERT_EQ(ids[0].substr(0, 8), ids[1].substr(0, 8));

  // Each id as the table shows it (the last column): its first characters, long enough to
  // tell it apart from every other id.
  std::vector<std::string> tokens;
  const std::regex last_column(" ([0-9a-f]{8,})\\s*\\n");
  for (auto it = std::sregex_iterator(listed.out.begin(), listed.out.end(), last_column);
       it != std::sregex_iterator(); ++it) {
    tokens.push_back((*it)[1]);
  }
  ASSERT_EQ(tokens.size(), 3u) << listed.out;
  std::vector<std::string> shown;
  for (const auto& id : ids) {
    std::vector<std::string> its;
    for (const auto& token : tokens) {
      if (id.rfind(token, 0) == 0) its.push_back(token);
    }
    ASSERT_EQ(its.size(), 1u) << id << " in\n" << listed.out;
    shown.push_back(its.front());
  }

  const auto edited = mitra("edit " + shown[1] + " --amount 2.5g");
  ASSERT_EQ(edited.exit_code, 0) << edited.err;
  EXPECT_NE(edited.out.find("2.5 g"), std::string::npos) << edited.out;
  const auto deleted = mitra("--json delete " + shown[2]);
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(nlohmann::json::parse(deleted.out)["deleted"], ids[2]);
  // A beginning two records share is refused, naming the field, and nothing changes.
  const auto before = mitra("export --format csv").out;
  const auto ambiguous = mitra("delete " + ids[0].substr(0, 8));
  EXPECT_EQ(ambiguous.exit_code, 2) << ambiguous.err;
  EXPECT_NE(ambiguous.err.find("type more of the id"), std::string::npos) << ambiguous.err;
  EXPECT_EQ(mitra("export --format csv").out, before);
}

}  // namespace
}  // namespace mitra::testing
