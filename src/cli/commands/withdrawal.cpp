// `mitra withdrawal`: where you are since the last dose, what comes next, what helps.

#include "views/withdrawal.hpp"
#include "app/understanding.hpp"
#include "cli/answers.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/language.hpp"
#include "core/translate.hpp"

namespace mitra::cli {

void setup_withdrawal(CLI::App& command, Session& session) {
  command.footer(
      examples(session.globals.language, {"mitra withdrawal", "mitra --json withdrawal"}) +
      command.get_footer());
  on_run(command, session, [](app::Context& context) -> Result<Reply> {
    using core::fill;
    using core::tr;
    auto status = app::withdrawal(context);
    if (!status) return tl::unexpected(status.error());
    Reply reply;
    const auto* zone = context.zone;
    const auto language = context.language;
    reply.json = views::withdrawal_json(*status, zone, language);
    if (!*status) {
      reply.text = std::string(tr(language,
                                  "No dose logged yet, so there is no withdrawal timeline to "
                                  "show.\nLog your last dose with `mitra log 2.5g --at TIME`.")) +
                   "\n\n" + help_line(language);
      return reply;
    }
    const auto& s = **status;
    const auto& guide = core::phase_guide(s.phase, language);
    std::string& t = reply.text;
    t += fill(tr(language, "Last dose {ago} ago ({when})"),
              {{"ago", core::format_duration(s.since_last_dose, language)},
               {"when", core::format_date_time(s.last_dose_at, zone, language)}}) +
         "\n\n";
    t += fill(tr(language, "Now: {title} — {timing}"),
              {{"title", guide.title}, {"timing", guide.timing}}) +
         "\n";
    t += wrap(guide.what_happens + " " + source_keys(guide.sources), 2);
    t += std::string(tr(language, "What helps:")) + "\n";
    for (const auto& tip : guide.what_helps) t += wrap("• " + tip, 2);
    if (s.next_phase) {
      const auto& next = core::phase_guide(*s.next_phase, language);
      // A range in words, never a clock time: the timings are uncertain (issue 13, item 6).
      t += "\n" +
           fill(tr(language, "Next: {title}, {timing}."),
                {{"title", next.title}, {"timing", next.timing}}) +
           "\n";
    }
    if (s.likely_harder) {
      const auto& note = core::harder_course_note(language);
      t += "\n" + wrap(note.text + " " + source_keys(note.sources), 0);
    }
    if (s.occasional_use) {
      const auto& note = core::occasional_use_note(language);
      t += "\n" + wrap(note.text + " " + source_keys(note.sources), 0);
    }
    if (s.latest) {
      const auto& words = core::comparison_text(*s.latest, language);
      t += "\n" +
           fill(tr(language, "Latest SOWS {total}: {text}"),
                {{"total", std::to_string(s.sows.back().total)}, {"text", words.text}}) +
           " " + source_keys(words.sources) + "\n";
    }
    t += "\n" + std::string(tr(language, "Red flags:")) + "\n";
    for (const auto& f : core::withdrawal_red_flags(language)) {
      t += wrap("• " + f.text + " " + source_keys(f.sources), 2);
    }
    t += "\n" +
         std::string(tr(language, "These timings are rough ranges; the research is still thin.")) +
         "\n" + help_line(language);
    return reply;
  });
}

}  // namespace mitra::cli
