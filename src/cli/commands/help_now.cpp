// `mitra help-now`: where to turn, right now, and what each line is for.

#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/evidence.hpp"
#include "core/profile.hpp"
#include "core/translate.hpp"
#include "views/learn.hpp"

namespace mitra::cli {

void setup_help_now(CLI::App& command, Session& session) {
  command.footer(examples(session.globals.language, {"mitra help-now", "mitra --json help-now"}) +
                 command.get_footer());
  command.callback([&session] {
    // Needs no journal: crisis lines must show even when the database cannot be opened.
    session.action = [&session]() -> Result<Reply> {
      const auto language = session.globals.language;
      Reply reply;
      reply.json = views::help_json(language);
      std::string& t = reply.text;
      t += std::string(core::tr(language, "Help, right now")) + "\n\n";
      for (const auto& r : core::help_resources(language)) {
        t += r.name + ": " + r.contact + " (" + r.hours + ")\n" +
             wrap(r.for_what + " " + source_keys(r.sources), 2) + "\n";
      }
      t += std::string(core::tr(language,
                                "Care that treats the reason kratom came into your life: `mitra "
                                "profile`.")) +
           "\n";
      return reply;
    };
  });
}

}  // namespace mitra::cli
