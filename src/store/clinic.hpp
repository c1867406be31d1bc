#pragma once
// What a clinic server keeps besides the journals (docs/clinic.md): accounts, invitations,
// sessions and failed logins, in the PostgreSQL schema `clinic`. Each account's journal is a
// schema of its own in the same database (Account::journal), holding the tables every
// PostgreSQL journal has, opened with journal_location; so the journal routes of a signed-in
// person reach that person's records and no one else's, by construction.
//
// Only the PostgreSQL engine keeps these (the module, postgres/clinic_store.cpp): a clinic is
// many people on one server, several instances on one database. open_clinic on an SQLite
// location is invalid input naming `db`.
//
// Only digests of invitation codes and session tokens are stored (formats::secret_digest), and
// argon2id hashes of passwords: a copy of the database lets no one sign in.
//
// Thread safety: one ClinicRecords object is used by one thread at a time; any number of
// processes may use the database at once.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/accounts.hpp"
#include "core/error.hpp"
#include "core/sharing.hpp"
#include "core/time.hpp"

namespace mitra::store {

using core::Result;

struct Account {
  std::string id;
  std::string username;
  core::Role role = core::Role::person;
  std::string password_hash;
  std::string journal;  // The schema of the account's journal, "person_<id>".
  core::Instant created_at{};
};

struct SessionRecord {
  Account account;
  core::Instant created_at{};
  core::Instant last_seen_at{};
  bool revoked = false;
};

// A person's consent that a specialist may read parts (scopes) of their journal, until revoked.
struct Share {
  std::string id;
  std::string person_id;
  std::string person_username;
  std::string specialist_id;
  std::string specialist_username;
  core::Scopes scopes;
  core::Instant created_at{};
  std::optional<core::Instant> revoked_at;
};

// A read of a person's journal by someone else, as the person sees it (GET /api/v1/audit).
struct AuditEntry {
  core::Instant at{};
  std::string reader_username;
  std::optional<core::Role> reader_role;  // Nothing once the reader's account is gone.
  core::Scopes scopes;                    // What the read could see.
  std::string resource;                   // The path read, e.g. "/api/v1/people/ab12/doses".
};

// What a share lets a reader open: the person's journal, and what of it.
struct SharedJournal {
  std::string person_id;
  std::string person_username;
  std::string journal;  // The schema, as Account::journal.
  core::Scopes scopes;
  core::Instant shared_at{};
};

// A person's request to be contacted by the program's specialists.
struct ContactRequest {
  std::string id;
  std::string person_id;
  std::string person_username;
  std::string how;   // "phone", "message" or "in_person".
  std::string when;  // As the person put it ("weekday mornings").
  std::string note;
  core::Instant created_at{};
  std::optional<core::Instant> handled_at;
  std::string handled_by;  // The specialist's username, once handled.
};

class ClinicRecords {
 public:
  virtual ~ClinicRecords() = default;

  // Whether the database answers a read of the clinic's tables now (a lost connection is
  // connected again once): for a monitor (GET /api/v1/health).
  virtual Result<void> check_reachable() = 0;

  // Keeps an invitation for `role`, known by the digest of its code, usable once until
  // `expires_at`.
  virtual Result<void> add_invite(const std::string& code_digest, core::Role role,
                                  core::Instant created_at, core::Instant expires_at) = 0;

  // In one transaction: uses the invitation of `code_digest` (unused, not expired at `now`),
  // makes the account with the invitation's role and creates the schema of its journal (empty:
  // the journal's tables are made when it is first opened). Invalid input naming `invite` when
  // there is no such invitation, or it was used or has expired; conflict naming `username` when
  // the name is taken. Nothing is written when it fails; two sign-ups with one invitation at
  // once make one account.
  virtual Result<Account> sign_up(const std::string& code_digest, const std::string& username,
                                  const std::string& password_hash, core::Instant now) = 0;

  virtual Result<std::optional<Account>> find_account(const std::string& username) = 0;

  virtual Result<void> add_session(const std::string& token_digest, const std::string& account_id,
                                   core::Instant now) = 0;
  // The session of `token_digest` as stored, with its account, or nothing.
  virtual Result<std::optional<SessionRecord>> find_session(const std::string& token_digest) = 0;
  // Marks the session used at `now` (its idle time starts again).
  virtual Result<void> touch_session(const std::string& token_digest, core::Instant now) = 0;
  // Revokes the session of `token_digest` (nothing when there is none).
  virtual Result<void> end_session(const std::string& token_digest, core::Instant now) = 0;
  // Revokes every session of `username`; how many were live. Not found naming `username`
  // when there is no such account.
  virtual Result<int> end_sessions_of(const std::string& username, core::Instant now) = 0;

  // Failed logins, by key ("account:NAME", "address:IP"): one failure counts against each key.
  virtual Result<void> add_login_failure(const std::string& account_key,
                                         const std::string& address_key, core::Instant at) = 0;
  // Failures of `key` after `since`.
  virtual Result<core::LoginFailures> login_failures(const std::string& key,
                                                     core::Instant since) = 0;
  virtual Result<void> forget_login_failures(const std::string& key) = 0;

  // Deletes account `account_id` and everything of it, in one transaction: its journal's
  // schema, sessions, shares given and received, contact requests, failed logins counted
  // against its name, and the audit of others' reads of its journal. In others' audit logs its
  // reads stay, under its username (they are the others' records). Not found naming `account`
  // when there is no such account.
  virtual Result<void> delete_account(const std::string& account_id) = 0;

  // ---- Sharing (docs/clinic.md, "Sharing") ----

  // A new live share of `person`'s journal with the specialist called `specialist_username`.
  // Not found naming `specialist` when no account with the role specialist has that name;
  // conflict naming `specialist` when the person already shares with them (revoke that share
  // first: one live share per person and specialist).
  virtual Result<Share> add_share(const Account& person, const std::string& specialist_username,
                                  const core::Scopes& scopes, core::Instant now) = 0;
  // The shares `account_id` gave or received, live and revoked, newest first.
  virtual Result<std::vector<Share>> shares_of(const std::string& account_id) = 0;
  // Revokes share `share_id` given by `person_id`, at once on every instance; false when that
  // person has no such live share.
  virtual Result<bool> end_share(const std::string& share_id, const std::string& person_id,
                                 core::Instant now) = 0;

  // If `reader` holds a live share of `person_id`'s journal that includes `need` (any share
  // when nothing), that journal and the scopes shared, and one audit row for reading
  // `resource` written in the same statement as the check; nothing (and no row) otherwise.
  virtual Result<std::optional<SharedJournal>> open_shared(const Account& reader,
                                                           const std::string& person_id,
                                                           std::optional<core::Scope> need,
                                                           const std::string& resource,
                                                           core::Instant now) = 0;
  // Every person with a live share to `reader`, by username, with one audit row each for
  // reading `resource`, written in the same statement.
  virtual Result<std::vector<SharedJournal>> open_all_shared(const Account& reader,
                                                             const std::string& resource,
                                                             core::Instant now) = 0;
  // The reads of `person_id`'s journal by others, newest first.
  virtual Result<std::vector<AuditEntry>> audit_of(const std::string& person_id) = 0;

  // ---- Contact requests ----

  virtual Result<ContactRequest> add_contact_request(const Account& person, const std::string& how,
                                                     const std::string& when,
                                                     const std::string& note,
                                                     core::Instant now) = 0;
  // `person_id`'s requests, or every person's when empty; newest first.
  virtual Result<std::vector<ContactRequest>> contact_requests(const std::string& person_id) = 0;
  // Marks request `id` handled by `specialist`; not found naming `id` when there is none;
  // handling one twice keeps the first.
  virtual Result<ContactRequest> handle_contact_request(const std::string& id,
                                                        const Account& specialist,
                                                        core::Instant now) = 0;
};

// Connects to the clinic's tables in the PostgreSQL database at `location`, creating or
// upgrading them (schema `clinic`). Refuses an SQLite location (invalid input naming `db`).
Result<std::unique_ptr<ClinicRecords>> open_clinic(const std::string& location);

// The location of the journal kept in schema `journal` of the PostgreSQL database at `url`:
// the URL with the schema as the connection's search_path, so that open_store reaches that
// journal's tables and no others.
std::string journal_location(const std::string& url, const std::string& journal);

}  // namespace mitra::store
