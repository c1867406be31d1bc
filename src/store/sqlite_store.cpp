#include "store/sqlite_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

#include "formats/journal_json.hpp"
#include "store/import_more.hpp"
#include "store/postgres/postgres_store.hpp"

namespace mitra::store {

namespace {

using core::Dose;
using core::ErrorKind;
using core::fail;
using core::Instant;
using core::SubstanceUse;
using nlohmann::json;

// Forward migrations: element i takes a database from version i to i + 1.
const std::array<const char*, kSchemaVersion> kMigrations{{
    R"sql(
    CREATE TABLE doses (
      id TEXT PRIMARY KEY,
      taken_at INTEGER NOT NULL,
      zone TEXT NOT NULL,
      amount_micro INTEGER NOT NULL,
      unit TEXT NOT NULL,
      form TEXT NOT NULL,
      product TEXT NOT NULL DEFAULT '',
      note TEXT NOT NULL DEFAULT '',
      triggers TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX doses_by_time ON doses (taken_at);
    CREATE TABLE substance_uses (
      id TEXT PRIMARY KEY,
      substance TEXT NOT NULL,
      taken_at INTEGER NOT NULL,
      zone TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX substance_uses_by_time ON substance_uses (taken_at);
    CREATE TABLE idempotency (
      key TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      record_id TEXT NOT NULL
    );
    CREATE TABLE changes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      batch TEXT NOT NULL,
      kind TEXT NOT NULL,
      op TEXT NOT NULL,
      record_id TEXT NOT NULL,
      before TEXT
    );
    CREATE TABLE assessments (
      id TEXT PRIMARY KEY,
      instrument TEXT NOT NULL,
      taken_at INTEGER NOT NULL,
      zone TEXT NOT NULL,
      answers TEXT NOT NULL,
      total INTEGER NOT NULL,
      band TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX assessments_by_instrument ON assessments (instrument, taken_at);
    CREATE TABLE products (
      name TEXT PRIMARY KEY,
      form TEXT NOT NULL,
      capsule_mg_micro INTEGER,
      teaspoon_mg_micro INTEGER
    );
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE plans (
      plan_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      status TEXT NOT NULL,
      reason TEXT NOT NULL,
      body TEXT NOT NULL,
      PRIMARY KEY (plan_id, version)
    );
    CREATE INDEX plans_by_time ON plans (created_at);
    )sql",
    // 1 -> 2: undo forgets a record's idempotency key by record id; without this index that
    // was a scan of every key ever used, once per record undone (undoing a large import took
    // minutes once the web app had logged a few thousand doses).
    R"sql(
    CREATE INDEX idempotency_by_record ON idempotency (record_id);
    )sql",
    // 2 -> 3: the content of the request that first used a key, so that the same key sent
    // with other content is refused instead of answered with the first record. Keys kept
    // before have no fingerprint ('') and match any content, as they did.
    R"sql(
    ALTER TABLE idempotency ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
    )sql",
    // 3 -> 4: plan versions are never overwritten. Until schema 3 a new version set the status
    // of every active or held version to 'superseded' (an UPDATE); now each row keeps the status
    // it was written with, and a reader sees 'superseded' for an active or held version that a
    // later one follows (kPlanColumns). `added` orders the versions as they were written, of
    // every plan; rows written before have 0, and their stored statuses already say what was
    // superseded, so an old journal reads the same.
    R"sql(
    ALTER TABLE plans ADD COLUMN added INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX plans_by_added ON plans (added);
    )sql",
}};

// A plan version's columns as PlanVersion has them: the status as written, unless the version
// was active or held and a later version of any plan followed it, which supersedes it. "Later"
// is by creation time, then by the order written (`added`): the current plan (current_plan) is
// never shown superseded, even when an import wrote an older plan after it.
#define MITRA_PLAN_COLUMNS                                                                        \
  "plan_id, version, created_at, CASE WHEN status IN ('active', 'held') AND (created_at, added) " \
  "< (SELECT created_at, added FROM plans ORDER BY created_at DESC, added DESC LIMIT 1) "         \
  "THEN 'superseded' ELSE status END, reason, body"

// Prepared statements kept for the life of a connection, by SQL text: the queries every request
// of `mitra serve` runs are parsed once instead of on every call (parsing was most of the cost
// of logging a dose). A statement taken from here must not be in use twice at once.
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache() { clear(); }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  sqlite3* db() const { return db_; }
  // The prepared statement, or null if the SQL does not compile.
  sqlite3_stmt* get(const char* sql) {
    if (const auto it = statements_.find(std::string_view(sql)); it != statements_.end()) {
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return nullptr;
    }
    statements_.emplace(sql, stmt);
    return stmt;
  }
  void clear() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    statements_.clear();
  }

 private:
  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> statements_;
};

// One prepared statement: finalised on destruction, or, when borrowed from a StatementCache,
// reset for its next use.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  Statement(StatementCache& cache, const char* sql)
      : db_(cache.db()), stmt_(cache.get(sql)), borrowed_(true) {}
  ~Statement() {
    if (!borrowed_) {
      sqlite3_finalize(stmt_);
    } else if (stmt_ != nullptr) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Statement& bind(int index, const std::string& value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  Statement& bind(int index, std::optional<std::int64_t> value) {
    if (value) return bind(index, *value);
    sqlite3_bind_null(stmt_, index);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int step() { return sqlite3_step(stmt_); }
  // Ready to step again (for a statement kept prepared).
  void reset() { sqlite3_reset(stmt_); }
  std::string text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
             : std::string();
  }
  std::optional<std::string> optional_text(int column) const {
    if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
    return text(column);
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::optional<std::int64_t> optional_integer(int column) const {
    if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
    return integer(column);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool borrowed_ = false;
};

core::Error sqlite_error(sqlite3* db, int code, const std::string& doing) {
  const int primary = code & 0xFF;
  const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {ErrorKind::unavailable,
              "the database is locked by another program; close it or try again in a moment", "db"};
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return {ErrorKind::unavailable,
              "the database cannot be written (" + detail +
                  "); check that the file and its folder are writable",
              "db"};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return {ErrorKind::unavailable,
              "the database file is damaged or is not a mitra database (" + detail +
                  "); restore it from a backup (mitra backup) or choose another file with --db",
              "db"};
    case SQLITE_FULL:
      return {ErrorKind::unavailable,
              "the disk is full, so the change was not saved; free some space and try again", "db"};
    case SQLITE_IOERR:
      if (code == SQLITE_IOERR_READ || code == SQLITE_IOERR_SHORT_READ) {
        return {
            ErrorKind::unavailable,
            "the disk could not read the journal (" + detail + "); check the disk and try again",
            "db"};
      }
      // A write or sync that failed: the transaction is rolled back and not acknowledged.
      return {ErrorKind::unavailable,
              "the disk could not write the change (" + detail +
                  "), so it was not saved; check the disk and try again",
              "db"};
    default:
      return {ErrorKind::internal, "database error while " + doing + ": " + detail, "db"};
  }
}

// How long opening a journal waits for other processes that create or upgrade it.
constexpr std::chrono::milliseconds kOpenWait{10'000};

// Runs `step` (which returns an SQLite result code) until it stops answering "busy" or
// "locked", for up to kOpenWait.
Result<void> retry_busy(sqlite3* db, const std::function<int()>& step, const std::string& doing) {
  const auto deadline = std::chrono::steady_clock::now() + kOpenWait;
  for (int attempt = 0;; ++attempt) {
    const int rc = step();
    if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return {};
    const int primary = rc & 0xFF;
    if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) ||
        std::chrono::steady_clock::now() >= deadline) {
      return tl::unexpected(sqlite_error(db, rc, doing));
    }
    sqlite3_sleep(std::min(2 + attempt, 20));
  }
}

std::string join_triggers(const std::vector<std::string>& triggers) {
  std::string out;
  for (const auto& t : triggers) {
    if (!out.empty()) out += ',';
    out += t;
  }
  return out;
}

std::vector<std::string> split_triggers(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

constexpr const char* kDoseColumns =
    "id, taken_at, zone, amount_micro, unit, form, product, note, triggers";

Dose read_dose(const Statement& s) {
  Dose d;
  d.id = s.text(0);
  d.taken_at = Instant{std::chrono::seconds{s.integer(1)}};
  d.zone = s.text(2);
  d.amount.micro = s.integer(3);
  d.amount.unit = core::parse_unit(s.text(4)).value_or(core::Unit::gram);
  d.form = core::parse_form(s.text(5)).value_or(core::Form::other);
  d.product = s.text(6);
  d.note = s.text(7);
  d.triggers = split_triggers(s.text(8));
  return d;
}

// The columns of list_doses_brief, in this order.
constexpr const char* kBriefDoseColumns = "id, taken_at, zone, amount_micro, unit, form, product";

Dose read_brief_dose(const Statement& s) {
  Dose d;
  d.id = s.text(0);
  d.taken_at = Instant{std::chrono::seconds{s.integer(1)}};
  d.zone = s.text(2);
  d.amount.micro = s.integer(3);
  d.amount.unit = core::parse_unit(s.text(4)).value_or(core::Unit::gram);
  d.form = core::parse_form(s.text(5)).value_or(core::Form::other);
  d.product = s.text(6);
  return d;
}

SubstanceUse read_use(const Statement& s) {
  SubstanceUse u;
  u.id = s.text(0);
  u.substance = core::parse_substance(s.text(1)).value_or(core::Substance::other);
  u.taken_at = Instant{std::chrono::seconds{s.integer(2)}};
  u.zone = s.text(3);
  u.note = s.text(4);
  return u;
}

std::int64_t seconds_of(Instant t) { return t.time_since_epoch().count(); }

// Syncs a journal's write-ahead log through a descriptor of its own (see Engine::defer_sync).
// fdatasync works on the file, whichever descriptor wrote to it, so this never touches the
// connection and may run on another thread while that connection writes.
class WalSync final : public Store::LogSync {
 public:
  static Result<std::unique_ptr<Store::LogSync>> open(std::string path) {
    auto sync = std::unique_ptr<WalSync>(new WalSync(std::move(path)));
    if (auto opened = sync->reopen(); !opened) return tl::unexpected(opened.error());
    return std::unique_ptr<Store::LogSync>(std::move(sync));
  }
  ~WalSync() override {
    if (fd_ >= 0) ::close(fd_);
  }
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  Result<void> sync() override {
    // SQLite deletes the log only when its last connection closes, after copying the log into
    // the database; the writer's connection stays open, so this is a guard, not a path.
    struct stat about {};
    if (::fstat(fd_, &about) == 0 && about.st_nlink == 0) {
      if (auto opened = reopen(); !opened) return opened;
    }
    if (::fdatasync(fd_) != 0) {
      return fail(ErrorKind::unavailable,
                  std::string("the journal's log could not be flushed to disk (") +
                      std::strerror(errno) + ")",
                  "db");
    }
    return {};
  }

 private:
  explicit WalSync(std::string path) : path_(std::move(path)) {}

  Result<void> reopen() {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return fail(
          ErrorKind::unavailable,
          "the journal's log \"" + path_ + "\" could not be opened (" + std::strerror(errno) + ")",
          "db");
    }
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
    return {};
  }

  std::string path_;
  int fd_ = -1;
};

class SqliteStore final : public Store, private detail::ImportEngine {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db), statements_(db) {}
  using Records::add_dose;
  using Records::add_substance_use;
  using Records::import_records;
  ~SqliteStore() override {
    data_version_.reset();
    statements_.clear();
    sqlite3_close_v2(db_);
  }

  Result<void> exec(const char* sql, const std::string& doing) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(db_, rc, doing));
    return {};
  }

  // Runs `body` inside BEGIN IMMEDIATE … COMMIT; rolls back on any failure. Inside a batch
  // (begin_batch), a savepoint instead: the batch's COMMIT makes it durable.
  template <typename T>
  Result<T> write(const std::string& doing, const std::function<Result<T>()>& body) {
    if (batch_open_) {
      if (auto begun = enter_savepoint("write", doing); !begun) {
        return tl::unexpected(begun.error());
      }
      Result<T> result = body();
      if (auto ended =
              leave_savepoint("write", result ? BatchItemEnd::keep : BatchItemEnd::discard, doing);
          !ended) {
        return tl::unexpected(ended.error());
      }
      return result;
    }
    if (auto begun = exec("BEGIN IMMEDIATE", doing); !begun) return tl::unexpected(begun.error());
    Result<T> result = body();
    if (!result) {
      roll_back("ROLLBACK", doing);
      return result;
    }
    const int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      const auto error = sqlite_error(db_, rc, doing);
      roll_back("ROLLBACK", doing);
      return tl::unexpected(error);
    }
    ++own_commits_;
    return result;
  }

  // --- group commit (see Engine::begin_batch) ------------------------------------------

  // SQLite rolls a whole transaction back by itself after some errors (a full disk, I/O);
  // a SAVEPOINT then would quietly start a new one, so every step checks first.
  Result<void> batch_alive(const std::string& doing) {
    if (sqlite3_get_autocommit(db_) != 0) {
      return fail(
          ErrorKind::unavailable,
          "the database gave up the group of writes while " + doing + "; nothing in it was saved",
          "db");
    }
    return {};
  }

  Result<void> exec_cached(const std::string& sql, const std::string& doing) {
    Statement s(statements_, sql.c_str());
    return run(s, doing);
  }

  // Every ROLLBACK and ROLLBACK TO goes through here: settings kept since (get_setting) may
  // have been read from the writes it drops.
  Result<void> roll_back(const std::string& sql, const std::string& doing) {
    settings_cache_.reset();
    return exec(sql.c_str(), doing);
  }

  Result<void> enter_savepoint(const char* name, const std::string& doing) {
    if (auto alive = batch_alive(doing); !alive) return alive;
    return exec_cached(std::string("SAVEPOINT ") + name, doing);
  }

  Result<void> leave_savepoint(const char* name, BatchItemEnd end, const std::string& doing) {
    if (auto alive = batch_alive(doing); !alive) return alive;
    if (end == BatchItemEnd::discard) {
      if (auto done = roll_back(std::string("ROLLBACK TO ") + name, doing); !done) return done;
    }
    return exec_cached(std::string("RELEASE ") + name, doing);
  }

  Result<void> begin_batch() override {
    if (batch_open_) return fail(ErrorKind::internal, "a group of writes is already open", "db");
    if (auto begun = exec("BEGIN IMMEDIATE", "starting a group of writes"); !begun) return begun;
    // Read inside the transaction, which holds the write lock: it stays right until COMMIT.
    auto version = data_version();
    if (!version) {
      exec("ROLLBACK", "starting a group of writes");
      return tl::unexpected(version.error());
    }
    batch_data_version_ = *version;
    batch_open_ = true;
    return {};
  }

  Result<void> commit_batch() override {
    if (!batch_open_) return fail(ErrorKind::internal, "no group of writes is open", "db");
    batch_open_ = false;
    if (auto alive = batch_alive("saving a group of writes"); !alive) return alive;
    const int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      const auto error = sqlite_error(db_, rc, "saving a group of writes");
      settings_cache_.reset();  // SQLite may have rolled back by itself.
      if (sqlite3_get_autocommit(db_) == 0) roll_back("ROLLBACK", "saving a group of writes");
      return tl::unexpected(error);
    }
    ++own_commits_;
    return {};
  }

  void rollback_batch() override {
    batch_open_ = false;
    settings_cache_.reset();  // SQLite may have rolled back by itself.
    if (sqlite3_get_autocommit(db_) == 0) roll_back("ROLLBACK", "dropping a group of writes");
  }

  Result<void> begin_batch_item() override {
    if (!batch_open_) return fail(ErrorKind::internal, "no group of writes is open", "db");
    return enter_savepoint("item", "starting a request");
  }

  Result<void> end_batch_item(BatchItemEnd end) override {
    if (!batch_open_) return fail(ErrorKind::internal, "no group of writes is open", "db");
    return leave_savepoint("item", end, "finishing a request");
  }

  Result<void> set_checkpoints(Checkpoints mode) override {
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

  Result<std::unique_ptr<LogSync>> defer_sync() override {
    // The log exists once the connection has read the database in WAL mode (open_sqlite
    // migrates, which reads).
    const char* log = sqlite3_filename_wal(sqlite3_db_filename(db_, "main"));
    if (log == nullptr || *log == '\0') {
      return fail(ErrorKind::unavailable, "the journal has no log file to sync", "db");
    }
    auto sync = WalSync::open(log);
    if (!sync) return sync;
    // NORMAL in WAL mode: a commit writes the log and returns; checkpoints still sync.
    if (auto done = exec("PRAGMA synchronous = NORMAL", "deferring syncs"); !done) {
      return tl::unexpected(done.error());
    }
    return sync;
  }

  Result<void> checkpoint() override {
    constexpr int kFramesBeforeCheckpoint = 4000;  // About 16 MB of log.
    if (wal_frames_ < kFramesBeforeCheckpoint) return {};
    wal_frames_ = 0;
    return copy_log();
  }

  int log_pages() const override { return wal_frames_; }

  Result<void> copy_log() override {
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
  Result<std::uint64_t> data_version() {
    if (!data_version_) data_version_ = std::make_unique<Statement>(db_, "PRAGMA data_version");
    if (!data_version_->ok()) {
      return fail(ErrorKind::internal, "could not prepare a query while checking for changes");
    }
    const int rc = data_version_->step();
    if (rc != SQLITE_ROW) {
      data_version_->reset();
      return tl::unexpected(sqlite_error(db_, rc, "checking for changes"));
    }
    const auto version = static_cast<std::uint64_t>(data_version_->integer(0));
    data_version_->reset();
    return version;
  }

  Result<ChangeMark> change_mark() override {
    // This connection's own commits are counted here.
    auto others = data_version();
    if (!others) return tl::unexpected(others.error());
    return ChangeMark{*others, own_commits_};
  }

  Result<void> run(Statement& s, const std::string& doing) {
    if (!s.ok()) return fail(ErrorKind::internal, "could not prepare a query while " + doing);
    const int rc = s.step();
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return tl::unexpected(sqlite_error(db_, rc, doing));
    return {};
  }

  // The schema version and, on an empty file, whether it holds tables of another program.
  Result<int> schema_version() {
    Statement version_query(db_, "PRAGMA user_version");
    const int rc = version_query.step();
    if (rc != SQLITE_ROW) {
      return tl::unexpected(sqlite_error(db_, rc, "reading the schema version"));
    }
    const auto version = static_cast<int>(version_query.integer(0));
    if (version > kSchemaVersion) {
      return fail(ErrorKind::conflict,
                  "this database was written by a newer version of mitra (schema " +
                      std::to_string(version) + ", this program knows up to " +
                      std::to_string(kSchemaVersion) +
                      "); update mitra to open it. Nothing was changed.",
                  "db");
    }
    if (version == 0) {
      Statement tables(db_, "SELECT count(*) FROM sqlite_master");
      if (tables.step() == SQLITE_ROW && tables.integer(0) > 0) {
        return fail(ErrorKind::unavailable,
                    "this file is an SQLite database but not a mitra journal; choose another file "
                    "with --db",
                    "db");
      }
    }
    return version;
  }

  // Creation and upgrades are serialised: several processes may open a brand-new journal at
  // the same moment. The version is read again inside the write transaction, so a process
  // that waited finds the work done instead of creating the tables a second time (which
  // failed, or found the database locked, for 1 to 4 of ten writers on a new journal).
  Result<void> migrate() {
    auto seen = schema_version();
    if (!seen) return tl::unexpected(seen.error());
    if (*seen == kSchemaVersion) return {};
    if (auto begun = begin_waiting("upgrading the schema"); !begun) return begun;
    auto body = [&]() -> Result<void> {
      auto version = schema_version();
      if (!version) return tl::unexpected(version.error());
      for (int v = *version; v < kSchemaVersion; ++v) {
        if (auto done = exec(kMigrations[static_cast<std::size_t>(v)], "upgrading the schema");
            !done) {
          return done;
        }
      }
      if (*version == kSchemaVersion) return {};
      const std::string set_version = "PRAGMA user_version = " + std::to_string(kSchemaVersion);
      return exec(set_version.c_str(), "recording the schema version");
    };
    if (auto done = body(); !done) {
      roll_back("ROLLBACK", "upgrading the schema");
      return done;
    }
    const int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      const auto error = sqlite_error(db_, rc, "upgrading the schema");
      roll_back("ROLLBACK", "upgrading the schema");
      return tl::unexpected(error);
    }
    return {};
  }

  // BEGIN IMMEDIATE, tried again while another connection holds the lock, up to kOpenWait.
  // SQLite's busy handler does not wait in every case (while another connection creates the
  // file or recovers its log it answers "busy" at once), so this loop waits as well.
  Result<void> begin_waiting(const std::string& doing) {
    return retry_busy(
        db_, [&] { return sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr); },
        doing);
  }

  // --- idempotency and change log -------------------------------------------------------

  // The record an earlier request with `key` made, if any. A key first used for another kind
  // of record is a conflict; one first used with another fingerprint (other content) is
  // unprocessable. Empty fingerprints match any.
  Result<std::optional<std::string>> find_idempotent_of(const std::string& key,
                                                        const std::string& kind,
                                                        const std::string& fingerprint = "") {
    if (key.empty()) return std::optional<std::string>{};
    Statement s(statements_, "SELECT kind, record_id, fingerprint FROM idempotency WHERE key = ?");
    s.bind(1, key);
    const int rc = s.step();
    if (rc == SQLITE_ROW) {
      if (s.text(0) != kind) {
        return fail(ErrorKind::conflict,
                    "this Idempotency-Key was already used for another kind of record; send a "
                    "new key for a new request",
                    "Idempotency-Key");
      }
      const std::string stored = s.text(2);
      if (!stored.empty() && !fingerprint.empty() && stored != fingerprint) {
        return fail(ErrorKind::unprocessable,
                    "this Idempotency-Key was already used for a request with other content; "
                    "send the same content to retry it, or a new key for a new request",
                    "Idempotency-Key");
      }
      return std::optional<std::string>{s.text(1)};
    }
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "checking a retry"));
    return std::optional<std::string>{};
  }

  Result<void> remember_idempotent(const std::string& key, const char* kind, const std::string& id,
                                   const std::string& fingerprint = "") {
    if (key.empty()) return {};
    Statement s(statements_,
                "INSERT INTO idempotency (key, kind, record_id, fingerprint) VALUES (?, ?, ?, ?)");
    s.bind(1, key).bind(2, std::string(kind)).bind(3, id).bind(4, fingerprint);
    if (!s.ok())
      return fail(ErrorKind::internal, "could not prepare a query while recording a key");
    const int rc = s.step();
    // The key is known but find_idempotent_of found no record of it: the record it made was
    // removed since. Making it again on a late retry would bring back what was deleted.
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
      return fail(ErrorKind::conflict,
                  "this Idempotency-Key was already used, for a record that has since been "
                  "removed; send a new key for a new request",
                  "Idempotency-Key");
    }
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "recording a retry key"));
    return {};
  }

  Result<void> log_change(const std::string& batch, const char* kind, const char* op,
                          const std::string& id, const std::optional<json>& before) {
    Statement s(statements_,
                "INSERT INTO changes (batch, kind, op, record_id, before) VALUES (?, ?, ?, ?, ?)");
    s.bind(1, batch).bind(2, std::string(kind)).bind(3, std::string(op)).bind(4, id);
    if (before) {
      s.bind(5, before->dump());
    } else {
      s.bind(5, std::optional<std::int64_t>{});  // NULL: an insert has no earlier version.
    }
    return run(s, "recording the change for undo");
  }

  // --- doses ---------------------------------------------------------------------------

  Result<void> insert_dose(const Dose& d) override {
    Statement s(statements_,
                "INSERT INTO doses (id, taken_at, zone, amount_micro, unit, form, product, note, "
                "triggers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, d.id)
        .bind(2, seconds_of(d.taken_at))
        .bind(3, d.zone)
        .bind(4, d.amount.micro)
        .bind(5, std::string(core::to_string(d.amount.unit)))
        .bind(6, std::string(core::to_string(d.form)))
        .bind(7, d.product)
        .bind(8, d.note)
        .bind(9, join_triggers(d.triggers));
    return run(s, "saving the dose");
  }

  Result<std::optional<Dose>> find_dose(const std::string& id) override {
    // Cached: an import looks up every record it brings (the cache copies the SQL text).
    static const std::string sql =
        std::string("SELECT ") + kDoseColumns + " FROM doses WHERE id = ?";
    Statement s(statements_, sql.c_str());
    s.bind(1, id);
    const int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<Dose>{read_dose(s)};
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading a dose"));
    return std::optional<Dose>{};
  }

  Result<Dose> add_dose(Dose dose, const std::string& idempotency_key,
                        const std::string& fingerprint) override {
    return write<Dose>("saving the dose", [&]() -> Result<Dose> {
      auto existing = find_idempotent_of(idempotency_key, "dose", fingerprint);
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) {
        auto found = find_dose(**existing);
        if (!found) return tl::unexpected(found.error());
        if (*found) return **found;
      }
      if (dose.id.empty()) dose.id = new_id();
      if (auto done = insert_dose(dose); !done) return tl::unexpected(done.error());
      if (auto done = remember_idempotent(idempotency_key, "dose", dose.id, fingerprint); !done) {
        return tl::unexpected(done.error());
      }
      if (auto done = log_change(new_id(), "dose", "insert", dose.id, std::nullopt); !done) {
        return tl::unexpected(done.error());
      }
      return dose;
    });
  }

  Result<Dose> get_dose(const std::string& id) override {
    auto found = find_dose(id);
    if (!found) return tl::unexpected(found.error());
    if (!*found) return fail(ErrorKind::not_found, "no dose has the id \"" + id + "\"", "id");
    return **found;
  }

  Result<Dose> update_dose(const Dose& dose) override {
    return write<Dose>("changing the dose", [&]() -> Result<Dose> {
      auto before = find_dose(dose.id);
      if (!before) return tl::unexpected(before.error());
      if (!*before) {
        return fail(ErrorKind::not_found, "no dose has the id \"" + dose.id + "\"", "id");
      }
      // Nothing to change: no write, and no undo step (an undo would revert an older change).
      if (**before == dose) return dose;
      Statement del(db_, "DELETE FROM doses WHERE id = ?");
      del.bind(1, dose.id);
      if (auto done = run(del, "changing the dose"); !done) return tl::unexpected(done.error());
      if (auto done = insert_dose(dose); !done) return tl::unexpected(done.error());
      if (auto done = log_change(new_id(), "dose", "update", dose.id, formats::to_json(**before));
          !done) {
        return tl::unexpected(done.error());
      }
      return dose;
    });
  }

  Result<Dose> delete_dose(const std::string& id) override {
    return write<Dose>("deleting the dose", [&]() -> Result<Dose> {
      auto before = find_dose(id);
      if (!before) return tl::unexpected(before.error());
      if (!*before) return fail(ErrorKind::not_found, "no dose has the id \"" + id + "\"", "id");
      Statement del(db_, "DELETE FROM doses WHERE id = ?");
      del.bind(1, id);
      if (auto done = run(del, "deleting the dose"); !done) return tl::unexpected(done.error());
      if (auto done = log_change(new_id(), "dose", "delete", id, formats::to_json(**before));
          !done) {
        return tl::unexpected(done.error());
      }
      return **before;
    });
  }

  template <typename T>
  Result<std::vector<T>> list_between(const char* table, const char* columns,
                                      const TimeRange& range, T (*reader)(const Statement&),
                                      const char* order = "ASC", int limit = -1) {
    std::string sql = std::string("SELECT ") + columns + " FROM " + table +
                      " WHERE taken_at >= ? AND taken_at < ? ORDER BY taken_at " + order + ", id " +
                      order;
    if (limit >= 0) sql += " LIMIT " + std::to_string(limit);
    Statement s(db_, sql.c_str());
    if (!s.ok())
      return fail(ErrorKind::internal, "could not prepare a query on " + std::string(table));
    const std::int64_t from =
        range.from ? seconds_of(*range.from) : std::numeric_limits<std::int64_t>::min();
    const std::int64_t to =
        range.to ? seconds_of(*range.to) : std::numeric_limits<std::int64_t>::max();
    s.bind(1, from);
    s.bind(2, to);
    std::vector<T> out;
    if (limit < 0) {
      // Counted first (on the index alone), so that the vector is allocated once: growing it
      // by doubling held up to three times the records' size while it copied them.
      const std::string count_sql =
          std::string("SELECT count(*) FROM ") + table + " WHERE taken_at >= ? AND taken_at < ?";
      Statement count(statements_, count_sql.c_str());
      count.bind(1, from).bind(2, to);
      if (count.ok() && count.step() == SQLITE_ROW) {
        out.reserve(static_cast<std::size_t>(count.integer(0)));
      }
    } else {
      out.reserve(static_cast<std::size_t>(limit));
    }
    int rc = 0;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(reader(s));
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading the journal"));
    return out;
  }

  Result<std::vector<Dose>> list_doses(const TimeRange& range) override {
    return list_between<Dose>("doses", kDoseColumns, range, &read_dose);
  }

  Result<std::optional<Dose>> last_dose() override {
    auto rows = list_between<Dose>("doses", kDoseColumns, {}, &read_dose, "DESC", 1);
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty()) return std::optional<Dose>{};
    return std::optional<Dose>{rows->front()};
  }

  Result<std::optional<Dose>> first_dose() override {
    auto rows = list_between<Dose>("doses", kDoseColumns, {}, &read_dose, "ASC", 1);
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty()) return std::optional<Dose>{};
    return std::optional<Dose>{rows->front()};
  }

  Result<std::vector<Dose>> list_doses_brief(const TimeRange& range, Order order,
                                             int limit) override {
    return list_between<Dose>("doses", kBriefDoseColumns, range, &read_brief_dose,
                              order == Order::newest_first ? "DESC" : "ASC", limit);
  }

  Result<std::vector<core::Amount>> list_dose_amounts(const TimeRange& range) override {
    return list_between<core::Amount>("doses", "amount_micro, unit", range, [](const Statement& s) {
      return core::Amount{s.integer(0), core::parse_unit(s.text(1)).value_or(core::Unit::gram)};
    });
  }

  // --- substance uses ------------------------------------------------------------------

  static constexpr const char* kUseColumns = "id, substance, taken_at, zone, note";

  Result<void> insert_use(const SubstanceUse& u) override {
    Statement s(db_,
                "INSERT INTO substance_uses (id, substance, taken_at, zone, note) "
                "VALUES (?, ?, ?, ?, ?)");
    s.bind(1, u.id)
        .bind(2, std::string(core::to_string(u.substance)))
        .bind(3, seconds_of(u.taken_at))
        .bind(4, u.zone)
        .bind(5, u.note);
    return run(s, "saving the substance use");
  }

  Result<std::optional<SubstanceUse>> find_use(const std::string& id) override {
    static const std::string sql =
        std::string("SELECT ") + kUseColumns + " FROM substance_uses WHERE id = ?";
    Statement s(statements_, sql.c_str());
    s.bind(1, id);
    const int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<SubstanceUse>{read_use(s)};
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading a record"));
    return std::optional<SubstanceUse>{};
  }

  Result<SubstanceUse> add_substance_use(SubstanceUse use, const std::string& idempotency_key,
                                         const std::string& fingerprint) override {
    return write<SubstanceUse>("saving the substance use", [&]() -> Result<SubstanceUse> {
      auto existing = find_idempotent_of(idempotency_key, "substance_use", fingerprint);
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) {
        auto found = find_use(**existing);
        if (!found) return tl::unexpected(found.error());
        if (*found) return **found;
      }
      if (use.id.empty()) use.id = new_id();
      if (auto done = insert_use(use); !done) return tl::unexpected(done.error());
      if (auto done = remember_idempotent(idempotency_key, "substance_use", use.id, fingerprint);
          !done) {
        return tl::unexpected(done.error());
      }
      if (auto done = log_change(new_id(), "substance_use", "insert", use.id, std::nullopt);
          !done) {
        return tl::unexpected(done.error());
      }
      return use;
    });
  }

  Result<SubstanceUse> delete_substance_use(const std::string& id) override {
    return write<SubstanceUse>("deleting the record", [&]() -> Result<SubstanceUse> {
      auto before = find_use(id);
      if (!before) return tl::unexpected(before.error());
      if (!*before) {
        return fail(ErrorKind::not_found, "no substance use has the id \"" + id + "\"", "id");
      }
      Statement del(db_, "DELETE FROM substance_uses WHERE id = ?");
      del.bind(1, id);
      if (auto done = run(del, "deleting the record"); !done) return tl::unexpected(done.error());
      if (auto done =
              log_change(new_id(), "substance_use", "delete", id, formats::to_json(**before));
          !done) {
        return tl::unexpected(done.error());
      }
      return **before;
    });
  }

  Result<std::vector<SubstanceUse>> list_substance_uses(const TimeRange& range) override {
    return list_between<SubstanceUse>("substance_uses", kUseColumns, range, &read_use);
  }

  Result<ImportOutcome> import_records(const ImportRecords& records,
                                       OnConflict on_conflict) override {
    settings_cache_.reset();
    return write<ImportOutcome>("importing", [&]() -> Result<ImportOutcome> {
      return detail::import_all(*this, records, on_conflict);
    });
  }

  // --- undo ----------------------------------------------------------------------------

  // One undo-log row: the record's idempotency key is forgotten with it.
  Result<void> revert(const std::string& kind, const std::string& op, const std::string& id,
                      const std::optional<std::string>& before) {
    Statement forget(db_, "DELETE FROM idempotency WHERE record_id = ?");
    forget.bind(1, id);
    if (auto done = run(forget, "undoing"); !done) return done;
    return detail::revert_change(*this, kind, op, id, before);
  }

  Result<UndoResult> undo_last_change() override {
    settings_cache_.reset();
    return write<UndoResult>("undoing", [&]() -> Result<UndoResult> {
      // The last group's rows are the newest ones (each group is written in one transaction,
      // so its rows are consecutive): walk back from the newest and stop at the first row of
      // an older group. Reads only the rows it undoes, however long the history is.
      Statement rows(db_,
                     "SELECT seq, batch, kind, op, record_id, before FROM changes "
                     "ORDER BY seq DESC");
      std::optional<std::string> batch;
      std::int64_t first_seq = 0;
      int count = 0;
      std::string kind;
      std::string op;
      std::string id;
      int step = 0;
      while ((step = rows.step()) == SQLITE_ROW) {
        if (!batch) {
          batch = rows.text(1);
        } else if (rows.text(1) != *batch) {
          break;
        }
        first_seq = rows.integer(0);
        kind = rows.text(2);
        op = rows.text(3);
        id = rows.text(4);
        if (auto done = revert(kind, op, id, rows.optional_text(5)); !done) {
          return tl::unexpected(done.error());
        }
        ++count;
      }
      if (step != SQLITE_DONE && step != SQLITE_ROW) {
        return tl::unexpected(sqlite_error(db_, step, "undoing"));
      }
      rows.reset();  // Done reading before the log is changed.
      if (count == 0) return fail(ErrorKind::not_found, "there is nothing to undo", "undo");
      Statement forget(db_, "DELETE FROM changes WHERE seq >= ?");
      forget.bind(1, first_seq);
      if (auto done = run(forget, "undoing"); !done) return tl::unexpected(done.error());
      const std::string what = detail::change_kind_words(kind);
      UndoResult result;
      result.record_id = id;
      if (count > 1) {
        result.description = "removed the " + std::to_string(count) + " imported records";
      } else if (op == "insert") {
        result.description = "removed the " + what + " that was just logged";
      } else if (op == "update") {
        result.description = "put back the " + what + " as it was before the edit";
      } else {
        result.description = "restored the deleted " + what;
      }
      return result;
    });
  }

  // --- assessments ---------------------------------------------------------------------

  Result<Assessment> add_assessment(Assessment a, const std::string& idempotency_key) override {
    return write<Assessment>("saving the check-in", [&]() -> Result<Assessment> {
      auto existing = find_idempotent_of(idempotency_key, "assessment");
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) {
        Statement s(db_,
                    "SELECT id, instrument, taken_at, zone, answers, total, band, note "
                    "FROM assessments WHERE id = ?");
        s.bind(1, **existing);
        if (s.step() == SQLITE_ROW) return read_assessment(s);
      }
      if (a.id.empty()) a.id = new_id();
      if (auto done = insert_assessment(a); !done) return tl::unexpected(done.error());
      if (auto done = remember_idempotent(idempotency_key, "assessment", a.id); !done) {
        return tl::unexpected(done.error());
      }
      return a;
    });
  }

  static Assessment read_assessment(const Statement& s) {
    Assessment a;
    a.id = s.text(0);
    a.instrument = s.text(1);
    a.taken_at = Instant{std::chrono::seconds{s.integer(2)}};
    a.zone = s.text(3);
    const json answers = json::parse(s.text(4), nullptr, false);
    if (answers.is_array()) {
      for (const auto& v : answers) {
        if (v.is_number_integer()) a.answers.push_back(v.get<int>());
      }
    }
    a.total = static_cast<int>(s.integer(5));
    a.band = s.text(6);
    a.note = s.text(7);
    return a;
  }

  Result<std::vector<Assessment>> list_assessments(const std::string& instrument,
                                                   const TimeRange& range) override {
    Statement s(db_,
                "SELECT id, instrument, taken_at, zone, answers, total, band, note FROM "
                "assessments WHERE (? = '' OR instrument = ?) AND taken_at >= ? AND taken_at < ? "
                "ORDER BY taken_at, id");
    s.bind(1, instrument)
        .bind(2, instrument)
        .bind(3, range.from ? seconds_of(*range.from) : std::numeric_limits<std::int64_t>::min())
        .bind(4, range.to ? seconds_of(*range.to) : std::numeric_limits<std::int64_t>::max());
    std::vector<Assessment> out;
    int rc = 0;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_assessment(s));
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading check-ins"));
    return out;
  }

  // --- products and settings -----------------------------------------------------------

  Result<void> upsert_product(const core::Product& p) override {
    Statement s(db_,
                "INSERT INTO products (name, form, capsule_mg_micro, teaspoon_mg_micro) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET form = excluded.form, "
                "capsule_mg_micro = excluded.capsule_mg_micro, "
                "teaspoon_mg_micro = excluded.teaspoon_mg_micro");
    s.bind(1, p.name)
        .bind(2, std::string(core::to_string(p.form)))
        .bind(3, p.weights.capsule_mg_micro)
        .bind(4, p.weights.teaspoon_mg_micro);
    return run(s, "saving the product");
  }

  Result<core::Product> put_product(const core::Product& p,
                                    const std::string& idempotency_key) override {
    return write<core::Product>("saving the product", [&]() -> Result<core::Product> {
      auto existing = find_idempotent_of(idempotency_key, "product");
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) {
        auto products = list_products();
        if (!products) return tl::unexpected(products.error());
        for (const auto& known : *products) {
          if (known.name == **existing) return known;
        }
      }
      if (auto done = upsert_product(p); !done) return tl::unexpected(done.error());
      if (auto done = remember_idempotent(idempotency_key, "product", p.name); !done) {
        return tl::unexpected(done.error());
      }
      return p;
    });
  }

  Result<std::vector<core::Product>> list_products() override {
    Statement s(
        statements_,
        "SELECT name, form, capsule_mg_micro, teaspoon_mg_micro FROM products ORDER BY name");
    std::vector<core::Product> out;
    int rc = 0;
    while ((rc = s.step()) == SQLITE_ROW) {
      core::Product p;
      p.name = s.text(0);
      p.form = core::parse_form(s.text(1)).value_or(core::Form::other);
      p.weights.capsule_mg_micro = s.optional_integer(2);
      p.weights.teaspoon_mg_micro = s.optional_integer(3);
      out.push_back(std::move(p));
    }
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading products"));
    return out;
  }

  // Every request reads the settings; they are kept here until this connection changes them,
  // drops a change (a rollback may undo one), or another connection commits anything.
  Result<std::optional<std::string>> get_setting(const std::string& key) override {
    // Inside a group of writes this connection holds the write lock: nobody else can commit,
    // and data_version was read when the group began.
    auto others = batch_open_ ? Result<std::uint64_t>{batch_data_version_} : data_version();
    if (!others) return tl::unexpected(others.error());
    if (!settings_cache_ || settings_cache_->others != *others) {
      settings_cache_ = SettingsCache{*others, {}};
    }
    if (auto it = settings_cache_->values.find(key); it != settings_cache_->values.end()) {
      return it->second;
    }
    Statement s(statements_, "SELECT value FROM settings WHERE key = ?");
    s.bind(1, key);
    const int rc = s.step();
    std::optional<std::string> value;
    if (rc == SQLITE_ROW) {
      value = s.text(0);
    } else if (rc != SQLITE_DONE) {
      return tl::unexpected(sqlite_error(db_, rc, "reading settings"));
    }
    settings_cache_->values.emplace(key, value);
    return value;
  }

  Result<void> put_setting(const std::string& key, const std::string& value) override {
    settings_cache_.reset();
    return write<void>("saving settings",
                       [&]() -> Result<void> { return write_setting(key, value); });
  }

  // --- plans ---------------------------------------------------------------------------

  static PlanVersion read_plan(const Statement& s) {
    PlanVersion p;
    p.plan_id = s.text(0);
    p.version = static_cast<int>(s.integer(1));
    p.created_at = Instant{std::chrono::seconds{s.integer(2)}};
    p.status = s.text(3);
    p.reason = s.text(4);
    p.body_json = s.text(5);
    return p;
  }

  Result<PlanVersion> add_plan_version(PlanVersion v, const std::string& idempotency_key) override {
    return write<PlanVersion>("saving the plan", [&]() -> Result<PlanVersion> {
      auto existing = find_idempotent_of(idempotency_key, "plan");
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) {
        // The record id is "plan_id/version".
        const auto slash = (*existing)->rfind('/');
        Statement first(
            db_, "SELECT " MITRA_PLAN_COLUMNS " FROM plans WHERE plan_id = ? AND version = ?");
        first.bind(1, (*existing)->substr(0, slash))
            .bind(2, static_cast<std::int64_t>(std::atoll((*existing)->c_str() + slash + 1)));
        if (slash != std::string::npos && first.step() == SQLITE_ROW) return read_plan(first);
      }
      if (v.plan_id.empty()) v.plan_id = new_id();
      Statement next(db_, "SELECT coalesce(max(version), 0) + 1 FROM plans WHERE plan_id = ?");
      next.bind(1, v.plan_id);
      if (next.step() != SQLITE_ROW) return fail(ErrorKind::internal, "could not number the plan");
      v.version = static_cast<int>(next.integer(0));
      // Every earlier version, of this or another plan, is superseded by the new one: readers
      // see it from `added` (MITRA_PLAN_COLUMNS); no stored row changes.
      if (auto done = insert_plan_version(v); !done) return tl::unexpected(done.error());
      if (auto done = remember_idempotent(idempotency_key, "plan",
                                          v.plan_id + "/" + std::to_string(v.version));
          !done) {
        return tl::unexpected(done.error());
      }
      return v;
    });
  }

  Result<std::optional<PlanVersion>> current_plan() override {
    Statement s(db_, "SELECT " MITRA_PLAN_COLUMNS
                     " FROM plans ORDER BY created_at DESC, added DESC, version DESC LIMIT 1");
    const int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<PlanVersion>{read_plan(s)};
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading the plan"));
    return std::optional<PlanVersion>{};
  }

  Result<std::vector<PlanVersion>> plan_history(const std::string& plan_id) override {
    Statement s(db_, "SELECT " MITRA_PLAN_COLUMNS " FROM plans WHERE plan_id = ? ORDER BY version");
    s.bind(1, plan_id);
    std::vector<PlanVersion> out;
    int rc = 0;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_plan(s));
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading the plan"));
    return out;
  }

  Result<std::vector<PlanVersion>> latest_plan_versions() override {
    Statement s(db_, "SELECT " MITRA_PLAN_COLUMNS
                     " FROM plans AS p WHERE version = (SELECT max(version) FROM plans WHERE "
                     "plan_id = p.plan_id) ORDER BY created_at, plan_id");
    std::vector<PlanVersion> out;
    int rc = 0;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_plan(s));
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading the plans"));
    return out;
  }

  // --- detail::ImportEngine: the statements an import and an undo need, in their transaction ---

  Result<void> delete_dose_row(const std::string& id) override {
    Statement s(db_, "DELETE FROM doses WHERE id = ?");
    s.bind(1, id);
    return run(s, "changing the journal");
  }

  Result<void> delete_use_row(const std::string& id) override {
    Statement s(db_, "DELETE FROM substance_uses WHERE id = ?");
    s.bind(1, id);
    return run(s, "changing the journal");
  }

  Result<std::optional<Assessment>> find_assessment(const std::string& id) override {
    Statement s(db_,
                "SELECT id, instrument, taken_at, zone, answers, total, band, note "
                "FROM assessments WHERE id = ?");
    s.bind(1, id);
    const int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<Assessment>{read_assessment(s)};
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "importing"));
    return std::optional<Assessment>{};
  }

  Result<void> insert_assessment(const Assessment& a) override {
    Statement s(db_,
                "INSERT INTO assessments (id, instrument, taken_at, zone, answers, total, band, "
                "note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, a.id)
        .bind(2, a.instrument)
        .bind(3, seconds_of(a.taken_at))
        .bind(4, a.zone)
        .bind(5, json(a.answers).dump())
        .bind(6, static_cast<std::int64_t>(a.total))
        .bind(7, a.band)
        .bind(8, a.note);
    return run(s, "saving the check-in");
  }

  Result<void> delete_assessment(const std::string& id) override {
    Statement s(db_, "DELETE FROM assessments WHERE id = ?");
    s.bind(1, id);
    return run(s, "importing");
  }

  Result<std::optional<PlanVersion>> find_plan_version(const std::string& plan_id,
                                                       int version) override {
    Statement s(db_, "SELECT " MITRA_PLAN_COLUMNS " FROM plans WHERE plan_id = ? AND version = ?");
    s.bind(1, plan_id).bind(2, static_cast<std::int64_t>(version));
    const int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<PlanVersion>{read_plan(s)};
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "importing"));
    return std::optional<PlanVersion>{};
  }

  Result<void> insert_plan_version(const PlanVersion& v) override {
    Statement s(db_,
                "INSERT INTO plans (plan_id, version, created_at, status, reason, body, added) "
                "VALUES (?, ?, ?, ?, ?, ?, (SELECT coalesce(max(added), 0) + 1 FROM plans))");
    s.bind(1, v.plan_id)
        .bind(2, static_cast<std::int64_t>(v.version))
        .bind(3, seconds_of(v.created_at))
        .bind(4, v.status)
        .bind(5, v.reason)
        .bind(6, v.body_json);
    return run(s, "importing");
  }

  Result<void> delete_plan_version(const std::string& plan_id, int version) override {
    Statement s(db_, "DELETE FROM plans WHERE plan_id = ? AND version = ?");
    s.bind(1, plan_id).bind(2, static_cast<std::int64_t>(version));
    return run(s, "undoing");
  }

  Result<std::optional<std::string>> read_setting(const std::string& key) override {
    Statement s(db_, "SELECT value FROM settings WHERE key = ?");
    s.bind(1, key);
    const int rc = s.step();
    if (rc == SQLITE_ROW) return std::optional<std::string>{s.text(0)};
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading settings"));
    return std::optional<std::string>{};
  }

  Result<void> write_setting(const std::string& key, const std::string& value) override {
    Statement s(db_,
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    s.bind(1, key).bind(2, value);
    return run(s, "saving settings");
  }

  Result<void> delete_setting(const std::string& key) override {
    Statement s(db_, "DELETE FROM settings WHERE key = ?");
    s.bind(1, key);
    return run(s, "saving settings");
  }

  Result<void> record_change(const std::string& batch, const char* kind, const char* op,
                             const std::string& id, const std::optional<json>& before) override {
    return log_change(batch, kind, op, id, before);
  }

  // --- backup --------------------------------------------------------------------------

  Result<void> backup_to(const std::string& path) override {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      return core::invalid(
          "path", "the backup file \"" + path + "\" already exists; choose a new file name");
    }
    sqlite3* target = nullptr;
    int rc =
        sqlite3_open_v2(path.c_str(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
      const auto error = sqlite_error(target, rc, "creating the backup");
      sqlite3_close_v2(target);
      return core::invalid("path",
                           "cannot create the backup file \"" + path + "\": " + error.message);
    }
    sqlite3_backup* backup = sqlite3_backup_init(target, "main", db_, "main");
    if (backup == nullptr) {
      const auto error = sqlite_error(target, sqlite3_errcode(target), "starting the backup");
      sqlite3_close_v2(target);
      return tl::unexpected(error);
    }
    // Copy in slices so writers in other processes are not held up for long.
    do {
      rc = sqlite3_backup_step(backup, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    const int final_rc = sqlite3_errcode(target);
    sqlite3_close_v2(target);
    if (rc != SQLITE_DONE || final_rc != SQLITE_OK) {
      std::filesystem::remove(path, ec);
      return tl::unexpected(sqlite_error(nullptr, rc, "writing the backup"));
    }
    return {};
  }

 private:
  sqlite3* db_;
  StatementCache statements_;  // For the statements every request runs.
  bool batch_open_ = false;
  int wal_frames_ = 0;  // The log's length after the last commit, with checkpoints on request.
  std::uint64_t own_commits_ = 0;
  std::unique_ptr<Statement> data_version_;  // Prepared once: change_mark runs per request.
  std::uint64_t batch_data_version_ = 0;     // data_version when the open group began.
  // Settings read since data_version was `others` (see get_setting); absent values too.
  struct SettingsCache {
    std::uint64_t others = 0;
    std::map<std::string, std::optional<std::string>, std::less<>> values;
  };
  std::optional<SettingsCache> settings_cache_;
};

}  // namespace

std::string new_id() {
  // 12 hex digits of milliseconds since the epoch, then 20 of randomness. Ids made later sort
  // later, so new doses land on the right-most index page instead of a random one. Within one
  // millisecond (or if the clock steps back) the process keeps its last time and adds one to the
  // random part, so ids from one process strictly increase; fresh randomness each millisecond
  // keeps ids from different processes apart.
  struct State {
    std::mutex mutex;
    std::uint64_t millis = 0;
    std::uint64_t high = 0;  // The random part's top 16 bits.
    std::uint64_t low = 0;   // Its other 64 bits.
  };
  static State state;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::uint64_t now_millis = now > 0 ? static_cast<std::uint64_t>(now) : 0;

  std::uint64_t millis = 0;
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  {
    const std::lock_guard lock(state.mutex);
    if (now_millis > state.millis) {
      std::array<unsigned char, 10> bytes{};
      std::size_t filled = 0;
      while (filled < bytes.size()) {
        const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (got > 0) filled += static_cast<std::size_t>(got);
      }
      state.millis = now_millis;
      state.high = (std::uint64_t{bytes[0]} << 8) | bytes[1];
      state.low = 0;
      for (std::size_t i = 2; i < bytes.size(); ++i) state.low = (state.low << 8) | bytes[i];
    } else if (++state.low == 0 && ++state.high > 0xFFFF) {
      // The random part ran over (one in 2^80 per millisecond): move to the next millisecond.
      state.high = 0;
      ++state.millis;
    }
    millis = state.millis;
    high = state.high;
    low = state.low;
  }

  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 11; i >= 0; --i, millis >>= 4) out[static_cast<std::size_t>(i)] = kHex[millis & 0xF];
  for (int i = 15; i >= 12; --i, high >>= 4) out[static_cast<std::size_t>(i)] = kHex[high & 0xF];
  for (int i = 31; i >= 16; --i, low >>= 4) out[static_cast<std::size_t>(i)] = kHex[low & 0xF];
  return out;
}

Result<std::unique_ptr<Store>> open_sqlite(const std::string& path, OpenMode mode) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!exists && mode != OpenMode::create_if_missing) {
    return fail(ErrorKind::not_found, "there is no journal at \"" + path + "\"", "db");
  }
  if (!exists) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (mode == OpenMode::create_if_missing) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    auto error = sqlite_error(db, rc, "opening the journal");
    sqlite3_close_v2(db);
    return tl::unexpected(error);
  }
  auto store = std::make_unique<SqliteStore>(db);
  sqlite3_busy_timeout(db, 5000);
  // The journal file is the journal (issue 14, item 10): when the last connection to it closes
  // (the end of every CLI command, `mitra serve` stopped by SIGINT or SIGTERM), SQLite copies
  // the write-ahead log into mitra.db and deletes the log, so a copy of mitra.db alone holds
  // everything. It costs a write and a sync per command; a connection that is not the last
  // one (another process still has the journal open) leaves the log to that one, without
  // waiting. Committed data is durable in the log either way. (`mitra backup` makes copies.)
  sqlite3_extended_result_codes(db, 1);
  // journal_mode=WAL needs a write lock the first time; a read-only file shows up here too.
  // Another process creating the same new journal may hold the lock this needs for a moment.
  for (const char* pragma :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"}) {
    auto done = retry_busy(
        db,
        [&] {
          Statement s(db, pragma);
          return s.ok() ? s.step() : sqlite3_errcode(db);
        },
        "opening the journal");
    if (!done) return tl::unexpected(done.error());
  }
  if (auto migrated = store->migrate(); !migrated) return tl::unexpected(migrated.error());
  if (sqlite3_db_readonly(db, "main") == 1) {
    return fail(ErrorKind::unavailable,
                "the database cannot be written (it is read-only); check that the file and its "
                "folder are writable",
                "db");
  }
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> open_store(const std::string& location, OpenMode mode) {
  if (is_postgres_location(location)) return open_postgres(location, mode);
  return open_sqlite(location, mode);
}

}  // namespace mitra::store
