#include "core/taper.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/localized_data.hpp"
#include "core/translate.hpp"
#include "core/words.hpp"

namespace mitra::core {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr minutes kOneDay{24 * 60};
constexpr minutes kMinimumWindow{60};
constexpr minutes kIntervalGrain{30};  // Stretched intervals are whole half hours.
// A step whose cut is a bigger share of the day than the pace allows (whole capsules near the
// end) lasts longer instead, up to this many times the pace's step length.
constexpr int kMaxStepStretch = 4;
// A dose may grow, when a dosing point's amount is redistributed, to at most this many times
// the person's usual dose today; past that the planner trims before it drops another point.
constexpr std::int64_t kMaxDoseGrowth = 2;
// A stop plan steps to zero once the daily total is at or below this fraction of where the
// person started (in thousandths), or when no smaller measurable dose is left.
constexpr std::int64_t kStopAtPermille = 100;
// A guard against a runaway loop; real plans have a few dozen steps.
constexpr std::size_t kMaxSteps = 2000;

std::int64_t floor_to(std::int64_t value, std::int64_t grain) { return value / grain * grain; }
std::int64_t ceil_div(std::int64_t value, std::int64_t divisor) {
  return (value + divisor - 1) / divisor;
}
std::int64_t ceil_to(std::int64_t value, std::int64_t grain) {
  return ceil_div(value, grain) * grain;
}

minutes window_length(const TaperInputs& inputs) {
  const auto length = ((inputs.sleep - inputs.wake) % kOneDay + kOneDay) % kOneDay;
  return length;
}

// The interval at which `doses` doses spread over the waking window as a person would space
// them: the first on waking and the last at least half an interval before bed, so two doses
// fall morning and late afternoon, three morning, midday and evening, never one at bedtime
// (issue 14, item 3). Whole half hours.
minutes spread_interval(minutes window, int doses) {
  if (doses <= 1) return kOneDay;
  const minutes spread = window * 2 / (doses * 2 - 1);
  return std::max(kIntervalGrain, spread / kIntervalGrain * kIntervalGrain);
}

// The interval of a step of `doses` doses that follows one at `current`: never shorter than
// `current` (fewer doses spread out), stretched to `spread_interval`, and never so long that the
// day's last dose falls after bedtime. Only a pattern that does not fit the waking window at all
// (7 doses every 3 h in 16 h) gets a shorter interval, so that every dose does.
minutes step_interval(minutes window, int doses, minutes current) {
  if (doses <= 1) return kOneDay;
  const minutes fits = window / (doses - 1);
  return std::min(std::max(current, spread_interval(window, doses)), fits);
}

// How many of the pace's step lengths a step lasts: one when its cut is within the pace's share
// of the day before it; more, in proportion, when a whole measuring unit is a bigger share
// (4 → 3 capsules is 25 %, so at 10 % a step it lasts three steps). Proportional tapering cuts
// less as the dose falls (clinical-facts §5, S37); a cut that cannot be smaller is spread over
// more time instead.
int step_stretch(Pace pace, std::int64_t previous_total, std::int64_t total) {
  const std::int64_t fall = previous_total - total;
  if (fall <= 0) return 1;
  const std::int64_t allowed = previous_total * pace_rule(pace).max_fall_permille / 1000;
  if (allowed <= 0) return kMaxStepStretch;
  return static_cast<int>(std::clamp<std::int64_t>(ceil_div(fall, allowed), 1, kMaxStepStretch));
}

std::string unit_text(Unit unit) { return to_string(unit); }

Result<void> validate(const TaperInputs& inputs, Day today, const Zones& zones) {
  if (!inputs.pattern) {
    return invalid(
        "pattern",
        sentence(
            "no dosing pattern was given and the journal has no doses in the last 7 days; log a "
            "few days of doses, or give the doses per day, the interval and the amount per dose"));
  }
  const auto& p = *inputs.pattern;
  if (p.doses_per_day < 1 || p.doses_per_day > 24) {
    return invalid("doses_per_day", sentence("doses per day must be a whole number from 1 to 24"));
  }
  if (p.doses_per_day > 1 && (p.interval < minutes{60} || p.interval > kOneDay)) {
    return invalid(
        "interval",
        sentence("the interval between doses must be from 1 to 24 hours, e.g. 3 for every 3 h"));
  }
  if (auto amount = validate_dose_amount(p.amount_per_dose, "amount"); !amount) {
    return tl::unexpected(amount.error());
  }
  const Unit unit = p.amount_per_dose.unit;
  const auto& r = inputs.resolution;
  if (r.unit != unit) {
    return invalid("resolution", sentence("the measuring resolution must be in the same unit as "
                                          "the dose ({unit}), e.g. 0.1 {unit}",
                                          {{"unit", unit_text(unit)}}));
  }
  if (r.micro <= 0) {
    return invalid(
        "resolution",
        sentence("the measuring resolution must be above zero, e.g. 0.1 {unit} for a kitchen scale",
                 {{"unit", unit_text(unit)}}));
  }
  if (r.micro > p.amount_per_dose.micro) {
    return invalid("resolution",
                   sentence("a resolution of {amount} is coarser than a dose of {amount_per_dose}; "
                            "use a resolution no larger than one dose, e.g. 0.1 {unit}",
                            {{"amount", format_amount(r)},
                             {"amount_per_dose", format_amount(p.amount_per_dose)},
                             {"unit", unit_text(unit)}}));
  }
  const std::int64_t daily = p.amount_per_dose.micro * p.doses_per_day;
  if (inputs.goal.kind == GoalKind::reduce) {
    if (!inputs.goal.daily_target) {
      return invalid("target", sentence("a reduce goal needs a daily target, e.g. --target "
                                        "5{unit}/day; to stop altogether use --goal stop",
                                        {{"unit", unit_text(unit)}}));
    }
    const auto& t = *inputs.goal.daily_target;
    if (t.unit != unit) {
      return invalid("target",
                     sentence("the daily target must be in the same unit as the dose ({unit})",
                              {{"unit", unit_text(unit)}}));
    }
    if (t.micro < r.micro) {
      return invalid("target",
                     sentence("a daily target below the measuring resolution ({amount}) cannot be "
                              "measured; use --goal stop, or a target of at least {amount}",
                              {{"amount", format_amount(r)}}));
    }
    if (t.micro > daily) {
      return invalid("target", sentence("the daily target of {amount} is above the current {daily} "
                                        "a day; choose a target at or below {daily}",
                                        {{"amount", format_amount(t)},
                                         {"daily", format_amount({daily, unit})}}));
    }
  }
  if (inputs.wake < minutes{0} || inputs.wake >= kOneDay) {
    return invalid("wake", sentence("the wake time must be a clock time from 00:00 to 23:59"));
  }
  if (inputs.sleep < minutes{0} || inputs.sleep >= kOneDay) {
    return invalid("sleep", sentence("the sleep time must be a clock time from 00:00 to 23:59"));
  }
  if (window_length(inputs) < kMinimumWindow) {
    return invalid("sleep",
                   sentence("the waking window from wake to sleep is too short for even one dose; "
                            "give a window of at least 1 hour, e.g. --wake 07:00 --sleep 23:00"));
  }
  if (inputs.start < today) {
    return invalid("start",
                   sentence("the start date {start} is in the past; start today ({today}) or later",
                            {{"start", format_date(inputs.start)}, {"today", format_date(today)}}));
  }
  if (auto zone = find_zone(zones, inputs.zone, "zone"); !zone) return tl::unexpected(zone.error());
  return {};
}

// The steps themselves; the inputs are valid.
std::vector<TaperStep> build_steps(const TaperInputs& inputs) {
  const auto& base = *inputs.pattern;
  const Unit unit = base.amount_per_dose.unit;
  const std::int64_t r = inputs.resolution.micro;
  const PaceRule rule = pace_rule(inputs.pace);
  const minutes window = window_length(inputs);
  const std::int64_t base_dose = base.amount_per_dose.micro;
  const std::int64_t base_total = base_dose * base.doses_per_day;
  const std::int64_t max_dose = base_dose * kMaxDoseGrowth;
  const bool stopping = inputs.goal.kind == GoalKind::stop;
  const std::int64_t target = stopping ? 0 : inputs.goal.daily_target->micro;

  // How many doses a day the frequency phase aims for: one to stop; to reduce, as few as keep
  // each dose no bigger than it is today (and each measurable).
  int final_doses = 1;
  if (!stopping) {
    const auto by_dose = ceil_div(target, base_dose);
    const auto by_resolution = target / r;
    final_doses = static_cast<int>(std::clamp<std::int64_t>(
        by_dose, 1, std::min<std::int64_t>(base.doses_per_day, by_resolution)));
  }
  const auto dose_target = [&](int doses) { return std::max(r, floor_to(target / doses, r)); };
  const std::int64_t stop_threshold = std::max(r, base_total * kStopAtPermille / 1000);

  std::vector<TaperStep> steps;
  int doses = base.doses_per_day;
  // A pattern that does not fit the waking window is squeezed into it (see step_interval).
  minutes interval = doses == 1 ? kOneDay : std::min(base.interval, window / (doses - 1));
  std::int64_t dose = base_dose;  // Not necessarily a multiple of r before the first step.
  std::int64_t last = dose;       // The day's last dose; smaller than `dose` while it fades out.
  Day next_start = inputs.start;

  const auto push = [&](StepKind kind, int new_doses, minutes new_interval, std::int64_t amount,
                        std::optional<std::int64_t> last_amount = std::nullopt) {
    const std::int64_t last_dose = last_amount.value_or(amount);
    const std::int64_t previous_total = doses == 0 ? 0 : dose * (doses - 1) + last;
    TaperStep step;
    step.kind = kind;
    step.doses_per_day = new_doses;
    if (new_doses == 0) {
      step.interval = minutes{0};
    } else if (kind == StepKind::fewer_doses) {
      step.interval = step_interval(window, new_doses, new_interval);
    } else {
      // The same doses as before, at the same times (only squeezed into the waking window).
      step.interval = new_doses == 1 ? kOneDay : std::min(new_interval, window / (new_doses - 1));
    }
    step.amount_per_dose = {amount, unit};
    step.last_dose = {last_dose, unit};
    step.daily_total = {new_doses == 0 ? 0 : amount * (new_doses - 1) + last_dose, unit};
    const int length =
        kind == StepKind::stop
            ? rule.step_days
            : rule.step_days * step_stretch(inputs.pace, previous_total, step.daily_total.micro);
    step.starts_on = next_start;
    step.ends_on = next_start + days{length - 1};
    steps.push_back(step);
    next_start += days{length};
    doses = new_doses;
    interval = step.interval;
    dose = amount;
    last = last_dose;
  };

  const bool fading = !inputs.allow_larger_doses;
  while (steps.size() < kMaxSteps) {
    // Phase one without larger doses: the day's last dose shrinks by the pace's share of the
    // daily total each step until it is gone; the others stay as they are today.
    if (fading && doses > final_doses) {
      const std::int64_t amount = std::max(r, floor_to(dose, r));
      const std::int64_t day_total = dose * (doses - 1) + last;
      // Only one dose changes, so the floor is one measuring unit (not one per dose): a coarse
      // resolution then fades the last dose in pace-sized steps rather than dropping it whole.
      const std::int64_t fall = std::max(day_total * rule.max_fall_permille / 1000, r);
      const std::int64_t others = amount * (doses - 1);
      const std::int64_t least = day_total - fall - others;  // The pace's limit.
      std::int64_t new_last = least <= 0 ? 0 : std::min(ceil_to(least, r), amount);
      if (!stopping && target - others > 0) {
        // Not under a reduce target by a measuring unit or more.
        new_last = std::max(new_last, std::min(floor_to(target - others, r), amount));
      }
      if (new_last == 0) {
        const int fewer = doses - 1;
        push(StepKind::fewer_doses, fewer, interval, amount);
        continue;
      }
      if (new_last < last) {
        push(StepKind::smaller_last_dose, doses, interval, amount, new_last);
        continue;
      }
      break;  // A reduce plan at its target: a smaller last dose would go under it.
    }
    const std::int64_t total = dose * doses;
    // The least the daily total may be after this step.
    const std::int64_t floor_total = total - total * rule.max_fall_permille / 1000;

    // Dropping a dosing point: the remaining doses take up part of its amount, so the daily total
    // falls by no more than the pace allows, and no dose grows past twice today's usual dose.
    std::optional<std::int64_t> dropped_dose;
    bool drop_within_guard = false;
    if (doses > final_doses) {
      const int fewer = doses - 1;
      const std::int64_t most = floor_to(total / fewer, r);  // Never raises the daily total.
      std::int64_t least = ceil_to(ceil_div(floor_total, fewer), r);
      least = std::max({least, floor_to(dose, r), r});
      if (!stopping) least = std::max(least, dose_target(fewer));
      const std::int64_t amount = std::min(least, most);
      dropped_dose = amount;
      drop_within_guard = amount <= max_dose;
    }
    if (dropped_dose && drop_within_guard) {
      const int fewer = doses - 1;
      push(StepKind::fewer_doses, fewer, interval, *dropped_dose);
      continue;
    }

    // Trimming every dose: a proportional cut, never below one measuring unit per dose.
    std::int64_t trimmed = ceil_to(ceil_div(floor_total, doses), r);
    if (trimmed >= dose) trimmed = ceil_to(dose, r) - r;
    if (!stopping) trimmed = std::max(trimmed, dose_target(doses));
    const bool can_trim = trimmed >= r && trimmed < dose;
    if (stopping && doses <= final_doses && (total <= stop_threshold || !can_trim)) {
      push(StepKind::stop, 0, minutes{0}, 0);
      break;
    }
    if (can_trim) {
      push(StepKind::smaller_doses, doses, interval, trimmed);
      continue;
    }
    if (dropped_dose) {
      // Nothing left to trim at this frequency: drop a point even past the growth guard.
      const int fewer = doses - 1;
      push(StepKind::fewer_doses, fewer, interval, *dropped_dose);
      continue;
    }
    break;  // A reduce plan at its target.
  }
  return steps;
}

// The step at `day` in `steps`, ignoring holds.
std::optional<TaperStep> raw_step_on(const Plan& plan, Day day) {
  const auto& steps = plan.steps;
  if (!steps.empty() && day < steps.front().starts_on) {
    // A day before this version began ran on an earlier version's step (after an adjustment
    // that starts tomorrow, today is still planned as it was).
    for (const auto& step : plan.earlier_steps) {
      if (step.starts_on <= day && day <= step.ends_on) return step;
    }
    return std::nullopt;
  }
  if (steps.empty()) return std::nullopt;
  for (const auto& step : steps) {
    if (step.starts_on <= day && day <= step.ends_on) return step;
  }
  return steps.back();
}

}  // namespace

namespace {

struct TaperWords {
  std::vector<PaceText> paces;
  TaperText not_advice, how_it_works, own_choices, long_term_use;
  std::vector<std::pair<std::string, TaperText>> involve_provider;  // By profile flag.
};

TaperText read_text(const nlohmann::json& j) {
  return {j.at("text").get<std::string>(), j.at("sources").get<std::vector<std::string>>()};
}

const TaperWords& words(Language language) {
  return data::once_per_language(language, [](Language lang) {
    const auto raw = data::find_localized("taper.json", lang);
    if (!raw) throw std::logic_error("embedded taper.json missing");
    const auto doc = nlohmann::json::parse(raw->content);
    TaperWords w;
    for (const auto& p : doc.at("paces")) {
      w.paces.push_back(PaceText{
          parse_pace(p.at("id").get<std::string>()).value(), p.at("summary").get<std::string>(),
          p.at("description").get<std::string>(), p.at("sources").get<std::vector<std::string>>()});
    }
    w.not_advice = read_text(doc.at("not_advice"));
    w.how_it_works = read_text(doc.at("how_it_works"));
    w.own_choices = read_text(doc.at("own_choices"));
    w.long_term_use = read_text(doc.at("long_term_use"));
    for (const auto& n : doc.at("involve_provider")) {
      w.involve_provider.emplace_back(n.at("flag").get<std::string>(), read_text(n));
    }
    return w;
  });
}

}  // namespace

const PaceText& pace_text(Pace pace, Language language) {
  for (const auto& p : words(language).paces) {
    if (p.pace == pace) return p;
  }
  throw std::logic_error(std::string("taper.json: no text for pace ") + to_string(pace));
}
const TaperText& plan_not_advice(Language language) { return words(language).not_advice; }
const TaperText& plan_how_it_works(Language language) { return words(language).how_it_works; }
const TaperText& plan_own_choices(Language language) { return words(language).own_choices; }
const TaperText& long_term_use_note(Language language) { return words(language).long_term_use; }

Amount default_resolution(Unit unit) {
  switch (unit) {
    case Unit::gram:
      return {kMicro / 10, unit};
    case Unit::teaspoon:
      return {kMicro / 4, unit};
    case Unit::capsule:
    case Unit::milligram:
    case Unit::millilitre:
      break;
  }
  return {kMicro, unit};
}

Pace default_pace(const Profile& profile) {
  if (profile.years_of_use.value_or(0.0) >= 1.0 || profile.pregnant.value_or(false) ||
      profile.on_opioid_treatment.value_or(false)) {
    return Pace::slow;
  }
  return Pace::steady;
}

std::vector<TaperText> involve_provider_notes(const Profile& profile, Language language) {
  std::vector<TaperText> out;
  for (const auto& [flag, note] : words(language).involve_provider) {
    const bool on = flag == "pregnant" ? profile.pregnant.value_or(false)
                                       : profile.on_opioid_treatment.value_or(false);
    if (on) out.push_back(note);
  }
  return out;
}

PaceRule pace_rule(Pace pace) {
  switch (pace) {
    case Pace::slow:
      return {100, 30};
    case Pace::gentle:
      return {100, 14};
    case Pace::steady:
      return {100, 7};
    case Pace::brisk:
      return {200, 7};
  }
  return {100, 7};
}

const char* to_string(Pace pace) {
  switch (pace) {
    case Pace::slow:
      return "slow";
    case Pace::gentle:
      return "gentle";
    case Pace::steady:
      return "steady";
    case Pace::brisk:
      return "brisk";
  }
  return "steady";
}

Result<Pace> parse_pace(std::string_view text, std::string_view field) {
  for (Pace p : {Pace::slow, Pace::gentle, Pace::steady, Pace::brisk}) {
    if (text == to_string(p)) return p;
  }
  return invalid(std::string(field),
                 sentence("unknown pace \"{text}\"; use slow, gentle, steady or brisk",
                          {{"text", std::string(text)}}));
}

const char* to_string(GoalKind goal) { return goal == GoalKind::stop ? "stop" : "reduce"; }

Result<GoalKind> parse_goal(std::string_view text, std::string_view field) {
  if (text == "stop") return GoalKind::stop;
  if (text == "reduce") return GoalKind::reduce;
  return invalid(std::string(field), sentence("unknown goal \"{text}\"; use stop or reduce",
                                              {{"text", std::string(text)}}));
}

const char* to_string(StepKind kind) {
  switch (kind) {
    case StepKind::fewer_doses:
      return "fewer_doses";
    case StepKind::smaller_doses:
      return "smaller_doses";
    case StepKind::stop:
      return "stop";
    case StepKind::smaller_last_dose:
      return "smaller_last_dose";
    case StepKind::repeat:
      return "repeat";
  }
  return "smaller_doses";
}

Amount dose_amount(const TaperStep& step, int k) {
  // last_dose equals amount_per_dose except in a smaller_last_dose step (or a repeat of one).
  if (k == step.doses_per_day - 1) return step.last_dose;
  return step.amount_per_dose;
}

Result<StepKind> parse_step_kind(std::string_view text, std::string_view field) {
  for (StepKind k : {StepKind::fewer_doses, StepKind::smaller_doses, StepKind::stop,
                     StepKind::smaller_last_dose, StepKind::repeat}) {
    if (text == to_string(k)) return k;
  }
  return invalid(std::string(field), sentence("unknown step kind \"{text}\"; use fewer_doses, "
                                              "smaller_doses, smaller_last_dose, repeat or stop",
                                              {{"text", std::string(text)}}));
}

std::int64_t max_daily_fall(Pace pace, std::int64_t daily_total_micro, int doses_per_day,
                            std::int64_t resolution_micro) {
  const auto share = daily_total_micro * pace_rule(pace).max_fall_permille / 1000;
  return std::max(share, resolution_micro * doses_per_day);
}

Result<Plan> make_plan(const TaperInputs& inputs, Day today, std::string plan_id,
                       const Zones& zones) {
  if (auto ok = validate(inputs, today, zones); !ok) return tl::unexpected(ok.error());
  Plan plan;
  plan.plan_id = std::move(plan_id);
  plan.inputs = inputs;
  if (plan.inputs.pattern->doses_per_day == 1) plan.inputs.pattern->interval = kOneDay;
  plan.steps = build_steps(plan.inputs);
  if (plan.steps.empty()) {
    return invalid("target",
                   sentence("the daily target equals what you take now at the fewest doses a day "
                            "it allows, so there is nothing to plan; choose a lower target"));
  }
  return plan;
}

bool is_held(const Plan& plan) { return !plan.holds.empty() && !plan.holds.back().until; }

std::optional<TaperStep> step_on(const Plan& plan, Day day) {
  if (is_held(plan) && day >= plan.holds.back().from) {
    return raw_step_on(plan, plan.holds.back().from);
  }
  return raw_step_on(plan, day);
}

std::vector<ScheduledDose> schedule_for(const Plan& plan, Day day, const TimeZone* zone) {
  std::vector<ScheduledDose> out;
  const auto step = step_on(plan, day);
  if (!step || step->doses_per_day == 0) return out;
  const date::local_days local_day{day.time_since_epoch()};
  for (int k = 0; k < step->doses_per_day; ++k) {
    const minutes offset = plan.inputs.wake + step->interval * k;
    const auto local = date::local_seconds{local_day} + offset;
    ScheduledDose planned;
    planned.at = zone->to_sys(local, Choose::earliest);
    planned.local_minute = static_cast<int>(offset.count());
    planned.amount = dose_amount(*step, k);
    out.push_back(planned);
  }
  return out;
}

Result<Plan> hold(const Plan& plan, Day day, std::string reason) {
  if (is_held(plan)) {
    return invalid("plan", sentence("the plan is already on hold since {from}; resume it first",
                                    {{"from", format_date(plan.holds.back().from)}}));
  }
  if (plan.steps.empty()) return invalid("plan", sentence("the plan has no steps to hold"));
  // A plan that starts tomorrow (doses were logged today) may be held before it starts: it
  // then waits, and resuming moves its start along by the days held.
  Plan next = plan;
  next.version = plan.version + 1;
  next.reason = "hold";
  next.holds.push_back(Hold{day, std::nullopt, std::move(reason)});
  return next;
}

Result<Plan> resume(const Plan& plan, Day day) {
  if (!is_held(plan))
    return invalid("plan", sentence("the plan is not on hold, so there is nothing to resume"));
  const Day from = plan.holds.back().from;
  if (day < from) {
    return invalid("date", sentence("the hold began on {from}; resume on that day or later",
                                    {{"from", format_date(from)}}));
  }
  Plan next = plan;
  next.version = plan.version + 1;
  next.reason = "resume";
  next.holds.back().until = day;
  const days shift = day - from;
  // The step in force at the hold stretches by the days held; every later step moves along.
  for (auto& step : next.steps) {
    if (step.starts_on > from) {
      step.starts_on += shift;
      step.ends_on += shift;
    } else if (step.ends_on >= from) {
      step.ends_on += shift;
    }
  }
  return next;
}

HoldSuggestion suggest_hold(std::optional<SymptomBand> sows_band, std::optional<int> craving) {
  if (sows_band && (*sows_band == SymptomBand::moderate || *sows_band == SymptomBand::severe)) {
    // In English; app::hold_suggestion gives it in the person's language.
    return {true,
            noop_tr("Your last withdrawal check-in was in the moderate range or higher; holding "
                    "this step until it settles is a reasonable choice.")};
  }
  if (craving && *craving >= 7) {
    return {true, noop_tr("Your craving was 7 or more out of 10; holding this step for a while is "
                          "a reasonable choice.")};
  }
  return {};
}

DayComparison compare_day(const Plan& plan, Day day, std::span<const Amount> actual) {
  DayComparison out;
  out.day = day;
  const Unit unit = plan.inputs.resolution.unit;
  out.planned_total = {0, unit};
  out.actual_total = {0, unit};
  const auto step = step_on(plan, day);
  if (step) {
    out.planned_doses = step->doses_per_day;
    out.planned_total = step->daily_total;
  }
  for (const auto& amount : actual) {
    ++out.actual_doses;
    if (amount.unit == unit) {
      out.actual_total.micro += amount.micro;
    } else {
      ++out.doses_in_other_units;
    }
  }
  // A day before the plan starts has nothing planned, so nothing on it can be a slip.
  out.in_plan = step.has_value();
  out.over_plan = step.has_value() && (out.actual_doses > out.planned_doses ||
                                       out.actual_total.micro > out.planned_total.micro);
  return out;
}

Result<Plan> replan_after_slip(const Plan& plan, const DosingPattern& now_pattern,
                               Day reference_day, Day from, Day today, const Zones& zones) {
  if (plan.steps.empty()) return invalid("plan", sentence("the plan has no steps to adjust"));
  const auto in_force = step_on(plan, reference_day);
  const TaperStep reference = in_force ? *in_force : plan.steps.front();
  if (reference.kind == StepKind::stop) {
    return invalid(
        "plan",
        sentence(
            "this plan has reached its last step, with no doses, so adjusting it cannot add doses "
            "back; to plan from where you are now, make a new plan with `mitra plan new`"));
  }
  if (in_force && reference_day < plan.steps.front().starts_on) {
    // The step in force came from an earlier version: this version already re-planned after
    // that day, so there is nothing to change (and repeating would stack repeats).
    return invalid("plan", sentence("the plan was already adjusted after {reference_day} (version "
                                    "{version} starts on {starts_on}); nothing was changed",
                                    {{"reference_day", format_date(reference_day)},
                                     {"version", std::to_string(plan.version)},
                                     {"starts_on", format_date(plan.steps.front().starts_on)}}));
  }
  if (from < today) {
    return invalid("start",
                   sentence("the start date {from} is in the past; start today ({today}) or later",
                            {{"from", format_date(from)}, {"today", format_date(today)}}));
  }

  // Below the step in force on every count (fewer or as many doses, none larger, less a day):
  // plan afresh from there. Otherwise the step in force runs once more (issue 14, item 1).
  const std::int64_t now_total = now_pattern.amount_per_dose.micro * now_pattern.doses_per_day;
  const bool below = now_pattern.amount_per_dose.unit == reference.amount_per_dose.unit &&
                     now_pattern.doses_per_day <= reference.doses_per_day &&
                     now_pattern.amount_per_dose.micro <= reference.amount_per_dose.micro &&
                     now_total < reference.daily_total.micro;
  Plan next;
  bool planned = false;
  if (below) {
    TaperInputs inputs = plan.inputs;
    inputs.pattern = now_pattern;
    inputs.start = from;
    if (inputs.goal.kind == GoalKind::reduce && inputs.goal.daily_target &&
        inputs.goal.daily_target->micro > now_total) {
      // Someone now below their old target simply keeps the target they are already under.
      inputs.goal.daily_target->micro = now_total;
    }
    auto fresh = make_plan(inputs, today, plan.plan_id, zones);
    if (fresh) {
      next = std::move(*fresh);
      planned = true;
    } else if (fresh.error().field != "target") {
      return tl::unexpected(fresh.error());
    }
  }
  if (!planned) {
    next.plan_id = plan.plan_id;
    next.inputs = plan.inputs;
    next.inputs.start = from;
    TaperStep again = reference;
    again.kind = StepKind::repeat;
    const days length = reference.ends_on - reference.starts_on + days{1};
    again.starts_on = from;
    again.ends_on = from + length - days{1};
    next.steps.push_back(again);
    Day next_start = again.ends_on + days{1};
    for (auto step : plan.steps) {
      if (step.starts_on <= reference.starts_on) continue;
      const days step_length = step.ends_on - step.starts_on + days{1};
      step.starts_on = next_start;
      step.ends_on = next_start + step_length - days{1};
      next_start += step_length;
      next.steps.push_back(step);
    }
  }
  next.version = plan.version + 1;
  next.reason = "slip";
  next.earlier_steps = plan.earlier_steps;
  for (auto step : plan.steps) {
    if (step.starts_on >= from) break;
    step.ends_on = std::min<Day>(step.ends_on, from - days{1});
    next.earlier_steps.push_back(step);
  }
  next.holds = plan.holds;
  if (is_held(next)) next.holds.back().until = from;
  return next;
}

namespace {

std::string hours_text(minutes m) {
  if (m.count() % 60 == 0) return std::to_string(m.count() / 60) + " h";
  return std::to_string(m.count() / 60) + " h " + std::to_string(m.count() % 60) + " min";
}

// A share in whole percent, rounded to the nearest.
std::string percent_of(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "100";
  return std::to_string((part * 100 + whole / 2) / whole);
}

}  // namespace

std::vector<std::string> step_reasons(const Plan& plan, Language language) {
  std::vector<std::string> out;
  const Unit unit = plan.inputs.resolution.unit;
  // English as it always was ("1000 mg"); other languages with their separators.
  const auto amount = [unit, language](std::int64_t micro) {
    return language == Language::en ? format_amount(Amount{micro, unit})
                                    : format_amount(Amount{micro, unit}, language);
  };
  const PaceRule rule = pace_rule(plan.inputs.pace);
  int doses = 0;
  std::int64_t dose = 0;
  std::int64_t total = 0;
  if (plan.inputs.pattern) {
    doses = plan.inputs.pattern->doses_per_day;
    dose = plan.inputs.pattern->amount_per_dose.micro;
    total = dose * doses;
  }
  for (const auto& step : plan.steps) {
    std::string r;
    const std::int64_t fall = total - step.daily_total.micro;
    switch (step.kind) {
      case StepKind::fewer_doses:
        r = step.doses_per_day == 1
                ? fill(tr(language,
                          "One dose a day fewer ({from} to {to}), taken once a day; "
                          "each dose stays {amount}."),
                       {{"from", std::to_string(doses)},
                        {"to", std::to_string(step.doses_per_day)},
                        {"amount", amount(step.amount_per_dose.micro)}})
                : fill(tr(language,
                          "One dose a day fewer ({from} to {to}), the rest spread every "
                          "{hours} across the day; each dose stays {amount}."),
                       {{"from", std::to_string(doses)},
                        {"to", std::to_string(step.doses_per_day)},
                        {"hours", hours_text(step.interval)},
                        {"amount", amount(step.amount_per_dose.micro)}});
        break;
      case StepKind::smaller_last_dose:
        r = fill(tr(language,
                    "The day's last dose gets smaller ({last}) on its way out; the "
                    "other doses stay {amount}."),
                 {{"last", amount(step.last_dose.micro)},
                  {"amount", amount(step.amount_per_dose.micro)}});
        break;
      case StepKind::smaller_doses:
        // The percent sign goes with the number: "% l" would read as a C format to xgettext.
        r = fill(tr(language,
                    "Each dose {from} to {to}, {percent} less a day; the cuts get smaller as "
                    "the dose does."),
                 {{"from", amount(dose)},
                  {"to", amount(step.amount_per_dose.micro)},
                  {"percent", percent_of(fall, total) + " %"}});
        break;
      case StepKind::stop:
        r = tr(language, "The last step: no more doses.");
        break;
      case StepKind::repeat:
        r = tr(language,
               "The step you were on, once more after a slip: nothing goes up, and the "
               "rest of the plan moves along.");
        break;
    }
    const auto length = (step.ends_on - step.starts_on).count() + 1;
    if (step.kind != StepKind::stop && step.kind != StepKind::repeat && fall > 0 &&
        length > rule.step_days) {
      r = fill(tr(language,
                  "{reason} It lasts {days} days, not {step_days}: the cut is more than "
                  "the pace's {percent} %, so there is longer to settle."),
               {{"reason", r},
                {"days", std::to_string(length)},
                {"step_days", std::to_string(rule.step_days)},
                {"percent", std::to_string(rule.max_fall_permille / 10)}});
    }
    out.push_back(std::move(r));
    doses = step.doses_per_day;
    dose = step.amount_per_dose.micro;
    total = step.daily_total.micro;
  }
  return out;
}

}  // namespace mitra::core
