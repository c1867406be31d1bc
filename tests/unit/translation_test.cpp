// Issue 18, item 6: every clinical text a person reads exists in every supported language, and a
// translation says nothing the English does not. For each English file in data/ (except the
// citations in references.json) the translation data/<code>/<same path> must exist and have
// exactly the same shape: the same keys, the same array lengths and order, the same numbers,
// and the same codes (ids, levels, kinds, topics, flags, forms, substances, reasons, severities,
// sources). Every other string must be present, non-empty, carry the same numbers as the English
// (so a timing or a phone number cannot drift), and read differently from the English - except
// proper names, URLs, text without letters, and the items of a questionnaire kept in English.
//
// A questionnaire is kept in English when no validated version in the language is cited
// (docs/languages.md): its translation then has a `language_note` that explains this, and its
// items and answer labels are the English ones, character for character.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/embedded.hpp"
#include "core/language.hpp"
#include "core/localized_data.hpp"

namespace mitra::data {
namespace {

using nlohmann::json;

// Keys whose values are codes a program matches on: never translated.
const std::set<std::string> kCodeKeys = {"id",    "level",      "kind",    "topic",      "flag",
                                         "forms", "substances", "reasons", "severities", "sources"};

// Files whose top-level "note" is written for developers, so it may stay in English.
const std::set<std::string> kDeveloperNoteFiles = {"advisories.json", "help.json", "pathways.json",
                                                   "taper.json", "evidence/withdrawal.json"};

// Strings a translation keeps as they are: proper names of services, contacts with letters in
// them, the scales' own abbreviations, and words spelled the same in both languages.
const std::set<std::string> kSameInEveryLanguage = {"988 Suicide & Crisis Lifeline",
                                                    "Poison Help",
                                                    "SAMHSA National Helpline",
                                                    "FindTreatment.gov",
                                                    "1-800-662-4357 (1-800-662-HELP)",
                                                    "SOWS",
                                                    "COWS",
                                                    "no"};

bool has_letters(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

// The numbers a text states, as digit strings, sorted: "29.5%" and "29,5 %" both give {"295"},
// "1-800-222-1222" gives {"1", "1222", "222", "800"}. A decimal or thousands separator between
// digits joins them, so each language may write its own separators.
std::vector<std::string> numbers_in(std::string_view text) {
  std::vector<std::string> out;
  std::string run;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      run += c;
      continue;
    }
    const bool joins = (c == '.' || c == ',') && !run.empty() && i + 1 < text.size() &&
                       text[i + 1] >= '0' && text[i + 1] <= '9';
    if (joins) continue;
    if (!run.empty()) out.push_back(run);
    run.clear();
  }
  if (!run.empty()) out.push_back(run);
  std::sort(out.begin(), out.end());
  return out;
}

std::string lower_ascii(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

struct Difference {
  std::string where;
  std::string what;
};

// Compares an English document with its translation; every difference found is added to `out`.
class Comparison {
 public:
  Comparison(std::string file, std::vector<Difference>& out) : file_(std::move(file)), out_(out) {}

  void compare(const json& en, const json& tr) {
    const bool instrument = file_.starts_with("instruments/");
    kept_in_english_ = instrument && tr.is_object() && tr.contains("language_note");
    if (kept_in_english_) {
      const auto& note = tr.at("language_note");
      if (!note.is_string() || note.get<std::string>().empty()) {
        fail("language_note", "must be a non-empty explanation in the translation's language");
      }
    }
    value(en, tr, "", {});
  }

 private:
  void fail(const std::string& where, const std::string& what) {
    out_.push_back({file_ + ": " + where, what});
  }

  // `keys` is the chain of object keys from the root ("items", "choices", "label"…).
  void value(const json& en, const json& tr, const std::string& where,
             const std::vector<std::string>& keys) {
    if (en.type() != tr.type()) {
      fail(where,
           "is a " + std::string(tr.type_name()) + " but the English is a " + en.type_name());
      return;
    }
    if (en.is_object()) {
      for (const auto& [key, english] : en.items()) {
        if (!tr.contains(key)) {
          fail(where + "." + key, "is missing");
          continue;
        }
        auto next = keys;
        next.push_back(key);
        value(english, tr.at(key), where + "." + key, next);
      }
      for (const auto& [key, unused] : tr.items()) {
        const bool allowed = key == "language_note" && where.empty() && kept_in_english_;
        if (!en.contains(key) && !allowed) fail(where + "." + key, "is not in the English file");
      }
    } else if (en.is_array()) {
      if (en.size() != tr.size()) {
        fail(where, "has " + std::to_string(tr.size()) + " entries but the English has " +
                        std::to_string(en.size()));
        return;
      }
      for (std::size_t i = 0; i < en.size(); ++i) {
        value(en[i], tr[i], where + "[" + std::to_string(i) + "]", keys);
      }
    } else if (en.is_string()) {
      text(en.get<std::string>(), tr.get<std::string>(), where, keys);
    } else if (en != tr) {
      fail(where, "is " + tr.dump() + " but the English is " + en.dump());
    }
  }

  void text(const std::string& en, const std::string& tr, const std::string& where,
            const std::vector<std::string>& keys) {
    const std::string key = keys.empty() ? "" : keys.back();
    const bool code = std::any_of(keys.begin(), keys.end(),
                                  [](const std::string& k) { return kCodeKeys.contains(k); });
    if (code) {
      if (en != tr) fail(where, "is a code and must stay \"" + en + "\", not \"" + tr + "\"");
      return;
    }
    if (tr.empty()) {
      fail(where, "is empty");
      return;
    }
    if (keys.size() == 1 && key == "note" && kDeveloperNoteFiles.contains(file_)) return;
    if (numbers_in(en) != numbers_in(tr)) {
      fail(where, "states other numbers than the English \"" + en + "\": \"" + tr + "\"");
    }
    const bool questionnaire_item =
        (keys.size() == 2 && keys[0] == "items" && key == "text") ||
        (key == "label" && std::find(keys.begin(), keys.end(), "choices") != keys.end());
    if (kept_in_english_ && questionnaire_item) {
      if (en != tr) {
        fail(where,
             "is an item of a questionnaire kept in English (language_note) and must be "
             "the English \"" +
                 en + "\"");
      }
      return;
    }
    const bool exempt =
        !has_letters(en) || en.starts_with("https://") || kSameInEveryLanguage.contains(en);
    if (!exempt && en == tr) fail(where, "is still the English \"" + en + "\"");
  }

  std::string file_;
  std::vector<Difference>& out_;
  bool kept_in_english_ = false;
};

std::vector<Difference> compare_file(std::string_view path, core::Language language) {
  std::vector<Difference> out;
  const auto translated = find(localized_path(path, language));
  if (!translated) {
    out.push_back({std::string(path), "has no translation " + localized_path(path, language)});
    return out;
  }
  const json en = json::parse(*find(path));
  const json tr = json::parse(*translated, nullptr, false);
  if (tr.is_discarded()) {
    out.push_back({localized_path(path, language), "is not valid JSON"});
    return out;
  }
  Comparison(std::string(path), out).compare(en, tr);
  return out;
}

TEST(Translation, EveryClinicalFileHasEveryLanguageWithTheSameShapeIdsAndSources) {
  const auto files = translatable_files();
  ASSERT_GE(files.size(), 13u);
  for (const auto language : core::kLanguages) {
    if (language == core::Language::en) continue;
    for (const auto path : files) {
      for (const auto& d : compare_file(path, language)) {
        ADD_FAILURE() << core::language_code(language) << " " << d.where << " " << d.what;
      }
    }
  }
}

// The comparison itself: a broken translation is caught, with the place named.
TEST(Translation, ComparisonNamesEachKindOfDrift) {
  const json en = json::parse(R"({
    "note": "for developers",
    "rules": [{"id": "a", "level": "urgent", "message": "Call 911 within 24 hours.",
               "sources": ["S1"], "window_hours": 24}]
  })");
  const auto differences = [&](const json& tr) {
    std::vector<Difference> out;
    Comparison("advisories.json", out).compare(en, tr);
    std::vector<std::string> lines;
    for (const auto& d : out) lines.push_back(d.where + " " + d.what);
    return lines;
  };
  json good = en;
  good["rules"][0]["message"] = "Llame al 911 antes de 24 horas.";
  EXPECT_EQ(differences(good), std::vector<std::string>{});

  json changed_number = good;
  changed_number["rules"][0]["message"] = "Llame al 911 antes de 48 horas.";
  json untranslated = good;
  untranslated["rules"][0]["message"] = "Call 911 within 24 hours.";
  json changed_code = good;
  changed_code["rules"][0]["level"] = "urgente";
  json changed_source = good;
  changed_source["rules"][0]["sources"] = json::array({"S2"});
  json missing_key = good;
  missing_key["rules"][0].erase("window_hours");
  json extra_entry = good;
  extra_entry["rules"].push_back(good["rules"][0]);
  json empty = good;
  empty["rules"][0]["message"] = "";

  EXPECT_EQ(differences(changed_number),
            std::vector<std::string>{"advisories.json: .rules[0].message states other numbers "
                                     "than the English \"Call 911 within 24 hours.\": \"Llame al "
                                     "911 antes de 48 horas.\""});
  EXPECT_EQ(differences(untranslated),
            std::vector<std::string>{
                "advisories.json: .rules[0].message is still the English \"Call 911 within 24 "
                "hours.\""});
  EXPECT_EQ(differences(changed_code),
            std::vector<std::string>{"advisories.json: .rules[0].level is a code and must stay "
                                     "\"urgent\", not \"urgente\""});
  EXPECT_EQ(differences(changed_source),
            std::vector<std::string>{"advisories.json: .rules[0].sources[0] is a code and must "
                                     "stay \"S1\", not \"S2\""});
  EXPECT_EQ(differences(missing_key),
            std::vector<std::string>{"advisories.json: .rules[0].window_hours is missing"});
  EXPECT_EQ(
      differences(extra_entry),
      std::vector<std::string>{"advisories.json: .rules has 2 entries but the English has 1"});
  EXPECT_EQ(differences(empty),
            std::vector<std::string>{"advisories.json: .rules[0].message is empty"});
}

TEST(Translation, AQuestionnaireKeptInEnglishExplainsWhyAndKeepsItsItemsExactly) {
  const json en = json::parse(R"({"id": "x", "prompt": "Rate each.",
    "items": [{"id": "a", "text": "Anxious"}], "choices": [{"score": 0, "label": "not at all"}],
    "bands": [{"id": "none", "label": "below 5", "text": "No withdrawal."}]})");
  json tr = en;
  tr["prompt"] = "Califique cada uno.";
  tr["bands"][0]["label"] = "menos de 5";
  tr["bands"][0]["text"] = "Sin abstinencia.";
  tr["language_note"] = "Las preguntas se muestran en inglés.";
  std::vector<Difference> out;
  Comparison("instruments/x.json", out).compare(en, tr);
  EXPECT_TRUE(out.empty());

  tr["items"][0]["text"] = "Ansioso";
  out.clear();
  Comparison("instruments/x.json", out).compare(en, tr);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].where, "instruments/x.json: .items[0].text");

  // Without the note, the items must be translated like any other text.
  tr.erase("language_note");
  tr["items"][0]["text"] = "Anxious";
  out.clear();
  Comparison("instruments/x.json", out).compare(en, tr);
  ASSERT_EQ(out.size(), 2u);  // In key order.
  EXPECT_EQ(out[0].where, "instruments/x.json: .choices[0].label");
  EXPECT_EQ(out[1].where, "instruments/x.json: .items[0].text");
}

TEST(Translation, NumbersAreComparedWhateverTheSeparators) {
  EXPECT_EQ(numbers_in("29.5% (14.0% mild)"), numbers_in("29,5 % (14,0 % leve)"));
  EXPECT_EQ(numbers_in("3,434 reports"), numbers_in("3434 reportes"));
  EXPECT_EQ(numbers_in("1-800-222-1222"), (std::vector<std::string>{"1", "1222", "222", "800"}));
  EXPECT_NE(numbers_in("12 to 24 hours"), numbers_in("12 a 36 horas"));
  EXPECT_NE(numbers_in("24/7"), numbers_in("24 horas"));
}

// The same self-check rule as the English (evidence_test): no text claims a diagnosis.
TEST(Translation, NoSpanishTextClaimsADiagnosis) {
  int strings = 0;
  const std::function<void(const json&, const std::string&)> walk = [&](const json& j,
                                                                        const std::string& at) {
    if (j.is_string()) {
      ++strings;
      std::string lower = lower_ascii(j.get<std::string>());
      for (const std::string allowed :
           {"no es un diagn\u00f3stico", "diagn\u00f3stico dual", "dual_diagnosis"}) {
        for (auto pos = lower.find(allowed); pos != std::string::npos; pos = lower.find(allowed)) {
          lower.replace(pos, allowed.size(), "");
        }
      }
      EXPECT_EQ(lower.find("diagn"), std::string::npos) << at << ": " << j.get<std::string>();
      EXPECT_EQ(lower.find("es adict"), std::string::npos) << at << ": " << j.get<std::string>();
    } else if (j.is_object()) {
      for (const auto& [key, value] : j.items()) walk(value, at + "." + key);
    } else if (j.is_array()) {
      for (std::size_t i = 0; i < j.size(); ++i) walk(j[i], at + "[" + std::to_string(i) + "]");
    }
  };
  for (const auto path : translatable_files()) {
    const auto es = find(localized_path(path, core::Language::es));
    if (es) walk(json::parse(*es), localized_path(path, core::Language::es));
  }
  EXPECT_GT(strings, 300);
}

TEST(LocalizedData, ServesTheTranslationAndFallsBackToEnglish) {
  const auto es = find_localized("advisories.json", core::Language::es);
  ASSERT_TRUE(es);
  EXPECT_EQ(es->language, core::Language::es);
  EXPECT_EQ(es->content, *find("es/advisories.json"));

  const auto en = find_localized("advisories.json", core::Language::en);
  ASSERT_TRUE(en);
  EXPECT_EQ(en->language, core::Language::en);
  EXPECT_EQ(en->content, *find("advisories.json"));

  // references.json has no translation (citations keep their published titles).
  const auto references = find_localized("references.json", core::Language::es);
  ASSERT_TRUE(references);
  EXPECT_EQ(references->language, core::Language::en);
  EXPECT_EQ(references->content, *find("references.json"));

  EXPECT_FALSE(find_localized("no-such-file.json", core::Language::es));
  EXPECT_EQ(localized_path("evidence/facts.json", core::Language::es), "es/evidence/facts.json");
  EXPECT_EQ(localized_path("evidence/facts.json", core::Language::en), "evidence/facts.json");
}

TEST(LocalizedData, TranslatableFilesAreTheEnglishClinicalFiles) {
  const auto files = translatable_files();
  const std::set<std::string_view> set(files.begin(), files.end());
  for (const auto* path :
       {"advisories.json", "help.json", "pathways.json", "taper.json", "evidence/facts.json",
        "evidence/faq.json", "evidence/charts.json", "evidence/withdrawal.json",
        "instruments/sows.json", "instruments/cows.json", "instruments/dsm5.json",
        "instruments/reflection.json", "instruments/checkin.json"}) {
    EXPECT_TRUE(set.contains(path)) << path;
  }
  for (const auto path : files) {
    EXPECT_FALSE(path.starts_with("es/")) << path;
    EXPECT_NE(path, "references.json");
  }
}

}  // namespace
}  // namespace mitra::data
