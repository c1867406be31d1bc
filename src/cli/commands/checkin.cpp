// `mitra checkin`: SOWS withdrawal symptoms (default), the daily sleep/mood/craving check-in,
// or COWS for clinician entry.

#include <memory>

#include "app/understanding.hpp"
#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"

namespace mitra::cli {

Result<Assessed> assess_answers(Session& session, const std::string& path, const std::string& id);

void setup_checkin(CLI::App& command, Session& session) {
  struct Options {
    std::string answers;
    std::string scale = "sows";
  };
  auto options = std::make_shared<Options>();
  command.add_option(
      "--answers", options->answers,
      "JSON file, - for stdin, or inline JSON: {\"answers\": [0-4, ...]}, 16 for SOWS");
  command
      .add_option("--scale", options->scale,
                  "sows (withdrawal, default), daily (sleep, mood, craving 0-10) or cows "
                  "(clinician)")
      ->check(CLI::IsMember({"sows", "daily", "cows"}));
  command.footer(
      "\nExamples:\n  mitra checkin\n  mitra checkin --scale daily\n  mitra --json "
      "checkin --answers sows.json\n" +
      command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      auto assessed = assess_answers(session, options->answers, options->scale);
      if (!assessed) return tl::unexpected(assessed.error());
      const auto* result = &assessed->result;
      const auto& instrument = *assessed->instrument;
      Reply& reply = assessed->reply;
      std::string& t = reply.text;
      t += instrument.title + "\n\n";
      t += "Total " + std::to_string(result->score.total) + " of " +
           std::to_string(instrument.max_total);
      if (result->score.band) {
        t += " — " + result->score.band->id + " (" + result->score.band->label + ")\n";
        t += wrap(result->score.band->text, 0);
      } else {
        t += "\n";
        for (const auto& item : result->score.items) {
          t += "  " + item.id + " " + std::to_string(item.score) + "/10\n";
        }
      }
      t += "Saved. Sources " + source_keys(instrument.sources) + "\n";
      if (instrument.id == "sows") t += "See how this fits the usual course: `mitra withdrawal`.\n";
      t += "\n" + help_line();
      return reply;
    };
  });
}

}  // namespace mitra::cli
