// `mitra setup`: zone and day start, asked once (a short guided first run).

#include <iostream>
#include <memory>

#include "app/journal.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/text.hpp"
#include "views/settings.hpp"

namespace mitra::cli {

namespace {

std::string ask(const std::string& question, const std::string& fallback) {
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
  auto* if_new =
      command.add_flag("--if-new", options->if_new, "Do nothing if setup was already done");
  auto* show = command.add_flag("--show", options->show, "Show the settings and change nothing");
  command.add_option("--zone", options->zone, "IANA time zone (default: this machine's)");
  command.add_option("--day-start", options->day_start,
                     "When your day begins, HH:MM (default 04:00: a 1 a.m. dose counts to the "
                     "evening before)");
  show->excludes(if_new);
  command.footer(
      "\nExamples:\n  mitra setup\n  mitra setup --zone Europe/Berlin --day-start 05:00\n  mitra setup --show\n" +
      command.get_footer());
  on_run(command, session, [options, &session](app::Context& context) -> Result<Reply> {
    auto& c = context;
    Reply reply;
    // The settings document (views/settings.hpp), and whether this command changed it.
    const auto answer = [&](bool changed) {
      reply.json = views::settings_json(c);
      reply.json["changed"] = changed;
    };
    if (options->show || (options->if_new && c.settings.configured)) {
      answer(false);
      if (options->show) {
        reply.text = "Zone " + c.settings.saved_zone + ", day starts at " +
                     core::format_time_of_day(c.settings.day_start) +
                     (c.settings.configured ? "" : " (not set up yet: `mitra setup`)") + ".\n";
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
      std::cout << "Welcome to mitra. Your journal stays on this machine; nothing is sent "
                   "anywhere.\n\n";
      zone = ask("Your time zone", zone);
      day_start =
          ask("When does your day start? A dose before then counts to the day before", day_start);
    }
    auto start = core::parse_clock(day_start, "day_start");
    if (!start) return tl::unexpected(start.error());
    auto saved = app::save_settings(c, zone, *start);
    if (!saved) return tl::unexpected(saved.error());
    if (interactive) {
      const std::string first =
          ask("Log a dose now? Type an amount such as 2.5g, or press Enter to skip", "");
      if (!first.empty()) {
        app::DoseInput input;
        input.amount = first;
        input.at = ask("When? (now, 08:30, 2h ago)", "now");
        auto dose = app::log_dose(c, input);
        if (!dose) return tl::unexpected(dose.error());
        std::cout << "Logged " << core::format_amount(dose->amount) << ".\n";
      }
      std::cout << "\nLog each dose with `mitra log 2.5g` (add --at 08:30 for an earlier one).\n"
                   "`mitra pattern` shows how often and how much; `mitra --help` lists "
                   "everything.\n\n";
    }
    answer(true);
    reply.text =
        interactive ? "" : "Saved: zone " + saved->zone + ", day starts at " + day_start + ".\n";
    return reply;
  });
}

}  // namespace mitra::cli
