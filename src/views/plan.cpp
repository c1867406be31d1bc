#include "views/plan.hpp"

#include "core/translate.hpp"
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

json plan_json(const core::Plan& plan, core::Language language) {
  auto j = formats::plan_to_json(plan);
  if (language == core::Language::en) return j;
  const auto reasons = core::step_reasons(plan, language);
  for (std::size_t i = 0; i < reasons.size() && i < j["steps"].size(); ++i) {
    j["steps"][i]["reason"] = reasons[i];
  }
  const auto& pace = core::pace_text(plan.inputs.pace, language);
  j["pace_rule"]["summary"] = pace.summary;
  j["pace_rule"]["description"] = pace.description;
  j["notes"] = {{"not_advice", text_json(core::plan_not_advice(language))},
                {"how_it_works", text_json(core::plan_how_it_works(language))},
                {"own_choices", text_json(core::plan_own_choices(language))}};
  return j;
}

json new_plan_json(const core::Plan& plan, const app::PlanAdvice& advice, Stored stored,
                   core::Language language) {
  auto j = plan_json(plan, language);
  json notes = json::array();
  for (const auto& note : advice.involve_provider) notes.push_back(text_json(note));
  if (advice.long_term_use) notes.push_back(text_json(*advice.long_term_use));
  j["before_you_start"] = notes;
  j["start_note"] = advice.start_note ? json(*advice.start_note) : json(nullptr);
  j["preview"] = stored == Stored::preview;
  if (stored == Stored::preview) j["plan_id"] = nullptr;  // Nothing was stored under an id.
  return j;
}

nlohmann::json day_plan_json(const app::DayPlan& d, const core::TimeZone* zone) {
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

std::string plan_status_text(const app::PlanStatus& s, core::Language language) {
  using core::fill;
  using core::tr;
  std::string t;
  core::Day plan_start{};
  if (!s.plan.earlier_steps.empty()) {
    plan_start = s.plan.earlier_steps.front().starts_on;
  } else if (!s.plan.steps.empty()) {
    plan_start = s.plan.steps.front().starts_on;
  }
  const auto unit = std::string(" ") + core::to_string(s.plan.inputs.resolution.unit);
  const auto line = [&](std::string_view label, const core::DayComparison& c) {
    if (!c.in_plan) {
      // Before the plan's first day nothing was planned: "6 of 0 planned doses" misleads.
      t +=
          std::string(label) + fill(tr(language, "before the plan starts ({date})"),
                                    {{"date", language == core::Language::en
                                                  ? core::format_date(plan_start)
                                                  : core::format_long_date(plan_start, language)}});
      if (c.actual_doses > 0) {
        const auto n = static_cast<unsigned long>(c.actual_doses);
        t += "; " + fill(core::trn(language, "{count} dose logged", "{count} doses logged", n),
                         {{"count", std::to_string(n)}});
      }
      t += "\n";
      return;
    }
    t += std::string(label) +
         fill(tr(language,
                 "{actual} of {planned} planned doses, {actual_amount} of "
                 "{planned_amount}{unit}"),
              {{"actual", std::to_string(c.actual_doses)},
               {"planned", std::to_string(c.planned_doses)},
               {"actual_amount",
                core::format_number(core::format_decimal(c.actual_total.micro), language)},
               {"planned_amount",
                core::format_number(core::format_decimal(c.planned_total.micro), language)},
               {"unit", unit}});
    if (c.over_plan) {
      t += tr(language, " — more than planned; `mitra plan adjust` re-plans from here");
    }
    t += "\n";
  };
  t += fill(s.held ? tr(language, "Plan          on hold (version {version})")
                   : tr(language, "Plan          in progress (version {version})"),
            {{"version", std::to_string(s.plan.version)}}) +
       "\n";
  line(tr(language, "Plan today    "), s.today);
  line(tr(language, "Yesterday     "), s.yesterday);
  // The hold suggestion's reason is written by app in English (docs/languages.md, "Left to do").
  if (s.suggestion.suggested) t += "              " + s.suggestion.reason + "\n";
  t += std::string(tr(language,
                      "              A plan you chose, not medical advice (`mitra plan "
                      "show`).")) +
       "\n";
  return t;
}

json plan_status_document(const app::PlanStatus& status, core::Language language) {
  auto j = plan_status_json(status);
  j["text"] = plan_status_text(status, language);
  return j;
}

}  // namespace mitra::views
