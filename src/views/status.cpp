#include "views/status.hpp"

#include <cmath>

#include "views/journal.hpp"
#include "views/plan.hpp"
#include "views/safety.hpp"

namespace mitra::views {

nlohmann::json status_json(const app::Context& context, const app::StatusReport& report) {
  using nlohmann::json;
  json j;
  j["now"] = core::format_local(context.now, context.zone);
  j["zone"] = context.settings.zone;
  j["today"] = core::format_date(report.today);
  if (report.last_dose) {
    j["last_dose"] = dose_json(*report.last_dose, context.zone, *context.zones);
    j["last_dose_at"] = core::format_utc(report.last_dose->taken_at);
    j["hours_since_last_dose"] =
        std::round(static_cast<double>(report.since_last_dose->count()) / 36.0) / 100.0;
  } else {
    j["last_dose"] = nullptr;
    j["last_dose_at"] = nullptr;
    j["hours_since_last_dose"] = nullptr;
  }
  j["today_doses"] = report.today_dose_count;
  // Today's amount in grams, or null when today's doses mix strength groups; the amounts of
  // each group are in `today_amounts_by_form` (issue 13, item 3).
  const auto today_forms = forms_of(report.week.per_day.back());
  const bool mixed = today_forms.size() > 1;
  j["today_amount"] =
      mixed ? json(nullptr) : json(static_cast<double>(report.today_mass_micrograms) / 1e6);
  j["unit"] = mixed ? json(nullptr) : json("g");
  j["today_amounts_by_form"] = form_amounts_json(today_forms, false);
  j["today_doses_without_known_mass"] = report.today_doses_without_mass;
  j["week"] = pattern_json(report.week);
  j["phase"] = nullptr;
  if (report.withdrawal) {
    const auto& w = *report.withdrawal;
    j["phase"] = core::to_string(w.phase);
    j["next_phase"] = w.next_phase ? json(core::to_string(*w.next_phase)) : json(nullptr);
    j["next_phase_at"] = w.next_phase_at ? json(core::format_utc(*w.next_phase_at)) : json(nullptr);
  }
  j["urgent_advisories"] = json::array();
  for (const auto& a : report.urgent) {
    auto advisory = advisory_json(a);
    advisory.erase("because");  // Why it shows is on the safety page (`mitra safety`).
    j["urgent_advisories"].push_back(std::move(advisory));
  }
  j["plan"] = report.plan ? plan_status_json(*report.plan) : json(nullptr);
  return j;
}

}  // namespace mitra::views
