// The connection: SQLite's errors as mitra's, waiting out a lock, and running SQL on statements
// prepared once (connection.hpp).
#include "store/sqlite/sqlite_engine.hpp"

#include <algorithm>

namespace mitra::store::sqlite {

core::Error sqlite_error(sqlite3* db, int code, const std::string& doing) {
  const int primary = code & 0xFF;
  const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  // Each a sentence, translated where it is shown; SQLite's own words ({detail}, English) stay
  // in the English message, which is what logs keep (docs/languages.md, "Errors").
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return core::error_of(ErrorKind::unavailable,
                            core::sentence("the database is locked by another program; close it "
                                           "or try again in a moment"),
                            "db");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return core::error_of(ErrorKind::unavailable,
                            core::sentence("the database cannot be written ({detail}); check that "
                                           "the file and its folder are writable",
                                           {{"detail", detail}}),
                            "db");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return core::error_of(
          ErrorKind::unavailable,
          core::sentence("the database file is damaged or is not a mitra database ({detail}); "
                         "restore it from a backup (mitra backup) or choose another file with --db",
                         {{"detail", detail}}),
          "db");
    case SQLITE_FULL:
      return core::error_of(ErrorKind::unavailable,
                            core::sentence("the disk is full, so the change was not saved; free "
                                           "some space and try again"),
                            "db");
    case SQLITE_IOERR:
      if (code == SQLITE_IOERR_READ || code == SQLITE_IOERR_SHORT_READ) {
        return core::error_of(ErrorKind::unavailable,
                              core::sentence("the disk could not read the journal ({detail}); "
                                             "check the disk and try again",
                                             {{"detail", detail}}),
                              "db");
      }
      // A write or sync that failed: the transaction is rolled back and not acknowledged.
      return core::error_of(ErrorKind::unavailable,
                            core::sentence("the disk could not write the change ({detail}), so it "
                                           "was not saved; check the disk and try again",
                                           {{"detail", detail}}),
                            "db");
    default:
      return core::error_of(ErrorKind::internal,
                            core::sentence("database error while {doing}: {detail}",
                                           {{"doing", doing}, {"detail", detail}}),
                            "db");
  }
}

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

Result<void> SqliteStore::exec(const char* sql, const std::string& doing) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite_error(db_, rc, doing));
  return {};
}

Result<void> SqliteStore::exec_cached(const std::string& sql, const std::string& doing) {
  Statement s(statements_, sql.c_str());
  return run(s, doing);
}

int SqliteStore::step_cached(const std::string& sql) {
  Statement s(statements_, sql.c_str());
  if (!s.ok()) return sqlite3_errcode(db_);
  const int rc = s.step();
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

// Every ROLLBACK and ROLLBACK TO goes through here: settings kept since (get_setting) may
// have been read from the writes it drops.
Result<void> SqliteStore::roll_back(const std::string& sql, const std::string& doing) {
  settings_cache_.reset();
  return exec_cached(sql, doing);
}

Result<void> SqliteStore::run(Statement& s, const std::string& doing) {
  if (!s.ok()) return fail(ErrorKind::internal, "could not prepare a query while " + doing);
  const int rc = s.step();
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return tl::unexpected(sqlite_error(db_, rc, doing));
  return {};
}

}  // namespace mitra::store::sqlite
