// `mitra report`: the clinician report of one's own journal, a printable HTML page (on the
// screen, or in a file with --output); with --json, the report's document.

#include "app/report.hpp"
#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "cli/render.hpp"
#include "core/sharing.hpp"
#include "core/translate.hpp"
#include "formats/report_html.hpp"
#include "views/report.hpp"

namespace mitra::cli {

void setup_report(CLI::App& command, Session& session) {
  auto output = std::make_shared<std::string>();
  command.add_option("--output,-o", *output,
                     core::noop_tr("Write the page to this file (open it in a browser to print "
                                   "it)"));
  const auto language = session.globals.language;
  command.footer("\n" +
                 std::string(core::tr(language,
                                      "The last four weeks for a clinician: pattern and trend, "
                                      "check-ins, self-reflections (self-report), the plan "
                                      "against what was logged, safety advisories with their "
                                      "sources, and crisis lines.")) +
                 "\n" +
                 examples(language, {"mitra report --output report.html", "mitra --json report"}) +
                 command.get_footer());
  on_run(command, session, [output](app::Context& context) -> Result<Reply> {
    auto report = app::report(context, core::all_scopes());
    if (!report) return tl::unexpected(report.error());
    Reply reply;
    reply.json = views::report_json(context, *report);
    const std::string html = formats::report_html(reply.json);
    if (output->empty()) {
      reply.text = html;
      return reply;
    }
    if (auto written = write_file_atomically(*output, html, "output", Existing::replace, 0644,
                                             context.language);
        !written) {
      return tl::unexpected(written.error());
    }
    reply.text =
        core::fill(core::tr(context.language, "Wrote {file}: open it in a browser and print it."),
                   {{"file", *output}}) +
        "\n";
    return reply;
  });
}

}  // namespace mitra::cli
