// `mitra learn [TOPIC]`: key facts in our own words, each with its sources; without a topic,
// also the FAQ and the chart data.

#include <memory>

#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/evidence.hpp"
#include "core/translate.hpp"
#include "views/learn.hpp"

namespace mitra::cli {

void setup_learn(CLI::App& command, Session& session) {
  auto topic = std::make_shared<std::string>();
  command.add_option(
      "topic", *topic,
      core::noop_tr("dependence, frequency, withdrawal, safety, treatment, harm_reduction or "
                    "policy; all when left out"));
  command.footer(examples(session.globals.language,
                          {"mitra learn", "mitra learn withdrawal", "mitra --json learn safety"}) +
                 command.get_footer());
  command.callback([topic, &session] {
    session.action = [topic, &session]() -> Result<Reply> {
      const auto language = session.globals.language;
      auto facts = core::facts_for(*topic, language);
      if (!facts) return tl::unexpected(facts.error());
      Reply reply;
      reply.json = views::learn_json(*topic, *facts, language);
      std::string& t = reply.text;
      std::string current;
      for (const auto& f : *facts) {
        if (f.topic != current) {
          current = f.topic;
          for (const auto& tp : core::topics(language)) {
            if (tp.id == current) t += "\n" + tp.title + "\n";
          }
        }
        t += wrap("• " + f.text + " " + source_keys(f.sources), 2);
      }
      if (topic->empty()) {
        t += "\n" + std::string(core::tr(language, "Questions people ask")) + "\n";
        for (const auto& e : core::faq(language)) {
          t += "\n" + e.question + "\n" + wrap(e.answer + " " + source_keys(e.sources), 2);
        }
        t += "\n" + std::string(core::tr(language, "Numbers")) + "\n";
        for (const auto& c : core::charts(language)) {
          t += "  " + c.title + " (" + c.unit + ")\n";
          for (const auto& p : c.points) t += "    " + p.label + ": " + p.value.dump() + "\n";
          t += "    " + source_keys(c.sources) + "\n";
        }
      }
      t += "\n" + std::string(core::tr(language, "References")) + "\n";
      for (const auto& key : views::cited_keys(*topic, *facts, language)) {
        const auto* r = core::find_reference(key);
        t += wrap(key + "  " + r->title + (r->url.empty() ? "" : "  " + r->url), 2);
      }
      t += "\n" + help_line(language);
      return reply;
    };
  });
}

}  // namespace mitra::cli
