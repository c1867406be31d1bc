#include "views/plan.hpp"

#include "formats/plan_json.hpp"

namespace mitra::views {

namespace {

using nlohmann::json;

// A decimal amount as the number it reads as: 2.5, not 2.4999999.
json decimal(std::int64_t micro) { return json::parse(core::format_decimal(micro)); }

json text_json(const core::TaperText& text) {
  return {{"text", text.text}, {"sources", text.sources}};
}

}  // namespace

json plan_json(const core::Plan& plan) { return formats::plan_to_json(plan); }

json new_plan_json(const core::Plan& plan, const app::PlanAdvice& advice, Stored stored) {
  auto j = plan_json(plan);
  json notes = json::array();
  for (const auto& note : advice.involve_provider) notes.push_back(text_json(note));
  if (advice.long_term_use) notes.push_back(text_json(*advice.long_term_use));
  j["before_you_start"] = notes;
  j["start_note"] = advice.start_note ? json(*advice.start_note) : json(nullptr);
  j["preview"] = stored == Stored::preview;
  if (stored == Stored::preview) j["plan_id"] = nullptr;  // Nothing was stored under an id.
  return j;
}

nlohmann::json day_plan_json(const app::DayPlan& d, const date::time_zone* zone) {
  auto doses = nlohmann::json::array();
  for (const auto& dose : d.doses) {
    doses.push_back({{"at", core::format_utc(dose.at)},
                     {"at_local", core::format_local(dose.at, zone)},
                     {"amount", decimal((dose.amount.micro))},
                     {"unit", core::to_string(dose.amount.unit)}});
  }
  return {{"day", core::format_date(d.day)},
          {"doses", doses},
          {"step", d.step ? formats::step_to_json(*d.step) : nlohmann::json(nullptr)},
          {"so_far", day_comparison_json(d.so_far)}};
}

nlohmann::json day_comparison_json(const core::DayComparison& c) {
  return {{"day", core::format_date(c.day)},
          {"planned_doses", c.planned_doses},
          {"planned_amount", decimal((c.planned_total.micro))},
          {"actual_doses", c.actual_doses},
          {"actual_amount", decimal((c.actual_total.micro))},
          {"doses_in_other_units", c.doses_in_other_units},
          {"in_plan", c.in_plan},
          {"over_plan", c.over_plan}};
}

nlohmann::json plan_status_json(const app::PlanStatus& s) {
  nlohmann::json j;
  j["plan_id"] = s.plan.plan_id;
  j["version"] = s.plan.version;
  j["unit"] = core::to_string(s.plan.inputs.resolution.unit);
  j["held"] = s.held;
  j["step"] = s.step ? formats::step_to_json(*s.step) : nlohmann::json(nullptr);
  j["today"] = day_comparison_json(s.today);
  j["yesterday"] = day_comparison_json(s.yesterday);
  j["slip"] = s.today.over_plan || s.yesterday.over_plan;
  j["hold_suggested"] = s.suggestion.suggested;
  j["hold_reason"] = s.suggestion.reason;
  return j;
}

std::string plan_status_text(const app::PlanStatus& s) {
  std::string t;
  core::Day plan_start{};
  if (!s.plan.earlier_steps.empty()) {
    plan_start = s.plan.earlier_steps.front().starts_on;
  } else if (!s.plan.steps.empty()) {
    plan_start = s.plan.steps.front().starts_on;
  }
  const auto unit = std::string(" ") + core::to_string(s.plan.inputs.resolution.unit);
  const auto line = [&](const char* label, const core::DayComparison& c) {
    if (!c.in_plan) {
      // Before the plan's first day nothing was planned: "6 of 0 planned doses" misleads.
      t += std::string(label) + "before the plan starts (" + core::format_date(plan_start) +
           ")";
      if (c.actual_doses > 0) {
        t += "; " + std::to_string(c.actual_doses) + (c.actual_doses == 1 ? " dose" : " doses") +
             " logged";
      }
      t += "\n";
      return;
    }
    t += std::string(label) + std::to_string(c.actual_doses) + " of " +
         std::to_string(c.planned_doses) + " planned doses, " +
         core::format_decimal(c.actual_total.micro) + " of " +
         core::format_decimal(c.planned_total.micro) + unit;
    if (c.over_plan) t += " — more than planned; `mitra plan adjust` re-plans from here";
    t += "\n";
  };
  t += std::string("Plan          ") + (s.held ? "on hold" : "in progress") + " (version " +
       std::to_string(s.plan.version) + ")\n";
  line("Plan today    ", s.today);
  line("Yesterday     ", s.yesterday);
  if (s.suggestion.suggested) t += "              " + s.suggestion.reason + "\n";
  t += "              A plan you chose, not medical advice (`mitra plan show`).\n";
  return t;
}

json plan_status_document(const app::PlanStatus& status) {
  auto j = plan_status_json(status);
  j["text"] = plan_status_text(status);
  return j;
}

}  // namespace mitra::views
