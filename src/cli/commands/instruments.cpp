// `mitra instruments [ID]`: the questionnaires mitra asks (check-ins and reflections), each
// with its items, its bands and its sources.

#include <memory>

#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/instruments.hpp"
#include "core/translate.hpp"
#include "views/instruments.hpp"

namespace mitra::cli {

namespace {

std::string describe(const core::Instrument& instrument, core::Language language) {
  std::string t = instrument.id + "  " + instrument.title + "\n";
  t += wrap(core::fill(core::tr(language,
                                "{count} questions, {timeframe}; total 0 to {max}. "
                                "{sources}"),
                       {{"count", std::to_string(instrument.items.size())},
                        {"timeframe", instrument.timeframe},
                        {"max", std::to_string(instrument.max_total)},
                        {"sources", source_keys(instrument.sources)}}),
            2);
  return t;
}

}  // namespace

void setup_instruments(CLI::App& command, Session& session) {
  auto id = std::make_shared<std::string>();
  command.add_option("id", *id,
                     core::noop_tr("One of them: dsm5, reflection, sows, cows or checkin (daily)"));
  command.footer(examples(session.globals.language, {"mitra instruments", "mitra instruments sows",
                                                     "mitra --json instruments"}) +
                 command.get_footer());
  command.callback([id, &session] {
    session.action = [id, &session]() -> Result<Reply> {
      const auto language = session.globals.language;
      Reply reply;
      std::string& t = reply.text;
      if (id->empty()) {
        reply.json = views::instruments_json(language);
        for (const auto& instrument : core::instruments(language)) {
          t += describe(instrument, language) + "\n";
          if (!instrument.language_note.empty()) t += wrap(instrument.language_note, 2);
        }
        t += std::string(core::tr(language,
                                  "`mitra instruments ID` shows one with its questions; "
                                  "`mitra checkin` and `mitra reflect` answer them.")) +
             "\n";
        return reply;
      }
      auto found = core::find_instrument(*id, language);
      if (!found) return tl::unexpected(found.error());
      const auto& instrument = **found;
      reply.json = views::instrument_document(instrument);
      t += describe(instrument, language) + "\n";
      // The questions stay in English where no validated translation is cited: say so first.
      if (!instrument.language_note.empty()) t += wrap(instrument.language_note, 0) + "\n";
      t += wrap(instrument.prompt, 0) + "\n";
      for (std::size_t i = 0; i < instrument.items.size(); ++i) {
        const auto& item = instrument.items[i];
        t += wrap(std::to_string(i + 1) + ". " + item.text, 0);
        std::string choices;
        for (const auto& c : item.choices) {
          choices += (choices.empty() ? "" : " · ") + std::to_string(c.score) + " " + c.label;
        }
        t += wrap(choices, 3);
      }
      if (!instrument.bands.empty()) {
        t += "\n" + std::string(core::tr(language, "Bands")) + "\n";
        for (const auto& b : instrument.bands) {
          t += "  " + std::to_string(b.min) + "–" + std::to_string(b.max) + "  " + b.label + "\n";
        }
      }
      if (!instrument.note.empty()) t += "\n" + wrap(instrument.note, 0);
      return reply;
    };
  });
}

}  // namespace mitra::cli
