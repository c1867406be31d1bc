#pragma once
// The documents of safety advisories: `mitra safety` (--json) and GET /api/v1/safety; the
// urgent advisories of the status document.

#include <vector>

#include <nlohmann/json.hpp>

#include "core/safety.hpp"

namespace mitra::views {

// {"id","level","message","what_to_do","sources","because","estimate"|null}.
nlohmann::json advisory_json(const core::Advisory& advisory);
// {"advisories": [...]}, urgent first.
nlohmann::json safety_json(const std::vector<core::Advisory>& advisories);

}  // namespace mitra::views
