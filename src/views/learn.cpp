#include "views/learn.hpp"

#include <algorithm>

#include "core/localized_data.hpp"

namespace mitra::views {

using nlohmann::json;

namespace {

void cite(std::vector<std::string>& cited, const std::vector<std::string>& keys) {
  for (const auto& k : keys) {
    if (std::find(cited.begin(), cited.end(), k) == cited.end()) cited.push_back(k);
  }
}

}  // namespace

json reference_json(const core::Reference& r) {
  json j{{"key", r.key}, {"title", r.title}, {"outlet", r.outlet}, {"url", r.url}};
  if (!r.doi.empty()) j["doi"] = r.doi;
  return j;
}

json fact_json(const core::Fact& f) {
  return json{{"id", f.id}, {"topic", f.topic}, {"text", f.text}, {"sources", f.sources}};
}

json faq_json(const core::FaqEntry& e) {
  return json{{"id", e.id}, {"question", e.question}, {"answer", e.answer}, {"sources", e.sources}};
}

json chart_json(const core::Chart& c) {
  json points = json::array();
  for (const auto& p : c.points) points.push_back(json{{"label", p.label}, {"value", p.value}});
  return json{{"id", c.id},     {"title", c.title}, {"unit", c.unit},
              {"note", c.note}, {"points", points}, {"sources", c.sources}};
}

json help_resource_json(const core::HelpResource& r) {
  return json{{"id", r.id},           {"name", r.name},
              {"contact", r.contact}, {"for_what", r.for_what},
              {"hours", r.hours},     {"sources", r.sources}};
}

json pathway_json(const core::Pathway& pathway) {
  return json{{"id", pathway.id},
              {"title", pathway.title},
              {"text", pathway.text},
              {"sources", pathway.sources}};
}

json pathways_json(const std::vector<core::Pathway>& pathways) {
  json list = json::array();
  for (const auto& p : pathways) list.push_back(pathway_json(p));
  return list;
}

json reference_map(const std::vector<std::string>& keys) {
  json out = json::object();
  for (const auto& key : keys) {
    if (const auto* reference = core::find_reference(key)) out[key] = reference_json(*reference);
  }
  return out;
}

std::vector<std::string> cited_keys(const std::string& topic, const std::vector<core::Fact>& facts,
                                    core::Language language) {
  std::vector<std::string> cited;
  for (const auto& f : facts) cite(cited, f.sources);
  if (topic.empty()) {
    for (const auto& e : core::faq(language)) cite(cited, e.sources);
    for (const auto& c : core::charts(language)) cite(cited, c.sources);
  }
  return cited;
}

json learn_json(const std::string& topic, const std::vector<core::Fact>& facts,
                core::Language language) {
  json j{{"topic", topic.empty() ? json(nullptr) : json(topic)}, {"facts", json::array()}};
  for (const auto& f : facts) j["facts"].push_back(fact_json(f));
  if (topic.empty()) {
    j["faq"] = json::array();
    for (const auto& e : core::faq(language)) j["faq"].push_back(faq_json(e));
    j["charts"] = json::array();
    for (const auto& c : core::charts(language)) j["charts"].push_back(chart_json(c));
  }
  json topics = json::array();
  for (const auto& t : core::topics(language)) topics.push_back(t.id);
  j["topics"] = topics;
  j["references"] = reference_map(cited_keys(topic, facts, language));
  j["language"] = core::language_code(data::content_language("evidence/facts.json", language));
  return j;
}

json help_json(core::Language language) {
  json resources = json::array();
  std::vector<std::string> cited;
  for (const auto& r : core::help_resources(language)) {
    resources.push_back(help_resource_json(r));
    cite(cited, r.sources);
  }
  return {{"resources", resources},
          {"pathways", pathways_json(core::pathways(language))},
          {"references", reference_map(cited)},
          {"language", core::language_code(data::content_language("help.json", language))}};
}

json sources_json() {
  json list = json::array();
  for (const auto& reference : core::references()) list.push_back(reference_json(reference));
  return {{"references", list}};
}

}  // namespace mitra::views
