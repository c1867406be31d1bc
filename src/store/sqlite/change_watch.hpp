#pragma once
// Whether any connection or process may have committed to a journal since the last look,
// known without asking SQLite and without a system call: the header of SQLite's wal-index (the
// journal's -shm file, mapped read-only), which every commit in WAL mode rewrites before any
// reader can see it (its transaction counter, its last frame and its checksum change). The
// format is SQLite's documented file format (fileformat2.html, "The WAL-Index Format"): two
// copies of a 48-byte header, the second written first; a reader that finds them different is
// looking during a commit. SqliteStore::change_mark uses it on the server's busiest path (GET
// /api/v1/status answered from its cache): PRAGMA data_version opens a read transaction (two
// lock calls and a stat), and the inotify watch that came before it still cost a read of its
// queue per request and went blind for a second after each write.
//
// The header is read through SQLite's own mapping of the wal-index (the connection's
// xShmMap), never through a descriptor of our own: POSIX drops every fcntl lock a process holds
// on a file when it closes any descriptor of that file, and a watch that opened and closed the
// -shm once (as it did) dropped SQLite's locks there, among them the one that tells another
// process the wal-index is in use. The next process to open the journal (`mitra status`, the
// sqlite3 shell) then took it for unused and shortened it under the server, which died of
// SIGBUS on its next commit (test ChangeWatch.BugTheWatchDroppedSqlitesLocksOnTheWalIndex). So
// the watch lives no longer than its connection: drop it before closing the connection.
//
// One thread at a time, as the store that owns it.
#include <array>
#include <cstddef>
#include <memory>

struct sqlite3;

namespace mitra::store::sqlite {

class ChangeWatch {
 public:
  // A watch on the journal of `db`'s main database, through the wal-index as the connection has
  // it mapped (it must have read the journal once); null where there is none (an in-memory
  // database, a journal not in WAL mode): then the caller always asks SQLite.
  static std::unique_ptr<ChangeWatch> open(sqlite3* db);
  // A watch on a wal-index header that the caller keeps mapped as long as the watch lives.
  explicit ChangeWatch(const volatile void* header);
  ChangeWatch(const ChangeWatch&) = delete;
  ChangeWatch& operator=(const ChangeWatch&) = delete;

  // True when no commit has become visible to readers since the last call that answered false
  // (after which the caller asked SQLite). False the first time, during a commit, and after
  // one.
  bool quiet();

  static constexpr std::size_t kHeaderBytes = 48;

 private:
  const volatile unsigned char* header_;
  std::array<unsigned char, kHeaderBytes> seen_{};
  bool has_seen_ = false;
};

}  // namespace mitra::store::sqlite
