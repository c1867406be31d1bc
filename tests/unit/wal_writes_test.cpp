// One write per commit into SQLite's log (src/store/sqlite/wal_writes.hpp): the frames of a
// commit reach the file together, and the file holds what it would have held whenever another
// connection can look: after a commit, after a rollback, in a transaction larger than memory.

#include "store/sqlite/wal_writes.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "sql_support.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

namespace mitra::store {
namespace {

using sqlite::wal_write_counts;
using testing::sql_text;
using testing::TempDir;

using testing::dose_with_note;

// Adds `count` doses whose notes fill about a page each, as one group of the server's writer.
void add_group(Store& store, int count, int first, bool commit = true) {
  ASSERT_TRUE(store.begin_batch());
  for (int i = first; i < first + count; ++i) {
    ASSERT_TRUE(store.begin_batch_item());
    ASSERT_TRUE(store.add_dose(dose_with_note(std::string(3000, 'n') + std::to_string(i), i), ""));
    ASSERT_TRUE(store.end_batch_item(Store::BatchItemEnd::keep));
  }
  if (commit) {
    auto committed = store.commit_batch();
    ASSERT_TRUE(committed) << committed.error().message;
  } else {
    store.rollback_batch();
  }
}

class WalWrites : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.file("journal.db");
    store_ = open_store(db_, OpenMode::create_if_missing).value();
    ASSERT_TRUE(store_->defer_sync());  // As the server's writer: commits do not sync.
  }
  // What another connection sees.
  std::string count() { return sql_text(db_, "SELECT count(*) FROM doses"); }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<Store> store_;
};

TEST_F(WalWrites, ACommitOfManyPagesReachesTheLogInOneWrite) {
  add_group(*store_, 5, 1'000);
  const auto before = wal_write_counts();
  add_group(*store_, 15, 2'000);
  const auto after = wal_write_counts();
  // Two writes a frame asked (its header, its page), at least one page a dose.
  EXPECT_GE(after.asked - before.asked, 30u);
  EXPECT_EQ(after.written - before.written, 1u);
  EXPECT_EQ(count(), "20");
}

TEST_F(WalWrites, FramesOfARolledBackGroupNeverReachAReaderAndTheNextGroupIsWhole) {
  add_group(*store_, 5, 1'000);
  // A group large enough that SQLite writes frames before its commit, then dropped.
  ASSERT_TRUE(store_->begin_batch());
  ASSERT_TRUE(store_->begin_batch_item());
  for (int i = 0; i < 3'000; ++i) {
    ASSERT_TRUE(store_->add_dose(dose_with_note(std::string(3000, 'x'), 5'000 + i), ""));
  }
  EXPECT_EQ(count(), "5");  // Nothing of it, mid-way.
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  store_->rollback_batch();
  EXPECT_EQ(count(), "5");
  add_group(*store_, 7, 2'000);
  EXPECT_EQ(count(), "12");
  EXPECT_EQ(sql_text(db_, "PRAGMA integrity_check"), "ok");
}

TEST_F(WalWrites, ATransactionLargerThanWhatIsGatheredIsWrittenInPartsAndKeptWhole) {
  const auto before = wal_write_counts();
  add_group(*store_, 2'000, 10'000);  // About 8 MB of log.
  const auto after = wal_write_counts();
  // At least 8 MB in pieces of 124 KiB: some 66 writes, where SQLite asked some 4,000.
  EXPECT_GE(after.written - before.written, 60u);
  EXPECT_LT(after.written - before.written, 100u);
  EXPECT_GE(after.asked - before.asked, 4'000u);
  EXPECT_EQ(count(), "2000");
  // And the log copied into the database, as a checkpoint reads it.
  store_.reset();
  EXPECT_EQ(sql_text(db_, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(count(), "2000");
}

}  // namespace
}  // namespace mitra::store
