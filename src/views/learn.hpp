#pragma once
// The documents of what mitra teaches and where help is: `mitra learn [TOPIC]` and
// GET /api/v1/evidence[?topic=], `mitra help-now` and GET /api/v1/help, GET /api/v1/sources.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/evidence.hpp"
#include "core/profile.hpp"

namespace mitra::views {

// {"key","title","outlet","url"} and "doi" when it has one.
nlohmann::json reference_json(const core::Reference& reference);
// {"A9": reference_json, …} for every key in `keys` that resolves.
nlohmann::json reference_map(const std::vector<std::string>& keys);
nlohmann::json fact_json(const core::Fact& fact);  // {"id","topic","text","sources"}.
nlohmann::json faq_json(const core::FaqEntry& entry);
nlohmann::json chart_json(const core::Chart& chart);
nlohmann::json help_resource_json(const core::HelpResource& resource);
nlohmann::json pathway_json(const core::Pathway& pathway);  // {"id","title","text","sources"}.
nlohmann::json pathways_json(const std::vector<core::Pathway>& pathways);

// The learn document: {"topic": TOPIC|null, "facts": [...], "topics": [every topic id],
// "references": {key: reference}} and, without a topic, "faq" and "charts". `facts` are
// core::facts_for(topic, language); the references are those the facts, answers and charts cite,
// in the order cited (cited_keys). "language": the language the texts are in (`language`, or
// "en" when the facts have no translation).
nlohmann::json learn_json(const std::string& topic, const std::vector<core::Fact>& facts,
                          core::Language language = core::kDefaultLanguage);
// The source keys the learn document cites, each once, in the order first cited.
std::vector<std::string> cited_keys(const std::string& topic, const std::vector<core::Fact>& facts,
                                    core::Language language = core::kDefaultLanguage);

// {"resources": [...], "pathways": [...], "references": {key: reference}, "language"}: the
// crisis lines and care pathways in `language` ("language" says which they are in).
nlohmann::json help_json(core::Language language = core::kDefaultLanguage);
// {"references": [every reference, in order]}: the Learn page's list.
nlohmann::json sources_json();

}  // namespace mitra::views
