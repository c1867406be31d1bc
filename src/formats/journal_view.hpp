#pragma once
// JSON views of journal records and patterns, shared by the CLI (--json) and the HTTP API so
// both print the same shapes. Moved here from cli/render so the server does not copy them.

#include <string>

#include <nlohmann/json.hpp>

#include "core/journal.hpp"
#include "core/pattern.hpp"

namespace mitra::formats {

// The `log` object of the JSON contract, with times also in the person's zone.
nlohmann::json dose_json(const core::Dose& dose, const date::time_zone* zone);
nlohmann::json use_json(const core::SubstanceUse& use, const date::time_zone* zone);
// The same documents as JSON text, written directly: equal byte for byte to
// dose_json(dose, zone).dump() (and use_json(…).dump()), without building the document first.
// The server answers every logged dose with one; building, dumping and freeing the document
// took about a fifth of an IO thread's time (perf, POST /doses at 64 connections).
std::string dose_json_text(const core::Dose& dose, const date::time_zone* zone);
std::string use_json_text(const core::SubstanceUse& use, const date::time_zone* zone);
nlohmann::json pattern_json(const core::Pattern& pattern);

}  // namespace mitra::formats
