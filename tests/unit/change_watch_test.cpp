// The watch that spares GET /api/v1/status a read transaction per request
// (store/sqlite/change_watch.hpp), and the change mark that relies on it.
#include "store/sqlite/change_watch.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sql_support.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

namespace mitra::store {
namespace {

using sqlite::ChangeWatch;
using testing::TempDir;

core::Dose a_dose() {
  core::Dose dose;
  dose.taken_at = core::Instant{std::chrono::seconds{1'700'000'000}};
  dose.zone = "Europe/Berlin";
  dose.amount = core::Amount{2'500'000, core::Unit::gram};
  return dose;
}

// The wal-index's two header copies, written by hand into a file of the -shm's shape.
void write_headers(const std::string& shm, unsigned char first, unsigned char second) {
  std::vector<unsigned char> page(4096, 0);
  page[8] = first;                           // iChange of the first copy…
  page[ChangeWatch::kHeaderBytes + 8] = second;  // …and of the second.
  const int fd = ::open(shm.c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, page.data(), page.size(), 0), static_cast<ssize_t>(page.size()));
  ::close(fd);
}

TEST(ChangeWatch, IsQuietWhileTheHeaderStaysAndNotWhileItsCopiesDiffer) {
  TempDir dir;
  const std::string db = dir.file("journal.db");
  write_headers(db + "-shm", 1, 1);
  auto watch = ChangeWatch::open(db);
  ASSERT_NE(watch, nullptr);
  EXPECT_FALSE(watch->quiet()) << "the first look: the caller asks SQLite";
  EXPECT_TRUE(watch->quiet());
  EXPECT_TRUE(watch->quiet());
  // A commit half published (the second copy is written first): not quiet, and not after it.
  write_headers(db + "-shm", 1, 2);
  EXPECT_FALSE(watch->quiet());
  EXPECT_FALSE(watch->quiet());
  write_headers(db + "-shm", 2, 2);
  EXPECT_FALSE(watch->quiet()) << "published: the caller asks SQLite once";
  EXPECT_TRUE(watch->quiet());
}

TEST(ChangeWatch, HasNoneWithoutAWalIndex) {
  EXPECT_EQ(ChangeWatch::open(":memory:"), nullptr);
  EXPECT_EQ(ChangeWatch::open(""), nullptr);
  TempDir dir;
  EXPECT_EQ(ChangeWatch::open(dir.file("journal.db")), nullptr);  // No -shm file.
}

// Given a store whose watch is quiet (its mark no longer asks SQLite), expect a dose written by
// another connection to move the mark at once, then by another process, and the store's own
// write too.
TEST(ChangeWatch, AQuietStoresMarkStillMovesWithAnotherConnectionsOrProcesssWrite) {
  TempDir dir;
  const std::string db = dir.file("journal.db");
  auto store = open_store(db, OpenMode::create_if_missing);
  ASSERT_TRUE(store) << store.error().message;
  auto other = open_store(db, OpenMode::read_write);
  ASSERT_TRUE(other) << other.error().message;
  const auto settled = [&] {
    for (int i = 0; i < 3; ++i) ASSERT_TRUE((*store)->change_mark());
  };
  for (int round = 0; round < 3; ++round) {
    settled();
    auto quiet = (*store)->change_mark();
    ASSERT_TRUE(quiet);
    EXPECT_EQ(*(*store)->change_mark(), *quiet);
    ASSERT_TRUE((*other)->add_dose(a_dose(), ""));
    auto after = (*store)->change_mark();
    ASSERT_TRUE(after);
    EXPECT_NE(*after, *quiet) << "round " << round;
  }
  settled();
  auto quiet = (*store)->change_mark();
  ASSERT_TRUE(quiet);
  const std::string command = std::string(MITRA_BINARY) + " --db '" + db +
                              "' log 2g >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  EXPECT_NE(*(*store)->change_mark(), *quiet) << "another process's dose";
  settled();
  quiet = (*store)->change_mark();
  ASSERT_TRUE(quiet);
  ASSERT_TRUE((*store)->add_dose(a_dose(), ""));
  EXPECT_NE(*(*store)->change_mark(), *quiet);
  EXPECT_EQ(testing::sql_text(db, "SELECT count(*) FROM doses"), "5");
}

}  // namespace
}  // namespace mitra::store
