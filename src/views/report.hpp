#pragma once
// The clinician report's document: `mitra report --json`, the data behind `mitra report`'s and
// GET /api/v1/report's HTML (formats/report_html.hpp renders this document, so the page and the
// JSON cannot say different things), and GET /api/v1/report?format=json.

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "app/report.hpp"

namespace mitra::views {

// {"title","generated_at","generated_at_local","zone","from","to","days","scopes",
//  "pattern","journal","checkins","reflections","plan","advisories","help","disclaimer",
//  "references"}. A part outside the report's scopes is null (docs/report.md lists each part's
// keys). Every health statement is {"text","sources"}; "references" resolves every source key
// the document cites.
nlohmann::json report_json(const app::Context& context, const app::Report& report);

}  // namespace mitra::views
