#pragma once
// The Store interface: everything mitra keeps. Engines (SQLite, and PostgreSQL in postgres/)
// implement it and pass one shared contract suite (tests/unit/store_test.cpp).
//
// Contract for every engine:
//  - A write that returns success is durable (it survives a crash of the process or machine).
//  - A write either happens whole or not at all.
//  - Writes that carry an idempotency key happen at most once: a retry with the same key
//    returns the record the first call made, and changes nothing.
//  - Every change to the journal is recorded so `undo_last_change` can revert it.
// Thread safety: one Store object is used by one thread at a time; several processes may
// open the same database at once.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/journal.hpp"
#include "core/records.hpp"
#include "core/time.hpp"

namespace mitra::store {

using core::Result;

// A time range, both ends optional; `from` inclusive, `to` exclusive.
struct TimeRange {
  std::optional<core::Instant> from;
  std::optional<core::Instant> to;
};

using core::Assessment;
using core::PlanVersion;

// What `undo_last_change` did, for the person to read.
struct UndoResult {
  std::string description;  // e.g. "removed the dose of 2.5 g logged at …"
  std::string record_id;
};

// What an import does with a record whose id is already in the journal with other content.
enum class OnConflict { fail, skip, replace };

// Everything an import brings, checked by the app before the store sees it.
struct ImportRecords {
  std::vector<core::Dose> doses;
  std::vector<core::SubstanceUse> substance_uses;
  std::vector<core::Product> products;
  std::vector<Assessment> assessments;
  // Identified by plan id and version, in the order they are to be written (oldest first:
  // the last one written is the current plan). The status of a stored version follows from
  // the versions after it, so it is not part of what must match.
  std::vector<PlanVersion> plan_versions;
  // Named values ("zone", "day_start", "profile"), each key once.
  std::vector<std::pair<std::string, std::string>> settings;
};

// What `import_records` found and did.
struct ImportOutcome {
  int imported = 0;         // New records, products and settings written.
  int already_present = 0;  // Same id (product: name; setting: key) and content: nothing to do.
  int replaced = 0;         // Clashes replaced by the imported version (OnConflict::replace).
  int skipped = 0;          // Clashes kept as stored (OnConflict::skip).
  int undoable = 0;         // See below.
  bool written = false;     // False when a clash stopped the import: nothing was written.
  // Everything imported or replaced except products: what one `undo_last_change` reverts.
  // When 0 the import changed nothing that undo covers and added no undo step, so
  // `undo_last_change` still reverts the change before it.

  // One record whose id is taken by other content: where it is in the input and what is
  // stored under its id.
  struct Clash {
    enum class Kind { dose, substance_use, product, assessment, plan_version, setting };
    Kind kind = Kind::dose;
    std::size_t index = 0;  // In the input list of its kind.
    std::optional<core::Dose> stored_dose;
    std::optional<core::SubstanceUse> stored_use;
    std::optional<core::Product> stored_product;
    bool other_kind = false;  // The id is a record of the other kind: never imported.
    std::optional<Assessment> stored_assessment;
    std::optional<PlanVersion> stored_plan_version;  // Never replaced: plans only grow.
    std::optional<std::string> stored_setting;
  };
  // In input order: doses, substance uses, products, assessments, plan versions, settings.
  std::vector<Clash> clashes;
};

class Store {
 public:
  virtual ~Store() = default;

  // Doses. `add_dose` assigns `id` when it is empty; with an idempotency key, a repeated
  // call returns the first call's dose. `fingerprint` stands for the content of the request
  // (the app's normalised input) and is kept with the key: a repeated call whose fingerprint
  // differs is refused (unprocessable) and changes nothing. An empty fingerprint, given now
  // or stored before fingerprints were kept (schema 2 and older), matches any.
  virtual Result<core::Dose> add_dose(core::Dose dose, const std::string& idempotency_key,
                                      const std::string& fingerprint) = 0;
  Result<core::Dose> add_dose(core::Dose dose, const std::string& idempotency_key) {
    return add_dose(std::move(dose), idempotency_key, "");
  }
  virtual Result<core::Dose> get_dose(const std::string& id) = 0;
  // With content identical to the stored dose: writes nothing and adds no undo step.
  virtual Result<core::Dose> update_dose(const core::Dose& dose) = 0;
  virtual Result<core::Dose> delete_dose(const std::string& id) = 0;
  // Doses in `range`, oldest first.
  virtual Result<std::vector<core::Dose>> list_doses(const TimeRange& range) = 0;
  virtual Result<std::optional<core::Dose>> last_dose() = 0;
  virtual Result<std::optional<core::Dose>> first_dose() = 0;
  // For summaries (status, pattern), which read many doses and keep few of their fields: the
  // doses in `range` with id, time, zone, amount, form and product, but note and triggers left
  // empty; oldest first, or newest first; at most `limit` (all when negative).
  enum class Order { oldest_first, newest_first };
  virtual Result<std::vector<core::Dose>> list_doses_brief(const TimeRange& range, Order order,
                                                           int limit) = 0;
  // The amounts of the doses in `range`, oldest first (a day's comparison with the plan).
  virtual Result<std::vector<core::Amount>> list_dose_amounts(const TimeRange& range) = 0;

  // Uses of other substances; the idempotency key and fingerprint as for add_dose.
  virtual Result<core::SubstanceUse> add_substance_use(core::SubstanceUse use,
                                                       const std::string& idempotency_key,
                                                       const std::string& fingerprint) = 0;
  Result<core::SubstanceUse> add_substance_use(core::SubstanceUse use,
                                               const std::string& idempotency_key) {
    return add_substance_use(std::move(use), idempotency_key, "");
  }
  virtual Result<core::SubstanceUse> delete_substance_use(const std::string& id) = 0;
  virtual Result<std::vector<core::SubstanceUse>> list_substance_uses(const TimeRange& range) = 0;

  // Imports many records in one transaction: all or nothing. A record whose id is already
  // stored with the same content (a product: its name, with the same form and weights; a plan
  // version: its plan id and version; a setting: its key) is already present; with other
  // content it clashes, and `on_conflict` says what to do: fail (write nothing at all), skip
  // (keep the stored one) or replace (an undo puts the stored record back; products are not
  // part of undo). A plan version is never replaced (plans only grow): with replace, a clashing
  // one stops the import like fail. An id that belongs to a record of the other kind (a
  // substance use with a dose's id) always clashes and nothing is written. Records with an
  // empty id get a new one. Everything imported or replaced but products is one change for
  // `undo_last_change`.
  virtual Result<ImportOutcome> import_records(const ImportRecords& records,
                                               OnConflict on_conflict) = 0;
  Result<ImportOutcome> import_records(const std::vector<core::Dose>& doses,
                                       const std::vector<core::SubstanceUse>& uses,
                                       const std::vector<core::Product>& products,
                                       OnConflict on_conflict) {
    return import_records(ImportRecords{doses, uses, products, {}, {}, {}}, on_conflict);
  }

  // Reverts the most recent journal change (add, edit, delete or import). An operation that
  // changed nothing is not a change: `update_dose` with the content already stored and an
  // import that wrote nothing but products add nothing to undo.
  virtual Result<UndoResult> undo_last_change() = 0;

  // Assessments, oldest first within a range.
  virtual Result<Assessment> add_assessment(Assessment assessment,
                                            const std::string& idempotency_key) = 0;
  virtual Result<std::vector<Assessment>> list_assessments(const std::string& instrument,
                                                           const TimeRange& range) = 0;

  // Products with their capsule and teaspoon weights, saved by name (a second save of a name
  // replaces the first). With an idempotency key, a repeated call changes nothing and returns
  // the product the first call saved, as it is now; a key first used for another kind of
  // record is a conflict.
  virtual Result<core::Product> put_product(const core::Product& product,
                                            const std::string& idempotency_key) = 0;
  Result<core::Product> put_product(const core::Product& product) {
    return put_product(product, "");
  }
  virtual Result<std::vector<core::Product>> list_products() = 0;

  // Settings and the profile: small named values ("zone", "day_start", "profile" JSON…).
  virtual Result<std::optional<std::string>> get_setting(const std::string& key) = 0;
  virtual Result<void> put_setting(const std::string& key, const std::string& value) = 0;

  // Plans: each change adds a version; nothing is overwritten. With an idempotency key, a
  // repeated call adds nothing and returns the version the first call added; a key first used
  // for another kind of record is a conflict.
  virtual Result<PlanVersion> add_plan_version(PlanVersion version,
                                               const std::string& idempotency_key) = 0;
  Result<PlanVersion> add_plan_version(PlanVersion version) {
    return add_plan_version(std::move(version), "");
  }
  virtual Result<std::optional<PlanVersion>> current_plan() = 0;
  virtual Result<std::vector<PlanVersion>> plan_history(const std::string& plan_id) = 0;
  // The newest version of every plan, the oldest plan first.
  virtual Result<std::vector<PlanVersion>> latest_plan_versions() = 0;

  // Writes a consistent copy of the whole database to `path`.
  virtual Result<void> backup_to(const std::string& path) = 0;

  // Group commit (`mitra serve`'s writer, src/server/write_batch.hpp). Between begin_batch and
  // commit_batch every write of this Store joins one transaction, so many writes share one
  // sync to disk. Inside the batch, work between begin_batch_item and end_batch_item (and each
  // write on its own) can be rolled back alone. Nothing in a batch is durable, or the success
  // of any write in it true, until commit_batch succeeds; if it fails, or after
  // rollback_batch, none of the batch's writes happened. After a failed item end, the batch is
  // lost too (the engine rolled it back): roll it back and report every item as failed.
  // Engines without batches return unavailable from begin_batch.
  enum class BatchItemEnd { keep, discard };
  virtual Result<void> begin_batch() {
    return core::fail(core::ErrorKind::unavailable, "this store cannot group writes", "db");
  }
  virtual Result<void> commit_batch() {
    return core::fail(core::ErrorKind::unavailable, "this store cannot group writes", "db");
  }
  virtual void rollback_batch() {}
  virtual Result<void> begin_batch_item() {
    return core::fail(core::ErrorKind::unavailable, "this store cannot group writes", "db");
  }
  virtual Result<void> end_batch_item(BatchItemEnd /*end*/) {
    return core::fail(core::ErrorKind::unavailable, "this store cannot group writes", "db");
  }

  // For a writer that commits often (group commit). Off: this Store's commits no longer copy
  // the write-ahead log into the database now and then (which made those commits, and every
  // write waiting for them, far slower than the rest); the writer calls checkpoint() when no
  // one waits for a commit instead, which copies the log once it has grown past a few
  // megabytes (fewer, larger copies: a page changed many times is copied once). Engines
  // without a log ignore both.
  enum class Checkpoints { automatic, on_request };
  virtual Result<void> set_checkpoints(Checkpoints /*mode*/) { return {}; }
  virtual Result<void> checkpoint() { return {}; }
  // With checkpoints on request: the log's length in pages after this Store's last commit (it
  // falls when the log starts over). 0 for engines without a log.
  virtual int log_pages() const { return 0; }
  // Copies what the log holds into the database now, without waiting for anyone: for a
  // second connection that keeps the copy close behind a busy writer, so that the writer's own
  // checkpoint() has little left to copy. Never copies what is not on disk (it syncs the log
  // first). Engines without a log ignore it.
  virtual Result<void> copy_log() { return {}; }

  // For a writer that syncs on another thread while it runs the next group. After
  // defer_sync(), this Store's commits return once the group is in the log, perhaps still in
  // the operating system's cache: a commit is durable only when a LogSync::sync() that began
  // after it has returned successfully. sync() may run on any thread while this Store goes on
  // writing (it touches the log file, not the connection). Other readers may see a group
  // before it is durable; only its answers wait. Engines that cannot do this return
  // unavailable, and their commits stay durable as they return.
  class LogSync {
   public:
    virtual ~LogSync() = default;
    virtual Result<void> sync() = 0;
  };
  virtual Result<std::unique_ptr<LogSync>> defer_sync() {
    return core::fail(core::ErrorKind::unavailable, "this store cannot defer syncs", "db");
  }

  // A mark that differs whenever the database may have changed since an earlier mark from this
  // same Store: by this Store or by any other connection or process. Marks of different Store
  // objects are not comparable. For caches of computed documents.
  struct ChangeMark {
    std::uint64_t others = 0;
    std::uint64_t own = 0;
    friend bool operator==(const ChangeMark&, const ChangeMark&) = default;
  };
  virtual Result<ChangeMark> change_mark() {
    return core::fail(core::ErrorKind::unavailable, "this store cannot report changes", "db");
  }
};

enum class OpenMode { read_write, create_if_missing };

// Opens the database at `location`: a postgresql:// or postgres:// URL for PostgreSQL (the
// database must exist; see postgres/postgres_store.hpp), else a file path for SQLite. Creates
// parent folders and the schema when asked; refuses a database written by a newer mitra.
Result<std::unique_ptr<Store>> open_store(const std::string& location, OpenMode mode);

// A new record id: 32 lowercase hex characters, the first 12 the milliseconds since the epoch and
// the other 20 from the OS's random source. Ids made later in a process sort later (byte-wise);
// ids from different processes differ with overwhelming probability. Thread-safe.
std::string new_id();

}  // namespace mitra::store
