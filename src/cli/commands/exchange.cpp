// Export, import and backup.

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "app/exchange.hpp"
#include "cli/commands.hpp"

namespace mitra::cli {

namespace {

// The largest file `mitra import` reads.
constexpr std::size_t kMaxImportBytes = std::size_t{256} << 20;

// Reads a whole file, or stdin for "-"; refuses more than `max_bytes`, reading at most one
// byte more (so /dev/zero or an endless pipe cannot fill the memory), and names a directory.
// A regular file larger than `max_bytes` is refused before it is read.
Result<std::string> read_input(const std::string& path, std::size_t max_bytes) {
  const auto too_large = [max_bytes] {
    return core::invalid("file", "the file is larger than " + std::to_string(max_bytes >> 20) +
                                     " MB; split it into smaller files");
  };
  const auto unreadable = [&path](int error) {
    return core::invalid("file", "cannot read the file \"" + path + "\": " + std::strerror(error));
  };
  std::FILE* file = stdin;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, &std::fclose);
  std::size_t expected = 0;  // A regular file's size, to read it in one piece.
  if (path != "-") {
    owned.reset(std::fopen(path.c_str(), "rb"));
    if (!owned) return unreadable(errno);
    file = owned.get();
    struct stat info {};
    if (::fstat(::fileno(file), &info) == 0) {
      if (S_ISDIR(info.st_mode)) {
        return core::invalid("file", "\"" + path +
                                         "\" is a directory; give the export file to import, "
                                         "e.g. mitra import journal.json");
      }
      if (S_ISREG(info.st_mode)) {
        if (static_cast<std::uint64_t>(info.st_size) > max_bytes) return too_large();
        expected = static_cast<std::size_t>(info.st_size);
      }
    }
  }
  // Pieces of at most 1 MB, joined once at the end: no copies while reading, and never more
  // than `max_bytes` + 1 bytes held.
  constexpr std::size_t kPiece = std::size_t{1} << 20;
  std::vector<std::string> pieces;
  std::size_t total = 0;
  for (;;) {
    std::string piece(std::min(std::max(kPiece, expected + 1), max_bytes + 1 - total), '\0');
    const std::size_t got = std::fread(piece.data(), 1, piece.size(), file);
    piece.resize(got);
    total += got;
    if (got > 0) pieces.push_back(std::move(piece));
    if (total > max_bytes) return too_large();
    if (got == 0 || std::feof(file) || std::ferror(file)) break;
    expected = 0;
  }
  if (std::ferror(file)) return unreadable(errno);
  if (pieces.size() == 1) return std::move(pieces.front());
  std::string text;
  text.reserve(total);
  for (auto& piece : pieces) {
    text += piece;
    std::string().swap(piece);
  }
  return text;
}

std::string conflict_lines(const std::vector<app::ImportConflict>& conflicts, bool replaced) {
  constexpr std::size_t kShown = 20;
  std::string out;
  for (std::size_t i = 0; i < conflicts.size() && i < kShown; ++i) {
    const auto& c = conflicts[i];
    std::string fields;
    for (const auto& f : c.fields) fields += (fields.empty() ? "" : ", ") + f;
    out +=
        "  " + c.origin + " (" + c.id + "): " + fields + (replaced ? " replaced" : " kept") + "\n";
  }
  if (conflicts.size() > kShown) {
    out += "  and " + std::to_string(conflicts.size() - kShown) + " more (--json lists all)\n";
  }
  return out;
}

std::string plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
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
    std::string on_conflict = "fail";
  };
  auto options = std::make_shared<Options>();
  command.add_option("file", options->file, "A mitra JSON or CSV export, or - for stdin")
      ->required();
  command.add_option("--format", options->format, "json or csv (default: detect)");
  command
      .add_option("--on-conflict", options->on_conflict,
                  "A record whose id is in the journal with other content: fail (import "
                  "nothing), skip (keep the journal's) or replace (take the file's)")
      ->default_val("fail");
  command.footer(
      "\nExamples:\n  mitra import journal.json\n  mitra import journal.csv\n"
      "  mitra import --on-conflict replace edited.json\n"
      "Nothing is imported unless every record is valid; records already in the journal "
      "unchanged are left as they are. `mitra undo` reverts an import.\n" +
      command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      if (auto policy = app::parse_on_conflict(options->on_conflict); !policy) {
        return tl::unexpected(policy.error());
      }
      auto text = read_input(options->file, kMaxImportBytes);
      if (!text) return tl::unexpected(text.error());
      auto context = session.context();
      if (!context) return tl::unexpected(context.error());
      auto summary = app::import_journal(**context, *text, options->format, options->on_conflict);
      if (!summary) return tl::unexpected(summary.error());
      Reply reply;
      reply.json = app::to_json(*summary);
      const auto& s = *summary;
      reply.text = "Imported " + plural(s.imported, "record", "records") + "; " +
                   std::to_string(s.already_present) + " already present";
      if (s.replaced > 0)
        reply.text += "; " + plural(s.replaced, "conflict", "conflicts") + " replaced";
      if (s.skipped > 0) {
        reply.text +=
            "; " + plural(s.skipped, "conflict", "conflicts") + " skipped (the journal's kept)";
      }
      reply.text += ".\n" + conflict_lines(s.conflicts, s.replaced > 0);
      reply.text += s.undoable > 0 ? "`mitra undo` reverts the import.\n"
                                   : "Nothing in the journal changed, so this import is not a "
                                     "step for `mitra undo` (it would revert the change before "
                                     "it).\n";
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
