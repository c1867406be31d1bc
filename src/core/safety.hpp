#pragma once
// Safety advisories as data-driven rules (data/advisories.json): each rule has an id, a
// level, a plain message, what to do, sources, and conditions; a rule applies when any of
// its conditions holds. Condition kinds:
//   always                                      shown to everyone (emergency, 988)
//   any_dose            lookback_days           a kratom dose in the last N days
//   substance_near_dose substances, window_hours, lookback_days, optional forms
//                       a listed substance used within window_hours before or after a kratom
//                       dose (with `forms`: a dose of one of those forms), the substance use
//                       itself within the last lookback_days
//   substance_used      substances, lookback_days
//   dose_form           forms, lookback_days    a dose of a listed form (seven_oh, extract, …)
//   doses_per_day_at_least value, days          mean doses per day over the last `days` × 24 h
//   profile             flag                    a profile answer that is true
// Pure: `now` comes in; records after `now` are ignored. See docs/safety.md.

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "core/journal.hpp"
#include "core/language.hpp"
#include "core/profile.hpp"
#include "core/time.hpp"

namespace mitra::core {

enum class AdvisoryLevel { urgent, caution, info };  // Sorted in this order.
const char* to_string(AdvisoryLevel level);

struct AdvisoryCondition {
  std::string kind;
  std::vector<Substance> substances;
  std::vector<Form> forms;
  std::string flag;
  std::chrono::hours window{0};
  int lookback_days = 0;
  double value = 0.0;
  int days = 0;
};

struct AdvisoryRule {
  std::string id;
  AdvisoryLevel level = AdvisoryLevel::info;
  std::string message;
  std::string what_to_do;
  std::vector<std::string> sources;
  std::vector<AdvisoryCondition> when;
  // A figure in the advisory that is mitra's own choice, not the sources' (the 24-hour window),
  // said in a sentence; empty when there is none.
  std::string estimate;
};

struct Advisory {
  std::string id;
  AdvisoryLevel level = AdvisoryLevel::info;
  std::string message;
  std::string what_to_do;
  std::vector<std::string> sources;
  std::vector<std::string> because;  // Why it applies, e.g. "alcohol 2 h after a kratom dose …".
  std::string estimate;              // As in AdvisoryRule.
};

// Every rule, in data order, its texts in `language` (data/es/advisories.json) or in English
// when there is no translation.
const std::vector<AdvisoryRule>& advisory_rules(Language language = kDefaultLanguage);

struct SafetyInput {
  std::span<const Dose> doses;
  std::span<const SubstanceUse> uses;
  const Profile* profile = nullptr;  // May be null: no answers given.
  Instant now{};
  // The zone `because` writes times in (the person's); UTC when null.
  const TimeZone* zone = nullptr;
  // The language of the advisories' texts and of `because`.
  Language language = kDefaultLanguage;
};

// The advisories that apply, urgent first, then caution, then info (data order within a level).
std::vector<Advisory> advisories_for(const SafetyInput& input);

}  // namespace mitra::core
