#include "core/evidence.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/embedded.hpp"
#include "core/localized_data.hpp"

namespace mitra::core {

namespace {

using nlohmann::json;

json load(std::string_view path, Language language = kDefaultLanguage) {
  const auto file = data::find_localized(path, language);
  if (!file) throw std::logic_error("embedded data missing: " + std::string(path));
  return json::parse(file->content);
}

std::vector<std::string> sources_of(const json& j) {
  return j.at("sources").get<std::vector<std::string>>();
}

struct Library {
  std::vector<Topic> topics;
  std::vector<Fact> facts;
};

const Library& library(Language language) {
  return data::once_per_language(language, [](Language lang) {
    const json doc = load("evidence/facts.json", lang);
    Library l;
    for (const auto& t : doc.at("topics")) {
      l.topics.push_back(Topic{t.at("id").get<std::string>(), t.at("title").get<std::string>()});
    }
    for (const auto& f : doc.at("facts")) {
      l.facts.push_back(Fact{f.at("id").get<std::string>(), f.at("topic").get<std::string>(),
                             f.at("text").get<std::string>(), sources_of(f)});
    }
    return l;
  });
}

}  // namespace

const std::vector<Reference>& references() {
  static const std::vector<Reference> all = [] {
    const json doc = load("references.json");
    std::vector<Reference> out;
    for (const auto& r : doc.at("references")) {
      out.push_back(Reference{r.at("key").get<std::string>(), r.at("title").get<std::string>(),
                              r.value("outlet", ""), r.value("url", ""), r.value("doi", "")});
    }
    return out;
  }();
  return all;
}

const Reference* find_reference(std::string_view key) {
  const auto& all = references();
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const Reference& r) { return r.key == key; });
  return it == all.end() ? nullptr : &*it;
}

const std::vector<Topic>& topics(Language language) { return library(language).topics; }
const std::vector<Fact>& facts(Language language) { return library(language).facts; }

Result<std::vector<Fact>> facts_for(std::string_view topic, Language language) {
  if (topic.empty()) return facts(language);
  const auto& known = topics(language);
  if (std::none_of(known.begin(), known.end(), [&](const Topic& t) { return t.id == topic; })) {
    std::string ids;
    for (const auto& t : known) ids += ids.empty() ? t.id : ", " + t.id;
    return invalid("topic", sentence("Unknown topic \"{topic}\"; choose one of {topics}.",
                                     {{"topic", topic}, {"topics", ids}}));
  }
  std::vector<Fact> out;
  for (const auto& f : facts(language)) {
    if (f.topic == topic) out.push_back(f);
  }
  return out;
}

const std::vector<FaqEntry>& faq(Language language) {
  return data::once_per_language(language, [](Language lang) {
    const json doc = load("evidence/faq.json", lang);
    std::vector<FaqEntry> out;
    for (const auto& e : doc.at("faq")) {
      out.push_back(FaqEntry{e.at("id").get<std::string>(), e.at("question").get<std::string>(),
                             e.at("answer").get<std::string>(), sources_of(e)});
    }
    return out;
  });
}

const std::vector<Chart>& charts(Language language) {
  return data::once_per_language(language, [](Language lang) {
    const json doc = load("evidence/charts.json", lang);
    std::vector<Chart> out;
    for (const auto& c : doc.at("charts")) {
      Chart chart{c.at("id").get<std::string>(),
                  c.at("title").get<std::string>(),
                  c.at("unit").get<std::string>(),
                  c.value("note", ""),
                  {},
                  sources_of(c)};
      for (const auto& p : c.at("points")) {
        chart.points.push_back(ChartPoint{p.at("label").get<std::string>(), p.at("value")});
      }
      out.push_back(std::move(chart));
    }
    return out;
  });
}

const std::vector<HelpResource>& help_resources(Language language) {
  return data::once_per_language(language, [](Language lang) {
    const json doc = load("help.json", lang);
    std::vector<HelpResource> out;
    for (const auto& r : doc.at("resources")) {
      out.push_back(HelpResource{r.at("id").get<std::string>(), r.at("name").get<std::string>(),
                                 r.at("contact").get<std::string>(),
                                 r.at("for_what").get<std::string>(),
                                 r.at("hours").get<std::string>(), sources_of(r)});
    }
    return out;
  });
}

}  // namespace mitra::core
