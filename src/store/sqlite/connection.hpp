#pragma once
// The SQLite engine's connection layer: prepared statements, the cache that prepares each
// statement once per connection, and SQLite's error codes as mitra's errors. Used by the rest of
// the engine (sqlite_engine.hpp) only.

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mitra::store::sqlite {

using core::Result;

// Every statement the engine runs, prepared once and kept for the life of the connection, by SQL
// text: the queries every request of `mitra serve` runs are parsed once instead of on every call
// (parsing was most of the cost of logging a dose). A statement taken from here must not be in
// use twice at once, so a query that is still being read is never run again inside its loop.
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

// One prepared statement. Borrowed from a StatementCache (how the engine runs every query): reset
// for its next use on destruction. Prepared on its own (Statement(db, sql), only for the pragmas
// that set a connection up, once): finalised on destruction.
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

// SQLite's result `code` as mitra's error: a locked database, a file that cannot be written, a
// damaged file, a full disk and a failed write each say what to do; anything else is internal,
// naming what the engine was `doing`.
core::Error sqlite_error(sqlite3* db, int code, const std::string& doing);

// How long opening a journal waits for other processes that create or upgrade it.
inline constexpr std::chrono::milliseconds kOpenWait{10'000};

// Runs `step` (which returns an SQLite result code) until it stops answering "busy" or
// "locked", for up to kOpenWait.
Result<void> retry_busy(sqlite3* db, const std::function<int()>& step, const std::string& doing);

}  // namespace mitra::store::sqlite
