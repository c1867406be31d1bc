#include "views/exchange.hpp"

namespace mitra::views {

nlohmann::json import_json(const app::ImportSummary& summary) {
  nlohmann::json conflicts = nlohmann::json::array();
  for (const auto& c : summary.conflicts) {
    conflicts.push_back({{"record", c.origin}, {"id", c.id}, {"fields", c.fields}});
  }
  return {{"imported", summary.imported}, {"already_present", summary.already_present},
          {"replaced", summary.replaced}, {"skipped", summary.skipped},
          {"undoable", summary.undoable}, {"message", app::import_undo_message(summary)},
          {"conflicts", conflicts}};
}

}  // namespace mitra::views
