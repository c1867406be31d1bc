#include "core/safety.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/localized_data.hpp"
#include "core/translate.hpp"
#include "core/words.hpp"

namespace mitra::core {

namespace {

using nlohmann::json;
using std::chrono::hours;

constexpr hours kDay{24};

AdvisoryLevel parse_level(const std::string& text) {
  if (text == "urgent") return AdvisoryLevel::urgent;
  if (text == "caution") return AdvisoryLevel::caution;
  if (text == "info") return AdvisoryLevel::info;
  throw std::logic_error("advisories.json: unknown level " + text);
}

AdvisoryCondition read_condition(const json& c) {
  AdvisoryCondition cond;
  cond.kind = c.at("kind").get<std::string>();
  static const std::vector<std::string> kKinds = {
      "always",         "any_dose",  "substance_near_dose",
      "substance_used", "dose_form", "doses_per_day_at_least",
      "profile"};
  if (std::find(kKinds.begin(), kKinds.end(), cond.kind) == kKinds.end()) {
    throw std::logic_error("advisories.json: unknown condition kind " + cond.kind);
  }
  for (const auto& s : c.value("substances", json::array())) {
    cond.substances.push_back(parse_substance(s.get<std::string>()).value());
  }
  for (const auto& f : c.value("forms", json::array())) {
    cond.forms.push_back(parse_form(f.get<std::string>()).value());
  }
  cond.flag = c.value("flag", "");
  cond.window = hours{c.value("window_hours", 0)};
  cond.lookback_days = c.value("lookback_days", 0);
  cond.value = c.value("value", 0.0);
  cond.days = c.value("days", 0);
  return cond;
}

std::vector<AdvisoryRule> load_rules(Language language) {
  const auto raw = data::find_localized("advisories.json", language);
  if (!raw) throw std::logic_error("embedded advisories.json missing");
  std::vector<AdvisoryRule> rules;
  const json doc = json::parse(raw->content);
  for (const auto& r : doc.at("rules")) {
    AdvisoryRule rule{r.at("id").get<std::string>(),
                      parse_level(r.at("level").get<std::string>()),
                      r.at("message").get<std::string>(),
                      r.at("what_to_do").get<std::string>(),
                      r.at("sources").get<std::vector<std::string>>(),
                      {},
                      r.value("estimate", "")};
    for (const auto& c : r.at("when")) rule.when.push_back(read_condition(c));
    rules.push_back(std::move(rule));
  }
  return rules;
}

const std::optional<bool>* profile_flag(const Profile& p, const std::string& flag) {
  if (flag == "prescription_opioid_use") return &p.prescription_opioid_use;
  if (flag == "benzodiazepine_use") return &p.benzodiazepine_use;
  if (flag == "relapse_after_quitting") return &p.relapse_after_quitting;
  if (flag == "pregnant") return &p.pregnant;
  if (flag == "on_opioid_treatment") return &p.on_opioid_treatment;
  throw std::logic_error("advisories.json: unknown profile flag " + flag);
}

// A record within the allowed clock skew ahead of `now` counts as happening now.
bool in_lookback(Instant t, Instant now, int lookback_days) {
  return t <= now + kClockSkew && t >= now - kDay * lookback_days;
}

// "2 h", "45 min": the gap between a substance use and a dose, to the minute, for `because`.
std::string gap_words(std::chrono::seconds gap) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(gap).count();
  if (minutes < 60) return std::to_string(minutes) + " min";
  return std::to_string(minutes / 60) + " h" +
         (minutes % 60 ? " " + std::to_string(minutes % 60) + " min" : "");
}

// Why `cond` holds for `input`, or nullopt if it does not, in the input's language (its words
// come from words.hpp in English, marked for translation there).
std::optional<std::string> check(const AdvisoryCondition& cond, const SafetyInput& in) {
  const Language language = in.language;
  const auto words = [language](const std::string& english) {
    return std::string(tr(language, english));
  };
  const auto moment = [&](Instant t) { return format_moment(t, in.zone, language); };
  if (cond.kind == "always") return std::string(tr(language, "shown to everyone"));
  if (cond.kind == "any_dose") {
    for (const auto& d : in.doses) {
      if (in_lookback(d.taken_at, in.now, cond.lookback_days)) {
        return fill(tr(language, "kratom use in the last {days} days"),
                    {{"days", std::to_string(cond.lookback_days)}});
      }
    }
    return std::nullopt;
  }
  if (cond.kind == "substance_near_dose") {
    // The most recent qualifying substance use, paired with its nearest kratom dose.
    std::optional<std::string> found;
    Instant latest{};
    for (const auto& u : in.uses) {
      if (std::find(cond.substances.begin(), cond.substances.end(), u.substance) ==
              cond.substances.end() ||
          !in_lookback(u.taken_at, in.now, cond.lookback_days)) {
        continue;
      }
      // The nearest kratom dose to this use.
      const Dose* nearest = nullptr;
      std::chrono::seconds nearest_gap{};
      for (const auto& d : in.doses) {
        if (d.taken_at > in.now + kClockSkew) continue;
        if (!cond.forms.empty() &&
            std::find(cond.forms.begin(), cond.forms.end(), d.form) == cond.forms.end()) {
          continue;
        }
        const auto gap =
            u.taken_at >= d.taken_at ? u.taken_at - d.taken_at : d.taken_at - u.taken_at;
        if (gap > cond.window) continue;
        if (nearest == nullptr || gap < nearest_gap) {
          nearest = &d;
          nearest_gap = gap;
        }
      }
      if (nearest != nullptr && (!found || u.taken_at > latest)) {
        latest = u.taken_at;
        // In words and in the person's zone (issue 14, item 11: UTC stamps and raw keys).
        const std::string dose = cond.forms.empty() ? std::string(tr(language, "a kratom dose"))
                                                    : words(dose_of_form_words(nearest->form));
        found =
            fill(u.taken_at >= nearest->taken_at
                     ? tr(language, "{substance} at {when}, {gap} after {dose} at {dose_when}")
                     : tr(language, "{substance} at {when}, {gap} before {dose} at {dose_when}"),
                 {{"substance", words(substance_words(u.substance))},
                  {"when", moment(u.taken_at)},
                  {"gap", gap_words(nearest_gap)},
                  {"dose", dose},
                  {"dose_when", moment(nearest->taken_at)}});
      }
    }
    return found;
  }
  if (cond.kind == "substance_used") {
    for (const auto& u : in.uses) {
      if (std::find(cond.substances.begin(), cond.substances.end(), u.substance) !=
              cond.substances.end() &&
          in_lookback(u.taken_at, in.now, cond.lookback_days)) {
        return fill(
            tr(language, "{substance} logged at {when}"),
            {{"substance", words(substance_words(u.substance))}, {"when", moment(u.taken_at)}});
      }
    }
    return std::nullopt;
  }
  if (cond.kind == "dose_form") {
    for (const auto& d : in.doses) {
      if (std::find(cond.forms.begin(), cond.forms.end(), d.form) != cond.forms.end() &&
          in_lookback(d.taken_at, in.now, cond.lookback_days)) {
        return fill(tr(language, "{dose} at {when}"),
                    {{"dose", words(dose_of_form_words(d.form))}, {"when", moment(d.taken_at)}});
      }
    }
    return std::nullopt;
  }
  if (cond.kind == "doses_per_day_at_least") {
    long count = 0;
    for (const auto& d : in.doses) {
      if (d.taken_at <= in.now + kClockSkew && d.taken_at > in.now - kDay * cond.days) ++count;
    }
    const double per_day = static_cast<double>(count) / cond.days;
    if (per_day >= cond.value) {
      return fill(
          tr(language, "{per_day} doses a day over the last {days} days"),
          {{"per_day", format_per_day(per_day, language)}, {"days", std::to_string(cond.days)}});
    }
    return std::nullopt;
  }
  if (cond.kind == "profile") {
    if (in.profile == nullptr) return std::nullopt;
    const auto* answer = profile_flag(*in.profile, cond.flag);
    if (answer->value_or(false)) {
      return fill(tr(language, "in your profile, {answer}"),
                  {{"answer", words(profile_flag_words(cond.flag))}});
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(AdvisoryLevel level) {
  switch (level) {
    case AdvisoryLevel::urgent:
      return "urgent";
    case AdvisoryLevel::caution:
      return "caution";
    case AdvisoryLevel::info:
      return "info";
  }
  return "info";
}

const std::vector<AdvisoryRule>& advisory_rules(Language language) {
  return data::once_per_language(language, [](Language lang) { return load_rules(lang); });
}

std::vector<Advisory> advisories_for(const SafetyInput& input) {
  std::vector<Advisory> out;
  for (const auto& rule : advisory_rules(input.language)) {
    std::vector<std::string> because;
    for (const auto& cond : rule.when) {
      if (auto why = check(cond, input)) because.push_back(std::move(*why));
    }
    if (because.empty()) continue;
    out.push_back(Advisory{rule.id, rule.level, rule.message, rule.what_to_do, rule.sources,
                           std::move(because), rule.estimate});
  }
  std::stable_sort(out.begin(), out.end(), [](const Advisory& a, const Advisory& b) {
    return static_cast<int>(a.level) < static_cast<int>(b.level);
  });
  return out;
}

}  // namespace mitra::core
