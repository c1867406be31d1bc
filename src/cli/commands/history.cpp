// `mitra history`: past check-ins and reflections, and how the latest compares.

#include <memory>

#include "app/history.hpp"
#include "cli/code_words.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/translate.hpp"
#include "views/instruments.hpp"

namespace mitra::cli {

using core::fill;
using core::tr;

void setup_history(CLI::App& command, Session& session) {
  struct Options {
    std::string instrument;
    int days = 90;
    int limit = 100;
  };
  auto options = std::make_shared<Options>();
  command.add_option("--instrument", options->instrument,
                     core::noop_tr("Only one kind: sows, cows, dsm5, reflection or checkin"));
  command.add_option("--days", options->days, core::noop_tr("How far back, in days (default 90)"))
      ->default_val(90);
  command
      .add_option("--limit", options->limit,
                  core::noop_tr("At most this many of each kind, the newest (default 100)"))
      ->default_val(100)
      ->check(CLI::Range(1, 1000));
  command.footer(examples(session.globals.language,
                          {"mitra history", "mitra history --instrument sows --days 14"}) +
                 command.get_footer());
  on_run(command, session, [options](app::Context& context) -> Result<Reply> {
    auto history = app::assessment_history(context, options->instrument, options->days);
    if (!history) return tl::unexpected(history.error());
    Reply reply;
    reply.json = views::history_json(*history, options->days, options->limit, context.zone);
    std::string& t = reply.text;
    const auto language = context.language;
    for (const auto& h : *history) {
      std::vector<std::vector<std::string>> rows;
      const std::size_t limit = static_cast<std::size_t>(options->limit);
      const std::size_t skip = h.entries.size() > limit ? h.entries.size() - limit : 0;
      for (std::size_t i = skip; i < h.entries.size(); ++i) {
        const auto& e = h.entries[i];
        rows.push_back({row_time(e.taken_at, context.zone, language), std::to_string(e.total),
                        e.band.empty() ? "—" : band_words(e.band, language)});
      }
      t += h.instrument + "\n" +
           table({std::string(tr(language, "When")), std::string(tr(language, "Total")),
                  std::string(tr(language, "Band"))},
                 rows);
      if (h.change) {
        const std::string by = std::to_string(*h.change > 0 ? *h.change : -*h.change);
        t += *h.change > 0   ? fill(tr(language, "Since the one before: up {by}"), {{"by", by}})
             : *h.change < 0 ? fill(tr(language, "Since the one before: down {by}"), {{"by", by}})
                             : std::string(tr(language, "Since the one before: no change"));
        t += "\n";
      }
      t += "\n";
    }
    if (history->empty()) {
      t += std::string(tr(language,
                          "No check-ins or reflections in that time. `mitra checkin` and "
                          "`mitra reflect` start one.")) +
           "\n";
    }
    t += help_line(language);
    return reply;
  });
}

}  // namespace mitra::cli
