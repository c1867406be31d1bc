#include "formats/profile_json.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace mitra::formats {

using nlohmann::json;

json to_json(const core::Profile& p) {
  json out = json::object();
  for (const auto& question : core::yes_no_questions()) {
    if (const auto& value = p.*question.member) out[question.name] = *value;
  }
  if (p.years_of_use) out["years_of_use"] = *p.years_of_use;
  json reasons = json::array();
  for (const auto r : p.reasons) reasons.push_back(core::to_string(r));
  out["reasons"] = reasons;
  if (!p.other_reason.empty()) out["other_reason"] = p.other_reason;
  return out;
}

core::Result<core::Profile> profile_from_json(const json& j) {
  if (!j.is_object()) {
    return core::invalid(
        "profile",
        core::sentence("The profile must be a JSON object, like {\"reasons\": [\"pain\"]}."));
  }
  core::Profile p;
  for (const auto& [key, value] : j.items()) {
    const std::string field = "profile." + key;
    const auto& questions = core::yes_no_questions();
    const std::string& name = key;  // clang 14 cannot capture a structured binding.
    const auto question = std::find_if(questions.begin(), questions.end(),
                                       [&name](const auto& q) { return name == q.name; });
    if (question != questions.end()) {
      const auto member = question->member;
      if (value.is_null()) continue;
      if (!value.is_boolean()) {
        return core::invalid(field,
                             core::sentence("{field} must be true, false or null (not answered).",
                                            {{"field", field}}));
      }
      p.*member = value.get<bool>();
    } else if (key == "years_of_use") {
      if (value.is_null()) continue;
      if (!value.is_number() || value.get<double>() < 0.0 ||
          value.get<double>() > core::kMaxYearsOfUse) {
        return core::invalid(
            field, core::sentence("{field} must be a number of years from 0 to 80, or null.",
                                  {{"field", field}}));
      }
      p.years_of_use = value.get<double>();
    } else if (key == "reasons") {
      if (!value.is_array()) {
        return core::invalid(field,
                             core::sentence("{field} must be a list of reasons: {reasons}.",
                                            {{"field", field}, {"reasons", core::reason_names()}}));
      }
      for (const auto& r : value) {
        if (!r.is_string()) {
          return core::invalid(
              field, core::sentence("{field} must hold reason names: {reasons}.",
                                    {{"field", field}, {"reasons", core::reason_names()}}));
        }
        auto reason = core::parse_reason(r.get<std::string>(), field);
        if (!reason) return tl::unexpected(reason.error());
        if (std::find(p.reasons.begin(), p.reasons.end(), *reason) != p.reasons.end()) {
          return core::invalid(
              field,
              core::sentence(
                  "The reason \"{reason}\" is listed twice in {field}; list each reason once.",
                  {{"reason", std::string(core::to_string(*reason))}, {"field", field}}));
        }
        p.reasons.push_back(*reason);
      }
    } else if (key == "other_reason") {
      if (!value.is_string())
        return core::invalid(field, core::sentence("{field} must be text.", {{"field", field}}));
      auto text = core::validate_text(field, core::trim(value.get<std::string>()),
                                      core::kMaxOtherReasonBytes);
      if (!text) return tl::unexpected(text.error());
      p.other_reason = *text;
    } else {
      return core::invalid(
          field,
          core::sentence("Unknown profile field \"{key}\"; the fields are prescription_opioid_use, "
                         "benzodiazepine_use, relapse_after_quitting, pregnant, "
                         "on_opioid_treatment, years_of_use, reasons and other_reason.",
                         {{"key", key}}));
    }
  }
  return p;
}

}  // namespace mitra::formats
