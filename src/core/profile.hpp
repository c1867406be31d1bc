#pragma once
// The person's profile: history answers that shape safety advisories and care pathways,
// and the reasons kratom entered their life, asked without judgement. Stored by the app as
// the setting "profile" (JSON below). Pathways come from data/pathways.json, each with
// sources. See docs/safety.md.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace mitra::core {

enum class Reason {
  pain,
  anxiety,
  trauma,
  low_mood,
  getting_off_opioids_or_benzodiazepines,
  energy_for_work,
  other,
};

const char* to_string(Reason reason);
// Accepts the names above; '-' or ' ' may stand for '_'. The error names `field`.
Result<Reason> parse_reason(std::string_view text, std::string_view field = "reasons");
const std::vector<Reason>& all_reasons();

inline constexpr double kMaxYearsOfUse = 80.0;
inline constexpr std::size_t kMaxOtherReasonBytes = 200;

// Unanswered questions stay empty (nullopt): "not answered" is not "no".
struct Profile {
  std::optional<bool> prescription_opioid_use;  // Ever used prescription opioids.
  std::optional<bool> benzodiazepine_use;       // Ever used benzodiazepines.
  std::optional<bool> relapse_after_quitting;   // An earlier attempt to quit ended in relapse.
  std::optional<bool> pregnant;
  std::optional<bool> on_opioid_treatment;  // Takes buprenorphine or methadone.
  std::optional<double> years_of_use;       // 0..80.
  std::vector<Reason> reasons;              // No duplicates, in the order given.
  std::string other_reason;                 // Free text when `other` is among reasons.

  friend bool operator==(const Profile&, const Profile&) = default;
};

// {"prescription_opioid_use": true, …, "years_of_use": 2.5, "reasons": ["pain"], "other_reason":
// ""}. Unanswered fields are omitted.
nlohmann::json to_json(const Profile& profile);
// Reads the object above. Unknown keys, wrong types, out-of-range years, unknown or repeated
// reasons are refused with the field named ("profile.years_of_use", "profile.reasons").
Result<Profile> profile_from_json(const nlohmann::json& json);

// A care pathway from data/pathways.json.
struct Pathway {
  std::string id;
  std::string title;
  std::string text;
  std::vector<Reason> reasons;          // Reasons that lead here.
  std::vector<std::string> severities;  // DSM-5 reflection bands that lead here.
  std::vector<std::string> sources;
};

const std::vector<Pathway>& pathways();

// The pathways that fit the person's reasons and, if given, their latest DSM-5 reflection
// band ("none"/"mild"/"moderate"/"severe"), in data order, each once.
std::vector<Pathway> pathways_for(const Profile& profile,
                                  std::optional<std::string_view> reflection_band = std::nullopt);

nlohmann::json to_json(const Pathway& pathway);

}  // namespace mitra::core
