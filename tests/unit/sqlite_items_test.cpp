// SQLite's groups of writes without a savepoint per request (Engine::ItemIsolation::optimistic,
// what `mitra serve`'s writer runs first), and the savepoints' own copies kept in memory
// (PRAGMA temp_store = MEMORY): how the engine tells a request that wrote nothing from one
// whose writes cannot be undone alone.

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sql_support.hpp"
#include "store/sqlite/wal_writes.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

namespace mitra::store {
namespace {

using core::Dose;
using testing::sql_text;
using testing::TempDir;

using testing::dose_with_note;

class StoreOptimisticItems : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.file("journal.db");
    auto opened = open_store(db_, OpenMode::create_if_missing);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    store_->set_item_isolation(Store::ItemIsolation::optimistic);
    ASSERT_TRUE(store_->begin_batch());
  }
  std::string notes() {
    return sql_text(db_,
                    "SELECT ifnull(group_concat(note, ','), '') FROM (SELECT note FROM "
                    "doses ORDER BY note)");
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreOptimisticItems, AnItemThatFailedWithoutWritingIsDroppedAndTheGroupCommits) {
  ASSERT_TRUE(store_->begin_batch_item());
  ASSERT_TRUE(store_->add_dose(dose_with_note("kept"), "key-1", "first content"));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  // The same key with other content: refused before anything is written.
  ASSERT_TRUE(store_->begin_batch_item());
  ASSERT_FALSE(store_->add_dose(dose_with_note("other"), "key-1", "other content"));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::discard));
  EXPECT_FALSE(store_->batch_spoilt());
  ASSERT_TRUE(store_->commit_batch());
  EXPECT_EQ(notes(), "kept");
}

TEST_F(StoreOptimisticItems, ADiscardedItemThatWroteSpoilsTheGroupWhoseCommitThenSavesNothing) {
  ASSERT_TRUE(store_->begin_batch_item());
  ASSERT_TRUE(store_->add_dose(dose_with_note("first"), ""));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  EXPECT_FALSE(store_->batch_spoilt());
  ASSERT_TRUE(store_->begin_batch_item());
  ASSERT_TRUE(store_->add_dose(dose_with_note("refused after writing"), ""));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::discard));
  EXPECT_TRUE(store_->batch_spoilt());
  EXPECT_FALSE(store_->begin_batch_item());
  EXPECT_FALSE(store_->commit_batch());
  EXPECT_EQ(notes(), "");
  // The next group starts clean.
  ASSERT_TRUE(store_->begin_batch());
  EXPECT_FALSE(store_->batch_spoilt());
  ASSERT_TRUE(store_->begin_batch_item());
  ASSERT_TRUE(store_->add_dose(dose_with_note("again"), ""));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  ASSERT_TRUE(store_->commit_batch());
  EXPECT_EQ(notes(), "again");
}

TEST_F(StoreOptimisticItems, AWriteThatFailedHalfWaySpoilsTheGroupEvenIfTheItemIsKept) {
  // The dose's row goes in, then its key's row is refused: add_dose fails half-way.
  store_->rollback_batch();
  ASSERT_EQ(testing::sql_exec(db_,
                              "CREATE TRIGGER refuse_keys BEFORE INSERT ON idempotency "
                              "BEGIN SELECT RAISE(ABORT, 'planted'); END;"),
            "");
  ASSERT_TRUE(store_->begin_batch());
  ASSERT_TRUE(store_->begin_batch_item());
  ASSERT_FALSE(store_->add_dose(dose_with_note("half"), "key-1"));
  // A use case that went on regardless and succeeded.
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  EXPECT_TRUE(store_->batch_spoilt());
  EXPECT_FALSE(store_->commit_batch());
  EXPECT_EQ(notes(), "");
  // With a savepoint per request, the same failed write is undone alone.
  store_->set_item_isolation(Store::ItemIsolation::each);
  ASSERT_TRUE(store_->begin_batch());
  ASSERT_TRUE(store_->begin_batch_item());
  ASSERT_FALSE(store_->add_dose(dose_with_note("half"), "key-1"));
  ASSERT_TRUE(store_->add_dose(dose_with_note("whole"), ""));
  ASSERT_TRUE(store_->end_batch_item(Store::BatchItemEnd::keep));
  EXPECT_FALSE(store_->batch_spoilt());
  ASSERT_TRUE(store_->commit_batch());
  EXPECT_EQ(notes(), "whole");
}

// A VFS over the default one that counts the files SQLite opens for savepoints' copies.
std::atomic<int> subjournal_files{0};
sqlite3_vfs counting_vfs;
sqlite3_vfs* default_vfs = nullptr;

int counting_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags,
                  int* out_flags) {
  if ((flags & SQLITE_OPEN_SUBJOURNAL) != 0) ++subjournal_files;
  return default_vfs->xOpen(default_vfs, name, file, flags, out_flags);
}

// SQLite copied a savepoint's pages into memory up to 64 KiB and then into a temporary file:
// in a group of requests with a savepoint each, every request's copies went to that file (a
// file made and removed per group, two writes per page). Given a request that changes more
// than 64 KiB of pages in a savepoint, expect no such file.
TEST(SqliteTempFiles, BugASavepointsCopiesSpilledIntoATemporaryFile) {
  // mitra's own default VFS first (opening a journal installs it), then this one over it.
  ASSERT_TRUE(sqlite::install_wal_writes());
  default_vfs = sqlite3_vfs_find(nullptr);
  ASSERT_NE(default_vfs, nullptr);
  std::memcpy(&counting_vfs, default_vfs, sizeof counting_vfs);
  counting_vfs.zName = "mitra-counting";
  counting_vfs.xOpen = counting_open;
  ASSERT_EQ(sqlite3_vfs_register(&counting_vfs, 1), SQLITE_OK);
  struct Unregister {
    ~Unregister() { sqlite3_vfs_register(default_vfs, 1), sqlite3_vfs_unregister(&counting_vfs); }
  } unregister;

  TempDir dir;
  auto store = open_store(dir.file("journal.db"), OpenMode::create_if_missing).value();
  // Forty doses with notes of 3,000 characters: each on a page of its own.
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    ids.push_back(
        store
            ->add_dose(
                dose_with_note(std::string(3000, static_cast<char>('a' + i % 26)), 1'000 + i), "")
            .value()
            .id);
  }
  subjournal_files = 0;
  ASSERT_TRUE(store->begin_batch());
  ASSERT_TRUE(store->begin_batch_item());
  for (const auto& id : ids) ASSERT_TRUE(store->delete_dose(id));  // ~160 KiB of pages.
  ASSERT_TRUE(store->end_batch_item(Store::BatchItemEnd::keep));
  ASSERT_TRUE(store->commit_batch());
  EXPECT_TRUE(store->list_doses({})->empty());
  EXPECT_EQ(subjournal_files, 0);
}

}  // namespace
}  // namespace mitra::store
