#pragma once
// Whether any process may have written a journal's files lately, known without asking SQLite:
// an inotify watch on the journal's folder, for its database file and its log (-wal, -journal).
// SqliteStore::change_mark uses it on the server's busiest path (GET /api/v1/status answered
// from its cache): PRAGMA data_version opens a read transaction (two lock calls and a stat) and
// was a quarter of that request's cost.
//
// Every commit, by any connection or process, writes the log (or, without one, the database)
// before it returns, and the kernel queues the event in that write: a look after the commit
// sees it. The event comes a moment before the commit is visible to readers (SQLite marks it
// in its shared memory after the write), so after any event `quiet` stays false for `settle`,
// and the caller asks SQLite itself meanwhile.
//
// One thread at a time, as the store that owns it.
#include <chrono>
#include <memory>
#include <string>

namespace mitra::store::sqlite {

class ChangeWatch {
 public:
  using Clock = std::chrono::steady_clock;

  // A watch for the database at `path`; null where there can be none (an in-memory database,
  // no inotify, or its limit of watches reached): then the caller always asks SQLite.
  static std::unique_ptr<ChangeWatch> open(const std::string& path,
                                           Clock::duration settle = std::chrono::seconds(1));
  ~ChangeWatch();
  ChangeWatch(const ChangeWatch&) = delete;
  ChangeWatch& operator=(const ChangeWatch&) = delete;

  // True when no event for the journal's files has come in the last `settle` (nor since the
  // watch began, for its first `settle`). One non-blocking read of the watch's queue.
  bool quiet();

 private:
  ChangeWatch(int fd, std::string name, Clock::duration settle);
  // Whether an event in `buffer` concerns the journal's files (or says the watch is lost).
  bool concerns_journal(const char* buffer, long length);

  int fd_;
  std::string name_;  // The database file's name in its folder.
  Clock::duration settle_;
  Clock::time_point last_event_;
  bool lost_ = false;  // The folder's watch is gone (or unreadable): never quiet again.
};

}  // namespace mitra::store::sqlite
