// `mitra history`: past check-ins and reflections, and how the latest compares.

#include <memory>

#include "app/history.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "views/instruments.hpp"

namespace mitra::cli {

void setup_history(CLI::App& command, Session& session) {
  struct Options {
    std::string instrument;
    int days = 90;
    int limit = 100;
  };
  auto options = std::make_shared<Options>();
  command.add_option("--instrument", options->instrument,
                     "Only one kind: sows, cows, dsm5, reflection or checkin");
  command.add_option("--days", options->days, "How far back, in days (default 90)")
      ->default_val(90);
  command.add_option("--limit", options->limit,
                     "At most this many of each kind, the newest (default 100)")
      ->default_val(100)
      ->check(CLI::Range(1, 1000));
  command.footer("\nExamples:\n  mitra history\n  mitra history --instrument sows --days 14\n" +
                 command.get_footer());
  on_run(command, session, [options](app::Context& context) -> Result<Reply> {
    auto history = app::assessment_history(context, options->instrument, options->days);
    if (!history) return tl::unexpected(history.error());
    Reply reply;
    reply.json = views::history_json(*history, options->days, options->limit, context.zone);
    std::string& t = reply.text;
    for (const auto& h : *history) {
      std::vector<std::vector<std::string>> rows;
      const std::size_t limit = static_cast<std::size_t>(options->limit);
      const std::size_t skip = h.entries.size() > limit ? h.entries.size() - limit : 0;
      for (std::size_t i = skip; i < h.entries.size(); ++i) {
        const auto& e = h.entries[i];
        rows.push_back(
            {date::format("%a %Y-%m-%d %H:%M", date::zoned_seconds{context.zone, e.taken_at}),
             std::to_string(e.total), e.band.empty() ? "—" : e.band});
      }
      t += h.instrument + "\n" + table({"When", "Total", "Band"}, rows);
      if (h.change) {
        t += "Since the one before: " +
             std::string(*h.change > 0   ? "up "
                         : *h.change < 0 ? "down "
                                         : "no change") +
             (*h.change == 0 ? "" : std::to_string(*h.change > 0 ? *h.change : -*h.change)) + "\n";
      }
      t += "\n";
    }
    if (history->empty()) {
      t += "No check-ins or reflections in that time. `mitra checkin` and `mitra reflect` "
           "start one.\n";
    }
    t += help_line();
    return reply;
  });
}

}  // namespace mitra::cli
