// `mitra setup`: zone and day start, asked once (a short guided first run).

#include <iostream>
#include <memory>

#include "app/journal.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/text.hpp"
#include "core/translate.hpp"
#include "core/words.hpp"
#include "views/settings.hpp"

namespace mitra::cli {

namespace {

using core::fill;
using core::noop_tr;
using core::tr;

std::string ask(std::string_view question, const std::string& fallback) {
  std::cout << question << (fallback.empty() ? "" : " [" + fallback + "]") << ": " << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) return fallback;
  const auto answer = core::trim(line);
  return answer.empty() ? fallback : std::string(answer);
}

}  // namespace

void setup_setup(CLI::App& command, Session& session) {
  struct Options {
    bool if_new = false;
    bool show = false;
    std::string zone;
    std::string day_start;
  };
  auto options = std::make_shared<Options>();
  auto* if_new = command.add_flag("--if-new", options->if_new,
                                  noop_tr("Do nothing if setup was already done"));
  auto* show =
      command.add_flag("--show", options->show, noop_tr("Show the settings and change nothing"));
  command.add_option("--zone", options->zone, noop_tr("IANA time zone (default: this machine's)"));
  command.add_option("--day-start", options->day_start,
                     noop_tr("When your day begins, HH:MM (default 04:00: a 1 a.m. dose counts to "
                             "the evening before)"));
  show->excludes(if_new);
  command.footer(examples(session.globals.language,
                          {"mitra setup", "mitra setup --zone Europe/Berlin --day-start 05:00",
                           "mitra setup --show"}) +
                 command.get_footer());
  on_run(command, session, [options, &session](app::Context& context) -> Result<Reply> {
    auto& c = context;
    const auto language = c.language;
    Reply reply;
    // The settings document (views/settings.hpp), and whether this command changed it.
    const auto answer = [&](bool changed) {
      reply.json = views::settings_json(c);
      reply.json["changed"] = changed;
    };
    if (options->show || (options->if_new && c.settings.configured)) {
      answer(false);
      if (options->show) {
        const auto pattern = c.settings.configured
                                 ? tr(language, "Zone {zone}, day starts at {start}.")
                                 : tr(language,
                                      "Zone {zone}, day starts at {start} (not set up yet: "
                                      "`mitra setup`).");
        reply.text = fill(pattern, {{"zone", c.settings.saved_zone},
                                    {"start", core::format_time_of_day(c.settings.day_start)}}) +
                     "\n";
      }
      return reply;
    }
    const bool interactive =
        session.stdin_is_terminal && options->zone.empty() && options->day_start.empty();
    std::string zone = options->zone.empty() ? c.settings.saved_zone : options->zone;
    // Each setting changes only itself: a new zone keeps the day start, and the other way round.
    std::string day_start = options->day_start.empty()
                                ? core::format_time_of_day(c.settings.day_start)
                                : options->day_start;
    if (interactive) {
      std::cout << tr(language,
                      "Welcome to mitra. Your journal stays on this machine; nothing is sent "
                      "anywhere.")
                << "\n\n";
      zone = ask(tr(language, "Your time zone"), zone);
      day_start =
          ask(tr(language, "When does your day start? A dose before then counts to the day before"),
              day_start);
    }
    auto start = core::parse_clock(day_start, "day_start");
    if (!start) return tl::unexpected(start.error());
    auto saved = app::save_settings(c, zone, *start);
    if (!saved) return tl::unexpected(saved.error());
    if (interactive) {
      const std::string first = ask(
          tr(language, "Log a dose now? Type an amount such as 2.5g, or press Enter to skip"), "");
      if (!first.empty()) {
        app::DoseInput input;
        input.amount = first;
        // The times the journal reads are English words ("now", "2h ago"): the default stays
        // "now" in every language.
        input.at = ask(tr(language, "When? (now, 08:30, 2h ago)"), "now");
        auto dose = app::log_dose(c, input);
        if (!dose) return tl::unexpected(dose.error());
        std::cout << fill(tr(language, "Logged {amount}."),
                          {{"amount", core::format_amount(dose->amount, language)}})
                  << "\n";
      }
      std::cout << "\n"
                << tr(language,
                      "Log each dose with `mitra log 2.5g` (add --at 08:30 for an earlier one).\n"
                      "`mitra pattern` shows how often and how much; `mitra --help` lists "
                      "everything.")
                << "\n\n";
    }
    answer(true);
    reply.text = interactive ? ""
                             : fill(tr(language, "Saved: zone {zone}, day starts at {start}."),
                                    {{"zone", saved->zone}, {"start", day_start}}) +
                                   "\n";
    return reply;
  });
}

}  // namespace mitra::cli
