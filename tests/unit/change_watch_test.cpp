// The watch that spares GET /api/v1/status a read transaction per request
// (store/sqlite/change_watch.hpp), and the change mark that relies on it.
#include "store/sqlite/change_watch.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/wait.h>
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
  page[8] = first;                               // iChange of the first copy…
  page[ChangeWatch::kHeaderBytes + 8] = second;  // …and of the second.
  const int fd = ::open(shm.c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, page.data(), page.size(), 0), static_cast<ssize_t>(page.size()));
  ::close(fd);
}

// A page of the -shm's shape, mapped as SQLite maps it.
class MappedPage {
 public:
  explicit MappedPage(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    mapping_ = ::mmap(nullptr, kBytes, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
  }
  ~MappedPage() {
    if (mapping_ != MAP_FAILED) ::munmap(mapping_, kBytes);
  }
  MappedPage(const MappedPage&) = delete;
  MappedPage& operator=(const MappedPage&) = delete;
  const void* get() const { return mapping_ == MAP_FAILED ? nullptr : mapping_; }

 private:
  static constexpr std::size_t kBytes = 4096;
  void* mapping_ = MAP_FAILED;
};

TEST(ChangeWatch, IsQuietWhileTheHeaderStaysAndNotWhileItsCopiesDiffer) {
  TempDir dir;
  const std::string shm = dir.file("journal.db-shm");
  write_headers(shm, 1, 1);
  const MappedPage page(shm);
  ASSERT_NE(page.get(), nullptr);
  ChangeWatch watch(page.get());
  EXPECT_FALSE(watch.quiet()) << "the first look: the caller asks SQLite";
  EXPECT_TRUE(watch.quiet());
  EXPECT_TRUE(watch.quiet());
  // A commit half published (the second copy is written first): not quiet, and not after it.
  write_headers(shm, 1, 2);
  EXPECT_FALSE(watch.quiet());
  EXPECT_FALSE(watch.quiet());
  write_headers(shm, 2, 2);
  EXPECT_FALSE(watch.quiet()) << "published: the caller asks SQLite once";
  EXPECT_TRUE(watch.quiet());
}

// An open SQLite connection, closed at the end of the scope.
struct Connection {
  explicit Connection(const std::string& path) { sqlite3_open(path.c_str(), &db); }
  ~Connection() { sqlite3_close_v2(db); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  sqlite3* db = nullptr;
};

TEST(ChangeWatch, HasNoneWithoutAWalIndex) {
  EXPECT_EQ(ChangeWatch::open(nullptr), nullptr);
  const Connection memory(":memory:");
  ASSERT_NE(memory.db, nullptr);
  EXPECT_EQ(ChangeWatch::open(memory.db), nullptr);
  TempDir dir;
  const std::string db = dir.file("journal.db");
  const Connection rollback(db);  // A rollback journal, not WAL.
  ASSERT_EQ(sqlite3_exec(rollback.db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(ChangeWatch::open(rollback.db), nullptr);
  EXPECT_NE(::access((db + "-shm").c_str(), F_OK), 0) << "asking made a -shm file";
}

// Whether a process holds a lock on SQLite's "dead man switch" byte of the -shm file (the
// shared lock every process with a connection keeps, so that no other process takes the
// wal-index for unused and starts it over), as a child process sees it.
bool someone_holds_the_wal_index(const std::string& shm) {
  const pid_t child = ::fork();
  if (child == 0) {
    const int fd = ::open(shm.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) ::_exit(2);
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 128;  // SQLite's UNIX_SHM_DMS: (22 + 8) * 4 + 8.
    probe.l_len = 1;
    if (::fcntl(fd, F_GETLK, &probe) != 0) ::_exit(2);
    ::_exit(probe.l_type == F_UNLCK ? 1 : 0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Given a server's store that has looked for changes (its watch opened), expect SQLite's lock on
// the wal-index still held: the watch opened the -shm and closed it, and POSIX dropped every
// lock the process held on that file with the descriptor. The next process to open the journal
// then shortened the wal-index under the server, whose writer died of SIGBUS in the next
// commit (scripts/bench-http.sh, counting doses with sqlite3 between runs).
TEST(ChangeWatch, BugTheWatchDroppedSqlitesLocksOnTheWalIndex) {
  TempDir dir;
  const std::string db = dir.file("journal.db");
  auto store = open_store(db, OpenMode::create_if_missing);
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->add_dose(a_dose(), ""));
  ASSERT_TRUE(someone_holds_the_wal_index(db + "-shm")) << "SQLite's own lock, before the watch";
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*store)->change_mark());
  EXPECT_TRUE(someone_holds_the_wal_index(db + "-shm")) << "the watch dropped SQLite's lock";
  // Another process reads and writes the journal meanwhile; this one goes on writing and reading.
  const std::string command =
      std::string(MITRA_BINARY) + " --db '" + db + "' log 2g >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  for (int i = 0; i < 50; ++i) ASSERT_TRUE((*store)->add_dose(a_dose(), ""));
  EXPECT_TRUE(someone_holds_the_wal_index(db + "-shm"));
  EXPECT_EQ(testing::sql_text(db, "SELECT count(*) FROM doses"), "52");
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
  const std::string command =
      std::string(MITRA_BINARY) + " --db '" + db + "' log 2g >/dev/null 2>&1";
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
