// The watch that spares GET /api/v1/status a read transaction per request
// (store/sqlite/change_watch.hpp), and the change mark that relies on it.
#include "store/sqlite/change_watch.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "store/sqlite_store.hpp"
#include "test_support.hpp"

namespace mitra::store {
namespace {

using namespace std::chrono_literals;
using sqlite::ChangeWatch;
using testing::TempDir;

constexpr auto kSettle = 50ms;

void append(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::app);
  out << text;
}

TEST(ChangeWatch, IsQuietOnlyAfterTheSettleTimeWithoutAWriteToTheJournalsFiles) {
  TempDir dir;
  const std::string db = dir.file("journal.db");
  append(db, "x");
  auto watch = ChangeWatch::open(db, kSettle);
  ASSERT_NE(watch, nullptr);
  EXPECT_FALSE(watch->quiet()) << "a new watch knows nothing of the writes just before it";
  std::this_thread::sleep_for(kSettle + 10ms);
  EXPECT_TRUE(watch->quiet());

  append(db + "-wal", "frame");
  EXPECT_FALSE(watch->quiet()) << "a write to the log";
  std::this_thread::sleep_for(kSettle + 10ms);
  EXPECT_TRUE(watch->quiet());

  append(db, "page");
  EXPECT_FALSE(watch->quiet()) << "a write to the database";
  std::this_thread::sleep_for(kSettle + 10ms);
  EXPECT_TRUE(watch->quiet());

  // Files of the folder that say nothing of the journal's content.
  append(db + "-shm", "readers touch this");
  append(dir.file("notes.txt"), "another file");
  EXPECT_TRUE(watch->quiet());

  // A file moved in over the journal (a restore, a copy).
  append(dir.file("copy.db"), "other journal");
  std::this_thread::sleep_for(kSettle + 10ms);
  EXPECT_TRUE(watch->quiet());
  std::filesystem::rename(dir.file("copy.db"), db);
  EXPECT_FALSE(watch->quiet()) << "a file moved over the journal";
}

TEST(ChangeWatch, IsNeverQuietAgainOnceItsFolderIsGone) {
  TempDir dir;
  const std::string folder = dir.file("sub");
  std::filesystem::create_directory(folder);
  auto watch = ChangeWatch::open(folder + "/journal.db", kSettle);
  ASSERT_NE(watch, nullptr);
  std::this_thread::sleep_for(kSettle + 10ms);
  EXPECT_TRUE(watch->quiet());
  std::filesystem::remove_all(folder);
  EXPECT_FALSE(watch->quiet());
  std::this_thread::sleep_for(kSettle + 10ms);
  EXPECT_FALSE(watch->quiet());
}

// Given more events than the kernel queues (16,384 by default) while nobody looks, as under a
// long run of writes without a status request, expect the overflow to count as a write (not
// quiet now), and the watch quiet again after the settle time, not off for good.
TEST(ChangeWatch, AnOverflowingQueueCountsAsAWriteAndTheWatchGoesOn) {
  TempDir dir;
  const std::string db = dir.file("journal.db");
  auto watch = ChangeWatch::open(db, kSettle);
  ASSERT_NE(watch, nullptr);
  std::this_thread::sleep_for(kSettle + 10ms);
  ASSERT_TRUE(watch->quiet());
  {
    // Alternating files, so that the kernel cannot fold the events into one.
    std::FILE* a = std::fopen(db.c_str(), "w");
    std::FILE* b = std::fopen((db + "-wal").c_str(), "w");
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    for (int i = 0; i < 20'000; ++i) {
      std::fputc('x', a);
      std::fflush(a);
      std::fputc('y', b);
      std::fflush(b);
    }
    std::fclose(a);
    std::fclose(b);
  }
  EXPECT_FALSE(watch->quiet());
  std::this_thread::sleep_for(kSettle + 10ms);
  EXPECT_TRUE(watch->quiet()) << "the watch goes on after an overflow";
}

TEST(ChangeWatch, HasNoneForAnInMemoryDatabase) {
  EXPECT_EQ(ChangeWatch::open(":memory:"), nullptr);
  EXPECT_EQ(ChangeWatch::open(""), nullptr);
}

// Given a store whose watch has gone quiet (its mark no longer asks SQLite), expect a dose
// written by another connection to move the mark at once, and the store's own write too.
TEST(ChangeWatch, AQuietStoresMarkStillMovesWithAnotherConnectionsWrite) {
  TempDir dir;
  const std::string db = dir.file("journal.db");
  auto store = open_store(db, OpenMode::create_if_missing);
  ASSERT_TRUE(store) << store.error().message;
  auto other = open_store(db, OpenMode::read_write);
  ASSERT_TRUE(other) << other.error().message;
  core::Dose dose;
  dose.taken_at = core::Instant{std::chrono::seconds{1'700'000'000}};
  dose.zone = "Europe/Berlin";
  dose.amount = core::Amount{2'500'000, core::Unit::gram};
  for (int round = 0; round < 3; ++round) {
    auto before = (*store)->change_mark();
    ASSERT_TRUE(before) << before.error().message;
    std::this_thread::sleep_for(1100ms);  // The watch's settle time: now quiet.
    auto quiet = (*store)->change_mark();
    ASSERT_TRUE(quiet);
    EXPECT_EQ(*quiet, *before);
    ASSERT_TRUE((*other)->add_dose(dose, ""));
    auto after = (*store)->change_mark();
    ASSERT_TRUE(after);
    EXPECT_NE(*after, *quiet) << "round " << round;
  }
  std::this_thread::sleep_for(1100ms);
  auto quiet = (*store)->change_mark();
  ASSERT_TRUE(quiet);
  ASSERT_TRUE((*store)->add_dose(dose, ""));
  EXPECT_NE(*(*store)->change_mark(), *quiet);
}

}  // namespace
}  // namespace mitra::store
