#pragma once
// The documents of questionnaires and their answers: the instruments (`mitra instruments
// [ID]`, GET /api/v1/instruments[/{id}]), a scored check-in or reflection (`mitra checkin`,
// `mitra reflect`, POST /api/v1/checkins, /reflections) and their history (`mitra history`,
// GET /api/v1/checkins, /reflections).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/history.hpp"
#include "app/understanding.hpp"
#include "core/instruments.hpp"

namespace mitra::views {

// Where answers to `instrument_id` are posted: "/api/v1/checkins" (sows, cows, checkin) or
// "/api/v1/reflections" (dsm5, reflection).
const char* collection_path(const std::string& instrument_id);

// {"id","aliases","name","title","kind","timeframe","prompt","note","language_note","sources",
//  "items","bands","max_total","post_to"}: "language_note" is null unless the items stay in
// English in a translation (docs/languages.md, "Questionnaires").
nlohmann::json instrument_json(const core::Instrument& instrument);
// One instrument with "references" (what its sources resolve to).
nlohmann::json instrument_document(const core::Instrument& instrument);
// {"instruments": [every instrument, in `language`], "references": {…}, "language"}.
nlohmann::json instruments_json(core::Language language = core::kDefaultLanguage);

// {"instrument","total","items":{id: score},"band","band_label","text"}.
nlohmann::json score_json(const core::Score& score);
// A stored check-in or reflection: score_json, "id" (the stored assessment), "sources" (the
// instrument's) and "pathways"; a reflection (yes/no items) also "criteria_met" and "severity".
nlohmann::json assessment_json(const app::AssessmentResult& result,
                               const core::Instrument& instrument);

// {"history": [{"instrument","entries":[{"id","taken_at","taken_at_local","total","band",
//  "answers","items"}],"change"}], "days"}: the newest `limit` entries of each instrument,
// oldest first, of the instruments in `history`.
nlohmann::json history_json(const std::vector<app::InstrumentHistory>& history, int days, int limit,
                            const core::TimeZone* zone);

}  // namespace mitra::views
