// `mitra status`: the home screen of the command line.

#include "app/status.hpp"
#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/words.hpp"
#include "views/journal.hpp"
#include "views/plan.hpp"
#include "views/status.hpp"

namespace mitra::cli {

void setup_status(CLI::App& command, Session& session) {
  command.footer("\nExamples:\n  mitra status\n  mitra --json status\n" + command.get_footer());
  on_run(command, session, [](app::Context& context) -> Result<Reply> {
    const auto* zone = context.zone;
    auto report = app::status(context);
    if (!report) return tl::unexpected(report.error());
    Reply reply;
    reply.json = views::status_json(context, *report);

    std::string& t = reply.text;
    // Urgent advisories come first and in full: never below the numbers, never folded away.
    for (const auto& a : report->urgent) {
      t +=
          "!! URGENT: " + a.id + "\n" + wrap(a.message, 3) + wrap("What to do: " + a.what_to_do, 3);
      if (!a.estimate.empty()) t += wrap("mitra's own estimate: " + a.estimate, 3);
      t += "   Sources " + source_keys(a.sources) + "\n\n";
    }
    if (report->last_dose) {
      t += "Last dose     " + core::format_amount(report->last_dose->amount) + ", " +
           core::format_duration(*report->since_last_dose) + " ago (" +
           date::format("%a %H:%M", date::zoned_seconds{zone, report->last_dose->taken_at}) + ")\n";
    } else {
      t += "Last dose     none logged yet — log one with `mitra log 2.5g`\n";
    }
    t += "Today         " + std::to_string(report->today_dose_count) +
         (report->today_dose_count == 1 ? " dose" : " doses");
    if (report->today_dose_count > 0) {
      t += ", " + core::form_amounts_words(views::forms_of(report->week.per_day.back()), false);
    }
    if (report->today_doses_without_mass > 0) {
      t += " (+" + std::to_string(report->today_doses_without_mass) + " without a known weight)";
    }
    t += "\n";
    const auto& w = report->week;
    t += "Last 7 days   " + core::format_per_day(w.doses_per_day) + " doses a day, usually " +
         hours(w.median_interval_hours) + " apart, " +
         core::form_amounts_words(w.amounts_by_form, true) + " a day\n";
    t += doses_chart(w.per_day);
    if (w.interval_trend.concerning) t += "Note: your doses have been getting closer together.\n";
    if (w.first_dose_trend.concerning) t += "Note: your first dose has been getting earlier.\n";
    if (report->withdrawal) {
      t += "Withdrawal    " + core::phase_guide(report->withdrawal->phase).title +
           " (`mitra withdrawal`)\n";
    }
    if (report->plan) t += "\n" + views::plan_status_text(*report->plan);
    t += "\n" + help_line();
    return reply;
  });
}

}  // namespace mitra::cli
