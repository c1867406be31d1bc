#include "core/instruments.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "core/localized_data.hpp"

namespace mitra::core {

namespace {

using nlohmann::json;

constexpr const char* kInstrumentFiles[] = {"instruments/dsm5.json", "instruments/reflection.json",
                                            "instruments/sows.json", "instruments/cows.json",
                                            "instruments/checkin.json"};

std::vector<Choice> read_choices(const json& array) {
  std::vector<Choice> choices;
  for (const auto& c : array) {
    choices.push_back(Choice{c.at("score").get<int>(), c.at("label").get<std::string>()});
  }
  std::sort(choices.begin(), choices.end(),
            [](const Choice& a, const Choice& b) { return a.score < b.score; });
  return choices;
}

// Embedded data is reviewed and tested; a malformed file is a build defect, so it throws.
Instrument read_instrument(std::string_view path, Language language) {
  const auto text = data::find_localized(path, language);
  if (!text) throw std::logic_error("embedded instrument missing: " + std::string(path));
  const json doc = json::parse(text->content);
  Instrument in;
  in.id = doc.at("id").get<std::string>();
  in.name = doc.at("name").get<std::string>();
  in.title = doc.at("title").get<std::string>();
  in.kind =
      doc.at("kind").get<std::string>() == "yes_no" ? ResponseKind::yes_no : ResponseKind::scale;
  in.timeframe = doc.value("timeframe", "");
  in.prompt = doc.value("prompt", "");
  in.note = doc.value("note", "");
  in.language_note = doc.value("language_note", "");
  in.sources = doc.at("sources").get<std::vector<std::string>>();
  std::vector<Choice> shared;
  if (doc.contains("choices")) shared = read_choices(doc.at("choices"));
  for (const auto& i : doc.at("items")) {
    Item item{i.at("id").get<std::string>(), i.at("text").get<std::string>(), shared};
    if (i.contains("choices")) item.choices = read_choices(i.at("choices"));
    if (item.choices.empty()) throw std::logic_error("instrument item without choices: " + item.id);
    in.max_total += item.choices.back().score;
    in.items.push_back(std::move(item));
  }
  for (const auto& b : doc.at("bands")) {
    in.bands.push_back(Band{b.at("id").get<std::string>(), b.at("min").get<int>(),
                            b.at("max").get<int>(), b.at("label").get<std::string>(),
                            b.at("text").get<std::string>()});
  }
  return in;
}

std::string join_scores(const std::vector<Choice>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += (i + 1 == choices.size()) ? " or " : ", ";
    out += std::to_string(choices[i].score);
  }
  return out;
}

bool contiguous(const std::vector<Choice>& choices) {
  for (std::size_t i = 1; i < choices.size(); ++i) {
    if (choices[i].score != choices[i - 1].score + 1) return false;
  }
  return true;
}

// "true or false (1 or 0)", "a whole number from 0 to 4", "one of 0, 1, 2 or 4".
Sentence accepted(const Instrument& in, const Item& item) {
  if (in.kind == ResponseKind::yes_no) {
    return sentence("true (yes) or false (no); 1 and 0 also work");
  }
  if (contiguous(item.choices)) {
    return sentence("a whole number from {lowest} to {highest}",
                    {{"lowest", std::to_string(item.choices.front().score)},
                     {"highest", std::to_string(item.choices.back().score)}});
  }
  return sentence("one of {scores}", {{"scores", join_scores(item.choices)}});
}

std::string describe(const json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

// `index` is the answer's place in a list (from 1), or 0 for an answer keyed by item id.
Result<int> read_answer(const Instrument& in, const Item& item, const json& value,
                        std::size_t index) {
  const std::string field = "answers." + item.id;
  const Sentence where =
      index == 0
          ? sentence("item \"{id}\" ({text})", {{"id", item.id}, {"text", item.text}})
          : sentence("item \"{id}\" ({text}), number {number} in the list,",
                     {{"id", item.id}, {"text", item.text}, {"number", std::to_string(index)}});
  if (value.is_null()) {
    return invalid(
        field,
        index == 0
            ? sentence("Item \"{id}\" ({text}) has no answer; give {accepted}.",
                       {{"id", item.id}, {"text", item.text}})
                  .with("accepted", accepted(in, item))
            : sentence("Item \"{id}\" ({text}), number {number} in the list, has "
                       "no answer; give {accepted}.",
                       {{"id", item.id}, {"text", item.text}, {"number", std::to_string(index)}})
                  .with("accepted", accepted(in, item)));
  }
  std::optional<long long> score;
  if (in.kind == ResponseKind::yes_no && value.is_boolean()) {
    score = value.get<bool>() ? 1 : 0;
  } else if (value.is_number_integer()) {
    score = value.get<long long>();
  }
  if (!score) {
    return invalid(field,
                   sentence("The answer {answer} for {where} is not accepted; give {accepted}.",
                            {{"answer", describe(value)}})
                       .with("where", where)
                       .with("accepted", accepted(in, item)));
  }
  const auto match = std::find_if(item.choices.begin(), item.choices.end(),
                                  [&](const Choice& c) { return c.score == *score; });
  if (match == item.choices.end()) {
    return invalid(field,
                   sentence("The answer {answer} for {where} is out of range; give {accepted}.",
                            {{"answer", describe(value)}})
                       .with("where", where)
                       .with("accepted", accepted(in, item)));
  }
  return match->score;
}

// Which other instrument owns this item id, if any.
const Instrument* owner_of(std::string_view item_id, const Instrument& except) {
  for (const auto& other : instruments()) {
    if (other.id == except.id) continue;
    for (const auto& item : other.items) {
      if (item.id == item_id) return &other;
    }
  }
  return nullptr;
}

std::string item_ids(const Instrument& in) {
  std::string out;
  for (std::size_t i = 0; i < in.items.size(); ++i) {
    if (i > 0) out += ", ";
    out += in.items[i].id;
  }
  return out;
}

}  // namespace

const std::vector<Instrument>& instruments(Language language) {
  return data::once_per_language(language, [](Language lang) {
    std::vector<Instrument> out;
    for (const char* path : kInstrumentFiles) out.push_back(read_instrument(path, lang));
    return out;
  });
}

namespace {

struct Alias {
  std::string_view alias;
  std::string_view id;
};
constexpr std::array<Alias, 1> kAliases{{{"daily", "checkin"}}};

}  // namespace

std::string_view canonical_instrument_id(std::string_view id) {
  for (const auto& [alias, canonical] : kAliases) {
    if (id == alias) return canonical;
  }
  return id;
}

std::vector<std::string_view> instrument_aliases(std::string_view id) {
  std::vector<std::string_view> out;
  for (const auto& [alias, canonical] : kAliases) {
    if (id == canonical) out.push_back(alias);
  }
  return out;
}

Result<const Instrument*> find_instrument(std::string_view given, Language language) {
  const auto id = canonical_instrument_id(given);
  std::string ids;
  for (const auto& in : instruments(language)) {
    if (in.id == id) return &in;
    ids += ids.empty() ? in.id : ", " + in.id;
  }
  return invalid("instrument", sentence("Unknown instrument \"{given}\"; use one of {ids}.",
                                        {{"given", std::string(given)}, {"ids", ids}}));
}

std::optional<Band> band_for(const Instrument& instrument, int total) {
  for (const auto& band : instrument.bands) {
    if (total >= band.min && total <= band.max) return band;
  }
  return std::nullopt;
}

Result<Score> score_answers(const Instrument& in, const json& answers) {
  const std::size_t count = in.items.size();
  Score result;
  result.instrument = in.id;
  if (answers.is_array()) {
    if (answers.size() != count) {
      // The instruments that take that many answers: the first, and the rest ("B and C").
      std::string first;
      std::string rest;
      for (const auto& other : instruments()) {
        if (other.id != in.id && other.items.size() == answers.size()) {
          if (first.empty()) {
            first = other.name;
          } else {
            rest += rest.empty() ? other.name : " and " + other.name;
          }
        }
      }
      const Sentence wrong = sentence(
          "The answers list has {given} entries but {name} takes exactly {count}, one per item in "
          "published order ({items}).",
          {{"given", std::to_string(answers.size())},
           {"name", in.name},
           {"count", std::to_string(count)},
           {"items", item_ids(in)}});
      if (first.empty()) return invalid("answers", wrong);
      if (rest.empty()) {
        return invalid("answers", sentence("{wrong} That is the number {others} takes; were these "
                                           "answers meant for it?",
                                           {{"others", first}})
                                      .with("wrong", wrong));
      }
      return invalid("answers",
                     sentence("{wrong} That is the number {first} takes and {rest}; were "
                              "these answers meant for it?",
                              {{"first", first}, {"rest", rest}})
                         .with("wrong", wrong));
    }
    for (std::size_t i = 0; i < count; ++i) {
      const auto& item = in.items[i];
      auto score = read_answer(in, item, answers[i], i + 1);
      if (!score) return tl::unexpected(score.error());
      result.items.push_back(ItemScore{item.id, *score});
      result.total += *score;
    }
  } else if (answers.is_object()) {
    // Not a structured binding: clang 14 refuses a lambda that captures one (C++20 allows it).
    for (const auto& entry : answers.items()) {
      const std::string& key = entry.key();
      const bool known = std::any_of(in.items.begin(), in.items.end(),
                                     [&](const Item& item) { return item.id == key; });
      if (known) continue;
      if (const Instrument* other = owner_of(key, in)) {
        return invalid("answers." + key,
                       sentence("Item \"{key}\" belongs to {name}, not to {name2}; were these "
                                "answers meant for {id}? The items of {name2} are {items}.",
                                {{"key", key},
                                 {"name", other->name},
                                 {"name2", in.name},
                                 {"id", other->id},
                                 {"items", item_ids(in)}}));
      }
      return invalid("answers." + key,
                     sentence("Unknown item \"{key}\" for {name}; the items are {items}.",
                              {{"key", key}, {"name", in.name}, {"items", item_ids(in)}}));
    }
    for (const auto& item : in.items) {
      const auto it = answers.find(item.id);
      auto score = read_answer(in, item, it == answers.end() ? json() : *it, 0);
      if (!score) return tl::unexpected(score.error());
      result.items.push_back(ItemScore{item.id, *score});
      result.total += *score;
    }
  } else {
    return invalid("answers",
                   sentence("The answers must be a list of {count} answers in published order or "
                            "an object keyed by item id ({items}); got {answers}.",
                            {{"count", std::to_string(count)},
                             {"items", item_ids(in)},
                             {"answers", describe(answers)}}));
  }
  result.band = band_for(in, result.total);
  return result;
}

Result<Score> score_document(const Instrument& in, const json& document) {
  if (!document.is_object()) {
    return invalid(
        "answers",
        sentence("The answers document must be a JSON object like {\"answers\": [...]} for {name}.",
                 {{"name", in.name}}));
  }
  if (const auto it = document.find("instrument"); it != document.end()) {
    if (!it->is_string() || it->get<std::string>() != in.id) {
      return invalid("instrument",
                     sentence("These answers are marked for instrument {type} but {name} "
                              "(\"{id}\") was asked for; send answers for {id}.",
                              {{"type", describe(*it)}, {"name", in.name}, {"id", in.id}}));
    }
  }
  const auto answers = document.find("answers");
  if (answers == document.end()) {
    return invalid("answers",
                   sentence("The document has no \"answers\"; give a list of {items} answers for "
                            "{name} or an object keyed by item id.",
                            {{"items", std::to_string(in.items.size())}, {"name", in.name}}));
  }
  return score_answers(in, *answers);
}

}  // namespace mitra::core
