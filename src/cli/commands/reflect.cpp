// `mitra reflect`: the DSM-5 self-reflection (or the seven questions), never a diagnosis.

#include <memory>

#include "app/understanding.hpp"
#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/translate.hpp"
#include "views/instruments.hpp"

namespace mitra::cli {

using core::fill;
using core::noop_tr;
using core::tr;

// Shared with checkin: the answers from --answers, or asked at a terminal.
Result<nlohmann::json> answers_document(Session& session, const std::string& path,
                                        const std::string& instrument_id) {
  const auto language = session.globals.language;
  if (!path.empty()) return read_json_input(path, "answers", language);
  auto instrument = core::find_instrument(instrument_id, language);
  if (!instrument) return tl::unexpected(instrument.error());
  if (!session.stdin_is_terminal || session.globals.json) {
    return core::invalid("answers",
                         fill(tr(language,
                                 "Give the answers with --answers FILE (or - for stdin), as "
                                 "{\"answers\": [...]} with {count} answers in published order."),
                              {{"count", std::to_string((*instrument)->items.size())}}));
  }
  return ask_answers(**instrument, language);
}

// Shared with checkin: reads or asks the answers, scores and stores them, and starts the
// reply with the score, the stored id and the instrument's sources. The instrument and the band
// are in the session's language (the use case scores with the English texts; ids, scores and
// bands are the same in every language).
Result<Assessed> assess_answers(Session& session, const std::string& path, const std::string& id) {
  auto document = answers_document(session, path, id);
  if (!document) return tl::unexpected(document.error());
  auto context = session.context();
  if (!context) return tl::unexpected(context.error());
  auto result = app::assess(**context, id, *document);
  if (!result) return tl::unexpected(result.error());
  Assessed out{std::move(*result), *core::find_instrument(id, session.globals.language), {}};
  if (out.result.score.band) {
    for (const auto& band : out.instrument->bands) {
      if (band.id == out.result.score.band->id) out.result.score.band = band;
    }
  }
  out.reply.json = views::assessment_json(out.result, *out.instrument);
  return out;
}

void setup_reflect(CLI::App& command, Session& session) {
  struct Options {
    std::string answers;
    bool seven = false;
  };
  auto options = std::make_shared<Options>();
  command.add_option(
      "--answers", options->answers,
      noop_tr("JSON file, - for stdin, or inline JSON: {\"answers\": [true, false, ...]}, 11 in "
              "order"));
  command.add_flag("--seven", options->seven,
                   noop_tr("The seven shorter reflection questions instead of the 11 DSM-5 "
                           "criteria"));
  command.footer(
      examples(session.globals.language, {"mitra reflect", "mitra reflect --seven",
                                          "mitra --json reflect --answers answers.json"}) +
      command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      const std::string id = options->seven ? "reflection" : "dsm5";
      auto assessed = assess_answers(session, options->answers, id);
      if (!assessed) return tl::unexpected(assessed.error());
      const auto language = session.globals.language;
      const auto* result = &assessed->result;
      const auto& instrument = *assessed->instrument;
      const auto& band = *result->score.band;
      Reply& reply = assessed->reply;
      std::string& t = reply.text;
      t += instrument.title + "\n\n";
      t += fill(tr(language, "You answered yes to {count} of {total}."),
                {{"count", std::to_string(result->score.total)},
                 {"total", std::to_string(instrument.items.size())}}) +
           "\n\n";
      t += wrap(band.text, 0);
      if (!instrument.note.empty()) t += "\n" + wrap(instrument.note, 0);
      t += fill(tr(language, "Sources {sources}"), {{"sources", source_keys(instrument.sources)}}) +
           "\n";
      if (!result->pathways.empty()) {
        t += "\n" +
             std::string(
                 tr(language, "What could help, given what brought kratom into your life:")) +
             "\n";
        for (const auto& p : result->pathways) {
          t += "• " + p.title + "\n" + wrap(p.text + " " + source_keys(p.sources), 2);
        }
      } else {
        t += "\n" +
             std::string(tr(language,
                            "Tell mitra why kratom came into your life (`mitra profile`) to see "
                            "care options that fit.")) +
             "\n";
      }
      t += "\n" + help_line(language);
      return reply;
    };
  });
}

}  // namespace mitra::cli
