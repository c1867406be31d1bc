#include "views/exchange.hpp"

namespace mitra::views {

nlohmann::json import_json(const app::ImportSummary& summary) {
  nlohmann::json conflicts = nlohmann::json::array();
  for (const auto& c : summary.conflicts) {
    conflicts.push_back({{"record", c.origin}, {"id", c.id}, {"fields", c.fields}});
  }
  const auto& kinds = summary.imported_by_kind;
  return {{"imported", summary.imported},
          {"imported_by_kind",
           {{"doses", kinds.doses},
            {"substance_uses", kinds.substance_uses},
            {"products", kinds.products},
            {"assessments", kinds.assessments},
            {"plans", kinds.plan_versions},
            {"settings", kinds.settings}}},
          {"already_present", summary.already_present},
          {"replaced", summary.replaced},
          {"skipped", summary.skipped},
          {"undoable", summary.undoable},
          {"message", app::import_undo_message(summary)},
          {"conflicts", conflicts}};
}

}  // namespace mitra::views
