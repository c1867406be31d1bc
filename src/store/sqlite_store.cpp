// Opening a journal on the SQLite engine, and open_store, which picks the engine by location.
// The engine itself is in sqlite/, one file per concern (sqlite/sqlite_engine.hpp).
#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_engine.hpp"
#include "store/sqlite/wal_writes.hpp"

namespace mitra::store {

using core::ErrorKind;
using core::fail;

Result<std::unique_ptr<Store>> open_sqlite(const std::string& path, OpenMode mode) {
  // Once per process, before SQLite's first use (after it, SQLite refuses, harmlessly): no
  // count of the memory in use, which mitra never asks for and which costs a lock on every
  // allocation in every connection; then one write per commit into the log (wal_writes.hpp).
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite::install_wal_writes();
  }();
  (void)configured;
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
    auto error = sqlite::sqlite_error(db, rc, "opening the journal");
    sqlite3_close_v2(db);
    return tl::unexpected(error);
  }
  auto store = std::make_unique<sqlite::SqliteStore>(db);
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
  // temp_store = MEMORY: a savepoint's copies of the pages it changes stay in memory (past
  // 64 KiB SQLite otherwise moves them to a temporary file, made and written page by page for
  // a group of requests with a savepoint each); so do the rare temporary tables of a query.
  for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                             "PRAGMA foreign_keys = ON", "PRAGMA temp_store = MEMORY"}) {
    auto done = sqlite::retry_busy(
        db,
        [&] {
          sqlite::Statement s(db, pragma);
          return s.ok() ? s.step() : sqlite3_errcode(db);
        },
        "opening the journal");
    if (!done) return tl::unexpected(done.error());
  }
  if (auto migrated = store->migrate(); !migrated) return tl::unexpected(migrated.error());
  if (sqlite3_db_readonly(db, "main") == 1) {
    return fail(ErrorKind::unavailable,
                core::sentence("the database cannot be written (it is read-only); check that the "
                               "file and its folder are writable"),
                "db");
  }
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> open_store(const std::string& location, OpenMode mode) {
  if (is_postgres_location(location)) return open_postgres(location, mode);
  return open_sqlite(location, mode);
}

}  // namespace mitra::store
