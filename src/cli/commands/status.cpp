// `mitra status`: the home screen of the command line.

#include "app/status.hpp"
#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/language.hpp"
#include "core/translate.hpp"
#include "core/words.hpp"
#include "views/journal.hpp"
#include "views/plan.hpp"
#include "views/status.hpp"

namespace mitra::cli {

namespace {

using core::fill;
using core::tr;
using core::trn;

}  // namespace

void setup_status(CLI::App& command, Session& session) {
  command.footer(examples(session.globals.language, {"mitra status", "mitra --json status"}) +
                 command.get_footer());
  on_run(command, session, [](app::Context& context) -> Result<Reply> {
    const auto* zone = context.zone;
    const auto language = context.language;
    auto report = app::status(context);
    if (!report) return tl::unexpected(report.error());
    Reply reply;
    reply.json = views::status_json(context, *report);

    std::string& t = reply.text;
    // Urgent advisories come first and in full: never below the numbers, never folded away.
    for (const auto& a : report->urgent) {
      t += std::string(tr(language, "!! URGENT: ")) + a.id + "\n" + wrap(a.message, 3) +
           wrap(fill(tr(language, "What to do: {what}"), {{"what", a.what_to_do}}), 3);
      if (!a.estimate.empty()) {
        t += wrap(
            fill(tr(language, "mitra's own estimate: {estimate}"), {{"estimate", a.estimate}}), 3);
      }
      t += fill(tr(language, "   Sources {keys}"), {{"keys", source_keys(a.sources)}}) + "\n\n";
    }
    if (report->last_dose) {
      t +=
          fill(tr(language, "Last dose     {amount}, {ago} ago ({when})"),
               {{"amount", core::format_amount(report->last_dose->amount, language)},
                {"ago", core::format_duration(*report->since_last_dose, language)},
                {"when", core::format_weekday_time(report->last_dose->taken_at, zone, language)}}) +
          "\n";
    } else {
      t += std::string(
               tr(language, "Last dose     none logged yet — log one with `mitra log 2.5g`")) +
           "\n";
    }
    const auto count = static_cast<unsigned long>(report->today_dose_count);
    t += fill(trn(language, "Today         {count} dose", "Today         {count} doses", count),
              {{"count", std::to_string(count)}});
    if (report->today_dose_count > 0) {
      t += ", " +
           core::form_amounts_words(views::forms_of(report->week.per_day.back()), false, language);
    }
    if (report->today_doses_without_mass > 0) {
      t += fill(tr(language, " (+{count} without a known weight)"),
                {{"count", std::to_string(report->today_doses_without_mass)}});
    }
    t += "\n";
    const auto& w = report->week;
    t += fill(tr(language,
                 "Last 7 days   {per_day} doses a day, usually {interval} apart, {amount} a day"),
              {{"per_day", core::format_per_day(w.doses_per_day, language)},
               {"interval", hours(w.median_interval_hours, language)},
               {"amount", core::form_amounts_words(w.amounts_by_form, true, language)}}) +
         "\n";
    t += doses_chart(w.per_day, language);
    if (w.interval_trend.concerning) {
      t += std::string(tr(language, "Note: your doses have been getting closer together.")) + "\n";
    }
    if (w.first_dose_trend.concerning) {
      t += std::string(tr(language, "Note: your first dose has been getting earlier.")) + "\n";
    }
    if (report->withdrawal) {
      t += fill(tr(language, "Withdrawal    {phase} (`mitra withdrawal`)"),
                {{"phase", core::phase_guide(report->withdrawal->phase, language).title}}) +
           "\n";
    }
    if (report->plan) t += "\n" + views::plan_status_text(*report->plan, language);
    t += "\n" + help_line(language);
    return reply;
  });
}

}  // namespace mitra::cli
