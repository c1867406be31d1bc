#include "core/profile.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/localized_data.hpp"
#include "core/text.hpp"

namespace mitra::core {

namespace {

using nlohmann::json;

std::vector<Pathway> load_pathways(Language language) {
  const auto raw = data::find_localized("pathways.json", language);
  if (!raw) throw std::logic_error("embedded pathways.json missing");
  std::vector<Pathway> out;
  const json doc = json::parse(raw->content);
  for (const auto& p : doc.at("pathways")) {
    Pathway pathway{p.at("id").get<std::string>(),
                    p.at("title").get<std::string>(),
                    p.at("text").get<std::string>(),
                    {},
                    p.at("severities").get<std::vector<std::string>>(),
                    p.at("sources").get<std::vector<std::string>>()};
    for (const auto& r : p.at("reasons")) {
      auto reason = parse_reason(r.get<std::string>());
      if (!reason) throw std::logic_error("pathways.json: " + reason.error().message);
      pathway.reasons.push_back(*reason);
    }
    out.push_back(std::move(pathway));
  }
  return out;
}

}  // namespace

std::string reason_names() {
  std::string out;
  for (const auto r : all_reasons())
    out += out.empty() ? to_string(r) : std::string(", ") + to_string(r);
  return out;
}

const std::vector<YesNoQuestion>& yes_no_questions() {
  static const std::vector<YesNoQuestion> all = {
      {"prescription_opioid_use", &Profile::prescription_opioid_use},
      {"benzodiazepine_use", &Profile::benzodiazepine_use},
      {"relapse_after_quitting", &Profile::relapse_after_quitting},
      {"pregnant", &Profile::pregnant},
      {"on_opioid_treatment", &Profile::on_opioid_treatment}};
  return all;
}

const char* to_string(Reason reason) {
  switch (reason) {
    case Reason::pain:
      return "pain";
    case Reason::anxiety:
      return "anxiety";
    case Reason::trauma:
      return "trauma";
    case Reason::low_mood:
      return "low_mood";
    case Reason::getting_off_opioids_or_benzodiazepines:
      return "getting_off_opioids_or_benzodiazepines";
    case Reason::energy_for_work:
      return "energy_for_work";
    case Reason::other:
      return "other";
  }
  return "other";
}

const std::vector<Reason>& all_reasons() {
  static const std::vector<Reason> all = {Reason::pain,
                                          Reason::anxiety,
                                          Reason::trauma,
                                          Reason::low_mood,
                                          Reason::getting_off_opioids_or_benzodiazepines,
                                          Reason::energy_for_work,
                                          Reason::other};
  return all;
}

Result<Reason> parse_reason(std::string_view text, std::string_view field) {
  std::string name = ascii_lower(trim(text));
  std::replace(name.begin(), name.end(), '-', '_');
  std::replace(name.begin(), name.end(), ' ', '_');
  for (const auto r : all_reasons()) {
    if (name == to_string(r)) return r;
  }
  return invalid(std::string(field), sentence("Unknown reason \"{reason}\"; use one of {reasons}.",
                                              {{"reason", text}, {"reasons", reason_names()}}));
}

const std::vector<Pathway>& pathways(Language language) {
  return data::once_per_language(language, [](Language lang) { return load_pathways(lang); });
}

std::vector<Pathway> pathways_for(const Profile& profile,
                                  std::optional<std::string_view> reflection_band,
                                  Language language) {
  std::vector<Pathway> out;
  for (const auto& pathway : pathways(language)) {
    const bool by_reason =
        std::any_of(pathway.reasons.begin(), pathway.reasons.end(), [&](Reason r) {
          return std::find(profile.reasons.begin(), profile.reasons.end(), r) !=
                 profile.reasons.end();
        });
    const bool by_band =
        reflection_band && std::find(pathway.severities.begin(), pathway.severities.end(),
                                     *reflection_band) != pathway.severities.end();
    if (by_reason || by_band) out.push_back(pathway);
  }
  return out;
}

}  // namespace mitra::core
