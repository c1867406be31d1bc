// `mitra withdrawal`: where you are since the last dose, what comes next, what helps.

#include "app/understanding.hpp"
#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "views/withdrawal.hpp"

namespace mitra::cli {

void setup_withdrawal(CLI::App& command, Session& session) {
  command.footer("\nExamples:\n  mitra withdrawal\n  mitra --json withdrawal\n" +
                 command.get_footer());
  on_run(command, session, [](app::Context& context) -> Result<Reply> {
    auto status = app::withdrawal(context);
    if (!status) return tl::unexpected(status.error());
    Reply reply;
    const auto* zone = context.zone;
    reply.json = views::withdrawal_json(*status, zone);
    if (!*status) {
      reply.text =
          "No dose logged yet, so there is no withdrawal timeline to show.\n"
          "Log your last dose with `mitra log 2.5g --at TIME`.\n\n" +
          help_line();
      return reply;
    }
    const auto& s = **status;
    const auto& guide = core::phase_guide(s.phase);
    std::string& t = reply.text;
    t += "Last dose " + core::format_duration(s.since_last_dose) + " ago (" +
         core::format_local(s.last_dose_at, zone) + ")\n\n";
    t += "Now: " + guide.title + " — " + guide.timing + "\n";
    t += wrap(guide.what_happens + " " + source_keys(guide.sources), 2);
    t += "What helps:\n";
    for (const auto& tip : guide.what_helps) t += wrap("• " + tip, 2);
    if (s.next_phase) {
      const auto& next = core::phase_guide(*s.next_phase);
      // A range in words, never a clock time: the timings are uncertain (issue 13, item 6).
      t += "\nNext: " + next.title + ", " + next.timing + ".\n";
    }
    if (s.likely_harder) {
      t += "\n" + wrap(core::harder_course_note().text + " " +
                           source_keys(core::harder_course_note().sources),
                       0);
    }
    if (s.occasional_use) {
      t += "\n" + wrap(core::occasional_use_note().text + " " +
                           source_keys(core::occasional_use_note().sources),
                       0);
    }
    if (s.latest) {
      const auto& words = core::comparison_text(*s.latest);
      t += "\nLatest SOWS " + std::to_string(s.sows.back().total) + ": " + words.text + " " +
           source_keys(words.sources) + "\n";
    }
    t += "\nRed flags:\n";
    for (const auto& f : core::withdrawal_red_flags()) {
      t += wrap("• " + f.text + " " + source_keys(f.sources), 2);
    }
    t += "\nThese timings are rough ranges; the research is still thin.\n" + help_line();
    return reply;
  });
}

}  // namespace mitra::cli
