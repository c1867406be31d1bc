#pragma once
// Questionnaires as data (data/instruments/*.json) and the one scoring engine that
// validates answers and computes totals and bands: the DSM-5 self-reflection, the
// article's seven reflection questions, SOWS, COWS and the daily check-in. See
// docs/instruments.md. Pure: the embedded data is parsed once, on first use, and cached
// (thread-safe static initialisation); the returned references live for the program.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/language.hpp"

namespace mitra::core {

// How an item is answered: yes/no (true/false, or 0/1) or a score from a fixed set.
enum class ResponseKind { yes_no, scale };

struct Choice {
  int score = 0;
  std::string label;
};

struct Item {
  std::string id;
  std::string text;
  std::vector<Choice> choices;  // The allowed scores, ascending.
};

// A band covers totals min..max inclusive.
struct Band {
  std::string id;  // "none", "mild", "moderate", "moderately_severe", "severe", "some".
  int min = 0;
  int max = 0;
  std::string label;
  std::string text;  // A self-reflection for a person, never a diagnosis.
};

struct Instrument {
  std::string id;    // "dsm5", "reflection", "sows", "cows", "checkin".
  std::string name;  // Short name for messages: "SOWS", "the DSM-5 self-reflection".
  std::string title;
  ResponseKind kind = ResponseKind::scale;
  std::string timeframe;
  std::string prompt;
  std::string note;
  // Set when the items and answer labels stay in English in a translation that has no validated
  // version of the questionnaire (docs/languages.md): says so, in the translation's language.
  // A screen that shows the instrument shows this note with it.
  std::string language_note;
  std::vector<std::string> sources;  // Keys in data/references.json.
  std::vector<Item> items;           // In published order.
  std::vector<Band> bands;           // Contiguous from 0 to max_total; empty for the check-in.
  int max_total = 0;
};

struct ItemScore {
  std::string id;
  int score = 0;
};

struct Score {
  std::string instrument;
  std::vector<ItemScore> items;  // In published order.
  int total = 0;
  std::optional<Band> band;  // Absent for instruments without bands.
};

// Every instrument, in a stable order (dsm5, reflection, sows, cows, checkin), its texts in
// `language` (data/es/instruments/…) or English when there is no translation. Ids, scores and
// bands are the same in every language.
const std::vector<Instrument>& instruments(Language language = kDefaultLanguage);

// The id of the instrument that `id` names: an alias ("daily", the daily check-in) gives its
// instrument's id ("checkin"); any other id is returned as given. The one place aliases live:
// the CLI, the API and the use cases all go through it (or find_instrument).
std::string_view canonical_instrument_id(std::string_view id);
// The aliases of the instrument `id` (its canonical id), for documents that list them.
std::vector<std::string_view> instrument_aliases(std::string_view id);

// The instrument with this id or alias; the error names the field "instrument" and lists the
// ids.
Result<const Instrument*> find_instrument(std::string_view id,
                                          Language language = kDefaultLanguage);

// The band a total falls in, if the instrument has bands.
std::optional<Band> band_for(const Instrument& instrument, int total);

// Scores `answers` for `instrument`. `answers` is either an array in published order or an
// object keyed by item id. Yes/no items take true/false (or 0/1); scale items take an
// integer from the item's allowed scores. Every item must be answered exactly once.
// Errors (field "answers" or "answers.<item id>") name the item and what is accepted,
// and say so when the answers look meant for another instrument.
Result<Score> score_answers(const Instrument& instrument, const nlohmann::json& answers);

// Reads a document `{"instrument": "sows", "answers": …}` ("instrument" is optional and,
// when present, must match) and scores it.
Result<Score> score_document(const Instrument& instrument, const nlohmann::json& document);

}  // namespace mitra::core
