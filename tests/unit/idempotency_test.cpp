// Idempotency keys with a fingerprint of the request's content (store schema 3): the same key
// with the same content is a retry; with other content it is refused (HTTP 422). On every
// engine (SQLite and PostgreSQL), except the upgrade of an SQLite journal of schema 2.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include "app/journal.hpp"
#include "app/zones.hpp"
#include "pg_cluster.hpp"
#include "sql_support.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

namespace mitra::app {
namespace {

using testing::sql_text;

constexpr const char* kReusedKey =
    "this Idempotency-Key was already used for a request with other content; send the same "
    "content to retry it, or a new key for a new request";

core::Instant at(const std::string& text) {
  return core::parse_time(text, core::Instant{}, mitra::app::system_zones().locate("UTC"), "at")
      .value();
}

class Idempotency : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      auto database = testing::new_pg_database();
      ASSERT_EQ(database.error, "");
      location_ = database.url;
    }
    auto opened = store::open_store(location_, store::OpenMode::create_if_missing);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    context_.emplace(
        make_context(*store_, at("2026-03-19T12:00:00+01:00"), "Europe/Berlin", "UTC").value());
  }
  DoseInput dose(const std::string& amount, const std::string& key) {
    DoseInput input;
    input.amount = amount;
    input.note = "before work";
    input.idempotency_key = key;
    return input;
  }
  // The amounts of the doses stored, oldest first, one a line.
  std::string stored_amounts() {
    std::string out;
    const std::vector<core::Dose> doses = store_->list_doses({}).value();
    for (const auto& d : doses) {
      out += (out.empty() ? "" : "\n") + std::to_string(d.amount.micro);
    }
    return out;
  }
  testing::TempDir dir_;
  std::string location_ = dir_.file("mitra.db");
  std::unique_ptr<store::Store> store_;
  std::optional<Context> context_;
};

INSTANTIATE_TEST_SUITE_P(Engines, Idempotency, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& engine) {
                           return engine.param;
                         });

// An Idempotency-Key sent again with a different body returned the first dose with 201.
TEST_P(Idempotency, BugKeyReusedWithADifferentBodyReturnedTheFirstDose) {
  auto first = log_dose(*context_, dose("2g", "key-1"));
  ASSERT_TRUE(first) << first.error().message;
  auto other = log_dose(*context_, dose("5g", "key-1"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, core::ErrorKind::unprocessable);
  EXPECT_EQ(other.error().field, "Idempotency-Key");
  EXPECT_EQ(other.error().message, kReusedKey);
  EXPECT_EQ(stored_amounts(), "2000000");
}

TEST_P(Idempotency, TheSameContentWithTheSameKeyReturnsTheFirstDoseEvenLater) {
  auto first = log_dose(*context_, dose("2g", "key-1"));
  ASSERT_TRUE(first);
  context_->now += std::chrono::minutes{5};  // A retry of "now", five minutes later.
  auto retry = log_dose(*context_, dose(" 2 g", "key-1"));
  ASSERT_TRUE(retry) << retry.error().message;
  EXPECT_EQ(*retry, *first);
  EXPECT_EQ(store_->list_doses({})->size(), 1u);
}

TEST_P(Idempotency, AnyChangedFieldOfADoseIsOtherContent) {
  ASSERT_TRUE(log_dose(*context_, dose("2g", "key-1")));
  std::vector<DoseInput> changed(5, dose("2g", "key-1"));
  changed[0].at = "11:00";
  changed[1].form = "capsules";
  changed[2].product = "Green";
  changed[3].note = "after work";
  changed[4].triggers = {"stress"};
  for (const auto& input : changed) {
    auto result = log_dose(*context_, input);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, core::ErrorKind::unprocessable);
  }
  EXPECT_EQ(store_->list_doses({})->size(), 1u);
}

TEST_P(Idempotency, ASubstanceUseKeyReusedWithOtherContentIsRefused) {
  SubstanceUseInput use;
  use.substance = "alcohol";
  use.idempotency_key = "key-2";
  auto first = log_substance_use(*context_, use);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(log_substance_use(*context_, use)->id, first->id);
  use.substance = "opioid";
  auto other = log_substance_use(*context_, use);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, core::ErrorKind::unprocessable);
  EXPECT_EQ(other.error().message, kReusedKey);
  ASSERT_EQ(store_->list_substance_uses({})->size(), 1u);
  EXPECT_EQ(store_->list_substance_uses({})->front().substance, core::Substance::alcohol);
}

// SQLite only: an SQLite journal of schema 2 upgraded. Keys kept by schema 2 have no fingerprint: a
// retry with them still returns the first record.
TEST(IdempotencyUpgrade, KeysFromBeforeFingerprintsStillReturnTheirRecord) {
  testing::TempDir dir;
  const std::string path = dir.file("old.db");
  std::string first_id;
  {
    auto store = store::open_store(path, store::OpenMode::create_if_missing).value();
    core::Dose d;
    d.taken_at = at("2026-03-19T10:00:00Z");
    d.zone = "UTC";
    d.amount = {2'000'000, core::Unit::gram};
    first_id = store->add_dose(d, "old-key").value().id;
  }
  // Back to schema 2, as a journal written before fingerprints.
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  ASSERT_EQ(
      sqlite3_exec(db,
                   "ALTER TABLE idempotency DROP COLUMN fingerprint; DROP INDEX plans_by_added; "
                   "ALTER TABLE plans DROP COLUMN added; PRAGMA user_version = 2",
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto store = store::open_store(path, store::OpenMode::read_write).value();
  EXPECT_EQ(sql_text(path, "PRAGMA user_version"), std::to_string(store::kSchemaVersion));
  auto context = make_context(*store, at("2026-03-19T12:00:00Z"), "UTC", "UTC").value();
  DoseInput input;
  input.amount = "7g";
  input.idempotency_key = "old-key";
  auto retry = log_dose(context, input);
  ASSERT_TRUE(retry) << retry.error().message;
  EXPECT_EQ(retry->id, first_id);
  EXPECT_EQ(sql_text(path, "SELECT fingerprint FROM idempotency"), "");
}

}  // namespace
}  // namespace mitra::app
