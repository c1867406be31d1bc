// The undo log (`changes`): every change to the journal recorded with the record before it, undo
// that reverts the latest group of rows, and imports (store/import_more.hpp), one undo step each.
#include "store/sqlite/sqlite_engine.hpp"

#include <string>

namespace mitra::store::sqlite {

Result<void> SqliteStore::log_change(const std::string& batch, const char* kind, const char* op,
                                     const std::string& id, const std::optional<json>& before) {
  Statement s(statements_,
              "INSERT INTO changes (batch, kind, op, record_id, before) VALUES (?, ?, ?, ?, ?)");
  s.bind(1, batch).bind(2, std::string(kind)).bind(3, std::string(op)).bind(4, id);
  if (before) {
    s.bind(5, before->dump());
  } else {
    s.bind(5, std::optional<std::int64_t>{});  // NULL: an insert has no earlier version.
  }
  return run(s, "recording the change for undo");
}

Result<ImportOutcome> SqliteStore::import_records(const ImportRecords& records,
                                                  OnConflict on_conflict) {
  settings_cache_.reset();
  return write<ImportOutcome>("importing", [&]() -> Result<ImportOutcome> {
    return detail::import_all(*this, records, on_conflict);
  });
}

// One undo-log row: the record's idempotency key is forgotten with it.
Result<void> SqliteStore::revert(const std::string& kind, const std::string& op,
                                 const std::string& id, const std::optional<std::string>& before) {
  Statement forget(statements_, "DELETE FROM idempotency WHERE record_id = ?");
  forget.bind(1, id);
  if (auto done = run(forget, "undoing"); !done) return done;
  return detail::revert_change(*this, kind, op, id, before);
}

Result<UndoResult> SqliteStore::undo_last_change() {
  settings_cache_.reset();
  return write<UndoResult>("undoing", [&]() -> Result<UndoResult> {
    // The last group's rows are the newest ones (each group is written in one transaction,
    // so its rows are consecutive): walk back from the newest and stop at the first row of
    // an older group. Reads only the rows it undoes, however long the history is.
    Statement rows(statements_,
                   "SELECT seq, batch, kind, op, record_id, before FROM changes "
                   "ORDER BY seq DESC");
    std::optional<std::string> batch;
    std::int64_t first_seq = 0;
    int count = 0;
    std::string kind;
    std::string op;
    std::string id;
    int step = 0;
    while ((step = rows.step()) == SQLITE_ROW) {
      if (!batch) {
        batch = rows.text(1);
      } else if (rows.text(1) != *batch) {
        break;
      }
      first_seq = rows.integer(0);
      kind = rows.text(2);
      op = rows.text(3);
      id = rows.text(4);
      if (auto done = revert(kind, op, id, rows.optional_text(5)); !done) {
        return tl::unexpected(done.error());
      }
      ++count;
    }
    if (step != SQLITE_DONE && step != SQLITE_ROW) {
      return tl::unexpected(sqlite_error(db_, step, "undoing"));
    }
    rows.reset();  // Done reading before the log is changed.
    if (count == 0)
      return fail(ErrorKind::not_found, core::sentence("there is nothing to undo"), "undo");
    Statement forget(statements_, "DELETE FROM changes WHERE seq >= ?");
    forget.bind(1, first_seq);
    if (auto done = run(forget, "undoing"); !done) return tl::unexpected(done.error());
    UndoResult result;
    result.record_id = id;
    result.text = detail::undo_description(kind, op, static_cast<std::size_t>(count));
    result.description = result.text.english();
    return result;
  });
}

Result<void> SqliteStore::record_change(const std::string& batch, const char* kind, const char* op,
                                        const std::string& id, const std::optional<json>& before) {
  return log_change(batch, kind, op, id, before);
}

}  // namespace mitra::store::sqlite
