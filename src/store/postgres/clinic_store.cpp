// The clinic's own tables (store/clinic.hpp) on PostgreSQL, in the schema `clinic`: accounts,
// invitations, sessions and failed logins. The journals are not here: each account's journal is
// a schema of its own ("person_<id>"), made by sign_up and filled by the journal engine's
// migrations the first time it is opened (postgres_store.cpp).

#include <string>
#include <utility>

#include "store/clinic.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/module.hpp"
#include "store/postgres/rows.hpp"
#include "store/store.hpp"

namespace mitra::store {

namespace {

using core::ErrorKind;
using core::fail;
using postgres::Connection;
using postgres::instant_of;
using postgres::seconds_of;

// The clinic schema's version, kept in clinic.schema_version.
constexpr int kClinicSchemaVersion = 3;

// Version 0 → 1. Times are seconds since the epoch, as in the journals; names and digests are
// compared byte-wise ("C").
constexpr const char* kClinicSchema = R"sql(
  CREATE TABLE clinic.accounts (
    id TEXT COLLATE "C" PRIMARY KEY,
    username TEXT COLLATE "C" NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    journal TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
  );
  CREATE TABLE clinic.invites (
    code_digest TEXT COLLATE "C" PRIMARY KEY,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by TEXT COLLATE "C"
  );
  CREATE TABLE clinic.sessions (
    token_digest TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES clinic.accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  CREATE INDEX sessions_by_account ON clinic.sessions (account_id);
  CREATE TABLE clinic.login_failures (
    key TEXT COLLATE "C" NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX login_failures_by_key ON clinic.login_failures (key, at);
  CREATE TABLE clinic.schema_version (version INTEGER NOT NULL);
  INSERT INTO clinic.schema_version VALUES (1);
)sql";

// Version 1 → 2: sharing with specialists, the audit of their reads, contact requests. Scopes
// are kept as a text array of core::to_string(Scope) names. A person's rows here go with their
// account (ON DELETE CASCADE), the audit of others' reads of their journal included; a reader's
// name stays in the audit when the reader's account is deleted.
constexpr const char* kClinicSharing = R"sql(
  CREATE TABLE clinic.shares (
    id TEXT COLLATE "C" PRIMARY KEY,
    person_id TEXT COLLATE "C" NOT NULL REFERENCES clinic.accounts (id) ON DELETE CASCADE,
    specialist_id TEXT COLLATE "C" NOT NULL REFERENCES clinic.accounts (id) ON DELETE CASCADE,
    scopes TEXT[] NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  CREATE UNIQUE INDEX shares_live ON clinic.shares (person_id, specialist_id)
    WHERE revoked_at IS NULL;
  CREATE INDEX shares_by_specialist ON clinic.shares (specialist_id) WHERE revoked_at IS NULL;
  CREATE TABLE clinic.audit (
    id BIGSERIAL PRIMARY KEY,
    person_id TEXT COLLATE "C" NOT NULL REFERENCES clinic.accounts (id) ON DELETE CASCADE,
    reader_id TEXT COLLATE "C" REFERENCES clinic.accounts (id) ON DELETE SET NULL,
    reader_username TEXT NOT NULL,
    share_id TEXT COLLATE "C",
    scopes TEXT[] NOT NULL,
    resource TEXT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX audit_by_person ON clinic.audit (person_id, at);
  CREATE TABLE clinic.contact_requests (
    id TEXT COLLATE "C" PRIMARY KEY,
    person_id TEXT COLLATE "C" NOT NULL REFERENCES clinic.accounts (id) ON DELETE CASCADE,
    how TEXT NOT NULL,
    when_text TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    handled_at BIGINT,
    handled_by TEXT
  );
  CREATE INDEX contact_requests_by_person ON clinic.contact_requests (person_id, created_at);
  UPDATE clinic.schema_version SET version = 2;
)sql";

// Version 2 → 3: failed logins by time, so that rows older than a day go cheaply
// (add_login_failure).
constexpr const char* kClinicFailuresByTime = R"sql(
  CREATE INDEX login_failures_by_time ON clinic.login_failures (at);
  UPDATE clinic.schema_version SET version = 3;
)sql";

// How long a failed login is kept: only the last core::kLoginWindow counts against a key; the
// rest of a day is for the operator's rates ("What to monitor", docs/clinic.md).
constexpr std::int64_t kKeepLoginFailures = 24 * 60 * 60;

// Creating and upgrading take turns on this advisory lock ("clin" in ASCII), apart from the
// journals' (migrations.cpp).
constexpr const char* kTakeClinicTurn = "SELECT pg_advisory_xact_lock(1668049262)";

#define MITRA_CONTACT_COLUMNS                                                               \
  "c.id, c.person_id, a.username, c.how, c.when_text, c.note, c.created_at, c.handled_at, " \
  "c.handled_by"

#define MITRA_ACCOUNT_COLUMNS "a.id, a.username, a.role, a.password_hash, a.journal, a.created_at"

class PostgresClinic final : public ClinicRecords {
 public:
  explicit PostgresClinic(std::unique_ptr<Connection> connection) : db_(std::move(connection)) {}

  // Creates the schema `clinic` and its tables, or checks their version, in one transaction.
  Result<void> migrate() {
    const std::string doing = "creating the clinic's tables";
    return in_transaction<void>(doing, [&]() -> Result<void> {
      if (auto turn = db_->exec(kTakeClinicTurn, doing); !turn) return tl::unexpected(turn.error());
      // From the catalog, with this statement's snapshot (as migrations.cpp reads it): taken
      // after the turn, it sees what a process that had the turn before committed.
      auto has = db_->exec(
          "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'clinic' "
          "AND tablename = 'schema_version')",
          doing);
      if (!has) return tl::unexpected(has.error());
      if (!(*has)[0][0].as<bool>()) {
        if (auto made = db_->exec("CREATE SCHEMA IF NOT EXISTS clinic", doing); !made) {
          return tl::unexpected(made.error());
        }
        if (auto made = db_->exec(kClinicSchema, doing); !made) return tl::unexpected(made.error());
      }
      auto version = db_->exec("SELECT version FROM clinic.schema_version", doing);
      if (!version) return tl::unexpected(version.error());
      const int found = version->empty() ? 0 : (*version)[0][0].as<int>();
      if (found == 1) {
        if (auto made = db_->exec(kClinicSharing, doing); !made) {
          return tl::unexpected(made.error());
        }
      }
      if (found == 1 || found == 2) {
        if (auto made = db_->exec(kClinicFailuresByTime, doing); !made) {
          return tl::unexpected(made.error());
        }
      }
      if (found > kClinicSchemaVersion) {
        return fail(ErrorKind::conflict,
                    "the clinic's tables were written by a newer version of mitra (clinic schema " +
                        std::to_string(found) +
                        "); update mitra to open them. Nothing was changed.",
                    "db");
      }
      return {};
    });
  }

  Result<void> check_reachable() override {
    const std::string doing = "checking that the database answers";
    auto read = db_->exec("SELECT version FROM clinic.schema_version", doing);
    // A connection lost since the last request (a restart) is connected again by the next
    // statement: one more try says how the database is now.
    if (!read) read = db_->exec("SELECT version FROM clinic.schema_version", doing);
    if (!read) return tl::unexpected(read.error());
    return {};
  }

  Result<void> add_invite(const std::string& code_digest, core::Role role, core::Instant created_at,
                          core::Instant expires_at) override {
    return execute(
        "INSERT INTO clinic.invites (code_digest, role, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4)",
        "keeping the invitation", code_digest, std::string(core::to_string(role)),
        seconds_of(created_at), seconds_of(expires_at));
  }

  Result<Account> sign_up(const std::string& code_digest, const std::string& username,
                          const std::string& password_hash, core::Instant now) override {
    const std::string doing = "making the account";
    return in_transaction<Account>(doing, [&]() -> Result<Account> {
      // The row lock of the UPDATE makes a second sign-up with the same code wait, then find
      // it used.
      auto used = db_->run_sql(
          "UPDATE clinic.invites SET used_at = $2 "
          "WHERE code_digest = $1 AND used_at IS NULL AND expires_at > $2 RETURNING role",
          doing, code_digest, seconds_of(now));
      if (!used) return tl::unexpected(used.error());
      if (used->empty()) {
        return core::invalid("invite",
                             "invite is not a code that can be used: it is not known, was used "
                             "already, or has expired. Ask the clinic for a new one.");
      }
      auto role = core::parse_role((*used)[0][0].as<std::string>(), "role");
      if (!role) return tl::unexpected(role.error());
      Account account;
      account.id = new_id();
      account.username = username;
      account.role = *role;
      account.password_hash = password_hash;
      account.journal = "person_" + account.id;
      account.created_at = now;
      auto added = db_->run_sql(
          "INSERT INTO clinic.accounts (id, username, role, password_hash, journal, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING RETURNING id",
          doing, account.id, account.username, std::string(core::to_string(account.role)),
          account.password_hash, account.journal, seconds_of(now));
      if (!added) return tl::unexpected(added.error());
      if (added->empty()) {
        return fail(ErrorKind::conflict, "username " + username + " is taken; choose another.",
                    "username");
      }
      if (auto marked =
              db_->run_sql("UPDATE clinic.invites SET used_by = $2 WHERE code_digest = $1", doing,
                           code_digest, account.id);
          !marked) {
        return tl::unexpected(marked.error());
      }
      // The id is hex digits made by new_id(), so the name needs no quoting.
      if (auto made = db_->exec("CREATE SCHEMA " + account.journal, doing); !made) {
        return tl::unexpected(made.error());
      }
      return account;
    });
  }

  Result<std::optional<Account>> find_account(const std::string& username) override {
    const std::string doing = "finding the account";
    auto found = db_->run_sql("SELECT " MITRA_ACCOUNT_COLUMNS
                              " FROM clinic.accounts a WHERE a.username = $1",
                              doing, username);
    if (!found) return tl::unexpected(found.error());
    if (found->empty()) return std::optional<Account>{};
    return read(doing, [&] { return std::optional<Account>{read_account((*found)[0], 0)}; });
  }

  Result<void> add_session(const std::string& token_digest, const std::string& account_id,
                           core::Instant now) override {
    return execute(
        "INSERT INTO clinic.sessions (token_digest, account_id, created_at, last_seen_at) "
        "VALUES ($1, $2, $3, $3)",
        "starting the session", token_digest, account_id, seconds_of(now));
  }

  Result<std::optional<SessionRecord>> find_session(const std::string& token_digest) override {
    const std::string doing = "checking the session";
    auto found =
        db_->run_sql("SELECT " MITRA_ACCOUNT_COLUMNS
                     ", s.created_at, s.last_seen_at, s.revoked_at IS NOT NULL "
                     "FROM clinic.sessions s JOIN clinic.accounts a ON a.id = s.account_id "
                     "WHERE s.token_digest = $1",
                     doing, token_digest);
    if (!found) return tl::unexpected(found.error());
    if (found->empty()) return std::optional<SessionRecord>{};
    return read(doing, [&] {
      const auto& row = (*found)[0];
      SessionRecord session;
      session.account = read_account(row, 0);
      session.created_at = instant_of(row[6].as<std::int64_t>());
      session.last_seen_at = instant_of(row[7].as<std::int64_t>());
      session.revoked = row[8].as<bool>();
      return std::optional<SessionRecord>{std::move(session)};
    });
  }

  Result<void> touch_session(const std::string& token_digest, core::Instant now) override {
    return execute(
        "UPDATE clinic.sessions SET last_seen_at = GREATEST(last_seen_at, $2) "
        "WHERE token_digest = $1",
        "marking the session used", token_digest, seconds_of(now));
  }

  Result<void> end_session(const std::string& token_digest, core::Instant now) override {
    return execute(
        "UPDATE clinic.sessions SET revoked_at = $2 "
        "WHERE token_digest = $1 AND revoked_at IS NULL",
        "ending the session", token_digest, seconds_of(now));
  }

  Result<int> end_sessions_of(const std::string& username, core::Instant now) override {
    auto account = find_account(username);
    if (!account) return tl::unexpected(account.error());
    if (!*account) {
      return fail(ErrorKind::not_found, "There is no account called " + username + ".", "username");
    }
    const std::string doing = "ending the sessions";
    // Sessions past their time are counted as ended already.
    const auto idle_since = seconds_of(now - core::kSessionIdle);
    const auto made_since = seconds_of(now - core::kSessionLifetime);
    auto ended = db_->run_sql(
        "UPDATE clinic.sessions SET revoked_at = $2 "
        "WHERE account_id = $1 AND revoked_at IS NULL RETURNING last_seen_at > $3 AND "
        "created_at > $4",
        doing, (*account)->id, seconds_of(now), idle_since, made_since);
    if (!ended) return tl::unexpected(ended.error());
    return read(doing, [&] {
      int live = 0;
      for (const auto& row : *ended) live += row[0].as<bool>() ? 1 : 0;
      return live;
    });
  }

  Result<void> add_login_failure(const std::string& account_key, const std::string& address_key,
                                 core::Instant at) override {
    // Rows older than a day go with the next failure, so the table holds a day's at most.
    auto done = db_->run_sql(
        "WITH aged AS (DELETE FROM clinic.login_failures WHERE at < $3::bigint - $4::bigint) "
        "INSERT INTO clinic.login_failures (key, at) VALUES ($1, $3), ($2, $3)",
        "counting a failed login", account_key, address_key, seconds_of(at), kKeepLoginFailures);
    if (!done) return tl::unexpected(done.error());
    return {};
  }

  Result<core::LoginFailures> login_failures(const std::string& key, core::Instant since) override {
    const std::string doing = "counting failed logins";
    auto found = db_->run_sql(
        "SELECT count(*), (SELECT at FROM clinic.login_failures WHERE key = $1 AND at > $2 "
        "ORDER BY at DESC OFFSET $3 LIMIT 1) FROM clinic.login_failures WHERE key = $1 AND at > $2",
        doing, key, seconds_of(since), static_cast<long long>(core::kLoginFailures - 1));
    if (!found) return tl::unexpected(found.error());
    return read(doing, [&] {
      const auto& row = (*found)[0];
      core::LoginFailures failures;
      failures.count = static_cast<int>(row[0].as<long long>());
      if (!row[1].is_null()) failures.limiting = instant_of(row[1].as<std::int64_t>());
      return failures;
    });
  }

  Result<void> forget_login_failures(const std::string& key) override {
    return execute("DELETE FROM clinic.login_failures WHERE key = $1", "forgetting failed logins",
                   key);
  }

  Result<void> delete_account(const std::string& account_id) override {
    const std::string doing = "deleting the account";
    return in_transaction<void>(doing, [&]() -> Result<void> {
      // The row lock keeps a concurrent sign-in or share from slipping in between.
      auto gone =
          db_->run_sql("DELETE FROM clinic.accounts WHERE id = $1 RETURNING username, journal",
                       doing, account_id);
      if (!gone) return tl::unexpected(gone.error());
      if (gone->empty()) {
        return fail(ErrorKind::not_found, "There is no account " + account_id + ".", "account");
      }
      const auto username = (*gone)[0][0].as<std::string>();
      const auto journal = (*gone)[0][1].as<std::string>();
      // Sessions, shares, contact requests and the audit of reads of this journal went with
      // the account (ON DELETE CASCADE); what names it without a foreign key goes here.
      if (auto forgotten = db_->run_sql("DELETE FROM clinic.login_failures WHERE key = $1", doing,
                                        "account:" + username);
          !forgotten) {
        return tl::unexpected(forgotten.error());
      }
      if (auto unlinked = db_->run_sql(
              "UPDATE clinic.invites SET used_by = NULL WHERE used_by = $1", doing, account_id);
          !unlinked) {
        return tl::unexpected(unlinked.error());
      }
      // The schema name is "person_" + hex digits (sign_up), so it needs no quoting.
      if (auto dropped = db_->exec("DROP SCHEMA IF EXISTS " + journal + " CASCADE", doing);
          !dropped) {
        return tl::unexpected(dropped.error());
      }
      return {};
    });
  }

  Result<Share> add_share(const Account& person, const std::string& specialist_username,
                          const core::Scopes& scopes, core::Instant now) override {
    const std::string doing = "sharing the journal";
    Share share;
    share.id = new_id();
    // Only an account with the role specialist can be shared with; the partial unique index
    // keeps one live share per person and specialist (ON CONFLICT then inserts nothing).
    auto added = db_->run_sql(
        "WITH specialist AS (SELECT id, username FROM clinic.accounts "
        "  WHERE username = $3 AND role = 'specialist'), "
        "added AS (INSERT INTO clinic.shares (id, person_id, specialist_id, scopes, created_at) "
        "  SELECT $1, $2, id, string_to_array($4, ' '), $5 FROM specialist "
        "  ON CONFLICT DO NOTHING RETURNING id) "
        "SELECT (SELECT id FROM specialist), (SELECT count(*) FROM added)",
        doing, share.id, person.id, specialist_username, core::join_scopes(scopes),
        seconds_of(now));
    if (!added) return tl::unexpected(added.error());
    const auto& row = (*added)[0];
    if (row[0].is_null()) {
      return fail(ErrorKind::not_found,
                  "There is no specialist called " + specialist_username +
                      " on this server; check the username with your specialist.",
                  "specialist");
    }
    if (row[1].as<long long>() == 0) {
      return fail(ErrorKind::conflict,
                  "You already share with " + specialist_username +
                      "; to change what they see, stop that share and share again.",
                  "specialist");
    }
    share.person_id = person.id;
    share.person_username = person.username;
    share.specialist_id = row[0].as<std::string>();
    share.specialist_username = specialist_username;
    share.scopes = scopes;
    share.created_at = now;
    return share;
  }

  Result<std::vector<Share>> shares_of(const std::string& account_id) override {
    const std::string doing = "listing the shares";
    auto found = db_->run_sql(
        "SELECT s.id, s.person_id, p.username, s.specialist_id, sp.username, "
        "array_to_string(s.scopes, ' '), s.created_at, s.revoked_at "
        "FROM clinic.shares s JOIN clinic.accounts p ON p.id = s.person_id "
        "JOIN clinic.accounts sp ON sp.id = s.specialist_id "
        "WHERE s.person_id = $1 OR s.specialist_id = $1 ORDER BY s.created_at DESC, s.id",
        doing, account_id);
    if (!found) return tl::unexpected(found.error());
    return read_rows<Share>(doing, *found, [](const pqxx::row& row) -> Result<Share> {
      Share share;
      share.id = row[0].as<std::string>();
      share.person_id = row[1].as<std::string>();
      share.person_username = row[2].as<std::string>();
      share.specialist_id = row[3].as<std::string>();
      share.specialist_username = row[4].as<std::string>();
      auto scopes = core::split_scopes(row[5].as<std::string>());
      if (!scopes) return tl::unexpected(scopes.error());
      share.scopes = std::move(*scopes);
      share.created_at = instant_of(row[6].as<std::int64_t>());
      if (!row[7].is_null()) share.revoked_at = instant_of(row[7].as<std::int64_t>());
      return share;
    });
  }

  Result<bool> end_share(const std::string& share_id, const std::string& person_id,
                         core::Instant now) override {
    auto ended = db_->run_sql(
        "UPDATE clinic.shares SET revoked_at = $3 "
        "WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL RETURNING id",
        "stopping the share", share_id, person_id, seconds_of(now));
    if (!ended) return tl::unexpected(ended.error());
    return !ended->empty();
  }

  Result<std::optional<SharedJournal>> open_shared(const Account& reader,
                                                   const std::string& person_id,
                                                   std::optional<core::Scope> need,
                                                   const std::string& resource,
                                                   core::Instant now) override {
    const std::string doing = "checking the share";
    // One statement, so one transaction: the audit row is written if and only if the check
    // found a live share.
    auto found = db_->run_sql(
        "WITH granted AS (SELECT s.id, s.person_id, a.username, a.journal, s.scopes, "
        "  s.created_at FROM clinic.shares s JOIN clinic.accounts a ON a.id = s.person_id "
        "  WHERE s.person_id = $1 AND s.specialist_id = $2 AND s.revoked_at IS NULL "
        "  AND ($3 = '' OR $3 = ANY (s.scopes))), "
        "logged AS (INSERT INTO clinic.audit (person_id, reader_id, reader_username, share_id, "
        "  scopes, resource, at) SELECT person_id, $2, $4, id, "
        "  CASE WHEN $3 = '' THEN scopes ELSE ARRAY[$3] END, $5, $6 FROM granted RETURNING 1) "
        "SELECT person_id, username, journal, array_to_string(scopes, ' '), created_at, "
        "(SELECT count(*) FROM logged) FROM granted",
        doing, person_id, reader.id, std::string(need ? core::to_string(*need) : ""),
        reader.username, resource, seconds_of(now));
    if (!found) return tl::unexpected(found.error());
    if (found->empty()) return std::optional<SharedJournal>{};
    auto journals = read_rows<SharedJournal>(doing, *found, read_shared_journal);
    if (!journals) return tl::unexpected(journals.error());
    if (need) journals->front().scopes = {*need};
    return std::optional<SharedJournal>{std::move(journals->front())};
  }

  Result<std::vector<SharedJournal>> open_all_shared(const Account& reader,
                                                     const std::string& resource,
                                                     core::Instant now) override {
    const std::string doing = "listing the people who share with you";
    auto found = db_->run_sql(
        "WITH granted AS (SELECT s.id, s.person_id, a.username, a.journal, s.scopes, "
        "  s.created_at FROM clinic.shares s JOIN clinic.accounts a ON a.id = s.person_id "
        "  WHERE s.specialist_id = $1 AND s.revoked_at IS NULL), "
        "logged AS (INSERT INTO clinic.audit (person_id, reader_id, reader_username, share_id, "
        "  scopes, resource, at) SELECT person_id, $1, $2, id, scopes, $3, $4 FROM granted "
        "  RETURNING 1) "
        "SELECT person_id, username, journal, array_to_string(scopes, ' '), created_at, "
        "(SELECT count(*) FROM logged) FROM granted ORDER BY username",
        doing, reader.id, reader.username, resource, seconds_of(now));
    if (!found) return tl::unexpected(found.error());
    return read_rows<SharedJournal>(doing, *found, read_shared_journal);
  }

  Result<std::vector<AuditEntry>> audit_of(const std::string& person_id) override {
    const std::string doing = "reading the audit log";
    auto found = db_->run_sql(
        "SELECT l.at, l.reader_username, a.role, array_to_string(l.scopes, ' '), l.resource "
        "FROM clinic.audit l LEFT JOIN clinic.accounts a ON a.id = l.reader_id "
        "WHERE l.person_id = $1 ORDER BY l.at DESC, l.id DESC",
        doing, person_id);
    if (!found) return tl::unexpected(found.error());
    return read_rows<AuditEntry>(doing, *found, [](const pqxx::row& row) -> Result<AuditEntry> {
      AuditEntry entry;
      entry.at = instant_of(row[0].as<std::int64_t>());
      entry.reader_username = row[1].as<std::string>();
      if (!row[2].is_null()) {
        auto role = core::parse_role(row[2].as<std::string>());
        if (!role) return tl::unexpected(role.error());
        entry.reader_role = *role;
      }
      auto scopes = core::split_scopes(row[3].as<std::string>());
      if (!scopes) return tl::unexpected(scopes.error());
      entry.scopes = std::move(*scopes);
      entry.resource = row[4].as<std::string>();
      return entry;
    });
  }

  Result<ContactRequest> add_contact_request(const Account& person, const std::string& how,
                                             const std::string& when, const std::string& note,
                                             core::Instant now) override {
    ContactRequest request;
    request.id = new_id();
    request.person_id = person.id;
    request.person_username = person.username;
    request.how = how;
    request.when = when;
    request.note = note;
    request.created_at = now;
    if (auto added = execute(
            "INSERT INTO clinic.contact_requests (id, person_id, how, when_text, note, created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            "keeping the request", request.id, person.id, how, when, note, seconds_of(now));
        !added) {
      return tl::unexpected(added.error());
    }
    return request;
  }

  Result<std::vector<ContactRequest>> contact_requests(const std::string& person_id) override {
    const std::string doing = "listing contact requests";
    auto found =
        db_->run_sql("SELECT " MITRA_CONTACT_COLUMNS
                     " FROM clinic.contact_requests c JOIN clinic.accounts a ON a.id = c.person_id "
                     "WHERE $1 = '' OR c.person_id = $1 ORDER BY c.created_at DESC, c.id",
                     doing, person_id);
    if (!found) return tl::unexpected(found.error());
    return read_rows<ContactRequest>(doing, *found, read_contact_request);
  }

  Result<ContactRequest> handle_contact_request(const std::string& id, const Account& specialist,
                                                core::Instant now) override {
    const std::string doing = "marking the request handled";
    auto marked = db_->run_sql(
        "UPDATE clinic.contact_requests SET handled_at = $2, handled_by = $3 "
        "WHERE id = $1 AND handled_at IS NULL",
        doing, id, seconds_of(now), specialist.username);
    if (!marked) return tl::unexpected(marked.error());
    auto found =
        db_->run_sql("SELECT " MITRA_CONTACT_COLUMNS
                     " FROM clinic.contact_requests c JOIN clinic.accounts a ON a.id = c.person_id "
                     "WHERE c.id = $1",
                     doing, id);
    if (!found) return tl::unexpected(found.error());
    if (found->empty()) {
      return fail(ErrorKind::not_found, "There is no contact request " + id + ".", "id");
    }
    auto requests = read_rows<ContactRequest>(doing, *found, read_contact_request);
    if (!requests) return tl::unexpected(requests.error());
    return std::move(requests->front());
  }

 private:
  // Runs `sql` for its effect only.
  template <typename... Args>
  Result<void> execute(const std::string& sql, const std::string& doing, Args&&... args) {
    auto done = db_->run_sql(sql, doing, std::forward<Args>(args)...);
    if (!done) return tl::unexpected(done.error());
    return {};
  }

  static Result<SharedJournal> read_shared_journal(const pqxx::row& row) {
    SharedJournal shared;
    shared.person_id = row[0].as<std::string>();
    shared.person_username = row[1].as<std::string>();
    shared.journal = row[2].as<std::string>();
    auto scopes = core::split_scopes(row[3].as<std::string>());
    if (!scopes) return tl::unexpected(scopes.error());
    shared.scopes = std::move(*scopes);
    shared.shared_at = instant_of(row[4].as<std::int64_t>());
    return shared;
  }

  static Result<ContactRequest> read_contact_request(const pqxx::row& row) {
    ContactRequest request;
    request.id = row[0].as<std::string>();
    request.person_id = row[1].as<std::string>();
    request.person_username = row[2].as<std::string>();
    request.how = row[3].as<std::string>();
    request.when = row[4].as<std::string>();
    request.note = row[5].as<std::string>();
    request.created_at = instant_of(row[6].as<std::int64_t>());
    if (!row[7].is_null()) request.handled_at = instant_of(row[7].as<std::int64_t>());
    if (!row[8].is_null()) request.handled_by = row[8].as<std::string>();
    return request;
  }

  // Each row of `rows` read by `reader`; a value libpqxx cannot convert is an error.
  template <typename T, typename Reader>
  Result<std::vector<T>> read_rows(const std::string& doing, const pqxx::result& rows,
                                   Reader reader) {
    auto all = read(doing, [&]() -> Result<std::vector<T>> {
      std::vector<T> values;
      values.reserve(rows.size());
      for (const auto& row : rows) {
        auto value = reader(row);
        if (!value) return tl::unexpected(value.error());
        values.push_back(std::move(*value));
      }
      return values;
    });
    if (!all) return tl::unexpected(all.error());
    return std::move(*all);
  }

  static Account read_account(const pqxx::row& row, int from) {
    Account account;
    account.id = row[from].as<std::string>();
    account.username = row[from + 1].as<std::string>();
    account.role = core::parse_role(row[from + 2].as<std::string>()).value_or(core::Role::person);
    account.password_hash = row[from + 3].as<std::string>();
    account.journal = row[from + 4].as<std::string>();
    account.created_at = instant_of(row[from + 5].as<std::int64_t>());
    return account;
  }

  // `reader()`, with a value libpqxx cannot convert as an error rather than an exception.
  template <typename Reader>
  auto read(const std::string& doing, Reader reader) -> Result<decltype(reader())> {
    try {
      return reader();
    } catch (const std::exception& error) {
      return tl::unexpected(db_->to_error(error, doing));
    }
  }

  // `body` between BEGIN and COMMIT; rolled back when it fails (or throws).
  template <typename T, typename Body>
  Result<T> in_transaction(const std::string& doing, Body body) {
    if (auto begun = db_->exec("BEGIN", doing); !begun) return tl::unexpected(begun.error());
    Result<T> result = [&]() -> Result<T> {
      try {
        return body();
      } catch (const std::exception& error) {
        return tl::unexpected(db_->to_error(error, doing));
      }
    }();
    if (!result) {
      (void)db_->exec("ROLLBACK", doing);
      return result;
    }
    if (auto committed = db_->exec("COMMIT", doing); !committed) {
      (void)db_->exec("ROLLBACK", doing);
      return tl::unexpected(committed.error());
    }
    return result;
  }

  std::unique_ptr<Connection> db_;
};

}  // namespace

Result<std::unique_ptr<ClinicRecords>> postgres::open_clinic_engine(const std::string& url) {
  auto connection = Connection::open(url);
  if (!connection) return tl::unexpected(connection.error());
  auto clinic = std::make_unique<PostgresClinic>(std::move(*connection));
  if (auto migrated = clinic->migrate(); !migrated) return tl::unexpected(migrated.error());
  return std::unique_ptr<ClinicRecords>(std::move(clinic));
}

}  // namespace mitra::store
