#pragma once
// The person's profile: history answers that shape safety advisories and care pathways,
// and the reasons kratom entered their life, asked without judgement. Stored by the app as
// the setting "profile" (JSON below). Pathways come from data/pathways.json, each with
// sources. See docs/safety.md.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/language.hpp"

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

// The yes/no questions by their names in the profile document (formats/profile_json.hpp), in
// order, each with the member it fills.
struct YesNoQuestion {
  const char* name;
  std::optional<bool> Profile::*member;
};
const std::vector<YesNoQuestion>& yes_no_questions();
// "pain, anxiety, …": every reason's name, for messages.
std::string reason_names();

// A care pathway from data/pathways.json.
struct Pathway {
  std::string id;
  std::string title;
  std::string text;
  std::vector<Reason> reasons;          // Reasons that lead here.
  std::vector<std::string> severities;  // DSM-5 reflection bands that lead here.
  std::vector<std::string> sources;
};

// In `language` (data/es/pathways.json), or English when there is no translation.
const std::vector<Pathway>& pathways(Language language = kDefaultLanguage);

// The pathways that fit the person's reasons and, if given, their latest DSM-5 reflection
// band ("none"/"mild"/"moderate"/"severe"), in data order, each once.
std::vector<Pathway> pathways_for(const Profile& profile,
                                  std::optional<std::string_view> reflection_band = std::nullopt,
                                  Language language = kDefaultLanguage);

}  // namespace mitra::core
