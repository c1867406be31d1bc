#pragma once
// The one JSON shape of journal records, used by exports, imports, the API and the
// store's undo snapshots. Field names are a contract (docs/formats.md).

#include <nlohmann/json.hpp>

#include "core/journal.hpp"
#include "core/records.hpp"
#include "core/time.hpp"

namespace mitra::formats {

using core::Dose;
using core::Instant;
using core::Product;
using core::Result;
using core::SubstanceUse;

// {"id","taken_at","zone","amount","unit","amount_micro","form","product","note","triggers"}
// `amount` is a decimal number for people and scripts; `amount_micro` is the exact value.
nlohmann::json to_json(const Dose& dose);
nlohmann::json to_json(const SubstanceUse& use);
nlohmann::json to_json(const Product& product);

// Reads what `to_json` writes. When `amount_micro` is missing, `amount` may be a number or
// a decimal string. The error names the field (prefixed with `where`, e.g. "doses[3].unit").
Result<Dose> dose_from_json(const nlohmann::json& j, const std::string& where = "");
Result<SubstanceUse> substance_use_from_json(const nlohmann::json& j,
                                             const std::string& where = "");
Result<Product> product_from_json(const nlohmann::json& j, const std::string& where = "");

// A check-in or reflection as it was answered:
// {"id","instrument","taken_at","zone","answers":[scores…],"total","band","note"}. Reading
// checks the shape and types only; whether the answers fit the instrument and give the total
// and band is the app's to check (core::score_answers).
nlohmann::json to_json(const core::Assessment& assessment);
Result<core::Assessment> assessment_from_json(const nlohmann::json& j,
                                              const std::string& where = "");

// A plan version: {"plan_id","version","created_at","status","reason","plan":{…}} where
// "plan" is the plan document itself (formats/plan_json.hpp), checked when read.
nlohmann::json to_json(const core::PlanVersion& version);
Result<core::PlanVersion> plan_version_from_json(const nlohmann::json& j,
                                                 const std::string& where = "");

// Parses an instant written by format_utc or any ISO 8601 form with Z or an offset.
Result<Instant> instant_from_string(const std::string& text, const std::string& field);

}  // namespace mitra::formats
