#pragma once
// The evidence library (data/evidence/*.json, data/help.json, data/references.json): key
// facts by topic, the FAQ in our own words, chart data, help resources and the reference
// list every source key resolves to. Pure: the embedded data is parsed once per language on
// first use and cached (thread-safe). Texts come in the language asked for (data/es/…), or in
// English when a file has no translation (data::content_language says which). References are
// not translated: titles stay as published. See docs/evidence.md and docs/languages.md.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/language.hpp"

namespace mitra::core {

struct Reference {
  std::string key;  // "A1".."A24" (the article's references), "S3", "S26b" (clinical-facts).
  std::string title;
  std::string outlet;  // Where it appeared: authors, journal, year; or the site that hosts it.
  std::string url;     // Every reference has one (tests/unit/evidence_test.cpp).
  std::string doi;     // When known, e.g. "10.1080/15563650.2019.1569236".
};

struct Topic {
  std::string id;
  std::string title;
};

struct Fact {
  std::string id;
  std::string topic;
  std::string text;
  std::vector<std::string> sources;
};

struct FaqEntry {
  std::string id;
  std::string question;
  std::string answer;
  std::vector<std::string> sources;
};

struct ChartPoint {
  std::string label;
  nlohmann::json value;  // An integer count or a decimal percentage, exactly as in the data.
};

struct Chart {
  std::string id;
  std::string title;
  std::string unit;
  std::string note;
  std::vector<ChartPoint> points;
  std::vector<std::string> sources;
};

struct HelpResource {
  std::string id;
  std::string name;
  std::string contact;
  std::string for_what;
  std::string hours;
  std::vector<std::string> sources;
};

const std::vector<Reference>& references();
// The reference for `key`, or nullptr.
const Reference* find_reference(std::string_view key);

const std::vector<Topic>& topics(Language language = kDefaultLanguage);
const std::vector<Fact>& facts(Language language = kDefaultLanguage);
// The facts of one topic, or all facts when `topic` is empty. An unknown topic is an
// error (field "topic") that lists the topics.
Result<std::vector<Fact>> facts_for(std::string_view topic, Language language = kDefaultLanguage);

const std::vector<FaqEntry>& faq(Language language = kDefaultLanguage);
const std::vector<Chart>& charts(Language language = kDefaultLanguage);
const std::vector<HelpResource>& help_resources(Language language = kDefaultLanguage);

}  // namespace mitra::core
