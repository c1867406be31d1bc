#include "store/postgres/connection.hpp"

#include <cstdlib>
#include <string_view>

#include "store/postgres/statements.hpp"

namespace mitra::store::postgres {

namespace {

using core::ErrorKind;

// The value of `%XX` escapes in a URL part, for finding a password that was written escaped.
std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const std::string hex(text.substr(i + 1, 2));
      char* end = nullptr;
      const long value = std::strtol(hex.c_str(), &end, 16);
      if (end == hex.c_str() + 2) {
        out += static_cast<char>(value);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// Where the password is in `url` (the userinfo's, or a `password=` parameter): start and
// length, or npos.
std::pair<std::size_t, std::size_t> password_span(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string::npos) {
    const auto authority = scheme_end + 3;
    const auto authority_end = url.find_first_of("/?", authority);
    const auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
    if (at != std::string::npos && at > authority) {
      const auto colon = url.find(':', authority);
      if (colon != std::string::npos && colon < at) return {colon + 1, at - colon - 1};
    }
  }
  for (const char* key : {"?password=", "&password="}) {
    const auto found = url.find(key);
    if (found == std::string::npos) continue;
    const auto start = found + std::string_view(key).size();
    const auto end = url.find('&', start);
    return {start, (end == std::string::npos ? url.size() : end) - start};
  }
  return {std::string::npos, 0};
}

void replace_all(std::string& text, const std::string& what, const std::string& with) {
  if (what.empty()) return;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

}  // namespace

std::string redact_url(const std::string& url) {
  auto [start, length] = password_span(url);
  if (start == std::string::npos) return url;
  std::string out = url;
  out.replace(start, length, "***");
  return out;
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url) {
  const auto [start, length] = password_span(url);
  const std::string password =
      start == std::string::npos ? std::string() : percent_decoded(url.substr(start, length));
  std::unique_ptr<Connection> connection;
  try {
    connection = std::unique_ptr<Connection>(
        new Connection(std::make_unique<pqxx::connection>(url), url, password));
  } catch (const std::exception& error) {
    std::string detail = error.what();
    replace_all(detail, url, redact_url(url));
    replace_all(detail, password, "***");
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    return core::fail(ErrorKind::unavailable,
                      core::sentence("cannot connect to the PostgreSQL database {url} ({detail}); "
                                     "check the URL and that the server is running",
                                     {{"url", redact_url(url)}, {"detail", detail}}),
                      "db");
  }
  try {
    connection->set_up_session(*connection->connection_);
  } catch (const std::exception& error) {
    return tl::unexpected(connection->to_error(error, "setting up the connection"));
  }
  return connection;
}

void Connection::set_up_session(pqxx::connection& connection) const {
  // Durable acknowledgement whatever the server's default: a commit returns once it is on the
  // server's disk (unless defer_commits said the writer syncs on another connection). Notices
  // (e.g. "relation already exists, skipping") are not for the person. Through libpqxx, which
  // sets them again when it reconnects by itself (a plain SET would be lost with the
  // connection).
  connection.set_variable("synchronous_commit", deferred_commits_ ? "off" : "on");
  connection.set_variable("client_min_messages", "error");
  connection.set_variable("TimeZone", "'UTC'");
}

Result<void> Connection::prepare_statements() {
  try {
    for (const auto& statement : kStatements) connection_->prepare(statement.name, statement.sql);
  } catch (const std::exception& error) {
    return tl::unexpected(to_error(error, "preparing the queries"));
  }
  prepared_ = true;
  return {};
}

Result<std::unique_ptr<Connection>> Connection::open_another() const { return open(url_); }

Connection::SchemaOfUrl Connection::schema_of(const std::string& url) {
  static constexpr std::string_view kOption = "options=-csearch_path%3D";
  const auto at = url.rfind(kOption);
  if (at == std::string::npos || at == 0 || (url[at - 1] != '?' && url[at - 1] != '&')) {
    return {url, ""};
  }
  const auto start = at + kOption.size();
  const auto end = url.find('&', start);
  if (end != std::string::npos) return {url, ""};  // journal_location puts it last.
  return {url.substr(0, at - 1), url.substr(start)};
}

Result<void> Connection::use_schema_of(const std::string& url) {
  const auto wanted = schema_of(url);
  const bool plain =
      !wanted.schema.empty() && wanted.schema.size() < 64 &&
      wanted.schema.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
  if (!plain || wanted.base != schema_of(url_).base) {
    return core::fail(ErrorKind::internal,
                      "a connection can only change to another journal "
                      "of its own database");
  }
  // The URL first: should the SET find the connection lost, the next statement connects
  // with the new schema, never the old one.
  url_ = url;
  if (auto set = exec("SET search_path TO " + wanted.schema, "opening the journal"); !set) {
    return tl::unexpected(set.error());
  }
  return {};
}

Result<void> Connection::defer_commits() {
  deferred_commits_ = true;
  try {
    set_up_session(*connection_);
  } catch (const std::exception& error) {
    deferred_commits_ = false;
    return tl::unexpected(to_error(error, "setting up the connection"));
  }
  return {};
}

Result<void> Connection::ready_to_send(const std::string& doing, bool has_nul) {
  if (has_nul) {
    return core::fail(ErrorKind::invalid_input,
                      "the text holds the character U+0000, which PostgreSQL cannot store, "
                      "while " +
                          doing + "; remove it and try again");
  }
  return reconnect_if_lost(doing);
}

Result<void> Connection::reconnect_if_lost(const std::string& doing) {
  if (!lost_) return {};
  try {
    auto fresh = std::make_unique<pqxx::connection>(url_);
    set_up_session(*fresh);
    if (prepared_) {
      for (const auto& statement : kStatements) fresh->prepare(statement.name, statement.sql);
    }
    connection_ = std::move(fresh);
    lost_ = false;
  } catch (const std::exception& error) {
    return tl::unexpected(to_error(error, doing));
  }
  return {};
}

Result<pqxx::result> Connection::exec(const std::string& sql, const std::string& doing) {
  if (auto ready = reconnect_if_lost(doing); !ready) return tl::unexpected(ready.error());
  try {
    pqxx::nontransaction tx(*connection_);
    return tx.exec(sql);
  } catch (const std::exception& error) {
    return tl::unexpected(to_error(error, doing));
  }
}

core::Error Connection::to_error(const std::exception& error, const std::string& doing) const {
  std::string detail = error.what();
  replace_all(detail, password_, "***");
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) {
    lost_ = true;
    return core::error_of(
        ErrorKind::unavailable,
        core::sentence("the connection to the PostgreSQL server was lost while {doing} "
                       "({detail}); nothing was saved by this request; try again in a moment",
                       {{"doing", doing}, {"detail", detail}}),
        "db");
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) {
    return core::error_of(ErrorKind::unavailable,
                          core::sentence("the PostgreSQL server did not confirm the change while "
                                         "{doing}; look in the journal before entering it again",
                                         {{"doing", doing}}),
                          "db");
  }
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
  const std::string state = sql != nullptr ? sql->sqlstate() : "";
  const std::string klass = state.substr(0, 2);
  if (state == "53100") {
    return core::error_of(ErrorKind::unavailable,
                          core::sentence("the PostgreSQL server's disk is full, so the change was "
                                         "not saved; free some space and try again"),
                          "db");
  }
  if (klass == "08" || klass == "53" || klass == "57" || klass == "58" || state == "40001" ||
      state == "40P01" || state == "55P03") {
    return core::error_of(
        ErrorKind::unavailable,
        core::sentence("the PostgreSQL server could not do this now ({detail}) while {doing}; "
                       "nothing was saved by this request; try again in a moment",
                       {{"detail", detail}, {"doing", doing}}),
        "db");
  }
  if (klass == "42" && state == "42501") {
    return core::error_of(ErrorKind::unavailable,
                          core::sentence("the PostgreSQL user may not do this ({detail}) while "
                                         "{doing}; grant it the rights on the database's tables",
                                         {{"detail", detail}, {"doing", doing}}),
                          "db");
  }
  if (state == "22021" || state == "22P05") {
    return core::error_of(ErrorKind::invalid_input,
                          core::sentence("the text holds a character PostgreSQL cannot store "
                                         "({detail}); remove it and try again",
                                         {{"detail", detail}}),
                          "");
  }
  return core::error_of(ErrorKind::internal,
                        core::sentence("database error while {doing}: {detail}",
                                       {{"doing", doing}, {"detail", detail}}),
                        "db");
}

}  // namespace mitra::store::postgres
