// The schema: its versions, the forward migrations, and creating or upgrading a journal
// serialised with other processes.
#include "store/sqlite/sqlite_engine.hpp"

#include <array>
#include <string>

namespace mitra::store::sqlite {

namespace {

// Forward migrations: element i takes a database from version i to i + 1.
const std::array<const char*, store::kSchemaVersion> kMigrations{{
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

}  // namespace

// The schema version and, on an empty file, whether it holds tables of another program.
Result<int> SqliteStore::schema_version() {
  Statement version_query(statements_, "PRAGMA user_version");
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
    Statement tables(statements_, "SELECT count(*) FROM sqlite_master");
    if (tables.step() == SQLITE_ROW && tables.integer(0) > 0) {
      return fail(ErrorKind::unavailable,
                  core::sentence("this file is an SQLite database but not a mitra journal; choose "
                                 "another file with --db"),
                  "db");
    }
  }
  return version;
}

// Creation and upgrades are serialised: several processes may open a brand-new journal at
// the same moment. The version is read again inside the write transaction, so a process
// that waited finds the work done instead of creating the tables a second time (which
// failed, or found the database locked, for 1 to 4 of ten writers on a new journal).
Result<void> SqliteStore::migrate() {
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
  const int rc = step_cached("COMMIT");
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
Result<void> SqliteStore::begin_waiting(const std::string& doing) {
  return retry_busy(
      db_, [&] { return step_cached("BEGIN IMMEDIATE"); }, doing);
}

}  // namespace mitra::store::sqlite
