#pragma once
// The withdrawal timeline: where a person is after their last dose, what comes next and
// when, what usually happens, what helps and what is a red flag. The phase boundaries
// below are exact for the machine; the words shown to people (data/evidence/withdrawal.json)
// stay in ranges, because the evidence is thin (clinical-facts §3). See docs/withdrawal.md.
// Pure: `now` and the last dose come in as values; elapsed time is measured in UTC, so a
// daylight-saving change never moves a phase.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/language.hpp"
#include "core/time.hpp"

namespace mitra::core {

enum class WithdrawalPhase { before_onset, onset, peak, easing, lingering, resolved };

// Hours after the last dose at which each phase begins (the previous one ends).
// onset 12 h and peak 24 h follow "symptoms begin within 12 to 24 hours"; easing 72 h
// follows "peak within about three days" (days two and three); lingering 168 h follows
// "easing over days four to seven"; resolved 504 h allows "a week or two" more. All UNCERTAIN.
inline constexpr std::chrono::hours kOnsetStarts{12};
inline constexpr std::chrono::hours kPeakStarts{24};
inline constexpr std::chrono::hours kEasingStarts{72};
inline constexpr std::chrono::hours kLingeringStarts{168};
inline constexpr std::chrono::hours kResolvedStarts{504};

// Mean doses per day at or above which a harder course is likely (S12: 3 or more a day).
inline constexpr double kFrequentDosesPerDay = 3.0;
// Years of regular use at or above which a harder course is likely (design choice, S14).
inline constexpr double kLongUseYears = 1.0;
// Below this mean doses per day use counts as occasional (design choice).
inline constexpr double kRegularDosesPerDay = 1.0;
// A change of at least this many SOWS points between check-ins counts as rising or falling (S19).
inline constexpr int kSowsMeaningfulChange = 6;

const char* to_string(WithdrawalPhase phase);
Result<WithdrawalPhase> parse_phase(std::string_view text);

// The phase at `elapsed` since the last dose (negative elapsed is before_onset).
WithdrawalPhase phase_at(std::chrono::seconds elapsed);
// When `phase` begins, measured from the last dose.
std::chrono::hours phase_start(WithdrawalPhase phase);
std::optional<WithdrawalPhase> next_phase(WithdrawalPhase phase);

// Text for a phase, from data/evidence/withdrawal.json.
struct PhaseGuide {
  WithdrawalPhase phase = WithdrawalPhase::before_onset;
  std::string title;
  std::string timing;  // A range, in words.
  std::string what_happens;
  std::vector<std::string> what_helps;
  std::vector<std::string> sources;
};

struct RedFlag {
  std::string id;
  std::string text;
  std::vector<std::string> sources;
};

struct SourcedText {
  std::string text;
  std::vector<std::string> sources;
};

// In `language` (data/es/evidence/withdrawal.json), or English when it has no translation.
const PhaseGuide& phase_guide(WithdrawalPhase phase, Language language = kDefaultLanguage);
const std::vector<RedFlag>& withdrawal_red_flags(Language language = kDefaultLanguage);
const SourcedText& harder_course_note(Language language = kDefaultLanguage);
const SourcedText& occasional_use_note(Language language = kDefaultLanguage);

// How a SOWS total compares with mitra's rough expected range for a phase (docs/withdrawal.md).
enum class Comparison { lower, in_line, higher };
const char* to_string(Comparison comparison);
const SourcedText& comparison_text(Comparison comparison, Language language = kDefaultLanguage);

struct ExpectedSows {
  int min = 0;
  int max = 0;
};
ExpectedSows expected_sows(WithdrawalPhase phase);

struct SowsCheck {
  Instant at{};
  int total = 0;  // 0..64.
};

struct SowsComparison {
  Instant at{};
  int total = 0;
  WithdrawalPhase phase = WithdrawalPhase::before_onset;
  ExpectedSows expected;
  Comparison comparison = Comparison::in_line;
};

enum class SowsTrend { rising, steady, falling };
const char* to_string(SowsTrend trend);

struct WithdrawalInput {
  Instant last_dose{};
  Instant now{};
  // Doses per day in the 7 journal days that end with the last dose (app::withdrawal): the
  // pattern before the last dose, which predicts withdrawal, not the days since.
  double doses_per_day = 0.0;
  std::optional<double> years_of_use;  // From the profile, if known.
  std::vector<SowsCheck> sows;         // Any order; those before the last dose are ignored.
};

struct WithdrawalStatus {
  Instant last_dose_at{};
  std::chrono::seconds since_last_dose{};
  double hours_since_last_dose = 0.0;  // Rounded to 0.1 h.
  WithdrawalPhase phase = WithdrawalPhase::before_onset;
  std::optional<WithdrawalPhase> next_phase;
  std::optional<Instant> next_phase_at;
  bool likely_harder = false;
  std::vector<std::string> harder_because;  // "frequent_dosing", "long_use".
  bool occasional_use = false;
  double doses_per_day_before_last_dose = 0.0;  // The input's, rounded to 0.1.
  std::vector<SowsComparison> sows;             // Oldest first.
  std::optional<Comparison> latest;             // The newest check-in against its phase.
  std::optional<SowsTrend> trend;               // Newest vs the one before, when there are two.
};

// A last dose up to kClockSkew after `now` counts as taken now (0 h since).
// Errors: the last dose more than kClockSkew after `now` (field "last_dose"), a negative
// doses_per_day or years_of_use, a SOWS total outside 0..64 (field "sows").
Result<WithdrawalStatus> withdrawal_status(const WithdrawalInput& input);

}  // namespace mitra::core
