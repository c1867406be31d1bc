#include "core/taper.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/embedded.hpp"

namespace mitra::core {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

constexpr minutes kOneDay{24 * 60};
constexpr minutes kMinimumWindow{60};
constexpr minutes kIntervalGrain{30};  // Stretched intervals are whole half hours.
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

// The longest interval, in whole half hours, at which `doses` doses fit in `window`.
minutes widest_interval(minutes window, int doses) {
  if (doses <= 1) return kOneDay;
  const auto spread = window / (doses - 1);
  return std::max(kIntervalGrain, spread / kIntervalGrain * kIntervalGrain);
}

std::string unit_text(Unit unit) { return to_string(unit); }

Result<void> validate(const TaperInputs& inputs, Day today) {
  if (!inputs.pattern) {
    return invalid("pattern",
                   "no dosing pattern was given and the journal has no doses in the last 7 days; "
                   "log a few days of doses, or give the doses per day, the interval and the "
                   "amount per dose");
  }
  const auto& p = *inputs.pattern;
  if (p.doses_per_day < 1 || p.doses_per_day > 24) {
    return invalid("doses_per_day", "doses per day must be a whole number from 1 to 24");
  }
  if (p.doses_per_day > 1 && (p.interval < minutes{60} || p.interval > kOneDay)) {
    return invalid("interval",
                   "the interval between doses must be from 1 to 24 hours, e.g. 3 for every 3 h");
  }
  if (auto amount = validate_dose_amount(p.amount_per_dose, "amount"); !amount) {
    return tl::unexpected(amount.error());
  }
  const Unit unit = p.amount_per_dose.unit;
  const auto& r = inputs.resolution;
  if (r.unit != unit) {
    return invalid("resolution", "the measuring resolution must be in the same unit as the dose (" +
                                     unit_text(unit) + "), e.g. 0.1 " + unit_text(unit));
  }
  if (r.micro <= 0) {
    return invalid("resolution", "the measuring resolution must be above zero, e.g. 0.1 " +
                                     unit_text(unit) + " for a kitchen scale");
  }
  if (r.micro > p.amount_per_dose.micro) {
    return invalid("resolution",
                   "a resolution of " + format_amount(r) + " is coarser than a dose of " +
                       format_amount(p.amount_per_dose) +
                       "; use a resolution no larger than one dose, e.g. 0.1 " + unit_text(unit));
  }
  const std::int64_t daily = p.amount_per_dose.micro * p.doses_per_day;
  if (inputs.goal.kind == GoalKind::reduce) {
    if (!inputs.goal.daily_target) {
      return invalid("target", "a reduce goal needs a daily target, e.g. --target 5" +
                                   unit_text(unit) + "/day; to stop altogether use --goal stop");
    }
    const auto& t = *inputs.goal.daily_target;
    if (t.unit != unit) {
      return invalid("target", "the daily target must be in the same unit as the dose (" +
                                   unit_text(unit) + ")");
    }
    if (t.micro < r.micro) {
      return invalid("target", "a daily target below the measuring resolution (" +
                                   format_amount(r) +
                                   ") cannot be measured; use --goal stop, "
                                   "or a target of at least " +
                                   format_amount(r));
    }
    if (t.micro > daily) {
      return invalid("target", "the daily target of " + format_amount(t) +
                                   " is above the current " + format_amount({daily, unit}) +
                                   " a day; choose a target at or below " +
                                   format_amount({daily, unit}));
    }
  }
  if (inputs.wake < minutes{0} || inputs.wake >= kOneDay) {
    return invalid("wake", "the wake time must be a clock time from 00:00 to 23:59");
  }
  if (inputs.sleep < minutes{0} || inputs.sleep >= kOneDay) {
    return invalid("sleep", "the sleep time must be a clock time from 00:00 to 23:59");
  }
  if (window_length(inputs) < kMinimumWindow) {
    return invalid("sleep",
                   "the waking window from wake to sleep is too short for even one dose; "
                   "give a window of at least 1 hour, e.g. --wake 07:00 --sleep 23:00");
  }
  if (inputs.start < today) {
    return invalid("start", "the start date " + format_date(inputs.start) +
                                " is in the past; start today (" + format_date(today) +
                                ") or later");
  }
  if (auto zone = find_zone(inputs.zone); !zone) return tl::unexpected(zone.error());
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
  minutes interval = doses == 1 ? kOneDay : base.interval;
  std::int64_t dose = base_dose;  // Not necessarily a multiple of r before the first step.
  std::int64_t last = dose;       // The day's last dose; smaller than `dose` while it fades out.
  Day next_start = inputs.start;

  const auto push = [&](StepKind kind, int new_doses, minutes new_interval, std::int64_t amount,
                        std::optional<std::int64_t> last_amount = std::nullopt) {
    const std::int64_t last_dose = last_amount.value_or(amount);
    TaperStep step;
    step.starts_on = next_start;
    step.ends_on = next_start + days{rule.step_days - 1};
    step.kind = kind;
    step.doses_per_day = new_doses;
    step.interval = new_interval;
    step.amount_per_dose = {amount, unit};
    step.last_dose = {last_dose, unit};
    step.daily_total = {new_doses == 0 ? 0 : amount * (new_doses - 1) + last_dose, unit};
    steps.push_back(step);
    next_start += days{rule.step_days};
    doses = new_doses;
    interval = new_interval;
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
      const std::int64_t fall = max_daily_fall(inputs.pace, day_total, doses, r);
      const std::int64_t others = amount * (doses - 1);
      const std::int64_t least = day_total - fall - others;  // The pace's limit.
      std::int64_t new_last = least <= 0 ? 0 : std::min(ceil_to(least, r), amount);
      if (!stopping && target - others > 0) {
        // Not under a reduce target by a measuring unit or more.
        new_last = std::max(new_last, std::min(floor_to(target - others, r), amount));
      }
      if (new_last == 0) {
        const int fewer = doses - 1;
        push(StepKind::fewer_doses, fewer, std::max(interval, widest_interval(window, fewer)),
             amount);
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
      push(StepKind::fewer_doses, fewer, std::max(interval, widest_interval(window, fewer)),
           *dropped_dose);
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
      push(StepKind::fewer_doses, fewer, std::max(interval, widest_interval(window, fewer)),
           *dropped_dose);
      continue;
    }
    break;  // A reduce plan at its target.
  }
  return steps;
}

// The step at `day` in `steps`, ignoring holds.
std::optional<TaperStep> raw_step_on(const Plan& plan, Day day) {
  const auto& steps = plan.steps;
  if (steps.empty() || day < steps.front().starts_on) return std::nullopt;
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

const TaperWords& words() {
  static const TaperWords all = [] {
    const auto raw = data::find("taper.json");
    if (!raw) throw std::logic_error("embedded taper.json missing");
    const auto doc = nlohmann::json::parse(*raw);
    TaperWords w;
    for (const auto& p : doc.at("paces")) {
      w.paces.push_back(PaceText{parse_pace(p.at("id").get<std::string>()).value(),
                                 p.at("summary").get<std::string>(),
                                 p.at("description").get<std::string>(),
                                 p.at("sources").get<std::vector<std::string>>()});
    }
    w.not_advice = read_text(doc.at("not_advice"));
    w.how_it_works = read_text(doc.at("how_it_works"));
    w.own_choices = read_text(doc.at("own_choices"));
    w.long_term_use = read_text(doc.at("long_term_use"));
    for (const auto& n : doc.at("involve_provider")) {
      w.involve_provider.emplace_back(n.at("flag").get<std::string>(), read_text(n));
    }
    return w;
  }();
  return all;
}

}  // namespace

const PaceText& pace_text(Pace pace) {
  for (const auto& p : words().paces) {
    if (p.pace == pace) return p;
  }
  throw std::logic_error(std::string("taper.json: no text for pace ") + to_string(pace));
}
const TaperText& plan_not_advice() { return words().not_advice; }
const TaperText& plan_how_it_works() { return words().how_it_works; }
const TaperText& plan_own_choices() { return words().own_choices; }
const TaperText& long_term_use_note() { return words().long_term_use; }

Pace default_pace(const Profile& profile) {
  if (profile.years_of_use.value_or(0.0) >= 1.0 || profile.pregnant.value_or(false) ||
      profile.on_opioid_treatment.value_or(false)) {
    return Pace::slow;
  }
  return Pace::steady;
}

std::vector<TaperText> involve_provider_notes(const Profile& profile) {
  std::vector<TaperText> out;
  for (const auto& [flag, note] : words().involve_provider) {
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
  return invalid(std::string(field), "unknown pace \"" + std::string(text) +
                                         "\"; use slow, gentle, steady or brisk");
}

const char* to_string(GoalKind goal) { return goal == GoalKind::stop ? "stop" : "reduce"; }

Result<GoalKind> parse_goal(std::string_view text, std::string_view field) {
  if (text == "stop") return GoalKind::stop;
  if (text == "reduce") return GoalKind::reduce;
  return invalid(std::string(field),
                 "unknown goal \"" + std::string(text) + "\"; use stop or reduce");
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
  }
  return "smaller_doses";
}

Amount dose_amount(const TaperStep& step, int k) {
  if (step.kind == StepKind::smaller_last_dose && k == step.doses_per_day - 1) {
    return step.last_dose;
  }
  return step.amount_per_dose;
}

Result<StepKind> parse_step_kind(std::string_view text, std::string_view field) {
  for (StepKind k : {StepKind::fewer_doses, StepKind::smaller_doses, StepKind::stop,
                     StepKind::smaller_last_dose}) {
    if (text == to_string(k)) return k;
  }
  return invalid(std::string(field),
                 "unknown step kind \"" + std::string(text) +
                     "\"; use fewer_doses, smaller_doses, smaller_last_dose or stop");
}

std::int64_t max_daily_fall(Pace pace, std::int64_t daily_total_micro, int doses_per_day,
                            std::int64_t resolution_micro) {
  const auto share = daily_total_micro * pace_rule(pace).max_fall_permille / 1000;
  return std::max(share, resolution_micro * doses_per_day);
}

Result<Plan> make_plan(const TaperInputs& inputs, Day today, std::string plan_id) {
  if (auto ok = validate(inputs, today); !ok) return tl::unexpected(ok.error());
  Plan plan;
  plan.plan_id = std::move(plan_id);
  plan.inputs = inputs;
  if (plan.inputs.pattern->doses_per_day == 1) plan.inputs.pattern->interval = kOneDay;
  plan.steps = build_steps(plan.inputs);
  if (plan.steps.empty()) {
    return invalid("target",
                   "the daily target equals what you take now at the fewest doses a day "
                   "it allows, so there is nothing to plan; choose a lower target");
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

std::vector<ScheduledDose> schedule_for(const Plan& plan, Day day, const date::time_zone* zone) {
  std::vector<ScheduledDose> out;
  const auto step = step_on(plan, day);
  if (!step || step->doses_per_day == 0) return out;
  const date::local_days local_day{day.time_since_epoch()};
  for (int k = 0; k < step->doses_per_day; ++k) {
    const minutes offset = plan.inputs.wake + step->interval * k;
    const auto local = date::local_seconds{local_day} + offset;
    const auto zoned = date::make_zoned(zone, local, date::choose::earliest);
    ScheduledDose planned;
    planned.at = std::chrono::time_point_cast<std::chrono::seconds>(zoned.get_sys_time());
    planned.local_minute = static_cast<int>(offset.count());
    planned.amount = dose_amount(*step, k);
    out.push_back(planned);
  }
  return out;
}

Result<Plan> hold(const Plan& plan, Day day, std::string reason) {
  if (is_held(plan)) {
    return invalid("plan", "the plan is already on hold since " +
                               format_date(plan.holds.back().from) + "; resume it first");
  }
  if (plan.steps.empty() || day < plan.steps.front().starts_on) {
    return invalid("date", "the plan has not started on " + format_date(day) +
                               "; a hold can begin on or after its start");
  }
  Plan next = plan;
  next.version = plan.version + 1;
  next.reason = "hold";
  next.holds.push_back(Hold{day, std::nullopt, std::move(reason)});
  return next;
}

Result<Plan> resume(const Plan& plan, Day day) {
  if (!is_held(plan))
    return invalid("plan", "the plan is not on hold, so there is nothing to resume");
  const Day from = plan.holds.back().from;
  if (day < from) {
    return invalid("date",
                   "the hold began on " + format_date(from) + "; resume on that day or later");
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
    return {true,
            "Your last withdrawal check-in was in the moderate range or higher; holding this step "
            "until it settles is a reasonable choice."};
  }
  if (craving && *craving >= 7) {
    return {true,
            "Your craving was 7 or more out of 10; holding this step for a while is a reasonable "
            "choice."};
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
  out.over_plan = step.has_value() && (out.actual_doses > out.planned_doses ||
                                       out.actual_total.micro > out.planned_total.micro);
  return out;
}

Result<Plan> replan_after_slip(const Plan& plan, const DosingPattern& now_pattern, Day from,
                               Day today) {
  TaperInputs inputs = plan.inputs;
  inputs.pattern = now_pattern;
  inputs.start = from;
  if (inputs.goal.kind == GoalKind::reduce && inputs.goal.daily_target) {
    // Someone now below their old target simply keeps the target they are already under.
    const auto now_total = now_pattern.amount_per_dose.micro * now_pattern.doses_per_day;
    if (inputs.goal.daily_target->micro > now_total &&
        inputs.goal.daily_target->unit == now_pattern.amount_per_dose.unit) {
      inputs.goal.daily_target->micro = now_total;
    }
  }
  auto fresh = make_plan(inputs, today, plan.plan_id);
  if (!fresh) return tl::unexpected(fresh.error());
  Plan next = std::move(*fresh);
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

}  // namespace mitra::core
