// Groups of writes for `mitra serve`'s writer (store::Engine): one transaction per group with a
// savepoint per request (or, optimistic, none: the rows changed tell whether a failed request
// wrote anything), the write-ahead log synced on another thread (WalSync), checkpoints on
// request, and the change mark that tells caches whether anything changed.
#include "store/sqlite/sqlite_engine.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "core/system_reason.hpp"

namespace mitra::store::sqlite {

namespace {

// Syncs a journal's write-ahead log through a descriptor of its own (see Engine::defer_sync).
// fdatasync works on the file, whichever descriptor wrote to it, so this never touches the
// connection and may run on another thread while that connection writes.
class WalSync final : public Engine::LogSync {
 public:
  static Result<std::unique_ptr<Engine::LogSync>> open(std::string path) {
    auto sync = std::unique_ptr<WalSync>(new WalSync(std::move(path)));
    if (auto opened = sync->reopen(); !opened) return tl::unexpected(opened.error());
    return std::unique_ptr<Engine::LogSync>(std::move(sync));
  }
  ~WalSync() override {
    if (fd_ >= 0) ::close(fd_);
  }
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  bool failures_are_final() const override { return true; }

  Result<void> sync() override {
    // SQLite deletes the log only when its last connection closes, after copying the log into
    // the database; the writer's connection stays open, so this is a guard, not a path.
    struct stat about {};
    if (::fstat(fd_, &about) == 0 && about.st_nlink == 0) {
      if (auto opened = reopen(); !opened) return opened;
    }
    if (::fdatasync(fd_) != 0) {
      const int error = errno;
      return fail(ErrorKind::unavailable,
                  core::sentence("the journal's log could not be flushed to disk ({reason})")
                      .with("reason", core::system_reason(error)),
                  "db");
    }
    return {};
  }

 private:
  explicit WalSync(std::string path) : path_(std::move(path)) {}

  Result<void> reopen() {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int error = errno;
      return fail(ErrorKind::unavailable,
                  core::sentence("the journal's log \"{file}\" could not be opened ({reason})",
                                 {{"file", path_}})
                      .with("reason", core::system_reason(error)),
                  "db");
    }
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
    return {};
  }

  std::string path_;
  int fd_ = -1;
};

}  // namespace

// SQLite rolls a whole transaction back by itself after some errors (a full disk, I/O);
// a SAVEPOINT then would quietly start a new one, so every step checks first.
Result<void> SqliteStore::batch_alive(const std::string& doing) {
  if (sqlite3_get_autocommit(db_) != 0) {
    return fail(ErrorKind::unavailable,
                core::sentence("the database gave up the group of writes while {doing}; nothing "
                               "in it was saved",
                               {{"doing", doing}}),
                "db");
  }
  return {};
}

Result<void> SqliteStore::enter_savepoint(const char* name, const std::string& doing) {
  if (auto alive = batch_alive(doing); !alive) return alive;
  return exec_cached(std::string("SAVEPOINT ") + name, doing);
}

Result<void> SqliteStore::leave_savepoint(const char* name, BatchItemEnd end,
                                          const std::string& doing) {
  if (auto alive = batch_alive(doing); !alive) return alive;
  if (end == BatchItemEnd::discard) {
    if (auto done = roll_back(std::string("ROLLBACK TO ") + name, doing); !done) return done;
  }
  return exec_cached(std::string("RELEASE ") + name, doing);
}

Result<void> SqliteStore::begin_batch() {
  if (batch_open_) return fail(ErrorKind::internal, "a group of writes is already open", "db");
  if (auto begun = exec_cached("BEGIN IMMEDIATE", "starting a group of writes"); !begun) {
    return begun;
  }
  // Read inside the transaction, which holds the write lock: it stays right until COMMIT.
  auto version = data_version();
  if (!version) {
    roll_back("ROLLBACK", "starting a group of writes");
    return tl::unexpected(version.error());
  }
  batch_data_version_ = *version;
  batch_open_ = true;
  batch_spoilt_ = false;
  return {};
}

Result<void> SqliteStore::commit_batch() {
  if (!batch_open_) return fail(ErrorKind::internal, "no group of writes is open", "db");
  batch_open_ = false;
  if (auto alive = batch_alive("saving a group of writes"); !alive) return alive;
  if (batch_spoilt_) {  // A request's writes in it cannot be told from the others'.
    roll_back("ROLLBACK", "saving a group of writes");
    return fail(ErrorKind::internal, "the group of writes is spoilt; it was not saved", "db");
  }
  const int rc = step_cached("COMMIT");
  if (rc != SQLITE_OK) {
    const auto error = sqlite_error(db_, rc, "saving a group of writes");
    settings_cache_.reset();  // SQLite may have rolled back by itself.
    if (sqlite3_get_autocommit(db_) == 0) roll_back("ROLLBACK", "saving a group of writes");
    return tl::unexpected(error);
  }
  ++own_commits_;
  return {};
}

void SqliteStore::rollback_batch() {
  batch_open_ = false;
  settings_cache_.reset();  // SQLite may have rolled back by itself.
  if (sqlite3_get_autocommit(db_) == 0) roll_back("ROLLBACK", "dropping a group of writes");
}

Result<void> SqliteStore::begin_batch_item() {
  if (!batch_open_) return fail(ErrorKind::internal, "no group of writes is open", "db");
  if (batch_spoilt_) return fail(ErrorKind::internal, "the group of writes is spoilt", "db");
  if (isolation_ == ItemIsolation::optimistic) {
    if (auto alive = batch_alive("starting a request"); !alive) return alive;
    item_changes_ = sqlite3_total_changes64(db_);
    item_spoilt_ = false;
    return {};
  }
  return enter_savepoint("item", "starting a request");
}

Result<void> SqliteStore::end_batch_item(BatchItemEnd end) {
  if (!batch_open_) return fail(ErrorKind::internal, "no group of writes is open", "db");
  if (isolation_ == ItemIsolation::optimistic) {
    if (auto alive = batch_alive("finishing a request"); !alive) return alive;
    // total_changes counts the rows of statements that completed (a statement that failed
    // undid its own rows): a discarded item that changed none leaves nothing to undo.
    if (item_spoilt_ ||
        (end == BatchItemEnd::discard && sqlite3_total_changes64(db_) != item_changes_)) {
      batch_spoilt_ = true;
    }
    return {};
  }
  return leave_savepoint("item", end, "finishing a request");
}

Result<void> SqliteStore::set_checkpoints(Checkpoints mode) {
  if (mode == Checkpoints::automatic) {
    // 1000 pages is SQLite's default; setting it replaces the hook below.
    return exec("PRAGMA wal_autocheckpoint = 1000", "setting checkpoints");
  }
  if (auto done = exec("PRAGMA wal_autocheckpoint = 0", "setting checkpoints"); !done) {
    return done;
  }
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int frames) {
        static_cast<SqliteStore*>(self)->wal_frames_ = frames;
        return SQLITE_OK;
      },
      this);
  return {};
}

Result<std::unique_ptr<Engine::LogSync>> SqliteStore::defer_sync() {
  // The log exists once the connection has read the database in WAL mode (open_sqlite
  // migrates, which reads).
  const char* log = sqlite3_filename_wal(sqlite3_db_filename(db_, "main"));
  if (log == nullptr || *log == '\0') {
    return fail(ErrorKind::unavailable, core::sentence("the journal has no log file to sync"),
                "db");
  }
  auto sync = WalSync::open(log);
  if (!sync) return sync;
  // NORMAL in WAL mode: a commit writes the log and returns; checkpoints still sync.
  if (auto done = exec("PRAGMA synchronous = NORMAL", "deferring syncs"); !done) {
    return tl::unexpected(done.error());
  }
  return sync;
}

Result<void> SqliteStore::checkpoint() {
  constexpr int kFramesBeforeCheckpoint = 4000;  // About 16 MB of log.
  if (wal_frames_ < kFramesBeforeCheckpoint) return {};
  wal_frames_ = 0;
  return copy_log();
}

int SqliteStore::log_pages() const { return wal_frames_; }

Result<void> SqliteStore::copy_log() {
  // PASSIVE: copies what it can without waiting for readers, writers or another checkpoint
  // (BUSY: one is running; the next call goes on from where it got).
  const int rc =
      sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK && (rc & 0xFF) != SQLITE_BUSY) {
    return tl::unexpected(sqlite_error(db_, rc, "copying the log into the database"));
  }
  return {};
}

// PRAGMA data_version: changes with every commit by another connection (or process).
Result<std::uint64_t> SqliteStore::data_version() {
  Statement s(statements_, "PRAGMA data_version");
  if (!s.ok()) {
    return fail(ErrorKind::internal, "could not prepare a query while checking for changes");
  }
  const int rc = s.step();
  if (rc != SQLITE_ROW) return tl::unexpected(sqlite_error(db_, rc, "checking for changes"));
  return static_cast<std::uint64_t>(s.integer(0));
}

Result<Engine::ChangeMark> SqliteStore::change_mark() {
  // While no commit has been published in the journal's wal-index since SQLite was last asked,
  // data_version cannot have moved (change_watch.hpp): no need to ask it. This connection's own
  // commits are counted here.
  if (!watch_tried_) {
    watch_tried_ = true;
    watch_ = ChangeWatch::open(db_);
  }
  if (watch_ && marked_others_ && !batch_open_ && watch_->quiet()) {
    return ChangeMark{*marked_others_, own_commits_};
  }
  auto others = data_version();
  if (!others) return tl::unexpected(others.error());
  marked_others_ = *others;
  return ChangeMark{*others, own_commits_};
}

}  // namespace mitra::store::sqlite
