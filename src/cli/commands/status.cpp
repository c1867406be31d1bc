// `mitra status`: the home screen of the command line.

#include "app/analysis.hpp"
#include "app/plan.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"

namespace mitra::cli {

void setup_status(CLI::App& command, Session& session) {
  command.footer("\nExamples:\n  mitra status\n  mitra --json status\n" + command.get_footer());
  on_run(command, session, [](app::Context& context) -> Result<Reply> {
    const auto* zone = context.zone;
    auto report = app::status(context);
    if (!report) return tl::unexpected(report.error());
    Reply reply;
    auto& j = reply.json;
    j["now"] = core::format_local(context.now, zone);
    j["zone"] = context.settings.zone;
    j["today"] = core::format_date(report->today);
    if (report->last_dose) {
      j["last_dose"] = dose_json(*report->last_dose, zone);
      j["last_dose_at"] = core::format_utc(report->last_dose->taken_at);
      j["hours_since_last_dose"] =
          std::round(static_cast<double>(report->since_last_dose->count()) / 36.0) / 100.0;
    } else {
      j["last_dose"] = nullptr;
      j["last_dose_at"] = nullptr;
      j["hours_since_last_dose"] = nullptr;
    }
    j["today_doses"] = static_cast<int>(report->today_doses.size());
    j["today_amount"] = static_cast<double>(report->today_mass_micrograms) / 1e6;
    j["unit"] = "g";
    j["today_doses_without_known_mass"] = report->today_doses_without_mass;
    j["week"] = pattern_json(report->week);

    std::string& t = reply.text;
    if (report->last_dose) {
      t += "Last dose     " + core::format_amount(report->last_dose->amount) + ", " +
           core::format_duration(*report->since_last_dose) + " ago (" +
           date::format("%a %H:%M", date::zoned_seconds{zone, report->last_dose->taken_at}) + ")\n";
    } else {
      t += "Last dose     none logged yet — log one with `mitra log 2.5g`\n";
    }
    t += "Today         " + std::to_string(report->today_doses.size()) +
         (report->today_doses.size() == 1 ? " dose" : " doses");
    if (!report->today_doses.empty()) t += ", " + grams(report->today_mass_micrograms);
    if (report->today_doses_without_mass > 0) {
      t += " (+" + std::to_string(report->today_doses_without_mass) + " without a known weight)";
    }
    t += "\n";
    const auto& w = report->week;
    char per_day[32];
    std::snprintf(per_day, sizeof per_day, "%.1f", w.doses_per_day);
    t += "Last 7 days   " + std::string(per_day) + " doses a day, usually " +
         hours(w.median_interval_hours) + " apart, " + grams(w.amount_per_day_micrograms) +
         " a day\n";
    t += doses_chart(w.per_day);
    if (w.interval_trend.concerning) t += "Note: your doses have been getting closer together.\n";
    if (w.first_dose_trend.concerning) t += "Note: your first dose has been getting earlier.\n";
    if (report->withdrawal) {
      const auto& w8 = *report->withdrawal;
      j["phase"] = core::to_string(w8.phase);
      j["next_phase"] =
          w8.next_phase ? nlohmann::json(core::to_string(*w8.next_phase)) : nlohmann::json(nullptr);
      j["next_phase_at"] = w8.next_phase_at ? nlohmann::json(core::format_utc(*w8.next_phase_at))
                                            : nlohmann::json(nullptr);
      t += "Withdrawal    " + core::phase_guide(w8.phase).title + " (`mitra withdrawal`)\n";
    } else {
      j["phase"] = nullptr;
    }
    j["urgent_advisories"] = nlohmann::json::array();
    for (const auto& a : report->urgent) {
      j["urgent_advisories"].push_back(
          {{"id", a.id}, {"level", "urgent"}, {"message", a.message}, {"sources", a.sources}});
      std::string keys;
      for (const auto& k : a.sources) keys += (keys.empty() ? "" : ", ") + k;
      t += "\n!! " + a.message + " " + a.what_to_do + " [" + keys + "]\n";
    }
    auto plan = app::plan_status(context);
    if (!plan) return tl::unexpected(plan.error());
    if (*plan) {
      j["plan"] = app::plan_status_json(**plan);
      t += "\n" + app::plan_status_text(**plan);
    } else {
      j["plan"] = nullptr;
    }
    t += "\n" + help_line();
    return reply;
  });
}

}  // namespace mitra::cli
