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
// The mapping is safe while a connection to the journal is open in the process: SQLite
// shortens the -shm file only when the first connection of all opens it. So open the watch
// after the connection (and its first read), and drop it with the connection.
//
// One thread at a time, as the store that owns it.
#include <array>
#include <memory>
#include <string>

namespace mitra::store::sqlite {

class ChangeWatch {
 public:
  // A watch on the journal whose database file is `path`; null where there can be none (an
  // in-memory database, no -shm file: not in WAL mode, or its wal-index in heap memory): then
  // the caller always asks SQLite.
  static std::unique_ptr<ChangeWatch> open(const std::string& path);
  ~ChangeWatch();
  ChangeWatch(const ChangeWatch&) = delete;
  ChangeWatch& operator=(const ChangeWatch&) = delete;

  // True when no commit has become visible to readers since the last call that answered false
  // (after which the caller asked SQLite). False the first time, during a commit, and after
  // one.
  bool quiet();

  static constexpr std::size_t kHeaderBytes = 48;

 private:
  ChangeWatch(const void* mapping, std::size_t length);

  const volatile unsigned char* header_;
  std::size_t length_;
  std::array<unsigned char, kHeaderBytes> seen_{};
  bool has_seen_ = false;
};

}  // namespace mitra::store::sqlite
