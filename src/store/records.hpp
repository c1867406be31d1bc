#pragma once
// The records interface: everything mitra keeps (doses, substance uses, products, check-ins,
// plans, settings, the undo log), engine-neutral. The use cases (src/app) read and write through
// it and nothing else; both engines implement it and pass one contract suite
// (tests/unit/store_test.cpp, `Engines/StoreTest.*`). How the engine groups, syncs and
// maintains its writes is the other interface, Engine (engine.hpp).
//
// Contract for every engine:
//  - A write that returns success is durable (it survives a crash of the process or machine),
//    unless the engine runs it inside a group (Engine::begin_batch): then it is durable once the
//    group is committed, and the success of every write of the group rests on that commit.
//  - A write either happens whole or not at all.
//  - Writes that carry an idempotency key happen at most once: a retry with the same key
//    returns the record the first call made, and changes nothing.
//  - Every change to the journal is recorded so `undo_last_change` can revert it.
// Thread safety: one Records object is used by one thread at a time; several processes may
// open the same database at once.

#include <cstddef>
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
  std::string description;  // e.g. "removed the dose that was just logged" (the English of `text`)
  std::string record_id;
  core::Sentence text{};  // The description, to be translated (app::undo does).
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
// How many of each kind an import wrote anew: the kinds of an export file (docs/formats.md).
struct ImportCounts {
  int doses = 0;
  int substance_uses = 0;
  int products = 0;
  int assessments = 0;    // Check-ins and reflections.
  int plan_versions = 0;  // The export's "plans".
  int settings = 0;       // The profile among them.
  friend bool operator==(const ImportCounts&, const ImportCounts&) = default;
};

struct ImportOutcome {
  int imported = 0;               // New records, products and settings written: the sum of…
  ImportCounts imported_by_kind;  // …these.
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

class Records {
 public:
  virtual ~Records() = default;

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
};

}  // namespace mitra::store
