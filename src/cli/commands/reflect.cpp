// `mitra reflect`: the DSM-5 self-reflection (or the seven questions), never a diagnosis.

#include <memory>

#include "app/understanding.hpp"
#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "views/instruments.hpp"

namespace mitra::cli {

// Shared with checkin: the answers from --answers, or asked at a terminal.
Result<nlohmann::json> answers_document(Session& session, const std::string& path,
                                        const std::string& instrument_id) {
  if (!path.empty()) return read_json_input(path, "answers");
  auto instrument = core::find_instrument(instrument_id);
  if (!instrument) return tl::unexpected(instrument.error());
  if (!session.stdin_is_terminal || session.globals.json) {
    return core::invalid("answers",
                         "Give the answers with --answers FILE (or - for stdin), as "
                         "{\"answers\": [...]} with " +
                             std::to_string((*instrument)->items.size()) +
                             " answers in published order.");
  }
  return ask_answers(**instrument);
}

// Shared with checkin: reads or asks the answers, scores and stores them, and starts the
// reply with the score, the stored id and the instrument's sources.
Result<Assessed> assess_answers(Session& session, const std::string& path, const std::string& id) {
  auto document = answers_document(session, path, id);
  if (!document) return tl::unexpected(document.error());
  auto context = session.context();
  if (!context) return tl::unexpected(context.error());
  auto result = app::assess(**context, id, *document);
  if (!result) return tl::unexpected(result.error());
  Assessed out{std::move(*result), *core::find_instrument(id), {}};
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
      "JSON file, - for stdin, or inline JSON: {\"answers\": [true, false, ...]}, 11 in order");
  command.add_flag("--seven", options->seven,
                   "The seven shorter reflection questions instead of the 11 DSM-5 criteria");
  command.footer(
      "\nExamples:\n  mitra reflect\n  mitra reflect --seven\n  mitra --json reflect "
      "--answers answers.json\n" +
      command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      const std::string id = options->seven ? "reflection" : "dsm5";
      auto assessed = assess_answers(session, options->answers, id);
      if (!assessed) return tl::unexpected(assessed.error());
      const auto* result = &assessed->result;
      const auto& instrument = *assessed->instrument;
      const auto& band = *result->score.band;
      Reply& reply = assessed->reply;
      std::string& t = reply.text;
      t += instrument.title + "\n\n";
      t += "You answered yes to " + std::to_string(result->score.total) + " of " +
           std::to_string(instrument.items.size()) + ".\n\n";
      t += wrap(band.text, 0);
      if (!instrument.note.empty()) t += "\n" + wrap(instrument.note, 0);
      t += "Sources " + source_keys(instrument.sources) + "\n";
      if (!result->pathways.empty()) {
        t += "\nWhat could help, given what brought kratom into your life:\n";
        for (const auto& p : result->pathways) {
          t += "• " + p.title + "\n" + wrap(p.text + " " + source_keys(p.sources), 2);
        }
      } else {
        t += "\nTell mitra why kratom came into your life (`mitra profile`) to see care options "
             "that fit.\n";
      }
      t += "\n" + help_line();
      return reply;
    };
  });
}

}  // namespace mitra::cli
