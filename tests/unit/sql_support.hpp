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

}  // namespace mitra::testing
