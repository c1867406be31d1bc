// `mitra pattern`: how often and how much, over a window of days.

#include <memory>

#include "app/pattern.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/words.hpp"
#include "views/journal.hpp"

namespace mitra::cli {

void setup_pattern(CLI::App& command, Session& session) {
  auto days = std::make_shared<int>(7);
  command.add_option("--days", *days, "Window in days: 7, 28, 90 or any from 1 to 3650")
      ->default_val(7);
  command.footer(
      "\nExamples:\n  mitra pattern\n  mitra pattern --days 28\n  mitra --json pattern --days "
      "90\n" +
      command.get_footer());
  on_run(command, session, [days](app::Context& context) -> Result<Reply> {
    auto p = app::pattern(context, *days);
    if (!p) return tl::unexpected(p.error());
    Reply reply;
    reply.json = views::pattern_json(*p);
    const std::string per_day = core::format_per_day(p->doses_per_day);
    std::string& t = reply.text;
    t += "Your pattern over " + std::to_string(p->days) + " days (" +
         core::format_date(p->first_day) + " to " + core::format_date(p->last_day) + ")\n\n";
    t += "How often (this matters most)\n";
    t += table({"Measure", "Value"},
               {{"Doses a day", per_day},
                {"Most in one day", std::to_string(p->max_doses_in_a_day)},
                {"Days with a dose",
                 std::to_string(p->days_with_doses) + " of " + std::to_string(p->days)},
                {"Time between doses (median)", hours(p->median_interval_hours)},
                {"Shortest gap", hours(p->shortest_interval_hours)},
                {"Longest gap", hours(p->longest_interval_hours)},
                {"Spread of gaps (IQR)", hours(p->interval_spread_hours)},
                {"Night doses (00:00–04:59)", std::to_string(p->night_doses)},
                {"First dose of the day (median)", clock(p->median_first_dose_minute)}});
    t += "\nHow much\n";
    t += table({"Measure", "Value"},
               {{"Amount a day", core::form_amounts_words(p->amounts_by_form, true)},
                {"Doses without a known weight", std::to_string(p->doses_without_known_mass)}});
    t += "\nDoses per day\n" + doses_chart(p->per_day);
    const auto trend_line = [&](const core::Trend& trend, const char* warning) {
      if (trend.enough_data && trend.concerning) t += std::string("• ") + warning + "\n";
    };
    t += "\n";
    trend_line(p->interval_trend, "Doses are getting closer together.");
    trend_line(p->first_dose_trend, "The first dose of the day is getting earlier.");
    trend_line(p->amount_trend, "The amount per day is rising.");
    trend_line(p->frequency_trend, "Doses per day are rising.");
    t += "How often you dose tells more about dependence than how much (see `mitra learn`).\n";
    t += help_line();
    return reply;
  });
}

}  // namespace mitra::cli
