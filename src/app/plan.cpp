#include "app/plan.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

#include "app/journal.hpp"
#include "app/pattern.hpp"
#include "app/understanding.hpp"
#include "core/translate.hpp"
#include "formats/plan_json.hpp"
#include "store/store.hpp"

namespace mitra::app {

namespace {

using std::chrono::days;
using std::chrono::minutes;

// "leaf, extract and seven_oh"; "leaf or extract".
std::string join_words(const std::vector<std::string>& words, const std::string& last) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " " + last + " " : ", ";
    out += words[i];
  }
  return out;
}
std::string join_and(const std::vector<std::string>& words) { return join_words(words, "and"); }
std::string join_or(const std::vector<std::string>& words) { return join_words(words, "or"); }

core::Day today_of(const Context& context) {
  return core::journal_day(context.now, context.zone, context.settings.day_start);
}

std::string status_of(const core::Plan& plan) {
  if (core::is_held(plan)) return "held";
  return "active";
}

Result<core::Plan> save(Context& context, core::Plan plan,
                        const std::string& idempotency_key = "") {
  store::PlanVersion version;
  version.plan_id = plan.plan_id;
  version.version = plan.version;
  version.created_at = context.now;
  version.status = status_of(plan);
  version.reason = plan.reason;
  version.body_json = formats::plan_to_json(plan).dump();
  auto saved = context.store.add_plan_version(version, idempotency_key);
  if (!saved) return tl::unexpected(saved.error());
  if (saved->plan_id != plan.plan_id || saved->created_at != version.created_at ||
      saved->body_json != version.body_json) {
    // A retry: the store kept the first call's version; answer with that one.
    auto first = formats::plan_from_json_text(saved->body_json);
    if (!first) return tl::unexpected(first.error());
    first->version = saved->version;
    return first;
  }
  if (saved->version != plan.version) {
    // The store numbers versions; keep the body in step with it.
    plan.version = saved->version;
  }
  return plan;
}

// The amounts of the doses of journal day `day`, counted as status counts them.
Result<std::vector<core::Amount>> amounts_on(Context& context, core::Day day) {
  auto doses = doses_of_day(context, day);
  if (!doses) return tl::unexpected(doses.error());
  std::vector<core::Amount> amounts;
  amounts.reserve(doses->size());
  for (const auto& d : *doses) amounts.push_back(d.amount);
  return amounts;
}

Result<core::DayComparison> compare(Context& context, const core::Plan& plan, core::Day day) {
  auto amounts = amounts_on(context, day);
  if (!amounts) return tl::unexpected(amounts.error());
  return core::compare_day(plan, day, *amounts);
}

// What the last check-ins say about holding: the latest SOWS band and craving in 3 days.
Result<core::HoldSuggestion> hold_suggestion(Context& context) {
  store::TimeRange range;
  range.from = context.now - days{3};
  std::optional<core::SymptomBand> band;
  auto sows = context.store.list_assessments("sows", range);
  if (!sows) return tl::unexpected(sows.error());
  if (!sows->empty()) {
    const auto& b = sows->back().band;
    if (b == "moderate") band = core::SymptomBand::moderate;
    if (b == "severe") band = core::SymptomBand::severe;
    if (b == "mild") band = core::SymptomBand::mild;
    if (b == "none") band = core::SymptomBand::none;
  }
  std::optional<int> craving;
  auto checkins = context.store.list_assessments("checkin", range);
  if (!checkins) return tl::unexpected(checkins.error());
  if (!checkins->empty() && checkins->back().answers.size() >= 3) {
    craving = checkins->back().answers[2];
  }
  auto suggestion = core::suggest_hold(band, craving);
  // core writes the reason in English; the person reads it in their language.
  if (suggestion.suggested) {
    suggestion.reason = std::string(core::tr(context.language, suggestion.reason));
  }
  return suggestion;
}

}  // namespace

namespace {

std::string group_name(core::Form form) { return core::to_string(core::strength_group(form)); }

core::StrengthGroup group_of(const std::string& name) {
  for (std::size_t g = 0; g < core::kStrengthGroups; ++g) {
    const auto group = static_cast<core::StrengthGroup>(g);
    if (name == core::to_string(group)) return group;
  }
  return core::StrengthGroup::other;
}

// The last 7 journal days' doses (with a day's margin each side; the analysis trims them).
Result<std::vector<core::Dose>> last_week_doses(Context& context) {
  store::TimeRange range;
  range.from = context.now - days{8};
  range.to = context.now + days{1};
  return context.store.list_doses(range);
}

}  // namespace

Result<std::vector<std::string>> recent_forms(Context& context) {
  auto doses = last_week_doses(context);
  if (!doses) return tl::unexpected(doses.error());
  const core::Day today = today_of(context);
  std::vector<std::string> out;
  for (const auto& d : *doses) {
    if (d.taken_at > context.now) continue;
    const auto day =
        core::journal_day(d.taken_at, core::zone_or(*context.zones, d.zone, context.zone),
                          context.settings.day_start);
    if (day + days{7} <= today) continue;
    const auto group = group_name(d.form);
    if (std::find(out.begin(), out.end(), group) == out.end()) out.push_back(group);
  }
  return out;
}

namespace {

// The doses of the last 7 journal days up to now, of `form`'s strength group when given.
Result<std::vector<core::Dose>> window_doses(Context& context,
                                             std::optional<core::StrengthGroup> form) {
  auto doses = last_week_doses(context);
  if (!doses) return tl::unexpected(doses.error());
  const core::Day today = today_of(context);
  std::erase_if(*doses, [&](const core::Dose& d) {
    if (d.taken_at > context.now) return true;
    if (form && core::strength_group(d.form) != *form) return true;
    const auto day =
        core::journal_day(d.taken_at, core::zone_or(*context.zones, d.zone, context.zone),
                          context.settings.day_start);
    return day + days{7} <= today || today < day;
  });
  return std::move(*doses);
}

// The unit a plan is made in when the person names none: the one every dose was logged in
// (capsules stay capsules, milligrams of 7-OH stay milligrams: issues 13 and 14), else grams, or
// milligrams when the doses are 7-OH. Teaspoons are planned by weight.
core::Unit logged_unit(const std::vector<core::Dose>& doses,
                       std::optional<core::StrengthGroup> form) {
  if (!doses.empty()) {
    const core::Unit first = doses.front().amount.unit;
    const bool same = std::all_of(doses.begin(), doses.end(),
                                  [first](const core::Dose& d) { return d.amount.unit == first; });
    if (same && first != core::Unit::teaspoon) return first;
  }
  const bool seven_oh =
      form ? *form == core::StrengthGroup::seven_oh
           : !doses.empty() && std::all_of(doses.begin(), doses.end(), [](const core::Dose& d) {
               return core::strength_group(d.form) == core::StrengthGroup::seven_oh;
             });
  return seven_oh ? core::Unit::milligram : core::Unit::gram;
}

}  // namespace

Result<std::optional<JournalPattern>> journal_pattern(Context& context,
                                                      std::optional<core::StrengthGroup> form,
                                                      std::optional<core::Unit> unit) {
  Result<core::Pattern> p = pattern(context, 7);
  if (form) {
    auto doses = last_week_doses(context);
    if (!doses) return tl::unexpected(doses.error());
    std::erase_if(*doses,
                  [&](const core::Dose& d) { return core::strength_group(d.form) != *form; });
    auto weights = product_weights(context);
    if (!weights) return tl::unexpected(weights.error());
    core::PatternOptions options;
    options.days = 7;
    options.day_start = context.settings.day_start;
    options.zone = context.zone;
    options.zones = context.zones;
    auto first = context.store.first_dose();
    if (!first) return tl::unexpected(first.error());
    if (*first) options.journal_start = (*first)->taken_at;
    p = core::analyse_pattern(*doses, *weights, context.now, options);
  }
  if (!p) return tl::unexpected(p.error());
  if (p->dose_count == 0 || p->days_with_doses == 0) return std::optional<JournalPattern>{};

  // The amount per dose, exactly: the mean of the doses themselves, in capsules when every dose
  // was logged in capsules (and no other unit is asked for), else in grams where the weight is
  // known (issue 14, item 3: plan in the unit the person logs).
  auto doses = window_doses(context, form);
  if (!doses) return tl::unexpected(doses.error());
  auto weights = product_weights(context);
  if (!weights) return tl::unexpected(weights.error());
  const core::Unit plan_unit = unit.value_or(logged_unit(*doses, form));
  std::int64_t sum = 0;
  std::int64_t largest = 0;
  std::int64_t counted = 0;
  for (const auto& d : *doses) {
    const auto found = weights->find(d.product);
    const auto amount = core::amount_in(
        d.amount, plan_unit, found == weights->end() ? core::ProductWeights{} : found->second);
    if (!amount) continue;
    sum += *amount;
    largest = std::max(largest, *amount);
    ++counted;
  }
  if (counted == 0) {
    if (plan_unit != core::Unit::gram && plan_unit != core::Unit::milligram) {
      return core::invalid(
          "resolution", core::sentence("none of the doses in the last 7 days was logged in {unit}; "
                                       "give the resolution in the unit you log, e.g. 0.1g",
                                       {{"unit", core::to_string(plan_unit)}}));
    }
    return core::invalid(
        "pattern",
        core::sentence("none of the doses in the last 7 days has a known weight (capsules or "
                       "teaspoons of a product whose weight is not saved); save the weight with "
                       "`mitra product`, or give --doses-per-day, --interval and --amount"));
  }
  JournalPattern out;
  // Doses a day: the mean over days with doses, leaving out today (it is not over yet) unless
  // today is the only day with doses.
  int days_counted = 0;
  int doses_counted = 0;
  for (std::size_t i = 0; i + 1 < p->per_day.size(); ++i) {
    if (p->per_day[i].doses == 0) continue;
    ++days_counted;
    doses_counted += p->per_day[i].doses;
  }
  if (days_counted == 0) {
    days_counted = p->days_with_doses;
    doses_counted = p->dose_count;
  }
  out.pattern.doses_per_day = std::clamp(
      static_cast<int>(std::lround(static_cast<double>(doses_counted) / days_counted)), 1, 24);
  const double hours = p->median_interval_hours.value_or(24.0);
  out.pattern.interval =
      std::clamp(minutes{std::lround(hours * 2.0) * 30}, minutes{60}, minutes{24 * 60});
  if (out.pattern.doses_per_day == 1) out.pattern.interval = minutes{24 * 60};
  out.pattern.amount_per_dose = {(sum + counted / 2) / counted, plan_unit};
  out.largest_dose = {largest, plan_unit};
  return std::optional<JournalPattern>{out};
}

Result<std::optional<core::DosingPattern>> recent_pattern(Context& context,
                                                          std::optional<core::Form> form) {
  auto found =
      journal_pattern(context, form ? std::optional{core::strength_group(*form)} : std::nullopt);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return std::optional<core::DosingPattern>{};
  return std::optional<core::DosingPattern>{(*found)->pattern};
}

Result<int> doses_logged_today(Context& context) {
  auto amounts = amounts_on(context, today_of(context));
  if (!amounts) return tl::unexpected(amounts.error());
  return static_cast<int>(amounts->size());
}

std::optional<std::string> start_note(const Context& context, const NewPlanRequest& request,
                                      const core::Plan& plan) {
  if (request.start || plan.steps.empty()) return std::nullopt;
  const core::Day today = today_of(context);
  if (plan.steps.front().starts_on <= today) return std::nullopt;
  return core::fill(core::tr(context.language,
                             "The plan starts tomorrow, {first}: you have already logged doses "
                             "today, so day one is a whole day of the plan and today is not "
                             "counted against it. To start today instead, choose today ({today}) "
                             "as the first day."),
                    {{"first", core::format_date(plan.steps.front().starts_on)},
                     {"today", core::format_date(today)}});
}

Result<PlanAdvice> plan_advice(Context& context, const NewPlanRequest& request,
                               const core::Plan& plan) {
  auto profile = load_profile(context);
  if (!profile) return tl::unexpected(profile.error());
  PlanAdvice advice;
  // Pregnant, or on buprenorphine or methadone: involve the provider first (issue 13, item 5).
  for (const auto& note : core::involve_provider_notes(*profile, context.language)) {
    advice.involve_provider.push_back(note);
  }
  if (!request.pace && profile->years_of_use.value_or(0.0) >= 1.0 &&
      plan.inputs.pace == core::Pace::slow) {
    advice.long_term_use = core::long_term_use_note(context.language);
  }
  advice.start_note = start_note(context, request, plan);
  return advice;
}

Result<core::Amount> parse_daily_amount(std::string text, const std::string& field) {
  for (const std::string suffix : {"/day", "/d", " per day", "per day", "/ day"}) {
    if (text.size() > suffix.size() &&
        text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
      text.erase(text.size() - suffix.size());
      break;
    }
  }
  return core::parse_amount(text, field);
}

Result<NewPlanRequest> read_new_plan(const NewPlanInput& input) {
  NewPlanRequest request;
  auto goal = core::parse_goal(input.goal.empty() ? "stop" : input.goal, "goal");
  if (!goal) return tl::unexpected(goal.error());
  request.goal = *goal;
  if (!input.target.empty()) {
    auto target = parse_daily_amount(input.target, "target");
    if (!target) return tl::unexpected(target.error());
    request.target = *target;
  }
  if (!input.pace.empty()) {
    auto pace = core::parse_pace(input.pace, "pace");
    if (!pace) return tl::unexpected(pace.error());
    request.pace = *pace;
  }
  request.allow_larger_doses = input.allow_larger_doses;
  if (!input.form.empty()) {
    auto form = plan_form(input.form);
    if (!form) return tl::unexpected(form.error());
    request.form = *form;
  }
  if (!input.start.empty()) {
    auto start = core::parse_date(input.start, "start");
    if (!start) return tl::unexpected(start.error());
    request.start = *start;
  }
  for (auto [text, field, minutes] : {std::tuple{&input.wake, "wake", &request.wake},
                                      std::tuple{&input.sleep, "sleep", &request.sleep}}) {
    if (text->empty()) continue;
    auto clock = core::parse_clock(*text, field);
    if (!clock) return tl::unexpected(clock.error());
    *minutes = *clock;
  }
  if (!input.resolution.empty()) {
    auto resolution = core::parse_amount(input.resolution, "resolution");
    if (!resolution) return tl::unexpected(resolution.error());
    request.resolution = *resolution;
  }
  auto pattern = given_pattern(input.doses_per_day, input.interval_hours, input.amount_per_dose);
  if (!pattern) return tl::unexpected(pattern.error());
  request.pattern = *pattern;
  request.idempotency_key = input.idempotency_key;
  return request;
}

Result<core::Form> plan_form(const std::string& text) {
  return core::parse_form(text == "leaf" ? "leaf_powder" : text);
}

Result<std::optional<core::DosingPattern>> given_pattern(std::optional<int> doses_per_day,
                                                         std::optional<double> interval_hours,
                                                         const std::string& amount_per_dose) {
  const bool any = doses_per_day || interval_hours || !amount_per_dose.empty();
  if (!any) return std::optional<core::DosingPattern>{};
  if (!doses_per_day || amount_per_dose.empty() || (*doses_per_day > 1 && !interval_hours)) {
    return core::invalid(
        "pattern", core::sentence("give your pattern as doses per day, hours between doses and the "
                                  "amount per dose together, e.g. 6 doses, every 3 hours, 2.5g"));
  }
  if (*doses_per_day < 1 || *doses_per_day > 48) {
    return core::invalid("pattern",
                         core::sentence("doses per day must be a whole number from 1 to 48"));
  }
  if (interval_hours && (!(*interval_hours > 0.0) || *interval_hours > 24.0)) {
    return core::invalid("pattern",
                         core::sentence("hours between doses must be more than 0 and at most 24"));
  }
  auto amount = core::parse_amount(amount_per_dose, "amount");
  if (!amount) return tl::unexpected(amount.error());
  core::DosingPattern p;
  p.doses_per_day = *doses_per_day;
  p.interval =
      std::chrono::minutes{static_cast<long>(std::lround(interval_hours.value_or(24.0) * 60.0))};
  p.amount_per_dose = *amount;
  return std::optional<core::DosingPattern>{p};
}

Result<core::Plan> preview_plan(Context& context, const NewPlanRequest& request) {
  core::TaperInputs inputs;
  inputs.pattern = request.pattern;
  std::optional<core::Amount>
      largest;  // The largest recent dose, when the journal gave the pattern.
  if (!inputs.pattern) {
    // Grams of leaf, grams of extract and milligrams of 7-OH are different strengths: never
    // add them together into one pattern (issue 13, item 3).
    auto forms = recent_forms(context);
    if (!forms) return tl::unexpected(forms.error());
    if (request.form) {
      const auto wanted = group_name(*request.form);
      if (std::find(forms->begin(), forms->end(), wanted) == forms->end()) {
        return core::invalid("form",
                             core::sentence("no {wanted} doses were logged in the last 7 days; "
                                            "choose a form you logged: {forms}",
                                            {{"wanted", wanted}, {"forms", join_or(*forms)}}));
      }
    } else if (forms->size() > 1) {
      return core::invalid(
          "form",
          core::sentence("your last 7 days mix {forms}, which differ in strength and are never "
                         "added together; plan for one of them with --form ({forms_or}), or give "
                         "your pattern with --doses-per-day, --interval and --amount",
                         {{"forms", join_and(*forms)}, {"forms_or", join_or(*forms)}}));
    }
    std::optional<core::Unit> unit;
    if (request.resolution) unit = request.resolution->unit;
    // The plan keeps the group it is for, so that `plan adjust` reads the same doses.
    if (request.form) {
      inputs.form = core::strength_group(*request.form);
    } else if (forms->size() == 1) {
      inputs.form = group_of(forms->front());
    }
    auto recent = journal_pattern(context, inputs.form, unit);
    if (!recent) return tl::unexpected(recent.error());
    if (*recent) {
      inputs.pattern = (*recent)->pattern;
      largest = (*recent)->largest_dose;
    }
  }
  inputs.goal = {request.goal, request.target};
  if (request.pace) {
    inputs.pace = *request.pace;
  } else {
    auto profile = load_profile(context);
    if (!profile) return tl::unexpected(profile.error());
    inputs.pace = core::default_pace(*profile);
  }
  inputs.allow_larger_doses = request.allow_larger_doses;
  inputs.wake = request.wake;
  inputs.sleep = request.sleep;
  const core::Day today = today_of(context);
  if (request.start) {
    inputs.start = *request.start;
  } else {
    // Doses already logged today: the plan starts tomorrow, so its day one is a whole day and
    // today is never "over plan" (issue 14, item 2; docs/cli.md).
    auto logged = doses_logged_today(context);
    if (!logged) return tl::unexpected(logged.error());
    inputs.start = *logged > 0 ? core::Day{today + days{1}} : today;
  }
  inputs.zone = context.settings.zone;
  if (const auto* zone = context.zone) inputs.zone = std::string(zone->name());
  if (request.resolution) {
    inputs.resolution = *request.resolution;
  } else if (inputs.pattern) {
    const auto unit = inputs.pattern->amount_per_dose.unit;
    inputs.resolution = core::default_resolution(unit);
  }
  if (inputs.pattern && inputs.resolution.micro > 0 &&
      inputs.resolution.unit == inputs.pattern->amount_per_dose.unit) {
    // Today's dose, rounded to the nearest measurable amount (at least one unit) and never
    // above the largest dose logged: a mean such as 2.999999 g is never shown or planned from,
    // and no planned dose is larger than one the person took (issue 14, item 3).
    // A dose smaller than one measuring step is refused, never rounded up to the step.
    auto& dose = inputs.pattern->amount_per_dose.micro;
    const auto unit = inputs.pattern->amount_per_dose.unit;
    const auto r = inputs.resolution.micro;
    const std::int64_t ceiling = largest && largest->unit == unit ? largest->micro : dose;
    if (ceiling < r) {
      return core::invalid(
          "resolution",
          core::sentence(
              "your dose ({ceiling}) is smaller than the measuring resolution ({resolution}): a "
              "plan in such steps would plan doses larger than you take; give a finer one with "
              "--resolution, e.g. {finer}",
              {{"ceiling", core::format_amount({ceiling, unit})},
               {"resolution", core::format_amount(inputs.resolution)},
               {"finer", core::format_amount({std::max<std::int64_t>(1, ceiling / 10), unit})}}));
    }
    dose = std::clamp((dose + r / 2) / r * r, r, ceiling / r * r);
  }
  return core::make_plan(inputs, today, store::new_id(), *context.zones);
}

Result<core::Plan> new_plan(Context& context, const NewPlanRequest& request) {
  auto plan = preview_plan(context, request);
  if (!plan) return tl::unexpected(plan.error());
  return save(context, std::move(*plan), request.idempotency_key);
}

Result<core::Plan> current_plan(Context& context) {
  auto stored = context.store.current_plan();
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) {
    return core::fail(
        core::ErrorKind::not_found,
        core::sentence("there is no taper plan yet; make one with `mitra plan new --goal stop`"),
        "plan");
  }
  auto plan = formats::plan_from_json_text((*stored)->body_json);
  if (!plan) return tl::unexpected(plan.error());
  plan->version = (*stored)->version;
  return plan;
}

Result<DayPlan> plan_for_day(Context& context, core::Day day) {
  auto plan = current_plan(context);
  if (!plan) return tl::unexpected(plan.error());
  DayPlan out;
  out.day = day;
  out.step = core::step_on(*plan, day);
  out.doses = core::schedule_for(*plan, day, context.zone);
  auto so_far = compare(context, *plan, day);
  if (!so_far) return tl::unexpected(so_far.error());
  out.so_far = *so_far;
  return out;
}

Result<core::Plan> hold_plan(Context& context, std::string reason) {
  auto plan = current_plan(context);
  if (!plan) return tl::unexpected(plan.error());
  auto held = core::hold(*plan, today_of(context), std::move(reason));
  if (!held) return tl::unexpected(held.error());
  return save(context, std::move(*held));
}

Result<core::Plan> resume_plan(Context& context) {
  auto plan = current_plan(context);
  if (!plan) return tl::unexpected(plan.error());
  auto resumed = core::resume(*plan, today_of(context));
  if (!resumed) return tl::unexpected(resumed.error());
  return save(context, std::move(*resumed));
}

Result<core::Plan> adjust_plan(Context& context, const std::string& idempotency_key) {
  auto plan = current_plan(context);
  if (!plan) return tl::unexpected(plan.error());
  const core::Day today = today_of(context);
  std::optional<core::DosingPattern> now_pattern;
  core::Day from = today;
  core::Day reference_day = today;  // Whose step the new version may not go above.
  for (const core::Day day : std::vector<core::Day>{today, today - days{1}}) {
    auto amounts = amounts_on(context, day);
    if (!amounts) return tl::unexpected(amounts.error());
    const auto cmp = core::compare_day(*plan, day, *amounts);
    if (!cmp.over_plan || cmp.actual_doses == 0) continue;
    const auto step = core::step_on(*plan, day);
    core::DosingPattern p;
    p.doses_per_day = std::clamp(cmp.actual_doses, 1, 24);
    p.interval = step && step->doses_per_day > 1 ? step->interval : plan->inputs.pattern->interval;
    if (p.doses_per_day > 1 && p.interval >= minutes{24 * 60}) p.interval = minutes{12 * 60};
    const auto r = plan->inputs.resolution.micro;
    const auto per_dose =
        cmp.actual_total.micro / std::max(1, cmp.actual_doses - cmp.doses_in_other_units);
    p.amount_per_dose = {std::max(r, (per_dose + r / 2) / r * r), plan->inputs.resolution.unit};
    now_pattern = p;
    from = day + days{1};  // The new version begins the day after the slip.
    reference_day = day;
    break;
  }
  if (!now_pattern) {
    auto recent = journal_pattern(context, plan->inputs.form, plan->inputs.resolution.unit);
    if (!recent) return tl::unexpected(recent.error());
    if (*recent) {
      now_pattern = (*recent)->pattern;
      const auto r = plan->inputs.resolution.micro;
      auto& dose = now_pattern->amount_per_dose;
      dose.micro = std::max(r, (dose.micro + r / 2) / r * r);
    }
  }
  if (!now_pattern) {
    return core::invalid(
        "pattern", core::sentence("there are no doses in the last 7 days to adjust the plan from; "
                                  "log the doses you took, then run `mitra plan adjust` again"));
  }
  auto next =
      core::replan_after_slip(*plan, *now_pattern, reference_day, from, today, *context.zones);
  if (!next) return tl::unexpected(next.error());
  return save(context, std::move(*next), idempotency_key);
}

Result<std::string> plan_ics(Context& context, formats::Wording wording) {
  auto plan = current_plan(context);
  if (!plan) return tl::unexpected(plan.error());
  formats::IcsOptions options;
  options.wording = wording;
  options.stamp = context.now;
  // Reminders at the times `plan today` shows: in the zone in use, not the one the plan was
  // made in (issue 14, item 4).
  options.zone = context.zone;
  options.zones = context.zones;
  const core::Day today = today_of(context);
  if (!plan->steps.empty() && plan->steps.front().starts_on < today) options.from = today;
  if (!plan->steps.empty() && options.from && *options.from > plan->steps.back().ends_on) {
    options.to = *options.from;
  }
  // Doses earlier versions had and this one dropped go out cancelled (see formats/ics.hpp).
  auto history = context.store.plan_history(plan->plan_id);
  if (!history) return tl::unexpected(history.error());
  for (const auto& stored : *history) {
    if (stored.version >= plan->version) continue;
    auto earlier = formats::plan_from_json_text(stored.body_json);
    if (!earlier) return tl::unexpected(earlier.error());
    earlier->version = stored.version;
    options.earlier_versions.push_back(std::move(*earlier));
  }
  // So do the doses still to come of the plan this one replaced: a calendar that imported it
  // would otherwise go on reminding the person of a plan they left. Only the plan made just
  // before this one: the plans before it were cancelled by its own calendar, and cancelling
  // every plan ever replaced grew the file without bound (issue 14, item 4: 1,799 cancelled
  // events after six plans).
  auto plans = context.store.latest_plan_versions();
  if (!plans) return tl::unexpected(plans.error());
  const store::PlanVersion* replaced_directly = nullptr;
  for (const auto& stored : *plans) {
    if (stored.plan_id == plan->plan_id) break;
    replaced_directly = &stored;
  }
  if (replaced_directly != nullptr) {
    auto replaced = formats::plan_from_json_text(replaced_directly->body_json);
    if (!replaced) return tl::unexpected(replaced.error());
    replaced->version = replaced_directly->version;
    options.replaced_plans.push_back(std::move(*replaced));
  }
  options.replaced_from = today;
  return formats::plan_to_ics(*plan, options);
}

Result<std::optional<PlanStatus>> plan_status(Context& context) {
  auto stored = context.store.current_plan();
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return std::optional<PlanStatus>{};
  auto plan = current_plan(context);
  if (!plan) return tl::unexpected(plan.error());
  PlanStatus out;
  const core::Day today = today_of(context);
  out.step = core::step_on(*plan, today);
  auto t = compare(context, *plan, today);
  if (!t) return tl::unexpected(t.error());
  auto y = compare(context, *plan, today - days{1});
  if (!y) return tl::unexpected(y.error());
  out.today = *t;
  out.yesterday = *y;
  out.held = core::is_held(*plan);
  auto suggestion = hold_suggestion(context);
  if (!suggestion) return tl::unexpected(suggestion.error());
  if (!out.held) out.suggestion = *suggestion;
  out.plan = std::move(*plan);
  return std::optional<PlanStatus>{std::move(out)};
}

}  // namespace mitra::app
