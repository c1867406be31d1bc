#pragma once
// Looking inside a journal from a test, on a connection of the test's own.

#include <sqlite3.h>

#include <string>

namespace mitra::testing {

// Column `column` of every row `sql` gives on the database at `path`, one row per line
// ("cannot prepare: …" if SQLite refuses the statement).
inline std::string sql_text(const std::string& path, const std::string& sql, int column = 0) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* statement = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    out = "cannot prepare: " + std::string(sqlite3_errmsg(db));
  } else {
    for (int row = 0; sqlite3_step(statement) == SQLITE_ROW; ++row) {
      const auto* text = sqlite3_column_text(statement, column);
      out += (row > 0 ? "\n" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "");
    }
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return out;
}

// Runs `sql` (one statement or more) on a connection of its own to the database at `path`:
// SQLite's message if it failed, else empty.
inline std::string sql_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  std::string error = rc == SQLITE_OK ? "" : (message ? message : sqlite3_errstr(rc));
  sqlite3_free(message);
  sqlite3_close(db);
  return error;
}

}  // namespace mitra::testing
