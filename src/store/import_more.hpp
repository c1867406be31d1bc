#pragma once
// The part of Store::import_records that both engines share: check-ins and reflections
// (assessments), plan versions and settings. Each engine gives the few statements it needs
// (ImportEngine), run inside its own open transaction; what is compared, counted, written and
// recorded for undo is decided here once. Built into the SQLite engine and the PostgreSQL module.

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

enum class Found { absent, same, clash };

struct MoreFound {
  std::vector<Found> assessments;
  std::vector<Found> plan_versions;
  std::vector<Found> settings;
  bool stop = false;  // A clash that no policy may resolve: nothing is written.
};

// Looks every assessment, plan version and setting of `records` up and adds each clash to
// `out.clashes`. A plan version that clashes under OnConflict::replace stops the import.
Result<MoreFound> check_more(ImportEngine& engine, const ImportRecords& records,
                             OnConflict on_conflict, ImportOutcome& out);

// Writes what check_more found absent, or clashing under replace, as part of undo group
// `batch`, and counts it in `out`.
Result<void> write_more(ImportEngine& engine, const ImportRecords& records, const MoreFound& found,
                        const std::string& batch, OnConflict on_conflict, ImportOutcome& out);

// Reverts one undo-log row written by write_more. False when `kind` is none of its kinds
// (a dose or a substance use: the engine's own).
Result<bool> revert_more(ImportEngine& engine, const std::string& kind, const std::string& op,
                         const std::string& id, const std::optional<std::string>& before);

// "check-in", "plan version" or "setting" for an undo-log kind of write_more; "" for others.
std::string change_kind_words(const std::string& kind);

}  // namespace mitra::store::detail
