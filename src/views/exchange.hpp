#pragma once
// The document of an import: `mitra import` (--json) and POST /api/v1/import.

#include <nlohmann/json.hpp>

#include "app/exchange.hpp"

namespace mitra::views {

// {"imported","already_present","replaced","skipped","undoable","message",
//  "conflicts":[{"record","id","fields"}]}.
nlohmann::json import_json(const app::ImportSummary& summary);

}  // namespace mitra::views
