#include "core/withdrawal.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/localized_data.hpp"

namespace mitra::core {

namespace {

using nlohmann::json;

constexpr std::array<WithdrawalPhase, 6> kPhases = {
    WithdrawalPhase::before_onset, WithdrawalPhase::onset,     WithdrawalPhase::peak,
    WithdrawalPhase::easing,       WithdrawalPhase::lingering, WithdrawalPhase::resolved};

struct WithdrawalText {
  std::vector<PhaseGuide> phases;
  std::vector<RedFlag> red_flags;
  SourcedText harder;
  SourcedText occasional;
  std::array<SourcedText, 3> comparisons;
};

SourcedText read_sourced(const json& j, const std::string& text_key = "text") {
  return SourcedText{j.at(text_key).get<std::string>(),
                     j.at("sources").get<std::vector<std::string>>()};
}

const WithdrawalText& text(Language language) {
  return data::once_per_language(language, [](Language lang) {
    const auto raw = data::find_localized("evidence/withdrawal.json", lang);
    if (!raw) throw std::logic_error("embedded evidence/withdrawal.json missing");
    const json doc = json::parse(raw->content);
    WithdrawalText t;
    for (const auto phase : kPhases) {
      const auto& list = doc.at("phases");
      const auto it = std::find_if(list.begin(), list.end(), [&](const json& p) {
        return p.at("id").get<std::string>() == to_string(phase);
      });
      if (it == list.end()) throw std::logic_error("withdrawal phase text missing");
      t.phases.push_back(PhaseGuide{phase, it->at("title").get<std::string>(),
                                    it->at("timing").get<std::string>(),
                                    it->at("what_happens").get<std::string>(),
                                    it->at("what_helps").get<std::vector<std::string>>(),
                                    it->at("sources").get<std::vector<std::string>>()});
    }
    for (const auto& f : doc.at("red_flags")) {
      t.red_flags.push_back(RedFlag{f.at("id").get<std::string>(), f.at("text").get<std::string>(),
                                    f.at("sources").get<std::vector<std::string>>()});
    }
    t.harder = read_sourced(doc.at("harder_course"));
    t.occasional = read_sourced(doc.at("occasional_use"));
    const auto& c = doc.at("comparison");
    const auto sources = c.at("sources").get<std::vector<std::string>>();
    t.comparisons = {SourcedText{c.at("lower").get<std::string>(), sources},
                     SourcedText{c.at("in_line").get<std::string>(), sources},
                     SourcedText{c.at("higher").get<std::string>(), sources}};
    return t;
  });
}

double round_tenth(double value) { return std::round(value * 10.0) / 10.0; }

}  // namespace

const char* to_string(WithdrawalPhase phase) {
  switch (phase) {
    case WithdrawalPhase::before_onset:
      return "before_onset";
    case WithdrawalPhase::onset:
      return "onset";
    case WithdrawalPhase::peak:
      return "peak";
    case WithdrawalPhase::easing:
      return "easing";
    case WithdrawalPhase::lingering:
      return "lingering";
    case WithdrawalPhase::resolved:
      return "resolved";
  }
  return "before_onset";
}

Result<WithdrawalPhase> parse_phase(std::string_view text) {
  for (const auto phase : kPhases) {
    if (text == to_string(phase)) return phase;
  }
  return invalid("phase", sentence("Unknown withdrawal phase \"{text}\"; use before_onset, onset, "
                                   "peak, easing, lingering or resolved.",
                                   {{"text", std::string(text)}}));
}

std::chrono::hours phase_start(WithdrawalPhase phase) {
  switch (phase) {
    case WithdrawalPhase::before_onset:
      return std::chrono::hours{0};
    case WithdrawalPhase::onset:
      return kOnsetStarts;
    case WithdrawalPhase::peak:
      return kPeakStarts;
    case WithdrawalPhase::easing:
      return kEasingStarts;
    case WithdrawalPhase::lingering:
      return kLingeringStarts;
    case WithdrawalPhase::resolved:
      return kResolvedStarts;
  }
  return std::chrono::hours{0};
}

WithdrawalPhase phase_at(std::chrono::seconds elapsed) {
  // Each phase begins at its start, inclusive: exactly 12 h after the last dose is onset.
  WithdrawalPhase current = WithdrawalPhase::before_onset;
  for (const auto phase : kPhases) {
    if (elapsed >= phase_start(phase)) current = phase;
  }
  return current;
}

std::optional<WithdrawalPhase> next_phase(WithdrawalPhase phase) {
  if (phase == WithdrawalPhase::resolved) return std::nullopt;
  return static_cast<WithdrawalPhase>(static_cast<int>(phase) + 1);
}

const PhaseGuide& phase_guide(WithdrawalPhase phase, Language language) {
  return text(language).phases.at(static_cast<std::size_t>(phase));
}
const std::vector<RedFlag>& withdrawal_red_flags(Language language) {
  return text(language).red_flags;
}
const SourcedText& harder_course_note(Language language) { return text(language).harder; }
const SourcedText& occasional_use_note(Language language) { return text(language).occasional; }

const char* to_string(Comparison comparison) {
  switch (comparison) {
    case Comparison::lower:
      return "lower";
    case Comparison::in_line:
      return "in_line";
    case Comparison::higher:
      return "higher";
  }
  return "in_line";
}

const SourcedText& comparison_text(Comparison comparison, Language language) {
  return text(language).comparisons.at(static_cast<std::size_t>(comparison));
}

ExpectedSows expected_sows(WithdrawalPhase phase) {
  // A rough model, not a published curve: the SOWS bands (S18) laid over the article's
  // shape (rising, peaking in days two and three, easing, a low tail). docs/withdrawal.md.
  switch (phase) {
    case WithdrawalPhase::before_onset:
      return {0, 10};
    case WithdrawalPhase::onset:
      return {0, 20};
    case WithdrawalPhase::peak:
      return {5, 30};
    case WithdrawalPhase::easing:
      return {0, 20};
    case WithdrawalPhase::lingering:
      return {0, 10};
    case WithdrawalPhase::resolved:
      return {0, 5};
  }
  return {0, 64};
}

const char* to_string(SowsTrend trend) {
  switch (trend) {
    case SowsTrend::rising:
      return "rising";
    case SowsTrend::steady:
      return "steady";
    case SowsTrend::falling:
      return "falling";
  }
  return "steady";
}

Result<WithdrawalStatus> withdrawal_status(const WithdrawalInput& input) {
  if (input.last_dose > input.now + kClockSkew) {
    return invalid(
        "last_dose",
        sentence("The last dose ({last_dose}) is after now ({now}); give a last dose at or before "
                 "now (a clock up to 5 minutes fast is allowed).",
                 {{"last_dose", format_utc(input.last_dose)}, {"now", format_utc(input.now)}}));
  }
  if (!(input.doses_per_day >= 0.0)) {
    return invalid("doses_per_day", sentence("doses_per_day must be zero or more."));
  }
  if (input.years_of_use && !(*input.years_of_use >= 0.0)) {
    return invalid("years_of_use", sentence("years_of_use must be zero or more when given."));
  }
  WithdrawalStatus s;
  s.last_dose_at = input.last_dose;
  // A last dose a little ahead of now (a clock running fast, kClockSkew) was taken now.
  s.since_last_dose =
      std::max(std::chrono::seconds{0},
               std::chrono::duration_cast<std::chrono::seconds>(input.now - input.last_dose));
  s.hours_since_last_dose = round_tenth(static_cast<double>(s.since_last_dose.count()) / 3600.0);
  s.phase = phase_at(s.since_last_dose);
  s.next_phase = next_phase(s.phase);
  if (s.next_phase) s.next_phase_at = input.last_dose + phase_start(*s.next_phase);
  if (input.doses_per_day >= kFrequentDosesPerDay) s.harder_because.emplace_back("frequent_dosing");
  if (input.years_of_use && *input.years_of_use >= kLongUseYears) {
    s.harder_because.emplace_back("long_use");
  }
  s.likely_harder = !s.harder_because.empty();
  s.occasional_use = input.doses_per_day < kRegularDosesPerDay;
  s.doses_per_day_before_last_dose = round_tenth(input.doses_per_day);

  std::vector<SowsCheck> checks;
  for (const auto& c : input.sows) {
    if (c.total < 0 || c.total > 64) {
      return invalid("sows",
                     sentence("A SOWS total of {total} is out of range; totals run from 0 to 64.",
                              {{"total", std::to_string(c.total)}}));
    }
    if (c.at >= input.last_dose && c.at <= input.now + kClockSkew) checks.push_back(c);
  }
  std::stable_sort(checks.begin(), checks.end(),
                   [](const SowsCheck& a, const SowsCheck& b) { return a.at < b.at; });
  for (const auto& c : checks) {
    SowsComparison cmp;
    cmp.at = c.at;
    cmp.total = c.total;
    cmp.phase = phase_at(c.at - input.last_dose);
    cmp.expected = expected_sows(cmp.phase);
    cmp.comparison = c.total < cmp.expected.min   ? Comparison::lower
                     : c.total > cmp.expected.max ? Comparison::higher
                                                  : Comparison::in_line;
    s.sows.push_back(cmp);
  }
  if (!s.sows.empty()) s.latest = s.sows.back().comparison;
  if (s.sows.size() >= 2) {
    const int change = s.sows.back().total - s.sows[s.sows.size() - 2].total;
    s.trend = change >= kSowsMeaningfulChange    ? SowsTrend::rising
              : change <= -kSowsMeaningfulChange ? SowsTrend::falling
                                                 : SowsTrend::steady;
  }
  return s;
}

}  // namespace mitra::core
