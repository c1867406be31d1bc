#pragma once
// The SQLite engine (see sqlite_store.hpp for what it promises): one class, SqliteStore,
// implementing both interfaces of a journal (store::Records and store::Engine), its member
// functions defined in one file per concern:
//
//   connection.cpp      exec and run, on statements prepared once (connection.hpp)
//   migrations.cpp      the schema's versions and forward migrations
//   group_commit.cpp    groups of writes, savepoints, WAL sync on another thread, checkpoints,
//                       the change mark (with change_watch.cpp: the wal-index header, mapped)
//   idempotency.cpp     idempotency keys and their fingerprints
//   undo_log.cpp        the undo log, undo, and imports (store/import_more.hpp)
//   doses.cpp, substance_uses.cpp, products.cpp, checkins.cpp, plans.cpp, settings.cpp
//                       the repositories of each kind of record
//   backup.cpp          the online backup
//   ../sqlite_store.cpp opening a journal
//
// Internal to the store layer: nothing outside src/store/sqlite and sqlite_store.cpp includes
// it. Thread safety: one thread at a time (Records), except the LogSync that defer_sync makes.

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/import_more.hpp"
#include "store/sqlite/change_watch.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite_store.hpp"

namespace mitra::store::sqlite {

using core::Dose;
using core::ErrorKind;
using core::fail;
using core::Instant;
using core::SubstanceUse;
using nlohmann::json;

inline std::int64_t seconds_of(Instant t) { return t.time_since_epoch().count(); }

class SqliteStore final : public Store, private detail::ImportEngine {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db), statements_(db) {}
  using Records::add_dose;
  using Records::add_substance_use;
  using Records::import_records;
  ~SqliteStore() override {
    watch_.reset();  // It reads the connection's mapping of the wal-index.
    statements_.clear();
    sqlite3_close_v2(db_);
  }
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // --- migrations.cpp ---
  // Creates the schema or upgrades it to kSchemaVersion, serialised with other processes.
  Result<void> migrate();

  // --- group_commit.cpp: Engine ---
  Result<void> begin_batch() override;
  Result<void> commit_batch() override;
  void rollback_batch() override;
  Result<void> begin_batch_item() override;
  Result<void> end_batch_item(BatchItemEnd end) override;
  void set_item_isolation(ItemIsolation isolation) override { isolation_ = isolation; }
  bool batch_spoilt() const override { return batch_spoilt_; }
  Result<void> set_checkpoints(Checkpoints mode) override;
  Result<std::unique_ptr<LogSync>> defer_sync() override;
  Result<void> checkpoint() override;
  int log_pages() const override;
  Result<void> copy_log() override;
  Result<ChangeMark> change_mark() override;
  // --- backup.cpp: Engine ---
  Result<void> backup_to(const std::string& path) override;

  // --- doses.cpp ---
  Result<Dose> add_dose(Dose dose, const std::string& idempotency_key,
                        const std::string& fingerprint) override;
  Result<Dose> get_dose(const std::string& id) override;
  Result<Dose> update_dose(const Dose& dose) override;
  Result<Dose> delete_dose(const std::string& id) override;
  Result<std::vector<Dose>> list_doses(const TimeRange& range) override;
  Result<std::optional<Dose>> last_dose() override;
  Result<std::optional<Dose>> first_dose() override;
  Result<std::vector<Dose>> list_doses_brief(const TimeRange& range, Order order,
                                             int limit) override;
  Result<std::vector<core::Amount>> list_dose_amounts(const TimeRange& range) override;
  // --- substance_uses.cpp ---
  Result<SubstanceUse> add_substance_use(SubstanceUse use, const std::string& idempotency_key,
                                         const std::string& fingerprint) override;
  Result<SubstanceUse> delete_substance_use(const std::string& id) override;
  Result<std::vector<SubstanceUse>> list_substance_uses(const TimeRange& range) override;
  // --- undo_log.cpp ---
  Result<ImportOutcome> import_records(const ImportRecords& records,
                                       OnConflict on_conflict) override;
  Result<UndoResult> undo_last_change() override;
  // --- checkins.cpp ---
  Result<Assessment> add_assessment(Assessment a, const std::string& idempotency_key) override;
  Result<std::vector<Assessment>> list_assessments(const std::string& instrument,
                                                   const TimeRange& range) override;
  // --- products.cpp ---
  Result<core::Product> put_product(const core::Product& p,
                                    const std::string& idempotency_key) override;
  Result<std::vector<core::Product>> list_products() override;
  // --- settings.cpp ---
  Result<std::optional<std::string>> get_setting(const std::string& key) override;
  Result<void> put_setting(const std::string& key, const std::string& value) override;
  // --- plans.cpp ---
  Result<PlanVersion> add_plan_version(PlanVersion v, const std::string& idempotency_key) override;
  Result<std::optional<PlanVersion>> current_plan() override;
  Result<std::vector<PlanVersion>> plan_history(const std::string& plan_id) override;
  Result<std::vector<PlanVersion>> latest_plan_versions() override;

 private:
  // --- detail::ImportEngine: the statements an import and an undo need, in their transaction,
  // each in the file of its kind of record ---
  Result<std::optional<Dose>> find_dose(const std::string& id) override;
  Result<void> insert_dose(const Dose& d) override;
  Result<void> delete_dose_row(const std::string& id) override;
  Result<std::optional<SubstanceUse>> find_use(const std::string& id) override;
  Result<void> insert_use(const SubstanceUse& u) override;
  Result<void> delete_use_row(const std::string& id) override;
  Result<void> upsert_product(const core::Product& p) override;
  Result<std::optional<Assessment>> find_assessment(const std::string& id) override;
  Result<void> insert_assessment(const Assessment& a) override;
  Result<void> delete_assessment(const std::string& id) override;
  Result<std::optional<PlanVersion>> find_plan_version(const std::string& plan_id,
                                                       int version) override;
  Result<void> insert_plan_version(const PlanVersion& v) override;
  Result<void> delete_plan_version(const std::string& plan_id, int version) override;
  Result<std::optional<std::string>> read_setting(const std::string& key) override;
  Result<void> write_setting(const std::string& key, const std::string& value) override;
  Result<void> delete_setting(const std::string& key) override;
  Result<void> record_change(const std::string& batch, const char* kind, const char* op,
                             const std::string& id, const std::optional<json>& before) override;

  // --- connection.cpp ---
  // SQL that runs once per connection or schema upgrade (pragmas, a migration's statements),
  // prepared each time it runs.
  Result<void> exec(const char* sql, const std::string& doing);
  // One statement, prepared once (BEGIN IMMEDIATE, COMMIT, ROLLBACK, savepoints…).
  Result<void> exec_cached(const std::string& sql, const std::string& doing);
  // The same, answering SQLite's result code (SQLITE_OK when it ran).
  int step_cached(const std::string& sql);
  // Steps `s` once: a row or done is success.
  Result<void> run(Statement& s, const std::string& doing);
  // Every ROLLBACK and ROLLBACK TO goes through here: settings kept since (get_setting) may
  // have been read from the writes it drops.
  Result<void> roll_back(const std::string& sql, const std::string& doing);

  // Runs `body` inside BEGIN IMMEDIATE … COMMIT; rolls back on any failure. Inside a batch
  // (begin_batch), a savepoint instead: the batch's COMMIT makes it durable.
  template <typename T>
  Result<T> write(const std::string& doing, const std::function<Result<T>()>& body) {
    if (batch_open_ && isolation_ == ItemIsolation::optimistic) {
      // No savepoint: a write that fails after changing rows spoils the item (end_batch_item).
      const auto before = sqlite3_total_changes64(db_);
      Result<T> result = body();
      if (!result && sqlite3_total_changes64(db_) != before) item_spoilt_ = true;
      return result;
    }
    if (batch_open_) {
      if (auto begun = enter_savepoint("write", doing); !begun) {
        return tl::unexpected(begun.error());
      }
      Result<T> result = body();
      if (auto ended =
              leave_savepoint("write", result ? BatchItemEnd::keep : BatchItemEnd::discard, doing);
          !ended) {
        return tl::unexpected(ended.error());
      }
      return result;
    }
    if (auto begun = exec_cached("BEGIN IMMEDIATE", doing); !begun) {
      return tl::unexpected(begun.error());
    }
    Result<T> result = body();
    if (!result) {
      roll_back("ROLLBACK", doing);
      return result;
    }
    const int rc = step_cached("COMMIT");
    if (rc != SQLITE_OK) {
      const auto error = sqlite_error(db_, rc, doing);
      roll_back("ROLLBACK", doing);
      return tl::unexpected(error);
    }
    ++own_commits_;
    return result;
  }

  // --- migrations.cpp ---
  // The schema version and, on an empty file, whether it holds tables of another program.
  Result<int> schema_version();
  // BEGIN IMMEDIATE, tried again while another connection holds the lock, up to kOpenWait.
  Result<void> begin_waiting(const std::string& doing);

  // --- group_commit.cpp ---
  // SQLite rolls a whole transaction back by itself after some errors (a full disk, I/O);
  // a SAVEPOINT then would quietly start a new one, so every step checks first.
  Result<void> batch_alive(const std::string& doing);
  Result<void> enter_savepoint(const char* name, const std::string& doing);
  Result<void> leave_savepoint(const char* name, BatchItemEnd end, const std::string& doing);
  // PRAGMA data_version: changes with every commit by another connection (or process).
  Result<std::uint64_t> data_version();

  // --- idempotency.cpp ---
  // The record an earlier request with `key` made, if any. A key first used for another kind
  // of record is a conflict; one first used with another fingerprint (other content) is
  // unprocessable. Empty fingerprints match any.
  Result<std::optional<std::string>> find_idempotent_of(const std::string& key,
                                                        const std::string& kind,
                                                        const std::string& fingerprint = "");
  Result<void> remember_idempotent(const std::string& key, const char* kind, const std::string& id,
                                   const std::string& fingerprint = "");

  // --- undo_log.cpp ---
  Result<void> log_change(const std::string& batch, const char* kind, const char* op,
                          const std::string& id, const std::optional<json>& before);
  // One undo-log row: the record's idempotency key is forgotten with it.
  Result<void> revert(const std::string& kind, const std::string& op, const std::string& id,
                      const std::optional<std::string>& before);

  // --- doses.cpp and substance_uses.cpp ---
  // The rows of `table` taken in `range`, ordered by time then id (`order` "ASC" or "DESC"),
  // at most `limit` (all when negative), each read by `reader`.
  template <typename T>
  Result<std::vector<T>> list_between(const char* table, const char* columns,
                                      const TimeRange& range, T (*reader)(const Statement&),
                                      const char* order = "ASC", int limit = -1) {
    // LIMIT -1 is no limit: one statement per table, columns and order, prepared once.
    const std::string sql = std::string("SELECT ") + columns + " FROM " + table +
                            " WHERE taken_at >= ? AND taken_at < ? ORDER BY taken_at " + order +
                            ", id " + order + " LIMIT ?";
    Statement s(statements_, sql.c_str());
    if (!s.ok())
      return fail(ErrorKind::internal, "could not prepare a query on " + std::string(table));
    const std::int64_t from =
        range.from ? seconds_of(*range.from) : std::numeric_limits<std::int64_t>::min();
    const std::int64_t to =
        range.to ? seconds_of(*range.to) : std::numeric_limits<std::int64_t>::max();
    s.bind(1, from).bind(2, to).bind(3, std::int64_t{limit < 0 ? -1 : limit});
    std::vector<T> out;
    if (limit < 0) {
      // Counted first (on the index alone), so that the vector is allocated once: growing it
      // by doubling held up to three times the records' size while it copied them.
      const std::string count_sql =
          std::string("SELECT count(*) FROM ") + table + " WHERE taken_at >= ? AND taken_at < ?";
      Statement count(statements_, count_sql.c_str());
      count.bind(1, from).bind(2, to);
      if (count.ok() && count.step() == SQLITE_ROW) {
        out.reserve(static_cast<std::size_t>(count.integer(0)));
      }
    } else {
      out.reserve(static_cast<std::size_t>(limit));
    }
    int rc = 0;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(reader(s));
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading the journal"));
    return out;
  }

  sqlite3* db_;
  StatementCache statements_;  // Every statement this connection runs, prepared once.
  bool batch_open_ = false;
  // Items of a batch (Engine::set_item_isolation). Optimistic: the rows changed when the open
  // item began, whether one of its writes failed half-way, and whether an item spoilt the
  // batch.
  ItemIsolation isolation_ = ItemIsolation::each;
  sqlite3_int64 item_changes_ = 0;
  bool item_spoilt_ = false;
  bool batch_spoilt_ = false;
  int wal_frames_ = 0;  // The log's length after the last commit, with checkpoints on request.
  std::uint64_t own_commits_ = 0;
  std::uint64_t batch_data_version_ = 0;  // data_version when the open group began.
  // change_mark's: the watch on the journal's wal-index (made at the first call, after this
  // connection has read; null where there is none) and the data_version it last read.
  std::unique_ptr<ChangeWatch> watch_;
  bool watch_tried_ = false;
  std::optional<std::uint64_t> marked_others_;
  // Settings read since data_version was `others` (see get_setting); absent values too.
  struct SettingsCache {
    std::uint64_t others = 0;
    std::map<std::string, std::optional<std::string>, std::less<>> values;
  };
  std::optional<SettingsCache> settings_cache_;
};

}  // namespace mitra::store::sqlite
