// `mitra safety`: every advisory that applies, urgent first, with sources.

#include "views/safety.hpp"
#include "app/understanding.hpp"
#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/translate.hpp"

namespace mitra::cli {

void setup_safety(CLI::App& command, Session& session) {
  command.footer(examples(session.globals.language, {"mitra safety", "mitra --json safety"}) +
                 command.get_footer());
  on_run(command, session, [](app::Context& context) -> Result<Reply> {
    auto advisories = app::safety(context);
    if (!advisories) return tl::unexpected(advisories.error());
    Reply reply;
    reply.json = views::safety_json(*advisories);
    std::string& t = reply.text;
    const auto language = context.language;
    using core::fill;
    using core::tr;
    for (const auto& a : *advisories) {
      std::string level = core::to_string(a.level);
      for (auto& c : level) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      t += "[" + level + "] " + a.id + "\n";
      t += wrap(a.message, 2) +
           wrap(fill(tr(language, "What to do: {what}"), {{"what", a.what_to_do}}), 2);
      if (!a.estimate.empty()) {
        t += wrap(
            fill(tr(language, "mitra's own estimate: {estimate}"), {{"estimate", a.estimate}}), 2);
      }
      t += tr(language, "  Why shown: ");
      for (std::size_t i = 0; i < a.because.size(); ++i) t += (i ? "; " : "") + a.because[i];
      t += "\n" + fill(tr(language, "  Sources {keys}"), {{"keys", source_keys(a.sources)}}) +
           "\n\n";
    }
    t += std::string(tr(language,
                        "Answer the history questions in `mitra profile` so these fit you "
                        "better.")) +
         "\n" + help_line(language);
    return reply;
  });
}

}  // namespace mitra::cli
