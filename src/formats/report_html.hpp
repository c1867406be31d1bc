#pragma once
// The clinician report as a printable HTML page (`mitra report`, GET /api/v1/report): one or two
// A4 or Letter pages, made from the report's document (views/report.hpp) and nothing else, so
// the page and `mitra report --json` say the same. Every text from the document is escaped; the
// page has no script and no outside resource: its one style sheet is inline, allowed by the
// hash in report_content_security_policy().

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace mitra::formats {

// The page. `document` is views::report_json's; a part that is null is left out, with a line
// saying it was not shared.
std::string report_html(const nlohmann::json& document);

// The Content-Security-Policy the page is served with: nothing but its own inline style (by its
// SHA-256), no script, no framing.
const std::string& report_content_security_policy();

// `text` with &, <, >, " and ' escaped for HTML text and attribute values.
std::string escape_html(std::string_view text);

}  // namespace mitra::formats
