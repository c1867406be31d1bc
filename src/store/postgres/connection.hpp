#pragma once
// One connection to PostgreSQL (libpqxx 6) for the PostgreSQL engine: every query is a
// prepared statement named in statements.hpp, prepared once per connection; libpqxx's
// exceptions stop here and come out as core::Error values with a message for a person and
// never the URL's password.
//
// Transactions are sent as SQL (BEGIN, SAVEPOINT, COMMIT) on a libpqxx nontransaction, so
// that a group of writes (Engine::begin_batch) can span many calls of the engine, which
// libpqxx's own transaction objects cannot. After a lost connection (a server restart, an
// administrator's pg_terminate_backend) the statement that found it lost fails, and the next
// one connects again (settings and prepared statements included). The engine stops a
// transaction at its first failure, and BEGIN, SAVEPOINT or COMMIT sent on a new connection
// fail or start afresh, so no write goes on outside the transaction it began in.
//
// Thread safety: one thread at a time, like the Store that owns it.

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include <pqxx/pqxx>

#include "core/error.hpp"

namespace mitra::store::postgres {

using core::Result;

// `url` with its password, if any, replaced by "***": for messages and logs.
std::string redact_url(const std::string& url);

class Connection {
 public:
  // Connects and sets the session up (synchronous_commit on, quiet notices, UTC).
  static Result<std::unique_ptr<Connection>> open(const std::string& url);
  // Prepares every statement of statements.hpp (once the schema is there).
  Result<void> prepare_statements();
  // A new connection to the same database, set up the same way (statements not prepared).
  Result<std::unique_ptr<Connection>> open_another() const;
  // From now on (and after a reconnection) this connection's commits return before they are
  // on the server's disk: a writer whose answers wait for a sync on another connection
  // (PostgresStore::defer_sync).
  Result<void> defer_commits();
  // The server process serving this connection: another one means a new connection (after a
  // loss, by this class or by libpqxx), perhaps to a server that restarted since.
  int backend() const { return connection_->backendpid(); }

  // Runs the prepared statement `name` with `args` (strings, integers, optionals for NULL).
  // `doing` completes "… while <doing>" in the error message.
  template <typename... Args>
  Result<pqxx::result> run(const char* name, const std::string& doing, Args&&... args) {
    if (auto ready = ready_to_send(doing, (holds_nul(args) || ...)); !ready) {
      return tl::unexpected(ready.error());
    }
    try {
      pqxx::nontransaction tx(*connection_);
      return tx.exec_prepared(name, std::forward<Args>(args)...);
    } catch (const std::exception& error) {
      return tl::unexpected(to_error(error, doing));
    }
  }

  // Runs SQL text with parameters $1, $2… (`args`), unprepared: for the clinic's tables
  // (clinic_store.cpp), whose statements are few and run less often than a journal's.
  template <typename... Args>
  Result<pqxx::result> run_sql(const std::string& sql, const std::string& doing, Args&&... args) {
    if (auto ready = ready_to_send(doing, (holds_nul(args) || ...)); !ready) {
      return tl::unexpected(ready.error());
    }
    try {
      pqxx::nontransaction tx(*connection_);
      return tx.exec_params(sql, std::forward<Args>(args)...);
    } catch (const std::exception& error) {
      return tl::unexpected(to_error(error, doing));
    }
  }

  // The schema a journal's URL names (store::journal_location: `options=-csearch_path%3D…`),
  // and the URL without it; an empty schema when the URL names none.
  struct SchemaOfUrl {
    std::string base;
    std::string schema;
  };
  static SchemaOfUrl schema_of(const std::string& url);
  // From now on reaches the tables of `url`'s schema, a URL of the same database as this
  // connection's (schema_of(url).base is the same): SET search_path now, and `url` to connect
  // again after a loss. Prepared statements stay: PostgreSQL parses a prepared statement again
  // when the search_path it was parsed under has changed. Refuses a schema that is not a plain
  // lower-case name (only those are made: clinic_store.cpp's sign_up).
  Result<void> use_schema_of(const std::string& url);
  const std::string& url() const { return url_; }

  // Runs SQL text without parameters (transaction control, migrations).
  Result<pqxx::result> exec(const std::string& sql, const std::string& doing);

  // The error for a libpqxx exception, with the password (of the URL this connection was
  // opened with) taken out of the message. A lost connection is connected again on next use.
  core::Error to_error(const std::exception& error, const std::string& doing) const;

 private:
  // Before a statement is sent: refuses parameters holding U+0000 (`has_nul`), which libpq
  // would cut short silently (it sends text as C strings), and connects again if the connection
  // was lost.
  Result<void> ready_to_send(const std::string& doing, bool has_nul);
  Result<void> reconnect_if_lost(const std::string& doing);
  // Session settings, kept by libpqxx across its own reconnections.
  void set_up_session(pqxx::connection& connection) const;

  template <typename T>
  static bool holds_nul(const T& value) {
    using Plain = std::decay_t<T>;
    if constexpr (std::is_same_v<Plain, std::string>) {
      return value.find('\0') != std::string::npos;
    } else if constexpr (std::is_same_v<Plain, std::optional<std::string>>) {
      return value && value->find('\0') != std::string::npos;
    } else {
      return false;
    }
  }

  Connection(std::unique_ptr<pqxx::connection> connection, std::string url, std::string password)
      : connection_(std::move(connection)), url_(std::move(url)), password_(std::move(password)) {}

  std::unique_ptr<pqxx::connection> connection_;
  std::string url_;        // To connect again; never shown.
  std::string password_;   // Only to remove it from messages.
  bool prepared_ = false;  // prepare_statements has run: a new connection prepares them too.
  bool deferred_commits_ = false;  // defer_commits has run: a new connection defers them too.
  mutable bool lost_ = false;      // The last statement found the connection lost.
};

}  // namespace mitra::store::postgres
