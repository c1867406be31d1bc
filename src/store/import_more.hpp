#pragma once
// Store::import_records and the reverting of undo-log rows, shared by both engines. Each engine
// gives the few statements they need (ImportEngine), run inside its own open transaction; what
// is compared, counted, written and recorded for undo is decided here once. Built into the
// SQLite engine and the PostgreSQL module.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.hpp"

namespace mitra::store::detail {

// Statements of one engine, inside its open transaction.
class ImportEngine {
 public:
  virtual ~ImportEngine() = default;
  virtual Result<std::optional<core::Dose>> find_dose(const std::string& id) = 0;
  virtual Result<void> insert_dose(const core::Dose& dose) = 0;
  virtual Result<void> delete_dose_row(const std::string& id) = 0;
  virtual Result<std::optional<core::SubstanceUse>> find_use(const std::string& id) = 0;
  virtual Result<void> insert_use(const core::SubstanceUse& use) = 0;
  virtual Result<void> delete_use_row(const std::string& id) = 0;
  virtual Result<std::vector<core::Product>> list_products() = 0;
  virtual Result<void> upsert_product(const core::Product& product) = 0;
  virtual Result<std::optional<Assessment>> find_assessment(const std::string& id) = 0;
  virtual Result<void> insert_assessment(const Assessment& assessment) = 0;
  virtual Result<void> delete_assessment(const std::string& id) = 0;
  virtual Result<std::optional<PlanVersion>> find_plan_version(const std::string& plan_id,
                                                               int version) = 0;
  // Written after every stored version (the last one written is the current plan).
  virtual Result<void> insert_plan_version(const PlanVersion& version) = 0;
  virtual Result<void> delete_plan_version(const std::string& plan_id, int version) = 0;
  virtual Result<std::optional<std::string>> read_setting(const std::string& key) = 0;
  virtual Result<void> write_setting(const std::string& key, const std::string& value) = 0;
  virtual Result<void> delete_setting(const std::string& key) = 0;
  // One row of the undo log.
  virtual Result<void> record_change(const std::string& batch, const char* kind, const char* op,
                                     const std::string& id,
                                     const std::optional<nlohmann::json>& before) = 0;
};

// Store::import_records inside the engine's open transaction: looks every record up first and
// writes nothing when a clash must stop the import (ImportOutcome::written false).
Result<ImportOutcome> import_all(ImportEngine& engine, const ImportRecords& records,
                                 OnConflict on_conflict);

// Reverts one undo-log row (`kind` "dose", "substance_use", "assessment", "plan_version" or
// "setting"; `op` "insert", "update" or "delete"; `before` the record before the change).
Result<void> revert_change(ImportEngine& engine, const std::string& kind, const std::string& op,
                           const std::string& id, const std::optional<std::string>& before);

// What undo says it took back: "dose", "substance use", "check-in", "plan version", "setting".
std::string change_kind_words(const std::string& kind);

// What undoing did, for the person to read: `count` records of the last group, the last of
// which was of `kind` and changed by `op` ("insert", "update", "delete").
core::Sentence undo_description(const std::string& kind, const std::string& op, std::size_t count);

}  // namespace mitra::store::detail
