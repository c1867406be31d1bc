// `mitra pattern`: how often and how much, over a window of days.

#include <memory>

#include "app/pattern.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/translate.hpp"
#include "core/words.hpp"
#include "views/journal.hpp"

namespace mitra::cli {

using core::fill;
using core::tr;

void setup_pattern(CLI::App& command, Session& session) {
  auto days = std::make_shared<int>(7);
  command
      .add_option("--days", *days, core::noop_tr("Window in days: 7, 28, 90 or any from 1 to 3650"))
      ->default_val(7);
  command.footer(examples(session.globals.language, {"mitra pattern", "mitra pattern --days 28",
                                                     "mitra --json pattern --days 90"}) +
                 command.get_footer());
  on_run(command, session, [days](app::Context& context) -> Result<Reply> {
    auto p = app::pattern(context, *days);
    if (!p) return tl::unexpected(p.error());
    Reply reply;
    reply.json = views::pattern_json(*p);
    const auto language = context.language;
    const std::string per_day = core::format_per_day(p->doses_per_day, language);
    std::string& t = reply.text;
    t += fill(tr(language, "Your pattern over {days} days ({from} to {to})"),
              {{"days", std::to_string(p->days)},
               {"from", core::format_date(p->first_day)},
               {"to", core::format_date(p->last_day)}}) +
         "\n\n";
    t += std::string(tr(language, "How often (this matters most)")) + "\n";
    t += table(
        {std::string(tr(language, "Measure")), std::string(tr(language, "Value"))},
        {{std::string(tr(language, "Doses a day")), per_day},
         {std::string(tr(language, "Most in one day")), std::to_string(p->max_doses_in_a_day)},
         {std::string(tr(language, "Days with a dose")),
          fill(tr(language, "{count} of {days}"),
               {{"count", std::to_string(p->days_with_doses)}, {"days", std::to_string(p->days)}})},
         {std::string(tr(language, "Time between doses (median)")),
          hours(p->median_interval_hours, language)},
         {std::string(tr(language, "Shortest gap")), hours(p->shortest_interval_hours, language)},
         {std::string(tr(language, "Longest gap")), hours(p->longest_interval_hours, language)},
         {std::string(tr(language, "Spread of gaps (IQR)")),
          hours(p->interval_spread_hours, language)},
         {std::string(tr(language, "Night doses (00:00–04:59)")), std::to_string(p->night_doses)},
         {std::string(tr(language, "First dose of the day (median)")),
          clock(p->median_first_dose_minute)}});
    t += "\n" + std::string(tr(language, "How much")) + "\n";
    t += table({std::string(tr(language, "Measure")), std::string(tr(language, "Value"))},
               {{std::string(tr(language, "Amount a day")),
                 core::form_amounts_words(p->amounts_by_form, true, language)},
                {std::string(tr(language, "Doses without a known weight")),
                 std::to_string(p->doses_without_known_mass)}});
    t += "\n" + std::string(tr(language, "Doses per day")) + "\n" +
         doses_chart(p->per_day, language);
    const auto trend_line = [&](const core::Trend& trend, std::string_view warning) {
      if (trend.enough_data && trend.concerning) t += "• " + std::string(warning) + "\n";
    };
    t += "\n";
    trend_line(p->interval_trend, tr(language, "Doses are getting closer together."));
    trend_line(p->first_dose_trend, tr(language, "The first dose of the day is getting earlier."));
    trend_line(p->amount_trend, tr(language, "The amount per day is rising."));
    trend_line(p->frequency_trend, tr(language, "Doses per day are rising."));
    t += std::string(tr(
             language,
             "How often you dose tells more about dependence than how much (see `mitra learn`).")) +
         "\n";
    t += help_line(language);
    return reply;
  });
}

}  // namespace mitra::cli
