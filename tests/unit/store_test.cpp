// The store contract, on every engine: the StoreTest suite runs each test on SQLite and on
// PostgreSQL (a new database on the binary's throwaway cluster, pg_cluster.hpp). The StoreOpen
// tests below are about one engine's files or schema, and say which.

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pg_cluster.hpp"
#include "sql_support.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

namespace mitra::store {
namespace {

using core::Amount;
using core::Dose;
using core::Instant;
using core::kMicro;
using core::Unit;
using testing::sql_text;
using testing::TempDir;

Instant at(long long seconds) { return Instant{std::chrono::seconds{seconds}}; }

Dose dose_at(long long seconds, std::int64_t grams_micro = 2'500'000) {
  Dose d;
  d.taken_at = at(seconds);
  d.zone = "Europe/Berlin";
  d.amount = Amount{grams_micro, Unit::gram};
  d.product = "Green";
  d.note = "note";
  d.triggers = {"stress", "pain"};
  return d;
}

// The location of a new, empty journal on `engine`: "sqlite" (a file in `dir`) or
// "postgresql" (a new database); empty, with a test failure, if there is none.
std::string new_journal(const std::string& engine, const TempDir& dir) {
  if (engine == "sqlite") return dir.file("journal.db");
  auto database = testing::new_pg_database();
  EXPECT_TRUE(database.error.empty()) << database.error;
  return database.url;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    location_ = new_journal(GetParam(), dir_);
    ASSERT_FALSE(location_.empty());
    auto opened = open_store(location_, OpenMode::create_if_missing);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  TempDir dir_;
  std::string location_;
  std::unique_ptr<Store> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& engine) {
                           return engine.param;
                         });

TEST_P(StoreTest, AddsAndReadsBackADoseExactly) {
  auto added = store_->add_dose(dose_at(1'700'000'000), "");
  ASSERT_TRUE(added);
  EXPECT_EQ(added->id.size(), 32u);
  auto read = store_->get_dose(added->id);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, *added);
}

TEST_P(StoreTest, ListsDosesInTimeOrderWithinRange) {
  store_->add_dose(dose_at(300), "");
  store_->add_dose(dose_at(100), "");
  store_->add_dose(dose_at(200), "");
  auto all = store_->list_doses({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].taken_at, at(100));
  EXPECT_EQ((*all)[2].taken_at, at(300));
  auto some = store_->list_doses({at(150), at(300)});
  ASSERT_TRUE(some);
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ(some->front().taken_at, at(200));
  auto last = store_->last_dose();
  ASSERT_TRUE(last && *last);
  EXPECT_EQ((*last)->taken_at, at(300));
}

TEST_P(StoreTest, RetryWithSameIdempotencyKeyDoesNotDuplicate) {
  auto first = store_->add_dose(dose_at(100), "key-1");
  auto retry = store_->add_dose(dose_at(100), "key-1");
  ASSERT_TRUE(first && retry);
  EXPECT_EQ(first->id, retry->id);
  EXPECT_EQ(store_->list_doses({})->size(), 1u);
}

TEST_P(StoreTest, UndoRemovesALoggedDose) {
  auto added = store_->add_dose(dose_at(100), "");
  auto undone = store_->undo_last_change();
  ASSERT_TRUE(undone);
  EXPECT_EQ(undone->description, "removed the dose that was just logged");
  EXPECT_TRUE(store_->list_doses({})->empty());
  EXPECT_EQ(store_->undo_last_change().error().message, "there is nothing to undo");
}

TEST_P(StoreTest, UndoPutsAnEditedDoseBack) {
  auto added = store_->add_dose(dose_at(100), "");
  Dose changed = *added;
  changed.amount = Amount{kMicro, Unit::gram};
  ASSERT_TRUE(store_->update_dose(changed));
  EXPECT_EQ(store_->get_dose(added->id)->amount.micro, kMicro);
  ASSERT_TRUE(store_->undo_last_change());
  EXPECT_EQ(*store_->get_dose(added->id), *added);
}

TEST_P(StoreTest, UndoRestoresADeletedDose) {
  auto added = store_->add_dose(dose_at(100), "");
  ASSERT_TRUE(store_->delete_dose(added->id));
  EXPECT_EQ(store_->get_dose(added->id).error().kind, core::ErrorKind::not_found);
  auto undone = store_->undo_last_change();
  ASSERT_TRUE(undone);
  EXPECT_EQ(undone->description, "restored the deleted dose");
  EXPECT_EQ(*store_->get_dose(added->id), *added);
}

TEST_P(StoreTest, ImportIsOneUndoableBatchAndLeavesIdenticalRecords) {
  auto existing = store_->add_dose(dose_at(50), "");
  std::vector<Dose> doses{*existing, dose_at(100), dose_at(200)};
  doses[1].id = "a";
  doses[2].id = "b";
  auto counts = store_->import_records(doses, {}, {}, store::OnConflict::fail);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->imported, 2);
  EXPECT_EQ(counts->already_present, 1);
  EXPECT_TRUE(counts->written);
  auto undone = store_->undo_last_change();
  ASSERT_TRUE(undone);
  EXPECT_EQ(undone->description, "removed the 2 imported records");
  EXPECT_EQ(store_->list_doses({})->size(), 1u);
}

// Bug: an edited record in an import was skipped without a word; now it clashes, and a
// replace is undone with the rest of the import.
TEST_P(StoreTest, ImportClashFailsWritesNothingOrReplacesUndoably) {
  auto existing = store_->add_dose(dose_at(50), "");
  ASSERT_TRUE(existing);
  Dose edited = *existing;
  edited.note = "edited";
  Dose fresh = dose_at(100);
  fresh.id = "new";
  auto failed = store_->import_records({edited, fresh}, {}, {}, store::OnConflict::fail);
  ASSERT_TRUE(failed);
  EXPECT_FALSE(failed->written);
  ASSERT_EQ(failed->clashes.size(), 1u);
  EXPECT_EQ(failed->clashes[0].index, 0u);
  EXPECT_EQ(*failed->clashes[0].stored_dose, *existing);
  EXPECT_EQ(store_->list_doses({})->size(), 1u);

  auto replaced = store_->import_records({edited, fresh}, {}, {}, store::OnConflict::replace);
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->replaced, 1);
  EXPECT_EQ(replaced->imported, 1);
  EXPECT_EQ(store_->get_dose(existing->id)->note, "edited");
  ASSERT_TRUE(store_->undo_last_change());
  EXPECT_EQ(*store_->list_doses({}), std::vector<Dose>{*existing});

  // A substance use may not take a dose's id, whatever on_conflict says.
  core::SubstanceUse use;
  use.id = existing->id;
  use.taken_at = dose_at(60).taken_at;
  use.zone = "UTC";
  auto taken = store_->import_records({}, {use}, {}, store::OnConflict::replace);
  ASSERT_TRUE(taken);
  EXPECT_FALSE(taken->written);
  EXPECT_TRUE(taken->clashes.at(0).other_kind);
  EXPECT_TRUE(store_->list_substance_uses({})->empty());
}

// A substance use and a check-in that clash with stored ones (same id, other content) are
// replaced by an import that says so, and one undo brings both back; the same steps as a dose's
// (store::import_all writes the three kinds with one writer).
TEST_P(StoreTest, ImportReplacesClashingSubstanceUsesAndCheckInsUndoably) {
  auto use = store_->add_substance_use({"", core::Substance::alcohol, at(100), "UTC", "wine"}, "");
  ASSERT_TRUE(use);
  auto checkin = store_->add_assessment({"", "sows", at(200), "UTC", {0, 1, 2}, 3, "mild", ""}, "");
  ASSERT_TRUE(checkin);
  core::SubstanceUse edited_use = *use;
  edited_use.note = "beer";
  Assessment edited_checkin = *checkin;
  edited_checkin.note = "a long day";
  store::ImportRecords records;
  records.substance_uses = {edited_use};
  records.assessments = {edited_checkin};

  auto failed = store_->import_records(records, store::OnConflict::fail);
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_FALSE(failed->written);
  EXPECT_EQ(failed->clashes.size(), 2u);

  auto replaced = store_->import_records(records, store::OnConflict::replace);
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_TRUE(replaced->written);
  EXPECT_EQ(replaced->replaced, 2);
  EXPECT_EQ(*store_->list_substance_uses({}), std::vector<core::SubstanceUse>{edited_use});
  EXPECT_EQ(*store_->list_assessments("sows", {}), std::vector<Assessment>{edited_checkin});

  auto undone = store_->undo_last_change();
  ASSERT_TRUE(undone) << undone.error().message;
  EXPECT_EQ(*store_->list_substance_uses({}), std::vector<core::SubstanceUse>{*use});
  EXPECT_EQ(*store_->list_assessments("sows", {}), std::vector<Assessment>{*checkin});
}

// Check-ins, plan versions and settings import in the same transaction as the journal, are
// compared by id (plan: id and version; setting: key), and one undo takes them all back.
TEST_P(StoreTest, ImportsCheckInsPlanVersionsAndSettingsAndUndoesThemWhole) {
  ASSERT_TRUE(store_->put_setting("zone", "America/Chicago"));
  store::Assessment checkin;
  checkin.id = "a1";
  checkin.instrument = "checkin";
  checkin.taken_at = dose_at(100).taken_at;
  checkin.zone = "UTC";
  checkin.answers = {3, 4};
  checkin.total = 7;
  store::PlanVersion first{"p1", 1, dose_at(200).taken_at, "superseded", "new", R"({"a":1})"};
  store::PlanVersion second{"p1", 2, dose_at(300).taken_at, "active", "hold", R"({"a":2})"};
  store::ImportRecords records;
  records.assessments = {checkin};
  records.plan_versions = {first, second};
  records.settings = {{"zone", "Europe/Berlin"}, {"day_start", "05:00"}};

  auto failed = store_->import_records(records, store::OnConflict::fail);
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_FALSE(failed->written);
  ASSERT_EQ(failed->clashes.size(), 1u);
  EXPECT_EQ(failed->clashes[0].kind, store::ImportOutcome::Clash::Kind::setting);
  EXPECT_EQ(failed->clashes[0].stored_setting, "America/Chicago");
  EXPECT_TRUE(store_->list_assessments("", {})->empty()) << "nothing is written half-way";

  auto done = store_->import_records(records, store::OnConflict::replace);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_TRUE(done->written);
  EXPECT_EQ(done->imported, 4);
  EXPECT_EQ(done->imported_by_kind,
            (store::ImportCounts{.assessments = 1, .plan_versions = 2, .settings = 1}));
  EXPECT_EQ(done->replaced, 1);
  EXPECT_EQ(done->undoable, 5);
  EXPECT_EQ(*store_->list_assessments("", {}), std::vector<store::Assessment>{checkin});
  EXPECT_EQ(*store_->plan_history("p1"), (std::vector<store::PlanVersion>{first, second}));
  EXPECT_EQ(store_->current_plan()->value(), second);
  EXPECT_EQ(store_->get_setting("zone")->value(), "Europe/Berlin");

  // The same again: all present. A plan version with other content is never replaced.
  auto again = store_->import_records(records, store::OnConflict::fail);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->already_present, 5);
  EXPECT_EQ(again->undoable, 0);
  records.plan_versions[0].body_json = R"({"a":9})";
  auto replaced = store_->import_records(records, store::OnConflict::replace);
  ASSERT_TRUE(replaced);
  EXPECT_FALSE(replaced->written);
  EXPECT_EQ(replaced->clashes.at(0).kind, store::ImportOutcome::Clash::Kind::plan_version);
  EXPECT_EQ(replaced->clashes.at(0).stored_plan_version, first);

  auto undone = store_->undo_last_change();
  ASSERT_TRUE(undone) << undone.error().message;
  EXPECT_EQ(undone->description, "removed the 5 imported records");
  EXPECT_TRUE(store_->list_assessments("", {})->empty());
  EXPECT_TRUE(store_->plan_history("p1")->empty());
  EXPECT_EQ(store_->get_setting("zone")->value(), "America/Chicago");
  EXPECT_FALSE(store_->get_setting("day_start")->has_value());
}

TEST_P(StoreTest, BugAnOlderPlanImportedAfterANewerOneSupersededTheCurrentPlan) {
  // An import writes plan versions after those already stored; "superseded" followed the order
  // written, so the current plan (the newest by creation time) read as superseded.
  store::PlanVersion newer{"p2", 1, dose_at(500).taken_at, "active", "new", R"({"b":1})"};
  ASSERT_TRUE(store_->add_plan_version(newer));
  store::ImportRecords records;
  records.plan_versions = {{"p1", 1, dose_at(100).taken_at, "active", "new", R"({"a":1})"}};
  ASSERT_TRUE(store_->import_records(records, store::OnConflict::fail));
  auto current = store_->current_plan();
  ASSERT_TRUE(current && *current);
  EXPECT_EQ(**current, newer);
  EXPECT_EQ(store_->plan_history("p1")->at(0).status, "superseded");
  EXPECT_EQ(store_->latest_plan_versions()->back(), newer);
}

// Undo walks back from the newest change and stops at the first row of an older group:
// each undo takes exactly one group, newest first, and then nothing is left.
TEST_P(StoreTest, UndoTakesBackOneGroupAtATimeNewestFirst) {
  std::vector<Dose> imported{dose_at(100), dose_at(200), dose_at(300)};
  imported[0].id = "i1";
  imported[1].id = "i2";
  imported[2].id = "i3";
  ASSERT_TRUE(store_->import_records(imported, {}, {}, store::OnConflict::fail));
  auto logged = store_->add_dose(dose_at(400), "");
  ASSERT_TRUE(logged);
  ASSERT_TRUE(store_->delete_dose("i2"));

  auto first = store_->undo_last_change();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->description, "restored the deleted dose");
  EXPECT_EQ(store_->list_doses({})->size(), 4u);
  auto second = store_->undo_last_change();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->description, "removed the dose that was just logged");
  EXPECT_EQ(second->record_id, logged->id);
  EXPECT_EQ(store_->list_doses({})->size(), 3u);
  auto third = store_->undo_last_change();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->description, "removed the 3 imported records");
  EXPECT_TRUE(store_->list_doses({})->empty());
  EXPECT_EQ(store_->undo_last_change().error().kind, core::ErrorKind::not_found);
}

TEST_P(StoreTest, SubstanceUsesAreKeptAndUndone) {
  core::SubstanceUse use{"", core::Substance::alcohol, at(100), "UTC", "wine"};
  auto added = store_->add_substance_use(use, "k");
  ASSERT_TRUE(added);
  EXPECT_EQ(store_->add_substance_use(use, "k")->id, added->id);
  EXPECT_EQ(store_->list_substance_uses({})->size(), 1u);
  ASSERT_TRUE(store_->undo_last_change());
  EXPECT_TRUE(store_->list_substance_uses({})->empty());
}

TEST_P(StoreTest, SettingsProductsAssessmentsAndPlansRoundTrip) {
  ASSERT_TRUE(store_->put_setting("zone", "Europe/Berlin"));
  EXPECT_EQ(**store_->get_setting("zone"), "Europe/Berlin");
  EXPECT_FALSE(*store_->get_setting("missing"));

  core::Product product{"Caps", core::Form::capsules, {500 * kMicro, std::nullopt}};
  ASSERT_TRUE(store_->put_product(product));
  EXPECT_EQ(store_->list_products()->front(), product);

  Assessment a{"", "sows", at(100), "UTC", {0, 1, 2}, 3, "mild", ""};
  auto saved = store_->add_assessment(a, "");
  ASSERT_TRUE(saved);
  a.id = saved->id;
  EXPECT_EQ(store_->list_assessments("sows", {})->front(), a);
  EXPECT_TRUE(store_->list_assessments("cows", {})->empty());

  PlanVersion v1{"", 0, at(100), "active", "new", "{}"};
  auto first = store_->add_plan_version(v1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->version, 1);
  PlanVersion v2{first->plan_id, 0, at(200), "held", "hold", "{\"held\":true}"};
  auto second = store_->add_plan_version(v2);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->version, 2);
  auto history = store_->plan_history(first->plan_id);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].status, "superseded");
  EXPECT_EQ((**store_->current_plan()).version, 2);
}

// Runs SQL on the journal at `location` with a connection of the test's own: "" on success,
// else the engine's message.
std::string exec_sql(const std::string& engine, const std::string& location,
                     const std::string& sql) {
  if (engine == "postgresql") {
    const std::string out = testing::pg_sql(location, sql);
    return out.rfind("error:", 0) == 0 ? out : "";
  }
  sqlite3* db = nullptr;
  sqlite3_open(location.c_str(), &db);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  std::string out = rc == SQLITE_OK ? "" : std::string("error: ") + (message ? message : "?");
  sqlite3_free(message);
  sqlite3_close(db);
  return out;
}

// What the plan readers say, one line per version: history of every plan, then the latest
// versions, then the current one.
std::string plan_readings(Store& store) {
  std::string out;
  const auto line = [&](const std::string& what, const PlanVersion& v) {
    out += what + " " + v.plan_id + "/" + std::to_string(v.version) + " " + v.status + " " +
           v.reason + "\n";
  };
  auto latest = store.latest_plan_versions();
  EXPECT_TRUE(latest) << latest.error().message;
  if (!latest) return out;
  for (const auto& plan : *latest) {
    auto history = store.plan_history(plan.plan_id);
    EXPECT_TRUE(history) << history.error().message;
    if (history) {
      for (const auto& v : *history) line("history", v);
    }
  }
  for (const auto& v : *latest) line("latest", v);
  auto current = store.current_plan();
  EXPECT_TRUE(current) << current.error().message;
  if (current && *current) line("current", **current);
  return out;
}

// Bug: "nothing is overwritten" was not true of plans: a new version set the status of every
// earlier active or held version to 'superseded' with an UPDATE. Now the stored rows are never
// updated or deleted (triggers here refuse both) and readers still see the earlier versions as
// superseded.
TEST_P(StoreTest, BugANewPlanVersionOverwroteTheStatusOfEarlierVersions) {
  const std::string refuse =
      GetParam() == "postgresql"
          ? "CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'a stored plan version was changed'; END $$; "
            "CREATE TRIGGER plans_stay BEFORE UPDATE OR DELETE ON plans "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
          : "CREATE TRIGGER plans_stay_updated BEFORE UPDATE ON plans BEGIN "
            "SELECT RAISE(ABORT, 'a stored plan version was changed'); END; "
            "CREATE TRIGGER plans_stay_deleted BEFORE DELETE ON plans BEGIN "
            "SELECT RAISE(ABORT, 'a stored plan version was changed'); END";
  ASSERT_EQ(exec_sql(GetParam(), location_, refuse), "");

  auto first = store_->add_plan_version({"a", 0, at(100), "active", "new", "{}"});
  ASSERT_TRUE(first) << first.error().message;
  auto held = store_->add_plan_version({"a", 0, at(200), "held", "hold", "{}"});
  ASSERT_TRUE(held) << held.error().message;
  auto other = store_->add_plan_version({"b", 0, at(300), "active", "new", "{}"});
  ASSERT_TRUE(other) << other.error().message;
  auto finished = store_->add_plan_version({"c", 0, at(400), "finished", "finish", "{}"});
  ASSERT_TRUE(finished) << finished.error().message;
  EXPECT_EQ(plan_readings(*store_),
            "history a/1 superseded new\n"
            "history a/2 superseded hold\n"
            "history b/1 superseded new\n"
            "history c/1 finished finish\n"
            "latest a/2 superseded hold\n"
            "latest b/1 superseded new\n"
            "latest c/1 finished finish\n"
            "current c/1 finished finish\n");
  // As written, all of them.
  const std::string stored = GetParam() == "postgresql"
                                 ? testing::pg_sql(location_,
                                                   "SELECT plan_id || '/' || version || ' ' || "
                                                   "status FROM plans ORDER BY added")
                                 : testing::sql_text(location_,
                                                     "SELECT plan_id || '/' || version || ' ' || "
                                                     "status FROM plans ORDER BY added");
  EXPECT_EQ(stored, "a/1 active\na/2 held\nb/1 active\nc/1 finished");
}

// A journal written before plan versions were append-only (SQLite schema 3, PostgreSQL schema
// 1: superseded versions were stored as such) reads the same once upgraded, and a version added
// after the upgrade supersedes the one that was current.
TEST_P(StoreTest, AJournalFromBeforeAppendOnlyPlansReadsTheSameAfterTheUpgrade) {
  ASSERT_TRUE(store_->add_plan_version({"a", 0, at(100), "active", "new", "{}"}));
  ASSERT_TRUE(store_->add_plan_version({"a", 0, at(200), "held", "hold", "{}"}));
  ASSERT_TRUE(store_->add_plan_version({"b", 0, at(300), "active", "new", "{}"}));
  const std::string before = plan_readings(*store_);
  store_.reset();
  // Back to the old schema, with the statuses the old UPDATE wrote.
  const bool postgres = GetParam() == "postgresql";
  ASSERT_EQ(
      exec_sql(
          GetParam(), location_,
          std::string("UPDATE plans SET status = 'superseded' WHERE status IN "
                      "('active', 'held') AND added < (SELECT max(added) FROM plans); "
                      "DROP INDEX plans_by_added; ALTER TABLE plans DROP COLUMN added; ") +
              (postgres ? "UPDATE schema_version SET version = 1" : "PRAGMA user_version = 3")),
      "");
  auto reopened = open_store(location_, OpenMode::read_write);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(plan_readings(**reopened), before);
  ASSERT_TRUE((*reopened)->add_plan_version({"c", 0, at(400), "active", "new", "{}"}));
  EXPECT_EQ(plan_readings(**reopened),
            "history a/1 superseded new\n"
            "history a/2 superseded hold\n"
            "history b/1 superseded new\n"
            "history c/1 active new\n"
            "latest a/2 superseded hold\n"
            "latest b/1 superseded new\n"
            "latest c/1 active new\n"
            "current c/1 active new\n");
}

// Settings are kept by the connection between reads (every request reads them); these are the
// ways a kept value could go stale.
TEST_P(StoreTest, SettingsReadAgainSeeAChangeByAnotherConnection) {
  ASSERT_TRUE(store_->put_setting("zone", "Europe/Berlin"));
  EXPECT_EQ(**store_->get_setting("zone"), "Europe/Berlin");
  EXPECT_FALSE(*store_->get_setting("day_start"));
  auto other = open_store(location_, OpenMode::read_write);
  ASSERT_TRUE(other);
  ASSERT_TRUE((*other)->put_setting("zone", "Asia/Kathmandu"));
  ASSERT_TRUE((*other)->put_setting("day_start", "05:00"));
  EXPECT_EQ(**store_->get_setting("zone"), "Asia/Kathmandu");
  EXPECT_EQ(**store_->get_setting("day_start"), "05:00");
}

TEST_P(StoreTest, SettingsReadAgainDoNotKeepAChangeThatWasRolledBack) {
  ASSERT_TRUE(store_->put_setting("zone", "Europe/Berlin"));
  EXPECT_EQ(**store_->get_setting("zone"), "Europe/Berlin");
  // Inside a group: a request's change read back, then the request dropped.
  ASSERT_TRUE(store_->begin_batch());
  ASSERT_TRUE(store_->begin_batch_item());
  ASSERT_TRUE(store_->put_setting("zone", "Asia/Kathmandu"));
  EXPECT_EQ(**store_->get_setting("zone"), "Asia/Kathmandu");
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::discard));
  EXPECT_EQ(**store_->get_setting("zone"), "Europe/Berlin");
  // A kept change read back, then the whole group dropped.
  ASSERT_TRUE(store_->begin_batch_item());
  ASSERT_TRUE(store_->put_setting("zone", "UTC"));
  EXPECT_EQ(**store_->get_setting("zone"), "UTC");
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  store_->rollback_batch();
  EXPECT_EQ(**store_->get_setting("zone"), "Europe/Berlin");
  // A kept change in a committed group stays.
  ASSERT_TRUE(store_->begin_batch());
  ASSERT_TRUE(store_->begin_batch_item());
  ASSERT_TRUE(store_->put_setting("zone", "UTC"));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  ASSERT_TRUE(store_->commit_batch());
  EXPECT_EQ(**store_->get_setting("zone"), "UTC");
  auto other = open_store(location_, OpenMode::read_write);
  ASSERT_TRUE(other);
  EXPECT_EQ(**(*other)->get_setting("zone"), "UTC");
}

TEST_P(StoreTest, KeyReusedWithOtherContentIsRefusedAndChangesNothing) {
  auto first = store_->add_dose(dose_at(100), "key-1", "two grams");
  ASSERT_TRUE(first);
  auto same = store_->add_dose(dose_at(100), "key-1", "two grams");
  ASSERT_TRUE(same);
  EXPECT_EQ(same->id, first->id);
  auto other = store_->add_dose(dose_at(100, 5'000'000), "key-1", "five grams");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, core::ErrorKind::unprocessable);
  EXPECT_EQ(other.error().field, "Idempotency-Key");
  core::SubstanceUse use{"", core::Substance::alcohol, at(100), "UTC", ""};
  auto wrong_kind = store_->add_substance_use(use, "key-1");
  ASSERT_FALSE(wrong_kind);
  EXPECT_EQ(wrong_kind.error().kind, core::ErrorKind::conflict);
  EXPECT_EQ(*store_->list_doses({}), std::vector<Dose>{*first});
  EXPECT_TRUE(store_->list_substance_uses({})->empty());
}

// A late retry must not bring back what the person deleted since.
TEST_P(StoreTest, RetryOfARecordDeletedSinceIsAConflictAndAddsNothing) {
  auto first = store_->add_dose(dose_at(100), "key-1");
  ASSERT_TRUE(first);
  ASSERT_TRUE(store_->delete_dose(first->id));
  auto retry = store_->add_dose(dose_at(100), "key-1");
  ASSERT_FALSE(retry);
  EXPECT_EQ(retry.error().kind, core::ErrorKind::conflict);
  EXPECT_EQ(retry.error().message,
            "this Idempotency-Key was already used, for a record that has since been removed; "
            "send a new key for a new request");
  EXPECT_TRUE(store_->list_doses({})->empty());
}

// The server's writer: one transaction per group, a request dropped alone.
TEST_P(StoreTest, AGroupOfWritesKeepsItsKeptItemsAndDropsTheOthers) {
  ASSERT_TRUE(store_->begin_batch());
  ASSERT_TRUE(store_->begin_batch_item());
  auto kept = store_->add_dose(dose_at(100), "kept", "first content");
  ASSERT_TRUE(kept);
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  ASSERT_TRUE(store_->begin_batch_item());
  ASSERT_TRUE(store_->add_dose(dose_at(200), "dropped"));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::discard));
  ASSERT_TRUE(store_->begin_batch_item());
  // A write that fails inside an item leaves the group usable.
  EXPECT_FALSE(store_->add_dose(dose_at(300, 1), "kept", "other content"));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::discard));
  ASSERT_TRUE(store_->commit_batch());
  EXPECT_EQ(*store_->list_doses({}), std::vector<Dose>{*kept});
  // The dropped request's key was never kept: sent again, it makes its dose.
  EXPECT_TRUE(store_->add_dose(dose_at(200), "dropped"));
  EXPECT_EQ(store_->list_doses({})->size(), 2u);
}

// The PostgreSQL engine runs a request's first write without a savepoint of its own (one round
// trip less): a failed one must still be undone, and not spoil the group, even when the
// server keeps the request; a later write of the same request that fails leaves the first.
TEST_P(StoreTest, AFailedWriteInAKeptRequestIsUndoneAndTheGroupGoesOn) {
  ASSERT_TRUE(store_->begin_batch());
  ASSERT_TRUE(store_->begin_batch_item());
  auto first = store_->add_dose(dose_at(100), "");
  ASSERT_TRUE(first);
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));

  ASSERT_TRUE(store_->begin_batch_item());
  Dose clash = dose_at(150);
  clash.id = first->id;  // The database refuses a second dose with this id.
  EXPECT_FALSE(store_->add_dose(clash, "clash"));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));

  ASSERT_TRUE(store_->begin_batch_item());
  auto second = store_->add_dose(dose_at(200), "second");
  ASSERT_TRUE(second);
  Dose missing = dose_at(250);
  missing.id = "no-such-dose";
  EXPECT_FALSE(store_->update_dose(missing));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  ASSERT_TRUE(store_->commit_batch());

  EXPECT_EQ(*store_->list_doses({}), (std::vector<Dose>{*first, *second}));
  // The clashing request's key was not kept either.
  EXPECT_TRUE(store_->add_dose(dose_at(300), "clash"));
}

// Settings are read once per group on PostgreSQL: a setting saved by a dropped request must not
// be answered afterwards, and one saved by a kept request must be.
TEST_P(StoreTest, ASettingOfADroppedRequestIsNotReadBackInTheSameGroup) {
  ASSERT_TRUE(store_->put_setting("zone", "Europe/Berlin"));
  ASSERT_TRUE(store_->begin_batch());
  ASSERT_TRUE(store_->begin_batch_item());
  EXPECT_EQ(**store_->get_setting("zone"), "Europe/Berlin");
  ASSERT_TRUE(store_->put_setting("zone", "Asia/Tokyo"));
  EXPECT_EQ(**store_->get_setting("zone"), "Asia/Tokyo");
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::discard));
  ASSERT_TRUE(store_->begin_batch_item());
  EXPECT_EQ(**store_->get_setting("zone"), "Europe/Berlin");
  ASSERT_TRUE(store_->put_setting("day_start", "05:00"));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  ASSERT_TRUE(store_->begin_batch_item());
  EXPECT_EQ(**store_->get_setting("day_start"), "05:00");
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  ASSERT_TRUE(store_->commit_batch());
  EXPECT_EQ(**store_->get_setting("zone"), "Europe/Berlin");
  EXPECT_EQ(**store_->get_setting("day_start"), "05:00");
}

TEST_P(StoreTest, ChangeMarkMovesWithAWriteOfAnotherConnection) {
  auto before = store_->change_mark();
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(*store_->change_mark(), *before);
  auto other = open_store(location_, OpenMode::read_write);
  ASSERT_TRUE(other);
  ASSERT_TRUE((*other)->add_dose(dose_at(100), ""));
  auto after = store_->change_mark();
  ASSERT_TRUE(after);
  EXPECT_NE(*after, *before);
  ASSERT_TRUE(store_->add_dose(dose_at(200), ""));
  EXPECT_NE(*store_->change_mark(), *after);
}

// Given four connections sending the same keys at the same moment (a client retrying on
// another server), expect each key's dose exactly once, and every caller told the same id.
TEST_P(StoreTest, ConnectionsRetryingTheSameKeysAtOnceMakeEachRecordOnce) {
  constexpr int kConnections = 4;
  constexpr int kKeys = 40;
  std::vector<std::vector<std::string>> ids(kConnections, std::vector<std::string>(kKeys));
  std::vector<std::string> failures(kConnections);
  std::vector<std::thread> threads;
  for (int c = 0; c < kConnections; ++c) {
    threads.emplace_back([&, c] {
      auto store = open_store(location_, OpenMode::read_write);
      if (!store) {
        failures[c] = store.error().message;
        return;
      }
      for (int k = 0; k < kKeys; ++k) {
        auto added = (*store)->add_dose(dose_at(1000 + k), "key-" + std::to_string(k), "same");
        if (!added) {
          failures[c] = added.error().message;
          return;
        }
        ids[c][k] = added->id;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& failure : failures) EXPECT_EQ(failure, "");
  for (int c = 1; c < kConnections; ++c) EXPECT_EQ(ids[c], ids[0]);
  EXPECT_EQ(store_->list_doses({})->size(), static_cast<std::size_t>(kKeys));
}

// SQLite only: its backup is a copy of the file. PostgreSQL's is pg_dump's (below).
TEST(StoreOpen, SqliteBackupIsAReadableCopyAndRefusesToOverwrite) {
  TempDir dir;
  auto store = open_store(dir.file("journal.db"), OpenMode::create_if_missing).value();
  store->add_dose(dose_at(100), "");
  const std::string copy = dir.file("backup.db");
  ASSERT_TRUE(store->backup_to(copy));
  auto reopened = open_store(copy, OpenMode::read_write);
  ASSERT_TRUE(reopened);
  EXPECT_EQ((*reopened)->list_doses({})->size(), 1u);
  EXPECT_EQ(store->backup_to(copy).error().field, "path");
}

// SQLite only, from here to StorePostgres: files, PRAGMA user_version, older schemas, locks.
TEST(StoreOpen, RefusesADatabaseFromANewerMitra) {
  TempDir dir;
  const std::string path = dir.file("new.db");
  { ASSERT_TRUE(open_store(path, OpenMode::create_if_missing)); }
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto opened = open_store(path, OpenMode::create_if_missing);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().kind, core::ErrorKind::conflict);
  EXPECT_EQ(opened.error().message,
            "this database was written by a newer version of mitra (schema 99, this program knows "
            "up to 4); update mitra to open it. Nothing was changed.");
}

// A journal written before the idempotency index (schema 1) is upgraded when opened, and
// keeps its records.
TEST(StoreOpen, UpgradesASchema1JournalWithTheIdempotencyIndex) {
  TempDir dir;
  const std::string path = dir.file("old.db");
  {
    auto store = open_store(path, OpenMode::create_if_missing);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->add_dose(dose_at(100), "key-1"));
  }
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP INDEX idempotency_by_record; ALTER TABLE idempotency DROP COLUMN "
                         "fingerprint; DROP INDEX plans_by_added; ALTER TABLE plans DROP COLUMN "
                         "added; PRAGMA user_version = 1",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto reopened = open_store(path, OpenMode::read_write);
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ((*reopened)->list_doses({})->size(), 1u);
  EXPECT_EQ(sql_text(path, "PRAGMA user_version"), std::to_string(kSchemaVersion));
  EXPECT_EQ(
      sql_text(path, "SELECT count(*) FROM sqlite_master WHERE name = 'idempotency_by_record'"),
      "1");
}

// Undo forgets each undone record's idempotency key by record id: with a scan per record,
// undoing an import of 92,000 records next to 10,000 keys took 37 s.
TEST(StoreOpen, BugUndoingAnImportScannedTheIdempotencyKeysOncePerRecord) {
  TempDir dir;
  const std::string path = dir.file("journal.db");
  { ASSERT_TRUE(open_store(path, OpenMode::create_if_missing)); }
  const std::string plan =
      sql_text(path, "EXPLAIN QUERY PLAN DELETE FROM idempotency WHERE record_id = 'x'", 3);
  EXPECT_NE(plan.find("USING INDEX idempotency_by_record"), std::string::npos) << plan;
}

TEST(StoreOpen, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const std::string path = dir.file("corrupt.db");
  testing::write_file(path, std::string(8192, 'x'));
  auto opened = open_store(path, OpenMode::create_if_missing);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().kind, core::ErrorKind::unavailable);
  EXPECT_NE(opened.error().message.find("damaged or is not a mitra database"), std::string::npos);
  EXPECT_EQ(testing::read_file(path), std::string(8192, 'x'));
}

TEST(StoreOpen, RefusesAnSqliteFileThatIsNotAJournal) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto opened = open_store(path, OpenMode::create_if_missing);
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("not a mitra journal"), std::string::npos);
}

TEST(StoreOpen, ReportsALockedDatabaseAsUnavailable) {
  TempDir dir;
  const std::string path = dir.file("locked.db");
  auto opened = open_store(path, OpenMode::create_if_missing);
  ASSERT_TRUE(opened);
  sqlite3* other = nullptr;
  sqlite3_open(path.c_str(), &other);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  // The store waits up to its busy timeout, then gives up with a clear message.
  auto added = (*opened)->add_dose(dose_at(100), "");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().kind, core::ErrorKind::unavailable);
  EXPECT_EQ(added.error().message,
            "the database is locked by another program; close it or try again in a moment");
  EXPECT_TRUE((*opened)->list_doses({})->empty());
}

TEST(StoreOpen, ReportsAReadOnlyDatabaseAsUnavailable) {
  if (::geteuid() == 0) {
    // Root ignores file permissions; use SQLite's own read-only open instead.
    TempDir dir;
    const std::string path = dir.file("ro.db");
    { ASSERT_TRUE(open_store(path, OpenMode::create_if_missing)); }
    const std::string uri = "file:" + path + "?mode=ro";
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, "INSERT INTO settings VALUES ('a','b')", nullptr, nullptr, nullptr),
              SQLITE_READONLY);
    sqlite3_close(db);
    GTEST_SKIP() << "running as root: file permissions cannot make a database read-only";
  }
  TempDir dir;
  const std::string path = dir.file("ro.db");
  { ASSERT_TRUE(open_store(path, OpenMode::create_if_missing)); }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read);
  std::filesystem::permissions(
      dir.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  auto opened = open_store(path, OpenMode::create_if_missing);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().kind, core::ErrorKind::unavailable);
}

// PostgreSQL only: its schema version, its tables, its URLs.
TEST(StorePostgres, RefusesADatabaseFromANewerMitra) {
  auto database = testing::new_pg_database();
  ASSERT_EQ(database.error, "");
  { ASSERT_TRUE(open_store(database.url, OpenMode::create_if_missing)); }
  ASSERT_EQ(testing::pg_sql(database.url, "UPDATE schema_version SET version = 99"), "");
  auto opened = open_store(database.url, OpenMode::create_if_missing);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().kind, core::ErrorKind::conflict);
  EXPECT_EQ(opened.error().message,
            "this database was written by a newer version of mitra (schema 99, this program knows "
            "up to 2); update mitra to open it. Nothing was changed.");
  EXPECT_EQ(testing::pg_sql(database.url, "SELECT version FROM schema_version"), "99");
}

TEST(StorePostgres, RefusesADatabaseThatHoldsOtherTables) {
  auto database = testing::new_pg_database();
  ASSERT_EQ(database.error, "");
  ASSERT_EQ(testing::pg_sql(database.url, "CREATE TABLE invoices (id int)"), "");
  auto opened = open_store(database.url, OpenMode::create_if_missing);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().message,
            "this PostgreSQL database holds tables but not mitra's; choose an empty database (or "
            "schema) for mitra with --db");
  EXPECT_EQ(testing::pg_sql(database.url,
                            "SELECT count(*) FROM pg_tables WHERE schemaname = "
                            "'public'"),
            "1");
}

TEST(StorePostgres, SeveralProcessesCreatingTheSchemaAtOnceAllOpenIt) {
  auto database = testing::new_pg_database();
  ASSERT_EQ(database.error, "");
  std::vector<std::string> failures(6);
  std::vector<std::thread> threads;
  for (auto& failure : failures) {
    threads.emplace_back([&] {
      auto opened = open_store(database.url, OpenMode::create_if_missing);
      if (!opened) failure = opened.error().message;
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& failure : failures) EXPECT_EQ(failure, "");
}

TEST(StorePostgres, AnUnreachableServerIsUnavailableAndItsPasswordNeverShown) {
  for (const std::string url : {"postgresql://mitra:s3cret%21pw@127.0.0.1:1/journal",
                                "postgres://mitra@127.0.0.1:1/journal?password=s3cret%21pw"}) {
    auto opened = open_store(url, OpenMode::create_if_missing);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().kind, core::ErrorKind::unavailable);
    EXPECT_EQ(opened.error().field, "db");
    EXPECT_EQ(opened.error().message.find("s3cret"), std::string::npos) << opened.error().message;
    EXPECT_NE(opened.error().message.find("cannot connect to the PostgreSQL database "),
              std::string::npos)
        << opened.error().message;
    EXPECT_NE(opened.error().message.find("***"), std::string::npos) << opened.error().message;
  }
}

// A PostgreSQL server restarted, or a connection cut by an administrator: the write that finds
// the connection gone fails (unavailable, nothing saved); the next one connects again.
TEST(StorePostgres, ALostConnectionFailsOneWriteAndTheNextConnectsAgain) {
  auto database = testing::new_pg_database();
  ASSERT_EQ(database.error, "");
  auto store = open_store(database.url, OpenMode::create_if_missing).value();
  ASSERT_TRUE(store->add_dose(dose_at(100), "first"));
  ASSERT_EQ(testing::pg_sql(database.url,
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                            "datname = current_database() AND pid <> pg_backend_pid()"),
            "1");
  auto lost = store->add_dose(dose_at(200), "second");
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().kind, core::ErrorKind::unavailable);
  EXPECT_NE(lost.error().message.find("the connection to the PostgreSQL server was lost"),
            std::string::npos)
      << lost.error().message;
  auto again = store->add_dose(dose_at(200), "second");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(store->list_doses({})->size(), 2u);
  EXPECT_EQ(testing::pg_sql(database.url, "SELECT count(*) FROM idempotency"), "2");
}

// Issue 16, item 8: mitra serve's writer commits without waiting for the disk and a sync on
// another connection makes every commit before it durable (Engine::defer_sync).
TEST(StorePostgres, DeferredCommitsAreDurableOnceASyncBegunAfterThemReturns) {
  auto database = testing::new_pg_database();
  ASSERT_EQ(database.error, "");
  auto store = open_store(database.url, OpenMode::create_if_missing).value();
  auto sync = store->defer_sync();
  ASSERT_TRUE(sync) << sync.error().message;
  EXPECT_FALSE((*sync)->failures_are_final());
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(store->add_dose(dose_at(100 + round), ""));
    // The log as written so far holds the commit; the sync must flush at least that far.
    const auto written = testing::pg_sql(database.url, "SELECT pg_current_wal_insert_lsn()");
    ASSERT_TRUE((*sync)->sync());
    EXPECT_EQ(testing::pg_sql(database.url,
                              "SELECT pg_current_wal_flush_lsn() >= '" + written + "'::pg_lsn"),
              "t");
  }
  EXPECT_EQ(store->list_doses({})->size(), 3u);
}

// A sync that finds its connection lost fails; the one after it runs on a new connection,
// perhaps to a server that restarted and lost the log the first was to flush, so it confirms
// nothing either; the next one does.
TEST(StorePostgres, ASyncOnARenewedConnectionConfirmsNothingAndTheNextOneDoes) {
  auto database = testing::new_pg_database();
  ASSERT_EQ(database.error, "");
  auto store = open_store(database.url, OpenMode::create_if_missing).value();
  auto sync = store->defer_sync();
  ASSERT_TRUE(sync) << sync.error().message;
  ASSERT_TRUE((*sync)->sync());
  ASSERT_EQ(testing::pg_sql(database.url,
                            "SELECT count(pg_terminate_backend(pid)) > 0 FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()"),
            "t");
  auto lost = (*sync)->sync();
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().kind, core::ErrorKind::unavailable);
  auto renewed = (*sync)->sync();
  ASSERT_FALSE(renewed);
  EXPECT_NE(renewed.error().message.find("renewed"), std::string::npos) << renewed.error().message;
  EXPECT_TRUE((*sync)->sync());
  // The writer's connection was cut too: its next write fails, the one after goes in.
  (void)store->add_dose(dose_at(100), "");
  ASSERT_TRUE(store->add_dose(dose_at(200), ""));
  EXPECT_TRUE((*sync)->sync());
}

// libpq sends text parameters as C strings: a NUL would have cut the note short, silently.
TEST(StorePostgres, TextWithANulCharacterIsRefusedNotCutShort) {
  auto database = testing::new_pg_database();
  ASSERT_EQ(database.error, "");
  auto store = open_store(database.url, OpenMode::create_if_missing).value();
  Dose dose = dose_at(100);
  dose.note = std::string("before\0after", 12);
  auto added = store->add_dose(dose, "");
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().kind, core::ErrorKind::invalid_input);
  EXPECT_TRUE(store->list_doses({})->empty());
}

TEST(StorePostgres, BackupPointsAtPgDump) {
  auto database = testing::new_pg_database();
  ASSERT_EQ(database.error, "");
  auto store = open_store(database.url, OpenMode::create_if_missing).value();
  TempDir dir;
  auto backup = store->backup_to(dir.file("backup.db"));
  ASSERT_FALSE(backup);
  EXPECT_EQ(backup.error().kind, core::ErrorKind::unavailable);
  EXPECT_NE(backup.error().message.find("pg_dump --format=custom"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.file("backup.db")));
}

TEST(StoreNewId, KeepsItsShapeOf32LowercaseHexCharacters) {
  const std::string id = new_id();
  ASSERT_EQ(id.size(), 32u);
  for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
}

TEST(StoreNewId, IdsMadeInSequenceSortInOrderAndAreUnique) {
  // Given many ids made quickly (most within the same millisecond), expect each to sort after
  // the one before it, which also makes them all different.
  std::vector<std::string> ids;
  for (int i = 0; i < 100'000; ++i) ids.push_back(new_id());
  for (std::size_t i = 1; i < ids.size(); ++i) ASSERT_LT(ids[i - 1], ids[i]) << "at " << i;
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

TEST(StoreNewId, StartsWithTheMillisecondsSinceTheEpoch) {
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::string id = new_id();
  const auto after = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  const long long millis = std::stoll(id.substr(0, 12), nullptr, 16);
  // The process may already be ahead of the clock by a few ids made in the same millisecond.
  EXPECT_GE(millis, before - 1);
  EXPECT_LE(millis, after + 1);
}

TEST(StoreNewId, RandomPartDiffersBetweenMilliseconds) {
  // Ids from different processes are kept apart by the random part, fresh each millisecond.
  const std::string first = new_id();
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  const std::string second = new_id();
  EXPECT_NE(first.substr(12, 16), second.substr(12, 16));
}

TEST(StoreNewId, IdsFromManyThreadsAreUnique) {
  std::vector<std::vector<std::string>> made(4);
  std::vector<std::thread> threads;
  for (auto& ids : made) {
    threads.emplace_back([&ids] {
      for (int i = 0; i < 20'000; ++i) ids.push_back(new_id());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& ids : made) {
    for (std::size_t i = 1; i < ids.size(); ++i) ASSERT_LT(ids[i - 1], ids[i]);
    all.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(all.size(), 80'000u);
}

}  // namespace
}  // namespace mitra::store
