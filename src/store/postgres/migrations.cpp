#include "store/postgres/migrations.hpp"

#include <array>
#include <string>

namespace mitra::store::postgres {

namespace {

using core::ErrorKind;
using core::fail;

// Forward migrations: element i takes a database from version i to i + 1. The tables are
// SQLite's (src/store/sqlite_store.cpp, schema 4) with PostgreSQL's types: times in seconds
// since the epoch and amounts in micro-units as BIGINT, as stored there, so both engines keep
// the same values. Text that is compared or sorted is in the "C" collation (byte order, as
// SQLite), whatever the database's locale.
const std::array<const char*, kSchemaVersion> kMigrations{{
    R"sql(
    CREATE TABLE doses (
      id TEXT COLLATE "C" PRIMARY KEY,
      taken_at BIGINT NOT NULL,
      zone TEXT NOT NULL,
      amount_micro BIGINT NOT NULL,
      unit TEXT NOT NULL,
      form TEXT NOT NULL,
      product TEXT NOT NULL DEFAULT '',
      note TEXT NOT NULL DEFAULT '',
      triggers TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX doses_by_time ON doses (taken_at, id);
    CREATE TABLE substance_uses (
      id TEXT COLLATE "C" PRIMARY KEY,
      substance TEXT NOT NULL,
      taken_at BIGINT NOT NULL,
      zone TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX substance_uses_by_time ON substance_uses (taken_at, id);
    CREATE TABLE idempotency (
      key TEXT COLLATE "C" PRIMARY KEY,
      kind TEXT NOT NULL,
      record_id TEXT COLLATE "C" NOT NULL,
      fingerprint TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX idempotency_by_record ON idempotency (record_id);
    CREATE TABLE changes (
      seq BIGSERIAL PRIMARY KEY,
      batch TEXT COLLATE "C" NOT NULL,
      kind TEXT NOT NULL,
      op TEXT NOT NULL,
      record_id TEXT COLLATE "C" NOT NULL,
      before TEXT
    );
    CREATE INDEX changes_by_batch ON changes (batch);
    CREATE TABLE assessments (
      id TEXT COLLATE "C" PRIMARY KEY,
      instrument TEXT COLLATE "C" NOT NULL,
      taken_at BIGINT NOT NULL,
      zone TEXT NOT NULL,
      answers TEXT NOT NULL,
      total INTEGER NOT NULL,
      band TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX assessments_by_instrument ON assessments (instrument, taken_at);
    CREATE TABLE products (
      name TEXT COLLATE "C" PRIMARY KEY,
      form TEXT NOT NULL,
      capsule_mg_micro BIGINT,
      teaspoon_mg_micro BIGINT
    );
    CREATE TABLE settings (
      key TEXT COLLATE "C" PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE plans (
      plan_id TEXT COLLATE "C" NOT NULL,
      version INTEGER NOT NULL,
      created_at BIGINT NOT NULL,
      status TEXT NOT NULL,
      reason TEXT NOT NULL,
      body TEXT NOT NULL,
      PRIMARY KEY (plan_id, version)
    );
    CREATE INDEX plans_by_time ON plans (created_at);
    -- One row. Every write transaction first adds one to it: the row lock makes writers of
    -- every connection and every instance take turns, as SQLite's one writer does (so the
    -- change log's groups never interleave and a key is checked and kept in one turn), and
    -- the count tells readers that something changed (Engine::change_mark).
    CREATE TABLE write_turn (changes BIGINT NOT NULL);
    INSERT INTO write_turn VALUES (0);
    )sql",
    // 1 -> 2: plan versions are never overwritten (as SQLite's schema 4). Until schema 1 a new
    // version set the status of every active or held version to 'superseded' (an UPDATE); now
    // each row keeps the status it was written with, and a reader sees 'superseded' for an
    // active or held version that a later one follows (statements.hpp). `added` orders the
    // versions as they were written, of every plan (writers take turns on write_turn, so
    // max + 1 never repeats); rows written before have 0, and their stored statuses already say
    // what was superseded, so an old database reads the same.
    R"sql(
    ALTER TABLE plans ADD COLUMN added BIGINT NOT NULL DEFAULT 0;
    CREATE INDEX plans_by_added ON plans (added);
    )sql",
}};

// The advisory lock that creation and upgrades take turns on ("mitra" in ASCII).
constexpr const char* kTakeMigrationTurn = "SELECT pg_advisory_xact_lock(1835627634)";

// Whether a database without a schema version may hold other tables: only known inside the
// migration turn (outside it, another process may commit mitra's tables between two reads).
enum class OtherTables { refuse, not_checked };

// The version recorded, 0 for a database without mitra's tables, or a refusal.
Result<int> schema_version(Connection& connection, OtherTables other_tables) {
  // From the catalog table itself, with this statement's snapshot: to_regclass may answer from
  // the connection's cache of names, which can miss a table another process created while this
  // one waited for its turn.
  auto has = connection.exec(
      "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() "
      "AND tablename = 'schema_version')",
      "reading the schema version");
  if (!has) return tl::unexpected(has.error());
  if (!(*has)[0][0].as<bool>()) {
    if (other_tables == OtherTables::not_checked) return 0;
    auto tables =
        connection.exec("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
                        "reading the schema version");
    if (!tables) return tl::unexpected(tables.error());
    if ((*tables)[0][0].as<long long>() > 0) {
      return fail(ErrorKind::unavailable,
                  "this PostgreSQL database holds tables but not mitra's; choose an empty "
                  "database (or schema) for mitra with --db",
                  "db");
    }
    return 0;
  }
  auto version =
      connection.exec("SELECT version FROM schema_version", "reading the schema version");
  if (!version) return tl::unexpected(version.error());
  if (version->empty()) {
    return fail(ErrorKind::unavailable,
                "the database's schema_version table is empty: it is damaged or not mitra's", "db");
  }
  const int found = (*version)[0][0].as<int>();
  if (found > kSchemaVersion) {
    return fail(ErrorKind::conflict,
                "this database was written by a newer version of mitra (schema " +
                    std::to_string(found) + ", this program knows up to " +
                    std::to_string(kSchemaVersion) +
                    "); update mitra to open it. Nothing was changed.",
                "db");
  }
  return found;
}

}  // namespace

Result<void> migrate(Connection& connection) {
  auto seen = schema_version(connection, OtherTables::not_checked);
  if (!seen) return tl::unexpected(seen.error());
  if (*seen == kSchemaVersion) return {};
  const std::string doing = "upgrading the schema";
  if (auto begun = connection.exec("BEGIN", doing); !begun) return tl::unexpected(begun.error());
  auto body = [&]() -> Result<void> {
    if (auto turn = connection.exec(kTakeMigrationTurn, doing); !turn) {
      return tl::unexpected(turn.error());
    }
    // Another process may have done the work while this one waited for its turn.
    auto version = schema_version(connection, OtherTables::refuse);
    if (!version) return tl::unexpected(version.error());
    if (*version == kSchemaVersion) return {};
    for (int v = *version; v < kSchemaVersion; ++v) {
      if (auto done = connection.exec(kMigrations[static_cast<std::size_t>(v)], doing); !done) {
        return tl::unexpected(done.error());
      }
    }
    const std::string record =
        *version == 0 ? "CREATE TABLE schema_version (version INTEGER NOT NULL); "
                        "INSERT INTO schema_version VALUES (" +
                            std::to_string(kSchemaVersion) + ")"
                      : "UPDATE schema_version SET version = " + std::to_string(kSchemaVersion);
    if (auto done = connection.exec(record, "recording the schema version"); !done) {
      return tl::unexpected(done.error());
    }
    return {};
  };
  if (auto done = body(); !done) {
    (void)connection.exec("ROLLBACK", doing);
    return done;
  }
  if (auto committed = connection.exec("COMMIT", doing); !committed) {
    (void)connection.exec("ROLLBACK", doing);
    return tl::unexpected(committed.error());
  }
  return {};
}

}  // namespace mitra::store::postgres
