#include "store/restore.hpp"

#include <sqlite3.h>

#include <memory>
#include <optional>

#include "store/store.hpp"

namespace mitra::store {

namespace {

using core::invalid;
using core::Result;

struct Close {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, Close>;

Result<Connection> connect(const std::string& path, int flags, const std::string& field) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) {
    return invalid(field, core::sentence("cannot open \"{path}\": {reason}",
                                         {{"path", path}, {"reason", sqlite3_errstr(rc)}}));
  }
  sqlite3_busy_timeout(db.get(), 5000);
  return db;
}

// One text or integer answer of `sql`, or nullopt when the statement fails.
std::optional<std::string> answer(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) {
    sqlite3_finalize(statement);
    return std::nullopt;
  }
  std::optional<std::string> out;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(statement, 0);
    out = text ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(statement);
  return out;
}

constexpr const char* kRecordCount =
    "SELECT (SELECT count(*) FROM doses) + (SELECT count(*) FROM substance_uses) + "
    "(SELECT count(*) FROM assessments) + (SELECT count(*) FROM plans) + "
    "(SELECT count(*) FROM products)";

}  // namespace

Result<RestoreSummary> restore_sqlite(const std::string& journal, const std::string& copy,
                                      bool replace) {
  if (journal.rfind("postgres", 0) == 0) {
    return invalid("db", core::sentence("restore writes SQLite journals; for PostgreSQL, import an "
                                        "export (mitra import) or use pg_restore"));
  }
  // The copy: a whole SQLite file, of a schema this mitra reads (opening it migrates an older one
  // and refuses a newer one with the usual message).
  {
    auto db = connect(copy, SQLITE_OPEN_READONLY, "file");
    if (!db) return tl::unexpected(db.error());
    const auto check = answer(db->get(), "PRAGMA integrity_check");
    if (!check || *check != "ok") {
      return invalid("file",
                     core::sentence("the backup is not an intact SQLite database ({reason})",
                                    {{"reason", check.value_or(sqlite3_errmsg(db->get()))}}));
    }
  }
  if (auto opened = open_store(copy, OpenMode::read_write); !opened) {
    core::Error error =
        core::within(opened.error(),
                     core::sentence("the backup is not a journal this mitra can read: {message}"));
    error.kind = core::ErrorKind::invalid_input;
    error.field = "file";
    return tl::unexpected(std::move(error));
  }
  RestoreSummary summary;
  {
    auto db = connect(copy, SQLITE_OPEN_READONLY, "file");
    if (!db) return tl::unexpected(db.error());
    const auto count = answer(db->get(), kRecordCount);
    if (!count) return invalid("file", core::sentence("the backup has no mitra journal in it"));
    summary.records_restored = std::stoi(*count);
  }
  // The journal: created (and migrated) as any command would, then checked for records.
  if (auto opened = open_store(journal, OpenMode::create_if_missing); !opened) {
    return tl::unexpected(opened.error());
  }
  auto target = connect(journal, SQLITE_OPEN_READWRITE, "db");
  if (!target) return tl::unexpected(target.error());
  const auto before = answer(target->get(), kRecordCount);
  if (!before)
    return invalid("db",
                   core::sentence("\"{journal}\" is not a mitra journal", {{"journal", journal}}));
  summary.records_before = std::stoi(*before);
  if (summary.records_before > 0 && !replace) {
    return invalid("replace",
                   core::sentence("the journal already holds {count} records; restore into a new "
                                  "--db, or add --replace to replace them (make a backup first)",
                                  {{"count", std::to_string(summary.records_before)}}));
  }
  auto source = connect(copy, SQLITE_OPEN_READONLY, "file");
  if (!source) return tl::unexpected(source.error());
  sqlite3_backup* backup = sqlite3_backup_init(target->get(), "main", source->get(), "main");
  if (backup == nullptr) {
    return core::fail(core::ErrorKind::unavailable,
                      std::string("cannot start the restore: ") + sqlite3_errmsg(target->get()),
                      "db");
  }
  // All pages in one step: the journal changes at once, or not at all.
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 250; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(20);
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return core::fail(
        core::ErrorKind::unavailable,
        core::sentence("the restore did not finish ({reason}); the journal is as it was",
                       {{"reason", sqlite3_errstr(rc)}}),
        "db");
  }
  return summary;
}

}  // namespace mitra::store
