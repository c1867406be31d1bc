// `mitra checkin`: SOWS withdrawal symptoms (default), the daily sleep/mood/craving check-in,
// or COWS for clinician entry.

#include <memory>

#include "app/understanding.hpp"
#include "cli/answers.hpp"
#include "cli/code_words.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/translate.hpp"

namespace mitra::cli {

using core::fill;
using core::noop_tr;
using core::tr;

Result<Assessed> assess_answers(Session& session, const std::string& path, const std::string& id);

namespace {

// A daily check-in item by its id ("sleep"), in `language` ("sueño").
std::string item_name(const std::string& id, core::Language language) {
  if (id == "sleep") return std::string(tr(language, "sleep"));
  if (id == "mood") return std::string(tr(language, "mood"));
  if (id == "craving") return std::string(tr(language, "craving"));
  return id;
}

}  // namespace

void setup_checkin(CLI::App& command, Session& session) {
  struct Options {
    std::string answers;
    std::string scale = "sows";
  };
  auto options = std::make_shared<Options>();
  command.add_option(
      "--answers", options->answers,
      noop_tr("JSON file, - for stdin, or inline JSON: {\"answers\": [0-4, ...]}, 16 for SOWS"));
  command
      .add_option("--scale", options->scale,
                  noop_tr("sows (withdrawal, default), daily (sleep, mood, craving 0-10) or cows "
                          "(clinician)"))
      ->check(CLI::IsMember({"sows", "daily", "cows"}));
  command.footer(examples(session.globals.language, {"mitra checkin", "mitra checkin --scale daily",
                                                     "mitra --json checkin --answers sows.json"}) +
                 command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      auto assessed = assess_answers(session, options->answers, options->scale);
      if (!assessed) return tl::unexpected(assessed.error());
      const auto language = session.globals.language;
      const auto* result = &assessed->result;
      const auto& instrument = *assessed->instrument;
      Reply& reply = assessed->reply;
      std::string& t = reply.text;
      t += instrument.title + "\n\n";
      t += fill(tr(language, "Total {total} of {max}"),
                {{"total", std::to_string(result->score.total)},
                 {"max", std::to_string(instrument.max_total)}});
      if (result->score.band) {
        t += " — " + band_words(result->score.band->id, language) + " (" +
             result->score.band->label + ")\n";
        t += wrap(result->score.band->text, 0);
      } else {
        t += "\n";
        for (const auto& item : result->score.items) {
          t += "  " + item_name(item.id, language) + " " + std::to_string(item.score) + "/10\n";
        }
      }
      t += fill(tr(language, "Saved. Sources {sources}"),
                {{"sources", source_keys(instrument.sources)}}) +
           "\n";
      if (instrument.id == "sows") {
        t += std::string(tr(language, "See how this fits the usual course: `mitra withdrawal`.")) +
             "\n";
      }
      t += "\n" + help_line(language);
      return reply;
    };
  });
}

}  // namespace mitra::cli
