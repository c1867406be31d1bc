#pragma once
// The taper planner: frequency first, then amount (docs/taper.md is the full rulebook).
//
// A plan is a list of steps. Each step fixes, for a run of days, how many doses a day, how far
// apart, and how much each dose is. Steps first drop dosing points (stretching the interval
// within the waking window), then trim every dose in proportional steps that shrink as the dose
// shrinks; a stop plan ends with one documented step to zero. Every amount is a multiple of the
// person's measuring resolution, and no step lowers the daily total by more than the pace allows
// (see `max_daily_fall`). Every planned dose falls within the waking window: the day's last dose
// at wake + (doses − 1) × interval is never after `sleep`; when doses spread out the last keeps
// at least half an interval clear before bed, so two or three doses fall morning, afternoon and
// evening rather than one at bedtime. A step
// whose cut is a bigger share of the day than the pace allows (a whole capsule near the end)
// lasts up to four times the pace's step length instead.
//
// Pure: nothing here reads the clock or the journal; `today` and the pattern come in as values.
// The schedules are user-chosen plans, not medical advice; no published kratom taper protocol
// exists (clinical-facts §5, S8, S32, S35).

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/amount.hpp"
#include "core/error.hpp"
#include "core/journal.hpp"
#include "core/profile.hpp"
#include "core/time.hpp"

namespace mitra::core {

// Slowest first. `slow` (10 % a month) is the default for long-term daily use; see docs/taper.md.
enum class Pace { slow, gentle, steady, brisk };
enum class GoalKind { stop, reduce };

// What a pace allows: the daily total may fall by at most `max_fall_permille` thousandths of the
// current daily total per step (or by one measuring unit per dose, when that is more), and each
// step lasts `step_days` days.
struct PaceRule {
  int max_fall_permille = 100;
  int step_days = 7;
};

PaceRule pace_rule(Pace pace);
const char* to_string(Pace pace);  // "slow", "gentle", "steady", "brisk".
Result<Pace> parse_pace(std::string_view text, std::string_view field = "pace");
const char* to_string(GoalKind goal);  // "stop", "reduce".
Result<GoalKind> parse_goal(std::string_view text, std::string_view field = "goal");

// The planner's words, from data/taper.json, each with its source keys.
struct TaperText {
  std::string text;
  std::vector<std::string> sources;
};
struct PaceText {
  Pace pace = Pace::steady;
  std::string summary;      // "at most 10 % less a day every 30 days (about a month)".
  std::string description;  // What it is, honestly compared with the guidance.
  std::vector<std::string> sources;
};
// In `language` (data/es/taper.json), or English when there is no translation.
const PaceText& pace_text(Pace pace, Language language = kDefaultLanguage);
// A plan is a choice, not medical advice.
const TaperText& plan_not_advice(Language language = kDefaultLanguage);
// Fewer doses first; no dose larger than today's.
const TaperText& plan_how_it_works(Language language = kDefaultLanguage);
// The figures that are mitra's own.
const TaperText& plan_own_choices(Language language = kDefaultLanguage);
// Why the default is slow after a year or more.
const TaperText& long_term_use_note(Language language = kDefaultLanguage);

// The pace a new plan starts at when the person does not choose one: `slow` after a year or
// more of use, when pregnant, or when on buprenorphine or methadone; `steady` otherwise.
Pace default_pace(const Profile& profile);

// The measuring step a plan uses when the person names none: one capsule, 0.1 g on a kitchen
// scale, 1 mg of 7-OH, 1 ml of a liquid, a quarter teaspoon (mitra's own choices: docs/taper.md).
Amount default_resolution(Unit unit);

// What to say before a plan when the profile says pregnant or on_opioid_treatment: involve the
// prenatal provider or the prescriber first. Empty otherwise.
std::vector<TaperText> involve_provider_notes(const Profile& profile,
                                              Language language = kDefaultLanguage);

// How the person doses now: given explicitly or derived by the caller from the last 7 days.
struct DosingPattern {
  int doses_per_day = 0;
  std::chrono::minutes interval{0};  // Between consecutive doses; ignored for one dose a day.
  Amount amount_per_dose;

  friend bool operator==(const DosingPattern&, const DosingPattern&) = default;
};

struct TaperGoal {
  GoalKind kind = GoalKind::stop;
  std::optional<Amount> daily_target;  // Required for `reduce`: the daily total to end at.

  friend bool operator==(const TaperGoal&, const TaperGoal&) = default;
};

struct TaperInputs {
  std::optional<DosingPattern> pattern;  // Empty when the journal had nothing to derive it from.
  TaperGoal goal;
  Pace pace = Pace::steady;
  std::chrono::minutes wake{7 * 60};       // Local wall time after midnight.
  std::chrono::minutes sleep{23 * 60};     // May be past midnight's wrap (wake 22:00, sleep 14:00).
  Amount resolution{100'000, Unit::gram};  // The smallest amount the person can measure.
  Day start{};
  std::string zone;  // IANA zone the schedule's clock times are read in.
  // Phase one never makes a dose larger than today's usual dose unless the person asks for it:
  // with this set, the amount of a dropped dosing point may be shared among the others (up to
  // twice today's dose), as mitra did before issue 13.
  bool allow_larger_doses = false;
  // The strength group the plan is for, when the plan came from the journal (issue 13, item 3):
  // `plan adjust` then reads only that group's doses. None for a pattern given by hand.
  std::optional<StrengthGroup> form;

  friend bool operator==(const TaperInputs&, const TaperInputs&) = default;
};

enum class StepKind {
  fewer_doses,        // A dosing point goes away; the interval stretches.
  smaller_doses,      // Every dose is trimmed.
  stop,               // The documented last step of a stop plan: nothing.
  smaller_last_dose,  // The day's last dose shrinks: a dosing point on its way out.
  repeat,             // After a slip: the step in force, once more (`replan_after_slip`).
};
// "fewer_doses", "smaller_doses", "stop", "smaller_last_dose", "repeat".
const char* to_string(StepKind kind);
Result<StepKind> parse_step_kind(std::string_view text, std::string_view field = "kind");

struct TaperStep {
  Day starts_on{};
  Day ends_on{};  // Inclusive.
  StepKind kind = StepKind::smaller_doses;
  int doses_per_day = 0;
  std::chrono::minutes interval{0};  // 24 h when there is one dose a day; 0 for the stop step.
  Amount amount_per_dose;
  Amount daily_total;  // (doses_per_day − 1) × amount_per_dose + last_dose, exactly.
  // The day's last dose: smaller than amount_per_dose in a `smaller_last_dose` step (or a repeat
  // of one), equal to it otherwise (zero in the stop step). Never larger than amount_per_dose.
  Amount last_dose;

  friend bool operator==(const TaperStep&, const TaperStep&) = default;
};

// The amount of dose `k` (0-based) of a day of `step`.
Amount dose_amount(const TaperStep& step, int k);

// A pause: from `from` (inclusive) the step then current repeats until `until` (the day the
// person resumed), or indefinitely while `until` is empty.
struct Hold {
  Day from{};
  std::optional<Day> until;
  std::string reason;

  friend bool operator==(const Hold&, const Hold&) = default;
};

struct Plan {
  std::string plan_id;  // Stable across versions.
  int version = 1;
  std::string reason = "new";  // Why this version exists: "new", "hold", "resume", "slip"…
  TaperInputs inputs;
  std::vector<TaperStep> steps;  // This version's schedule, in order.
  // Steps of earlier versions that had already run before this version began; kept so history
  // is never erased. Not part of the invariants checked on `steps`.
  std::vector<TaperStep> earlier_steps;
  std::vector<Hold> holds;

  friend bool operator==(const Plan&, const Plan&) = default;
};

// The most the daily total may fall in one step from a day of `doses_per_day` doses totalling
// `daily_total`: the pace's share of the total, or one measuring unit per dose if that is more
// (a smaller change could not be measured). The stop step is the only exception.
std::int64_t max_daily_fall(Pace pace, std::int64_t daily_total_micro, int doses_per_day,
                            std::int64_t resolution_micro);

// One short sentence per step of `plan.steps`, in order, saying why the step is what it is
// ("One dose a day fewer (6 to 5)…"). `plan new --preview` and the plan JSON show them.
std::vector<std::string> step_reasons(const Plan& plan, Language language = kDefaultLanguage);

// Builds the plan. Errors name the field: "pattern", "doses_per_day", "interval", "amount",
// "target", "wake"/"sleep", "resolution", "start", "zone".
// `zones` is where the inputs' zone is looked up.
Result<Plan> make_plan(const TaperInputs& inputs, Day today, std::string plan_id,
                       const Zones& zones);

// One planned dose on one day.
struct ScheduledDose {
  Instant at{};
  int local_minute = 0;  // Wall-clock minutes after the local midnight of the day (may be ≥ 1440
                         // for a waking window that runs past midnight).
  Amount amount;

  friend bool operator==(const ScheduledDose&, const ScheduledDose&) = default;
};

// The step in force on `day` (holds applied), or nullopt before the plan starts. After the last
// step, a reduce plan keeps its last step and a stop plan its stop step.
std::optional<TaperStep> step_on(const Plan& plan, Day day);

// The doses planned for `day`, in time order, at wake + k × interval in `zone`.
std::vector<ScheduledDose> schedule_for(const Plan& plan, Day day, const TimeZone* zone);

// Holding and resuming. Both return a new version of the plan; the old one is untouched.
// `hold` fails when the plan is already held; held before its first day, the plan waits (no
// step is in force until it is resumed). `resume` fails when it is not held or `day` is before
// the hold began. Resuming shifts every later step by the days spent holding.
Result<Plan> hold(const Plan& plan, Day day, std::string reason);
Result<Plan> resume(const Plan& plan, Day day);
bool is_held(const Plan& plan);

// SOWS bands as the check-in reports them.
enum class SymptomBand { none, mild, moderate, severe };

// Whether to suggest holding: a SOWS band of moderate or worse, or craving of 7 or more of 10.
struct HoldSuggestion {
  bool suggested = false;
  std::string reason;  // A sentence for the person when suggested.
};
HoldSuggestion suggest_hold(std::optional<SymptomBand> sows_band, std::optional<int> craving);

// Planned versus actual for one day. `actual` holds the day's dose amounts; amounts in another
// unit than the plan's are counted as doses but not in the total.
struct DayComparison {
  Day day{};
  int planned_doses = 0;
  Amount planned_total;
  int actual_doses = 0;
  Amount actual_total;
  int doses_in_other_units = 0;
  bool in_plan = false;    // The plan had started by `day` (false: nothing was planned yet).
  bool over_plan = false;  // More doses or more in total than planned: a slip.

  friend bool operator==(const DayComparison&, const DayComparison&) = default;
};
DayComparison compare_day(const Plan& plan, Day day, std::span<const Amount> actual);

// Re-plans after a slip (or from the person's recent pattern), starting on `from`. The new
// version never has a higher daily total, more doses or a larger dose than the old version's
// step in force on `reference_day` (the day of the slip; the plan's first step before it
// started): when `now_pattern` is below that step on every count the plan is made afresh from
// it, otherwise that step runs once more (kind `repeat`, its full length) and the old version's
// later steps follow, moved along. Steps of the old version before `from` move to
// `earlier_steps`; the result is version + 1 with reason "slip". Fails, naming "plan", when the
// step in force is the stop step (adjusting cannot add doses back) or comes from an earlier
// version (this one already re-planned after that day), and naming "start" when
// `from` is before `today`.
Result<Plan> replan_after_slip(const Plan& plan, const DosingPattern& now_pattern,
                               Day reference_day, Day from, Day today, const Zones& zones);

}  // namespace mitra::core
