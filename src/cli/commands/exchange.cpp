// Export, import and backup.

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "app/exchange.hpp"
#include "cli/commands.hpp"

namespace mitra::cli {

namespace {

// Reads a whole file, or stdin for "-"; refuses more than `max_bytes`.
Result<std::string> read_input(const std::string& path, std::size_t max_bytes) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::invalid("file", "cannot read the file \"" + path + "\"");
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (text.size() > max_bytes) {
    return core::invalid("file", "the file is larger than " + std::to_string(max_bytes >> 20) +
                                     " MB; split it into smaller files");
  }
  return text;
}

}  // namespace

void setup_export(CLI::App& command, Session& session) {
  struct Options {
    std::string format = "json";
    std::string output;
  };
  auto options = std::make_shared<Options>();
  command.add_option("--format", options->format, "json (lossless, re-importable) or csv")
      ->default_val("json");
  command.add_option("--output,-o", options->output, "Write to this file instead of the screen");
  command.footer(
      "\nExamples:\n  mitra export --format json -o journal.json\n  mitra export --format csv > "
      "journal.csv\n" +
      command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      auto format = app::parse_export_format(options->format);
      if (!format) return tl::unexpected(format.error());
      auto context = session.context();
      if (!context) return tl::unexpected(context.error());
      auto bytes = app::export_journal(**context, *format);
      if (!bytes) return tl::unexpected(bytes.error());
      Reply reply;
      if (options->output.empty()) {
        // The export itself is the output, with or without --json.
        reply.text = *bytes;
        if (*format == app::ExportFormat::json) {
          reply.json = nlohmann::json::parse(*bytes);
        } else {
          reply.json = {{"format", "csv"}, {"content", *bytes}};
        }
        return reply;
      }
      const std::string temp = options->output + ".tmp";
      {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << *bytes;
        out.flush();
        if (!out) return core::invalid("output", "cannot write \"" + options->output + "\"");
      }
      if (std::rename(temp.c_str(), options->output.c_str()) != 0) {
        std::remove(temp.c_str());
        return core::invalid("output", "cannot write \"" + options->output + "\"");
      }
      reply.json = {{"written", options->output}, {"bytes", bytes->size()}};
      reply.text = "Wrote " + options->output + ".\n";
      return reply;
    };
  });
}

void setup_import(CLI::App& command, Session& session) {
  struct Options {
    std::string file;
    std::string format;
  };
  auto options = std::make_shared<Options>();
  command.add_option("file", options->file, "A mitra JSON or CSV export, or - for stdin")
      ->required();
  command.add_option("--format", options->format, "json or csv (default: detect)");
  command.footer(
      "\nExamples:\n  mitra import journal.json\n  mitra import journal.csv\n"
      "Nothing is imported unless every record is valid; records already in the journal "
      "are skipped.\n" +
      command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      auto text = read_input(options->file, 256u << 20);
      if (!text) return tl::unexpected(text.error());
      auto context = session.context();
      if (!context) return tl::unexpected(context.error());
      auto summary = app::import_journal(**context, *text, options->format);
      if (!summary) return tl::unexpected(summary.error());
      Reply reply;
      reply.json = {{"imported", summary->imported}, {"skipped", summary->skipped}};
      reply.text = "Imported " + std::to_string(summary->imported) + " records; skipped " +
                   std::to_string(summary->skipped) +
                   " already in the journal. `mitra undo` reverts the import.\n";
      return reply;
    };
  });
}

void setup_backup(CLI::App& command, Session& session) {
  auto path = std::make_shared<std::string>();
  command.add_option("path", *path, "The new file to write")->required();
  command.footer("\nExample:\n  mitra backup ~/mitra-2026-01-09.db\n" + command.get_footer());
  on_run(command, session, [path](app::Context& context) -> Result<Reply> {
    if (auto done = app::backup(context, *path); !done) return tl::unexpected(done.error());
    Reply reply;
    reply.json = {{"backup", *path}};
    reply.text = "Backed up to " + *path + ". Open it with `mitra --db " + *path + " status`.\n";
    return reply;
  });
}

}  // namespace mitra::cli
