#include "store/postgres/postgres_store.hpp"

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "formats/journal_json.hpp"
#include "store/import_more.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/migrations.hpp"
#include "store/postgres/module.hpp"
#include "store/postgres/rows.hpp"

namespace mitra::store {

namespace {

using core::Dose;
using core::ErrorKind;
using core::fail;
using core::SubstanceUse;
using nlohmann::json;
using postgres::Connection;

std::int64_t range_from(const TimeRange& range) {
  return range.from ? postgres::seconds_of(*range.from) : std::numeric_limits<std::int64_t>::min();
}

std::int64_t range_to(const TimeRange& range) {
  return range.to ? postgres::seconds_of(*range.to) : std::numeric_limits<std::int64_t>::max();
}

// Makes a writer's deferred commits durable (see PostgresStore::defer_sync), on a connection of
// its own. A sync on a connection that is not the one it had before (lost, and connected again)
// confirms nothing: the server may have restarted since the commits it was to cover, and lost
// them with its unwritten log. The next sync, on the connection that is now known to have
// lived, does.
class LogFlush final : public Engine::LogSync {
 public:
  explicit LogFlush(std::unique_ptr<Connection> connection)
      : connection_(std::move(connection)), backend_(connection_->backend()) {}

  Result<void> sync() override {
    const std::string doing = "making the last writes durable";
    auto flushed = connection_->run("flush_log", doing);
    if (!flushed) return tl::unexpected(flushed.error());
    if (const int backend = connection_->backend(); backend != backend_) {
      backend_ = backend;
      return fail(ErrorKind::unavailable,
                  core::sentence("the connection to the PostgreSQL server was renewed while "
                                 "{doing}, so they could not be confirmed",
                                 {{"doing", doing}}),
                  "db");
    }
    return {};
  }

  bool failures_are_final() const override { return false; }

 private:
  std::unique_ptr<Connection> connection_;
  int backend_;
};

class PostgresStore final : public Store, private detail::ImportEngine {
 public:
  PostgresStore(std::unique_ptr<Connection> connection, std::string shown_url)
      : db_(std::move(connection)), shown_url_(std::move(shown_url)) {}
  using Records::add_dose;
  using Records::add_plan_version;
  using Records::add_substance_use;
  using Records::import_records;
  using Records::put_product;

  // --- statements and rows ------------------------------------------------------------

  template <typename... Args>
  Result<pqxx::result> run(const char* name, const std::string& doing, Args&&... args) {
    return db_->run(name, doing, std::forward<Args>(args)...);
  }

  // Every row of `result` through `reader`; a value libpqxx cannot convert is an error, not an
  // exception.
  template <typename T, typename Reader>
  Result<std::vector<T>> read_all(const Result<pqxx::result>& result, Reader reader,
                                  const std::string& doing) {
    if (!result) return tl::unexpected(result.error());
    try {
      std::vector<T> out;
      out.reserve(result->size());
      for (const auto& row : *result) out.push_back(reader(row));
      return out;
    } catch (const std::exception& error) {
      return tl::unexpected(db_->to_error(error, doing));
    }
  }

  template <typename T, typename Reader>
  Result<std::optional<T>> read_first(const Result<pqxx::result>& result, Reader reader,
                                      const std::string& doing) {
    if (!result) return tl::unexpected(result.error());
    if (result->empty()) return std::optional<T>{};
    try {
      return std::optional<T>{reader((*result)[0])};
    } catch (const std::exception& error) {
      return tl::unexpected(db_->to_error(error, doing));
    }
  }

  // --- transactions -------------------------------------------------------------------

  // BEGIN, then this connection's turn to write (the write_turn row, held until the end).
  Result<void> begin(const std::string& doing) {
    if (auto begun = db_->exec("BEGIN", doing); !begun) return tl::unexpected(begun.error());
    if (auto turn = run("take_write_turn", doing); !turn) {
      (void)db_->exec("ROLLBACK", doing);
      return tl::unexpected(turn.error());
    }
    return {};
  }

  Result<void> commit(const std::string& doing) {
    // COMMIT of a transaction that an error had already spoiled answers ROLLBACK rather than
    // an error (and libpqxx 6 keeps the answer's tag to itself); a statement run first fails
    // in a spoilt transaction, so nothing is reported saved that was not.
    if (auto alive = run("transaction_alive", doing); !alive) {
      (void)db_->exec("ROLLBACK", doing);
      return tl::unexpected(alive.error());
    }
    if (auto committed = db_->exec("COMMIT", doing); !committed) {
      (void)db_->exec("ROLLBACK", doing);
      return tl::unexpected(committed.error());
    }
    ++own_commits_;
    return {};
  }

  // Runs `body` in its own transaction; inside a group of writes (begin_batch), in a savepoint
  // of the group's transaction instead, which the group's commit makes durable.
  template <typename T>
  Result<T> write(const std::string& doing, const std::function<Result<T>()>& body) {
    if (batch_open_ && item_open_ && item_writes_ == 0) {
      // The first write of a request in a group: the request's own savepoint (begin_batch_item)
      // undoes it if it fails, so it needs none of its own - unless the request writes again,
      // when a failed later write must not take this one with it.
      ++item_writes_;
      Result<T> result = body();
      if (!result) item_spoilt_ = true;
      return result;
    }
    if (batch_open_) {
      ++item_writes_;
      if (auto begun = db_->exec("SAVEPOINT write", doing); !begun) {
        return tl::unexpected(begun.error());
      }
      Result<T> result = body();
      if (!result) {
        if (auto undone = db_->exec("ROLLBACK TO SAVEPOINT write", doing); !undone) {
          return tl::unexpected(undone.error());
        }
      }
      if (auto released = db_->exec("RELEASE SAVEPOINT write", doing); !released) {
        return tl::unexpected(released.error());
      }
      return result;
    }
    if (auto begun = begin(doing); !begun) return tl::unexpected(begun.error());
    Result<T> result = body();
    if (!result) {
      (void)db_->exec("ROLLBACK", doing);
      return result;
    }
    if (auto committed = commit(doing); !committed) return tl::unexpected(committed.error());
    return result;
  }

  // --- group commit (see Engine::begin_batch) ------------------------------------------

  // A group holds the write turn from BEGIN to COMMIT, so no other connection can change
  // anything in between: settings read once per group are kept (settings_) until it ends.
  // Each request of a group is a savepoint; a kept request's savepoint is released together
  // with the next request's SAVEPOINT, in one round trip (COMMIT releases the last one).
  Result<void> begin_batch() override {
    if (batch_open_)
      return fail(ErrorKind::internal, core::sentence("a group of writes is already open"), "db");
    if (auto begun = begin("starting a group of writes"); !begun) return begun;
    batch_open_ = true;
    item_open_ = false;
    release_pending_ = false;
    settings_.reset();
    return {};
  }

  Result<void> commit_batch() override {
    if (!batch_open_)
      return fail(ErrorKind::internal, core::sentence("no group of writes is open"), "db");
    end_group();
    return commit("saving a group of writes");
  }

  void rollback_batch() override {
    end_group();
    (void)db_->exec("ROLLBACK", "dropping a group of writes");
  }

  Result<void> begin_batch_item() override {
    if (!batch_open_)
      return fail(ErrorKind::internal, core::sentence("no group of writes is open"), "db");
    auto begun =
        db_->exec(release_pending_ ? "RELEASE SAVEPOINT item; SAVEPOINT item" : "SAVEPOINT item",
                  "starting a request");
    release_pending_ = false;
    if (!begun) return tl::unexpected(begun.error());
    item_open_ = true;
    item_writes_ = 0;
    item_spoilt_ = false;
    return {};
  }

  Result<void> end_batch_item(BatchItemEnd end) override {
    if (!batch_open_)
      return fail(ErrorKind::internal, core::sentence("no group of writes is open"), "db");
    item_open_ = false;
    // A request whose only write failed is undone even when kept: that write had no savepoint
    // of its own (see write).
    if (end == BatchItemEnd::discard || item_spoilt_) {
      settings_.reset();  // It may have changed one.
      auto undone =
          db_->exec("ROLLBACK TO SAVEPOINT item; RELEASE SAVEPOINT item", "finishing a request");
      if (!undone) return tl::unexpected(undone.error());
      return {};
    }
    release_pending_ = true;
    return {};
  }

  void end_group() {
    batch_open_ = false;
    item_open_ = false;
    release_pending_ = false;
    settings_.reset();
  }

  // --- durability and maintenance (see Engine) -------------------------------------------

  // PostgreSQL syncs its own log inside COMMIT (synchronous_commit on, unless defer_sync) and
  // checkpoints it by itself: there is no log to copy.
  Result<void> set_checkpoints(Checkpoints /*mode*/) override { return {}; }
  Result<void> checkpoint() override { return {}; }
  int log_pages() const override { return 0; }
  Result<void> copy_log() override { return {}; }
  // This connection's commits stop waiting for the disk (synchronous_commit off: a commit is
  // in the log, visible to others, and durable once the log is flushed past it); a LogFlush on
  // a connection of its own commits a transaction that does wait, which flushes the log up to
  // it and so every commit before it. The writer runs its next group meanwhile, instead of
  // idling while the disk syncs each group.
  Result<std::unique_ptr<LogSync>> defer_sync() override {
    auto syncer = db_->open_another();
    if (!syncer) return tl::unexpected(syncer.error());
    if (auto prepared = (*syncer)->prepare_statements(); !prepared) {
      return tl::unexpected(prepared.error());
    }
    auto flush = std::make_unique<LogFlush>(std::move(*syncer));
    if (auto deferred = db_->defer_commits(); !deferred) return tl::unexpected(deferred.error());
    return std::unique_ptr<LogSync>(std::move(flush));
  }

  // The write_turn count changes with every write transaction committed by any connection of
  // any instance; this Store's own commits are counted as well.
  Result<ChangeMark> change_mark() override {
    auto changes = read_first<std::int64_t>(
        run("changes_so_far", "checking for changes"),
        [](const pqxx::row& row) { return row[0].as<std::int64_t>(); }, "checking for changes");
    if (!changes) return tl::unexpected(changes.error());
    return ChangeMark{static_cast<std::uint64_t>(changes->value_or(0)), own_commits_};
  }

  // Another person's journal of the same database (a schema of its own): the connection and
  // its prepared statements serve it after a SET search_path, and its schema is brought up to
  // date as open_engine does.
  Result<bool> serve_journal(const std::string& location) override {
    const auto wanted = Connection::schema_of(location);
    if (batch_open_ || wanted.schema.empty() ||
        wanted.base != Connection::schema_of(db_->url()).base) {
      return false;
    }
    settings_.reset();
    if (auto used = db_->use_schema_of(location); !used) return tl::unexpected(used.error());
    try {
      if (auto migrated = postgres::migrate(*db_); !migrated) {
        return tl::unexpected(migrated.error());
      }
    } catch (const std::exception& error) {
      return tl::unexpected(db_->to_error(error, "reading the schema version"));
    }
    shown_url_ = postgres::redact_url(location);
    return true;
  }

  // --- idempotency and change log -------------------------------------------------------

  // As the SQLite engine: a key first used for another kind of record is a conflict; one first
  // used with another fingerprint (other content) is unprocessable. Empty fingerprints match
  // any.
  Result<std::optional<std::string>> find_idempotent_of(const std::string& key,
                                                        const std::string& kind,
                                                        const std::string& fingerprint = "") {
    if (key.empty()) return std::optional<std::string>{};
    struct Found {
      std::string kind;
      std::string record_id;
      std::string fingerprint;
    };
    auto found = read_first<Found>(
        run("key_find", "checking a retry", key),
        [](const pqxx::row& row) {
          return Found{row[0].as<std::string>(), row[1].as<std::string>(),
                       row[2].as<std::string>()};
        },
        "checking a retry");
    if (!found) return tl::unexpected(found.error());
    if (!*found) return std::optional<std::string>{};
    if ((*found)->kind != kind) {
      return fail(ErrorKind::conflict,
                  core::sentence("this Idempotency-Key was already used for another kind of "
                                 "record; send a new key for a new request"),
                  "Idempotency-Key");
    }
    const std::string& stored = (*found)->fingerprint;
    if (!stored.empty() && !fingerprint.empty() && stored != fingerprint) {
      return fail(
          ErrorKind::unprocessable,
          core::sentence("this Idempotency-Key was already used for a request with other content; "
                         "send the same content to retry it, or a new key for a new request"),
          "Idempotency-Key");
    }
    return std::optional<std::string>{(*found)->record_id};
  }

  Result<void> remember_idempotent(const std::string& key, const char* kind, const std::string& id,
                                   const std::string& fingerprint = "") {
    if (key.empty()) return {};
    auto inserted =
        run("key_insert", "recording a retry key", key, std::string(kind), id, fingerprint);
    if (!inserted) return tl::unexpected(inserted.error());
    // The key is known but find_idempotent_of found no record of it: the record it made was
    // removed since. Making it again on a late retry would bring back what was deleted.
    if (inserted->affected_rows() == 0) {
      return fail(ErrorKind::conflict,
                  core::sentence("this Idempotency-Key was already used, for a record that has "
                                 "since been removed; send a new key for a new request"),
                  "Idempotency-Key");
    }
    return {};
  }

  Result<void> log_change(const std::string& batch, const char* kind, const char* op,
                          const std::string& id, const std::optional<json>& before) {
    std::optional<std::string> snapshot;
    if (before) snapshot = before->dump();
    auto done = run("change_insert", "recording the change for undo", batch, std::string(kind),
                    std::string(op), id, snapshot);
    if (!done) return tl::unexpected(done.error());
    return {};
  }

  // --- doses ---------------------------------------------------------------------------

  Result<void> insert_dose(const Dose& d) override {
    auto done = run("dose_insert", "saving the dose", d.id, postgres::seconds_of(d.taken_at),
                    d.zone, d.amount.micro, std::string(core::to_string(d.amount.unit)),
                    std::string(core::to_string(d.form)), d.product, d.note,
                    postgres::join_triggers(d.triggers));
    if (!done) return tl::unexpected(done.error());
    return {};
  }

  Result<void> remove(const char* statement, const std::string& id, const std::string& doing) {
    auto done = run(statement, doing, id);
    if (!done) return tl::unexpected(done.error());
    return {};
  }

  Result<std::optional<Dose>> find_dose(const std::string& id) override {
    return read_first<Dose>(run("dose_find", "reading a dose", id), &postgres::read_dose,
                            "reading a dose");
  }

  // One statement (dose_add) in the common case: it looks the key up and, when the key is new,
  // inserts the dose, the key and the undo row; a retry reads the stored dose after it.
  Result<Dose> add_dose(Dose dose, const std::string& idempotency_key,
                        const std::string& fingerprint) override {
    return write<Dose>("saving the dose", [&]() -> Result<Dose> {
      if (dose.id.empty()) dose.id = new_id();
      auto added =
          run("dose_add", "saving the dose", dose.id, postgres::seconds_of(dose.taken_at),
              dose.zone, dose.amount.micro, std::string(core::to_string(dose.amount.unit)),
              std::string(core::to_string(dose.form)), dose.product, dose.note,
              postgres::join_triggers(dose.triggers), idempotency_key, fingerprint, new_id());
      if (!added) return tl::unexpected(added.error());
      if (added->empty()) return dose;  // Inserted.
      // The key was known: the same checks as find_idempotent_of, on the row it found.
      const auto row = (*added)[0];
      std::string kind, record_id, stored;
      try {
        kind = row[0].as<std::string>();
        record_id = row[1].as<std::string>();
        stored = row[2].as<std::string>();
      } catch (const std::exception& error) {
        return tl::unexpected(db_->to_error(error, "checking a retry"));
      }
      if (kind != "dose") {
        return fail(ErrorKind::conflict,
                    core::sentence("this Idempotency-Key was already used for another kind of "
                                   "record; send a new key for a new request"),
                    "Idempotency-Key");
      }
      if (!stored.empty() && !fingerprint.empty() && stored != fingerprint) {
        return fail(ErrorKind::unprocessable,
                    core::sentence(
                        "this Idempotency-Key was already used for a request with other content; "
                        "send the same content to retry it, or a new key for a new request"),
                    "Idempotency-Key");
      }
      auto found = find_dose(record_id);
      if (!found) return tl::unexpected(found.error());
      if (*found) return **found;
      return fail(ErrorKind::conflict,
                  core::sentence("this Idempotency-Key was already used, for a record that has "
                                 "since been removed; send a new key for a new request"),
                  "Idempotency-Key");
    });
  }

  Result<Dose> get_dose(const std::string& id) override {
    auto found = find_dose(id);
    if (!found) return tl::unexpected(found.error());
    if (!*found)
      return fail(ErrorKind::not_found, core::sentence("no dose has the id \"{id}\"", {{"id", id}}),
                  "id");
    return **found;
  }

  Result<Dose> update_dose(const Dose& dose) override {
    return write<Dose>("changing the dose", [&]() -> Result<Dose> {
      auto before = find_dose(dose.id);
      if (!before) return tl::unexpected(before.error());
      if (!*before) {
        return fail(ErrorKind::not_found,
                    core::sentence("no dose has the id \"{id}\"", {{"id", dose.id}}), "id");
      }
      // Nothing to change: no write, and no undo step (as the SQLite engine; Store::update_dose).
      if (**before == dose) return dose;
      if (auto done = remove("dose_delete", dose.id, "changing the dose"); !done) {
        return tl::unexpected(done.error());
      }
      if (auto done = insert_dose(dose); !done) return tl::unexpected(done.error());
      if (auto done = log_change(new_id(), "dose", "update", dose.id, formats::to_json(**before));
          !done) {
        return tl::unexpected(done.error());
      }
      return dose;
    });
  }

  Result<Dose> delete_dose(const std::string& id) override {
    return write<Dose>("deleting the dose", [&]() -> Result<Dose> {
      auto before = find_dose(id);
      if (!before) return tl::unexpected(before.error());
      if (!*before)
        return fail(ErrorKind::not_found,
                    core::sentence("no dose has the id \"{id}\"", {{"id", id}}), "id");
      if (auto done = remove("dose_delete", id, "deleting the dose"); !done) {
        return tl::unexpected(done.error());
      }
      if (auto done = log_change(new_id(), "dose", "delete", id, formats::to_json(**before));
          !done) {
        return tl::unexpected(done.error());
      }
      return **before;
    });
  }

  Result<std::vector<Dose>> list_doses(const TimeRange& range) override {
    return read_all<Dose>(
        run("doses_in_range", "reading the journal", range_from(range), range_to(range)),
        &postgres::read_dose, "reading the journal");
  }

  Result<std::optional<Dose>> last_dose() override {
    return read_first<Dose>(run("dose_newest", "reading the journal"), &postgres::read_dose,
                            "reading the journal");
  }

  Result<std::optional<Dose>> first_dose() override {
    return read_first<Dose>(run("dose_oldest", "reading the journal"), &postgres::read_dose,
                            "reading the journal");
  }

  Result<std::vector<Dose>> list_doses_brief(const TimeRange& range, Order order,
                                             int limit) override {
    const std::optional<std::int64_t> rows =
        limit < 0 ? std::nullopt : std::optional<std::int64_t>{limit};
    return read_all<Dose>(
        run(order == Order::newest_first ? "doses_brief_newest_first" : "doses_brief_oldest_first",
            "reading the journal", range_from(range), range_to(range), rows),
        &postgres::read_brief_dose, "reading the journal");
  }

  Result<std::vector<core::Amount>> list_dose_amounts(const TimeRange& range) override {
    return read_all<core::Amount>(
        run("dose_amounts", "reading the journal", range_from(range), range_to(range)),
        [](const pqxx::row& row) {
          return core::Amount{
              row[0].as<std::int64_t>(),
              core::parse_unit(row[1].as<std::string>()).value_or(core::Unit::gram)};
        },
        "reading the journal");
  }

  // --- substance uses ------------------------------------------------------------------

  Result<void> insert_use(const SubstanceUse& u) override {
    auto done = run("use_insert", "saving the substance use", u.id,
                    std::string(core::to_string(u.substance)), postgres::seconds_of(u.taken_at),
                    u.zone, u.note);
    if (!done) return tl::unexpected(done.error());
    return {};
  }

  Result<std::optional<SubstanceUse>> find_use(const std::string& id) override {
    return read_first<SubstanceUse>(run("use_find", "reading a record", id), &postgres::read_use,
                                    "reading a record");
  }

  Result<SubstanceUse> add_substance_use(SubstanceUse use, const std::string& idempotency_key,
                                         const std::string& fingerprint) override {
    return write<SubstanceUse>("saving the substance use", [&]() -> Result<SubstanceUse> {
      auto existing = find_idempotent_of(idempotency_key, "substance_use", fingerprint);
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) {
        auto found = find_use(**existing);
        if (!found) return tl::unexpected(found.error());
        if (*found) return **found;
      }
      if (use.id.empty()) use.id = new_id();
      if (auto done = insert_use(use); !done) return tl::unexpected(done.error());
      if (auto done = remember_idempotent(idempotency_key, "substance_use", use.id, fingerprint);
          !done) {
        return tl::unexpected(done.error());
      }
      if (auto done = log_change(new_id(), "substance_use", "insert", use.id, std::nullopt);
          !done) {
        return tl::unexpected(done.error());
      }
      return use;
    });
  }

  Result<SubstanceUse> delete_substance_use(const std::string& id) override {
    return write<SubstanceUse>("deleting the record", [&]() -> Result<SubstanceUse> {
      auto before = find_use(id);
      if (!before) return tl::unexpected(before.error());
      if (!*before) {
        return fail(ErrorKind::not_found,
                    core::sentence("no substance use has the id \"{id}\"", {{"id", id}}), "id");
      }
      if (auto done = remove("use_delete", id, "deleting the record"); !done) {
        return tl::unexpected(done.error());
      }
      if (auto done =
              log_change(new_id(), "substance_use", "delete", id, formats::to_json(**before));
          !done) {
        return tl::unexpected(done.error());
      }
      return **before;
    });
  }

  Result<std::vector<SubstanceUse>> list_substance_uses(const TimeRange& range) override {
    return read_all<SubstanceUse>(
        run("uses_in_range", "reading the journal", range_from(range), range_to(range)),
        &postgres::read_use, "reading the journal");
  }

  Result<ImportOutcome> import_records(const ImportRecords& records,
                                       OnConflict on_conflict) override {
    settings_.reset();
    return write<ImportOutcome>("importing", [&]() -> Result<ImportOutcome> {
      return detail::import_all(*this, records, on_conflict);
    });
  }

  // --- undo ----------------------------------------------------------------------------

  // One undo-log row: the record's idempotency key is forgotten with it.
  Result<void> revert(const std::string& kind, const std::string& op, const std::string& id,
                      const std::optional<std::string>& before) {
    if (auto done = remove("key_forget", id, "undoing"); !done) return done;
    return detail::revert_change(*this, kind, op, id, before);
  }

  Result<UndoResult> undo_last_change() override {
    settings_.reset();
    return write<UndoResult>("undoing", [&]() -> Result<UndoResult> {
      // The newest group (writers take turns, so a group's rows are never interleaved with
      // another's), newest row first.
      auto batch = read_first<std::string>(
          run("change_last_batch", "undoing"),
          [](const pqxx::row& row) { return row[0].as<std::string>(); }, "undoing");
      if (!batch) return tl::unexpected(batch.error());
      if (!*batch)
        return fail(ErrorKind::not_found, core::sentence("there is nothing to undo"), "undo");
      struct Change {
        std::string kind;
        std::string op;
        std::string id;
        std::optional<std::string> before;
      };
      auto rows = read_all<Change>(
          run("change_rows", "undoing", **batch),
          [](const pqxx::row& row) {
            Change c{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                     std::nullopt};
            if (!row[3].is_null()) c.before = row[3].as<std::string>();
            return c;
          },
          "undoing");
      if (!rows) return tl::unexpected(rows.error());
      if (rows->empty())
        return fail(ErrorKind::not_found, core::sentence("there is nothing to undo"), "undo");
      for (const auto& change : *rows) {
        if (auto done = revert(change.kind, change.op, change.id, change.before); !done) {
          return tl::unexpected(done.error());
        }
      }
      if (auto done = remove("change_forget", **batch, "undoing"); !done) {
        return tl::unexpected(done.error());
      }
      const Change& last = rows->back();
      UndoResult result;
      result.record_id = last.id;
      result.text = detail::undo_description(last.kind, last.op, rows->size());
      result.description = result.text.english();
      return result;
    });
  }

  // --- assessments ---------------------------------------------------------------------

  Result<Assessment> add_assessment(Assessment a, const std::string& idempotency_key) override {
    return write<Assessment>("saving the check-in", [&]() -> Result<Assessment> {
      auto existing = find_idempotent_of(idempotency_key, "assessment");
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) {
        auto found =
            read_first<Assessment>(run("assessment_find", "saving the check-in", **existing),
                                   &postgres::read_assessment, "saving the check-in");
        if (!found) return tl::unexpected(found.error());
        if (*found) return **found;
      }
      if (a.id.empty()) a.id = new_id();
      if (auto done = insert_assessment(a); !done) return tl::unexpected(done.error());
      if (auto kept = remember_idempotent(idempotency_key, "assessment", a.id); !kept) {
        return tl::unexpected(kept.error());
      }
      return a;
    });
  }

  Result<std::vector<Assessment>> list_assessments(const std::string& instrument,
                                                   const TimeRange& range) override {
    return read_all<Assessment>(run("assessments_in_range", "reading check-ins", range_from(range),
                                    range_to(range), instrument),
                                &postgres::read_assessment, "reading check-ins");
  }

  // --- products and settings -----------------------------------------------------------

  Result<void> upsert_product(const core::Product& p) override {
    auto done =
        run("product_put", "saving the product", p.name, std::string(core::to_string(p.form)),
            p.weights.capsule_mg_micro, p.weights.teaspoon_mg_micro);
    if (!done) return tl::unexpected(done.error());
    return {};
  }

  Result<core::Product> put_product(const core::Product& p,
                                    const std::string& idempotency_key) override {
    return write<core::Product>("saving the product", [&]() -> Result<core::Product> {
      auto existing = find_idempotent_of(idempotency_key, "product");
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) {
        auto products = list_products();
        if (!products) return tl::unexpected(products.error());
        for (const auto& known : *products) {
          if (known.name == **existing) return known;
        }
      }
      if (auto done = upsert_product(p); !done) return tl::unexpected(done.error());
      if (auto done = remember_idempotent(idempotency_key, "product", p.name); !done) {
        return tl::unexpected(done.error());
      }
      return p;
    });
  }

  Result<std::vector<core::Product>> list_products() override {
    return read_all<core::Product>(run("products_all", "reading products"), &postgres::read_product,
                                   "reading products");
  }

  // Read from the database every time (another instance may have changed them), except
  // inside a group of writes, which holds the write turn: then all settings are read once.
  Result<std::optional<std::string>> get_setting(const std::string& key) override {
    if (batch_open_) {
      if (!settings_) {
        auto all = read_all<std::pair<std::string, std::string>>(
            run("settings_all", "reading settings"),
            [](const pqxx::row& row) {
              return std::pair{row[0].as<std::string>(), row[1].as<std::string>()};
            },
            "reading settings");
        if (!all) return tl::unexpected(all.error());
        settings_.emplace(all->begin(), all->end());
      }
      auto found = settings_->find(key);
      if (found == settings_->end()) return std::optional<std::string>{};
      return std::optional<std::string>{found->second};
    }
    return read_first<std::string>(
        run("setting_get", "reading settings", key),
        [](const pqxx::row& row) { return row[0].as<std::string>(); }, "reading settings");
  }

  Result<void> put_setting(const std::string& key, const std::string& value) override {
    auto saved =
        write<void>("saving settings", [&]() -> Result<void> { return write_setting(key, value); });
    if (saved && settings_) (*settings_)[key] = value;
    if (!saved) settings_.reset();
    return saved;
  }

  // --- plans ---------------------------------------------------------------------------

  Result<PlanVersion> add_plan_version(PlanVersion v, const std::string& idempotency_key) override {
    return write<PlanVersion>("saving the plan", [&]() -> Result<PlanVersion> {
      auto existing = find_idempotent_of(idempotency_key, "plan");
      if (!existing) return tl::unexpected(existing.error());
      if (*existing) {
        // The record id is "plan_id/version".
        const auto slash = (*existing)->rfind('/');
        if (slash != std::string::npos) {
          const auto version =
              static_cast<std::int64_t>(std::atoll((*existing)->c_str() + slash + 1));
          auto first = read_first<PlanVersion>(
              run("plan_find", "saving the plan", (*existing)->substr(0, slash), version),
              &postgres::read_plan, "saving the plan");
          if (!first) return tl::unexpected(first.error());
          if (*first) return **first;
        }
      }
      if (v.plan_id.empty()) v.plan_id = new_id();
      auto next = read_first<int>(
          run("plan_next_version", "saving the plan", v.plan_id),
          [](const pqxx::row& row) { return row[0].as<int>(); }, "saving the plan");
      if (!next) return tl::unexpected(next.error());
      if (!*next) return fail(ErrorKind::internal, core::sentence("could not number the plan"));
      v.version = **next;
      // Every earlier version, of this or another plan, is superseded by the new one: readers
      // see it from `added` (statements.hpp); no stored row changes.
      if (auto done = insert_plan_version(v); !done) return tl::unexpected(done.error());
      if (auto kept = remember_idempotent(idempotency_key, "plan",
                                          v.plan_id + "/" + std::to_string(v.version));
          !kept) {
        return tl::unexpected(kept.error());
      }
      return v;
    });
  }

  Result<std::optional<PlanVersion>> current_plan() override {
    return read_first<PlanVersion>(run("plan_current", "reading the plan"), &postgres::read_plan,
                                   "reading the plan");
  }

  Result<std::vector<PlanVersion>> plan_history(const std::string& plan_id) override {
    return read_all<PlanVersion>(run("plan_history", "reading the plan", plan_id),
                                 &postgres::read_plan, "reading the plan");
  }

  Result<std::vector<PlanVersion>> latest_plan_versions() override {
    return read_all<PlanVersion>(run("plans_latest", "reading the plans"), &postgres::read_plan,
                                 "reading the plans");
  }

  // --- detail::ImportEngine: the statements an import and an undo need, in their transaction ---

  Result<void> delete_dose_row(const std::string& id) override {
    return remove("dose_delete", id, "changing the journal");
  }

  Result<void> delete_use_row(const std::string& id) override {
    return remove("use_delete", id, "changing the journal");
  }

  Result<std::optional<Assessment>> find_assessment(const std::string& id) override {
    return read_first<Assessment>(run("assessment_find", "importing", id),
                                  &postgres::read_assessment, "importing");
  }

  Result<void> insert_assessment(const Assessment& a) override {
    auto done = run("assessment_insert", "saving the check-in", a.id, a.instrument,
                    postgres::seconds_of(a.taken_at), a.zone, json(a.answers).dump(),
                    static_cast<std::int64_t>(a.total), a.band, a.note);
    if (!done) return tl::unexpected(done.error());
    return {};
  }

  Result<void> delete_assessment(const std::string& id) override {
    return remove("assessment_delete", id, "importing");
  }

  Result<std::optional<PlanVersion>> find_plan_version(const std::string& plan_id,
                                                       int version) override {
    return read_first<PlanVersion>(
        run("plan_find", "importing", plan_id, static_cast<std::int64_t>(version)),
        &postgres::read_plan, "importing");
  }

  Result<void> insert_plan_version(const PlanVersion& v) override {
    auto done =
        run("plan_insert", "saving the plan", v.plan_id, static_cast<std::int64_t>(v.version),
            postgres::seconds_of(v.created_at), v.status, v.reason, v.body_json);
    if (!done) return tl::unexpected(done.error());
    return {};
  }

  Result<void> delete_plan_version(const std::string& plan_id, int version) override {
    auto done = run("plan_delete", "undoing", plan_id, static_cast<std::int64_t>(version));
    if (!done) return tl::unexpected(done.error());
    return {};
  }

  Result<std::optional<std::string>> read_setting(const std::string& key) override {
    return read_first<std::string>(
        run("setting_get", "reading settings", key),
        [](const pqxx::row& row) { return row[0].as<std::string>(); }, "reading settings");
  }

  Result<void> write_setting(const std::string& key, const std::string& value) override {
    auto done = run("setting_put", "saving settings", key, value);
    if (!done) return tl::unexpected(done.error());
    return {};
  }

  Result<void> delete_setting(const std::string& key) override {
    return remove("setting_delete", key, "saving settings");
  }

  Result<void> record_change(const std::string& batch, const char* kind, const char* op,
                             const std::string& id, const std::optional<json>& before) override {
    return log_change(batch, kind, op, id, before);
  }

  // --- backup --------------------------------------------------------------------------

  // A consistent copy of a PostgreSQL database is PostgreSQL's own job: pg_dump takes one
  // without stopping anyone, and pg_restore brings it back. A file of another kind written
  // here would be a second, weaker backup format to keep right.
  Result<void> backup_to(const std::string& /*path*/) override {
    return fail(
        ErrorKind::unavailable,
        core::sentence("mitra backup writes SQLite journals only; back up this PostgreSQL database "
                       "with pg_dump (pg_dump --format=custom --file=FILE '{shown_url}', restored "
                       "with pg_restore), or copy the journal with mitra export --format json",
                       {{"shown_url", shown_url_}}),
        "db");
  }

 private:
  std::unique_ptr<Connection> db_;
  std::string shown_url_;  // The URL without its password.
  bool batch_open_ = false;
  bool item_open_ = false;        // Between begin_batch_item and end_batch_item.
  int item_writes_ = 0;           // Writes of the open request so far.
  bool item_spoilt_ = false;      // Its first write, run without a savepoint, failed.
  bool release_pending_ = false;  // The last kept request's savepoint is not released yet.
  std::optional<std::map<std::string, std::string>> settings_;  // Within a group only.
  std::uint64_t own_commits_ = 0;
};

}  // namespace

Result<std::unique_ptr<Store>> postgres::open_engine(const std::string& url, OpenMode /*mode*/) {
  auto connection = Connection::open(url);
  if (!connection) return tl::unexpected(connection.error());
  // migrate reads values with libpqxx, which throws on one it cannot convert.
  try {
    if (auto migrated = postgres::migrate(**connection); !migrated) {
      return tl::unexpected(migrated.error());
    }
  } catch (const std::exception& error) {
    return tl::unexpected((*connection)->to_error(error, "reading the schema version"));
  }
  if (auto prepared = (*connection)->prepare_statements(); !prepared) {
    return tl::unexpected(prepared.error());
  }
  return std::unique_ptr<Store>(
      std::make_unique<PostgresStore>(std::move(*connection), postgres::redact_url(url)));
}

}  // namespace mitra::store
