#include "formats/plan_json.hpp"

#include <cmath>
#include <cstdio>
#include <optional>

namespace mitra::formats {

namespace {

using core::Amount;
using core::invalid;
using core::Result;
using nlohmann::json;
using std::chrono::minutes;

json decimal(std::int64_t micro) { return json::parse(core::format_decimal(micro)); }

json hours_of(minutes m) {
  if (m.count() % 60 == 0) return m.count() / 60;
  return static_cast<double>(m.count()) / 60.0;
}

std::string join(const std::string& where, const char* name) {
  return where.empty() ? std::string(name) : where + "." + name;
}

// Reads member `name` of object `j`; errors name "where.name".
class Reader {
 public:
  Reader(const json& j, std::string where) : j_(j), where_(std::move(where)) {}

  Result<const json*> member(const char* name) const {
    const auto field = join(where_, name);
    if (!j_.is_object())
      return invalid(where_, core::sentence("{where} must be a JSON object", {{"where", where_}}));
    auto it = j_.find(name);
    if (it == j_.end())
      return invalid(field, core::sentence("{field} is missing", {{"field", field}}));
    return &*it;
  }

  Result<std::string> string(const char* name) const {
    auto m = member(name);
    if (!m) return tl::unexpected(m.error());
    if (!(*m)->is_string())
      return invalid(join(where_, name),
                     core::sentence("{name} must be a string", {{"name", join(where_, name)}}));
    return (*m)->get<std::string>();
  }

  Result<int> integer(const char* name, int lowest, int highest) const {
    auto m = member(name);
    if (!m) return tl::unexpected(m.error());
    const auto field = join(where_, name);
    if (!(*m)->is_number_integer())
      return invalid(field, core::sentence("{field} must be a whole number", {{"field", field}}));
    const auto value = (*m)->get<std::int64_t>();
    if (value < lowest || value > highest) {
      return invalid(field, core::sentence("{field} must be from {lowest} to {highest}",
                                           {{"field", field},
                                            {"lowest", std::to_string(lowest)},
                                            {"highest", std::to_string(highest)}}));
    }
    return static_cast<int>(value);
  }

  // A decimal number with at most six places, as millionths.
  Result<std::int64_t> micro(const char* name) const {
    auto m = member(name);
    if (!m) return tl::unexpected(m.error());
    const auto field = join(where_, name);
    if (!(*m)->is_number())
      return invalid(field,
                     core::sentence("{field} must be a number such as 2.5", {{"field", field}}));
    // Checked: a whole number times a million must not overflow (it would wrap silently).
    constexpr std::int64_t kLargest = 1'000'000'000'000;  // The same bound as for decimals.
    const auto out_of_range = [&] {
      return invalid(
          field,
          core::sentence("{field} is out of range; amounts are at most {most} in absolute value",
                         {{"field", field}, {"most", std::to_string(kLargest)}}));
    };
    if ((*m)->is_number_unsigned()) {
      const auto value = (*m)->get<std::uint64_t>();
      if (value > static_cast<std::uint64_t>(kLargest)) return out_of_range();
      return static_cast<std::int64_t>(value) * core::kMicro;
    }
    if ((*m)->is_number_integer()) {
      const auto value = (*m)->get<std::int64_t>();
      if (value > kLargest || value < -kLargest) return out_of_range();
      return value * core::kMicro;
    }
    const double value = (*m)->get<double>();
    if (!std::isfinite(value) || std::fabs(value) > 1e12) return out_of_range();
    // Numbers written by plan_to_json have at most six decimals, so rounding is exact.
    return static_cast<std::int64_t>(std::llround(value * 1e6));
  }

  Result<minutes> interval(const char* name) const {
    auto m = member(name);
    if (!m) return tl::unexpected(m.error());
    const auto field = join(where_, name);
    if (!(*m)->is_number() || (*m)->get<double>() < 0 || (*m)->get<double>() > 24) {
      return invalid(field, core::sentence("{field} must be a number of hours from 0 to 24",
                                           {{"field", field}}));
    }
    return minutes{std::llround((*m)->get<double>() * 60.0)};
  }

  Result<core::Day> day(const char* name) const {
    auto s = string(name);
    if (!s) return tl::unexpected(s.error());
    return core::parse_date(*s, join(where_, name));
  }

  Result<minutes> clock(const char* name) const {
    auto s = string(name);
    if (!s) return tl::unexpected(s.error());
    return core::parse_clock(*s, join(where_, name));
  }

  bool is_null(const char* name) const {
    auto it = j_.find(name);
    return it == j_.end() || it->is_null();
  }

 private:
  const json& j_;
  std::string where_;
};

#define MITRA_TRY(var, expr)                                      \
  auto var##_result = (expr);                                     \
  if (!var##_result) return tl::unexpected(var##_result.error()); \
  auto var = std::move(*var##_result)

Result<core::TaperStep> step_from_json(const json& j, const std::string& where, core::Unit unit) {
  Reader r(j, where);
  core::TaperStep step;
  MITRA_TRY(starts_on, r.day("starts_on"));
  MITRA_TRY(ends_on, r.day("ends_on"));
  MITRA_TRY(kind_text, r.string("kind"));
  MITRA_TRY(kind, core::parse_step_kind(kind_text, join(where, "kind")));
  MITRA_TRY(doses, r.integer("doses_per_day", 0, 24));
  MITRA_TRY(interval, r.interval("interval_hours"));
  MITRA_TRY(amount, r.micro("amount_per_dose"));
  MITRA_TRY(total, r.micro("daily_total"));
  if (ends_on < starts_on) {
    return invalid(join(where, "ends_on"), core::sentence("{ends_on} is before starts_on",
                                                          {{"ends_on", join(where, "ends_on")}}));
  }
  step.starts_on = starts_on;
  step.ends_on = ends_on;
  step.kind = kind;
  step.doses_per_day = doses;
  step.interval = interval;
  step.amount_per_dose = {amount, unit};
  step.daily_total = {total, unit};
  // Plans written before issue 13 have no "last_dose": every dose was the same.
  step.last_dose = step.amount_per_dose;
  if (!r.is_null("last_dose")) {
    MITRA_TRY(last, r.micro("last_dose"));
    if (last > amount) {
      return invalid(join(where, "last_dose"),
                     core::sentence("{last_dose} must not be larger than amount_per_dose",
                                    {{"last_dose", join(where, "last_dose")}}));
    }
    step.last_dose = {last, unit};
  }
  return step;
}

Result<std::vector<core::TaperStep>> steps_from_json(const json& j, const char* name,
                                                     core::Unit unit) {
  std::vector<core::TaperStep> steps;
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return steps;
  if (!it->is_array())
    return invalid(name, core::sentence("{name} must be an array", {{"name", std::string(name)}}));
  for (std::size_t i = 0; i < it->size(); ++i) {
    MITRA_TRY(step,
              step_from_json((*it)[i], std::string(name) + "[" + std::to_string(i) + "]", unit));
    steps.push_back(step);
  }
  return steps;
}

}  // namespace

namespace {

json text_json(const core::TaperText& t) { return json{{"text", t.text}, {"sources", t.sources}}; }

}  // namespace

json step_to_json(const core::TaperStep& step) {
  return json{{"starts_on", core::format_date(step.starts_on)},
              {"ends_on", core::format_date(step.ends_on)},
              {"kind", core::to_string(step.kind)},
              {"doses_per_day", step.doses_per_day},
              {"interval_hours", hours_of(step.interval)},
              {"amount_per_dose", decimal(step.amount_per_dose.micro)},
              {"last_dose", decimal(core::dose_amount(step, step.doses_per_day - 1).micro)},
              {"daily_total", decimal(step.daily_total.micro)}};
}

json plan_to_json(const core::Plan& plan) {
  const auto& in = plan.inputs;
  json pattern = nullptr;
  if (in.pattern) {
    pattern = json{{"doses_per_day", in.pattern->doses_per_day},
                   {"interval_hours", hours_of(in.pattern->interval)},
                   {"amount_per_dose", decimal(in.pattern->amount_per_dose.micro)}};
  }
  json target = nullptr;
  if (in.goal.daily_target) target = decimal(in.goal.daily_target->micro);
  const auto rule = core::pace_rule(in.pace);
  json steps = json::array();
  const auto reasons = core::step_reasons(plan);
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    auto step = step_to_json(plan.steps[i]);
    step["reason"] = reasons[i];  // Derived from the steps; not read back.
    steps.push_back(std::move(step));
  }
  json earlier = json::array();
  for (const auto& s : plan.earlier_steps) earlier.push_back(step_to_json(s));
  json holds = json::array();
  for (const auto& h : plan.holds) {
    holds.push_back(json{{"from", core::format_date(h.from)},
                         {"until", h.until ? json(core::format_date(*h.until)) : json(nullptr)},
                         {"reason", h.reason}});
  }
  return json{{"format", "mitra.plan"},
              {"format_version", kPlanFormatVersion},
              {"plan_id", plan.plan_id},
              {"version", plan.version},
              {"reason", plan.reason},
              {"unit", core::to_string(in.resolution.unit)},
              {"inputs",
               {{"pattern", pattern},
                {"goal", core::to_string(in.goal.kind)},
                {"target", target},
                {"pace", core::to_string(in.pace)},
                {"wake", core::format_time_of_day(in.wake)},
                {"sleep", core::format_time_of_day(in.sleep)},
                {"resolution", decimal(in.resolution.micro)},
                {"start", core::format_date(in.start)},
                {"zone", in.zone},
                {"allow_larger_doses", in.allow_larger_doses},
                {"form", in.form ? json(core::to_string(*in.form)) : json(nullptr)}}},
              {"pace_rule",
               {{"max_fall_percent", decimal(std::int64_t{rule.max_fall_permille} * 100'000)},
                {"step_days", rule.step_days},
                {"summary", core::pace_text(in.pace).summary},
                {"description", core::pace_text(in.pace).description},
                {"sources", core::pace_text(in.pace).sources}}},
              {"notes",
               {{"not_advice", text_json(core::plan_not_advice())},
                {"how_it_works", text_json(core::plan_how_it_works())},
                {"own_choices", text_json(core::plan_own_choices())}}},
              {"steps", steps},
              {"earlier_steps", earlier},
              {"holds", holds}};
}

Result<core::Plan> plan_from_json(const json& j) {
  Reader top(j, "");
  MITRA_TRY(format, top.string("format"));
  if (format != "mitra.plan")
    return invalid("format", core::sentence("format must be \"mitra.plan\""));
  MITRA_TRY(format_version, top.integer("format_version", 1, 1'000'000));
  if (format_version > kPlanFormatVersion) {
    return invalid("format_version",
                   core::sentence("this plan was written by a newer mitra (format version "
                                  "{format_version}); upgrade mitra to read it",
                                  {{"format_version", std::to_string(format_version)}}));
  }
  core::Plan plan;
  MITRA_TRY(plan_id, top.string("plan_id"));
  MITRA_TRY(version, top.integer("version", 1, 1'000'000));
  MITRA_TRY(reason, top.string("reason"));
  MITRA_TRY(unit_text, top.string("unit"));
  MITRA_TRY(unit, core::parse_unit(unit_text, "unit"));
  plan.plan_id = plan_id;
  plan.version = version;
  plan.reason = reason;

  MITRA_TRY(inputs_json, top.member("inputs"));
  Reader in(*inputs_json, "inputs");
  auto& inputs = plan.inputs;
  if (!in.is_null("pattern")) {
    MITRA_TRY(pattern_json, in.member("pattern"));
    Reader p(*pattern_json, "inputs.pattern");
    MITRA_TRY(doses, p.integer("doses_per_day", 1, 24));
    MITRA_TRY(interval, p.interval("interval_hours"));
    MITRA_TRY(amount, p.micro("amount_per_dose"));
    inputs.pattern = core::DosingPattern{doses, interval, Amount{amount, unit}};
  }
  MITRA_TRY(goal_text, in.string("goal"));
  MITRA_TRY(goal, core::parse_goal(goal_text, "inputs.goal"));
  inputs.goal.kind = goal;
  if (!in.is_null("target")) {
    MITRA_TRY(target, in.micro("target"));
    inputs.goal.daily_target = Amount{target, unit};
  }
  MITRA_TRY(pace_text, in.string("pace"));
  MITRA_TRY(pace, core::parse_pace(pace_text, "inputs.pace"));
  inputs.pace = pace;
  MITRA_TRY(wake, in.clock("wake"));
  MITRA_TRY(sleep, in.clock("sleep"));
  MITRA_TRY(resolution, in.micro("resolution"));
  MITRA_TRY(start, in.day("start"));
  MITRA_TRY(zone, in.string("zone"));
  inputs.wake = wake;
  inputs.sleep = sleep;
  inputs.resolution = Amount{resolution, unit};
  inputs.start = start;
  inputs.zone = zone;
  if (!in.is_null("allow_larger_doses")) {
    const auto& flag = (*inputs_json)["allow_larger_doses"];
    if (!flag.is_boolean()) {
      return invalid("inputs.allow_larger_doses",
                     core::sentence("inputs.allow_larger_doses must be true or false"));
    }
    inputs.allow_larger_doses = flag.get<bool>();
  }
  if (!in.is_null("form")) {
    MITRA_TRY(form_text, in.string("form"));
    MITRA_TRY(form, core::parse_form(form_text, "inputs.form"));
    inputs.form = core::strength_group(form);
  }

  MITRA_TRY(steps, steps_from_json(j, "steps", unit));
  MITRA_TRY(earlier, steps_from_json(j, "earlier_steps", unit));
  plan.steps = std::move(steps);
  plan.earlier_steps = std::move(earlier);

  if (auto it = j.find("holds"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return invalid("holds", core::sentence("holds must be an array"));
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string where = "holds[" + std::to_string(i) + "]";
      Reader h((*it)[i], where);
      core::Hold hold;
      MITRA_TRY(from, h.day("from"));
      hold.from = from;
      if (!h.is_null("until")) {
        MITRA_TRY(until, h.day("until"));
        hold.until = until;
      }
      MITRA_TRY(why, h.string("reason"));
      hold.reason = why;
      plan.holds.push_back(hold);
    }
  }
  return plan;
}

Result<core::Plan> plan_from_json_text(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return invalid("plan", core::sentence("the stored plan is not valid JSON"));
  return plan_from_json(j);
}

#undef MITRA_TRY

}  // namespace mitra::formats
