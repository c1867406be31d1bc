#include "core/profile.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "core/embedded.hpp"
#include "core/text.hpp"

namespace mitra::core {

namespace {

using nlohmann::json;

constexpr std::array<const char*, 5> kYesNoFields = {"prescription_opioid_use",
                                                     "benzodiazepine_use", "relapse_after_quitting",
                                                     "pregnant", "on_opioid_treatment"};

std::optional<bool> Profile::*yes_no_member(std::string_view name) {
  if (name == "prescription_opioid_use") return &Profile::prescription_opioid_use;
  if (name == "benzodiazepine_use") return &Profile::benzodiazepine_use;
  if (name == "relapse_after_quitting") return &Profile::relapse_after_quitting;
  if (name == "pregnant") return &Profile::pregnant;
  if (name == "on_opioid_treatment") return &Profile::on_opioid_treatment;
  return nullptr;
}

std::string reason_names() {
  std::string out;
  for (const auto r : all_reasons())
    out += out.empty() ? to_string(r) : std::string(", ") + to_string(r);
  return out;
}

std::vector<Pathway> load_pathways() {
  const auto raw = data::find("pathways.json");
  if (!raw) throw std::logic_error("embedded pathways.json missing");
  std::vector<Pathway> out;
  const json doc = json::parse(*raw);
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
  return invalid(std::string(field), "Unknown reason \"" + std::string(text) + "\"; use one of " +
                                         reason_names() + ".");
}

json to_json(const Profile& p) {
  json out = json::object();
  for (const char* name : kYesNoFields) {
    const auto& value = p.*yes_no_member(name);
    if (value) out[name] = *value;
  }
  if (p.years_of_use) out["years_of_use"] = *p.years_of_use;
  json reasons = json::array();
  for (const auto r : p.reasons) reasons.push_back(to_string(r));
  out["reasons"] = reasons;
  if (!p.other_reason.empty()) out["other_reason"] = p.other_reason;
  return out;
}

Result<Profile> profile_from_json(const json& j) {
  if (!j.is_object()) {
    return invalid("profile", "The profile must be a JSON object, like {\"reasons\": [\"pain\"]}.");
  }
  Profile p;
  for (const auto& [key, value] : j.items()) {
    const std::string field = "profile." + key;
    if (auto member = yes_no_member(key)) {
      if (value.is_null()) continue;
      if (!value.is_boolean()) {
        return invalid(field, field + " must be true, false or null (not answered).");
      }
      p.*member = value.get<bool>();
    } else if (key == "years_of_use") {
      if (value.is_null()) continue;
      if (!value.is_number() || value.get<double>() < 0.0 || value.get<double>() > kMaxYearsOfUse) {
        return invalid(field, field + " must be a number of years from 0 to 80, or null.");
      }
      p.years_of_use = value.get<double>();
    } else if (key == "reasons") {
      if (!value.is_array()) {
        return invalid(field, field + " must be a list of reasons: " + reason_names() + ".");
      }
      for (const auto& r : value) {
        if (!r.is_string()) {
          return invalid(field, field + " must hold reason names: " + reason_names() + ".");
        }
        auto reason = parse_reason(r.get<std::string>(), field);
        if (!reason) return tl::unexpected(reason.error());
        if (std::find(p.reasons.begin(), p.reasons.end(), *reason) != p.reasons.end()) {
          return invalid(field, "The reason \"" + std::string(to_string(*reason)) +
                                    "\" is listed twice in " + field + "; list each reason once.");
        }
        p.reasons.push_back(*reason);
      }
    } else if (key == "other_reason") {
      if (!value.is_string()) return invalid(field, field + " must be text.");
      auto text = validate_text(field, trim(value.get<std::string>()), kMaxOtherReasonBytes);
      if (!text) return tl::unexpected(text.error());
      p.other_reason = *text;
    } else {
      return invalid(field, "Unknown profile field \"" + key +
                                "\"; the fields are prescription_opioid_use, benzodiazepine_use, "
                                "relapse_after_quitting, pregnant, on_opioid_treatment, "
                                "years_of_use, reasons and other_reason.");
    }
  }
  return p;
}

const std::vector<Pathway>& pathways() {
  static const std::vector<Pathway> all = load_pathways();
  return all;
}

std::vector<Pathway> pathways_for(const Profile& profile,
                                  std::optional<std::string_view> reflection_band) {
  std::vector<Pathway> out;
  for (const auto& pathway : pathways()) {
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

json to_json(const Pathway& pathway) {
  return json{{"id", pathway.id},
              {"title", pathway.title},
              {"text", pathway.text},
              {"sources", pathway.sources}};
}

}  // namespace mitra::core
