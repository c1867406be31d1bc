#include "views/instruments.hpp"

#include <algorithm>

#include "core/localized_data.hpp"
#include "views/learn.hpp"

namespace mitra::views {

using nlohmann::json;

namespace {

json references_of(const std::vector<std::string>& keys) { return reference_map(keys); }

}  // namespace

const char* collection_path(const std::string& instrument_id) {
  return instrument_id == "dsm5" || instrument_id == "reflection" ? "/api/v1/reflections"
                                                                  : "/api/v1/checkins";
}

json instrument_json(const core::Instrument& instrument) {
  json items = json::array();
  for (const auto& item : instrument.items) {
    json choices = json::array();
    for (const auto& c : item.choices) choices.push_back({{"score", c.score}, {"label", c.label}});
    items.push_back({{"id", item.id}, {"text", item.text}, {"choices", choices}});
  }
  json bands = json::array();
  for (const auto& b : instrument.bands) {
    bands.push_back(
        {{"id", b.id}, {"min", b.min}, {"max", b.max}, {"label", b.label}, {"text", b.text}});
  }
  return {{"id", instrument.id},
          {"aliases", core::instrument_aliases(instrument.id)},
          {"name", instrument.name},
          {"title", instrument.title},
          {"kind", instrument.kind == core::ResponseKind::yes_no ? "yes_no" : "scale"},
          {"timeframe", instrument.timeframe},
          {"prompt", instrument.prompt},
          {"note", instrument.note},
          {"language_note",
           instrument.language_note.empty() ? json(nullptr) : json(instrument.language_note)},
          {"sources", instrument.sources},
          {"items", items},
          {"bands", bands},
          {"max_total", instrument.max_total},
          {"post_to", collection_path(instrument.id)}};
}

json instrument_document(const core::Instrument& instrument) {
  auto j = instrument_json(instrument);
  j["references"] = references_of(instrument.sources);
  return j;
}

json instruments_json(core::Language language) {
  json list = json::array();
  std::vector<std::string> cited;
  for (const auto& instrument : core::instruments(language)) {
    list.push_back(instrument_json(instrument));
    for (const auto& key : instrument.sources) {
      if (std::find(cited.begin(), cited.end(), key) == cited.end()) cited.push_back(key);
    }
  }
  return {
      {"instruments", list},
      {"references", references_of(cited)},
      {"language", core::language_code(data::content_language("instruments/dsm5.json", language))}};
}

json score_json(const core::Score& score) {
  json items = json::object();
  for (const auto& item : score.items) items[item.id] = item.score;
  json out{{"instrument", score.instrument}, {"total", score.total}, {"items", items}};
  if (score.band) {
    out["band"] = score.band->id;
    out["band_label"] = score.band->label;
    out["text"] = score.band->text;
  } else {
    out["band"] = nullptr;
  }
  return out;
}

json assessment_json(const app::AssessmentResult& result, const core::Instrument& instrument) {
  auto j = score_json(result.score);
  j["id"] = result.id;
  j["sources"] = instrument.sources;
  j["pathways"] = pathways_json(result.pathways);
  if (instrument.kind == core::ResponseKind::yes_no && result.score.band) {
    j["criteria_met"] = result.score.total;
    j["severity"] = result.score.band->id;
  }
  return j;
}

json history_json(const std::vector<app::InstrumentHistory>& history, int days, int limit,
                  const core::TimeZone* zone) {
  json groups = json::array();
  for (const auto& h : history) {
    const auto instrument = core::find_instrument(h.instrument);
    json entries = json::array();
    const std::size_t skip =
        h.entries.size() > static_cast<std::size_t>(limit) ? h.entries.size() - limit : 0;
    for (std::size_t i = skip; i < h.entries.size(); ++i) {
      const auto& e = h.entries[i];
      json items = json::object();
      if (instrument) {
        const auto& defined = (*instrument)->items;
        for (std::size_t n = 0; n < defined.size() && n < e.answers.size(); ++n) {
          items[defined[n].id] = e.answers[n];
        }
      }
      entries.push_back({{"id", e.id},
                         {"taken_at", core::format_utc(e.taken_at)},
                         {"taken_at_local", core::format_local(e.taken_at, zone)},
                         {"total", e.total},
                         {"band", e.band.empty() ? json(nullptr) : json(e.band)},
                         {"answers", e.answers},
                         {"items", items}});
    }
    groups.push_back({{"instrument", h.instrument},
                      {"entries", entries},
                      {"change", h.change ? json(*h.change) : json(nullptr)}});
  }
  return {{"history", groups}, {"days", days}};
}

}  // namespace mitra::views
