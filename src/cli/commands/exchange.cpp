// Export, import, backup and restore.

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "app/exchange.hpp"
#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "formats/sealed.hpp"
#include "store/restore.hpp"
#include "views/exchange.hpp"

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

constexpr const char* kPassphraseFdHelp =
    "Read the passphrase from this open file descriptor (e.g. --passphrase-fd 3 3<secret.txt) "
    "instead of asking on the terminal; never give it on the command line";

// The passphrase for a sealed file `text`, and the file opened with it.
Result<formats::Unsealed> unseal_with_passphrase(const std::string& text, int passphrase_fd) {
  auto passphrase = read_passphrase(passphrase_fd, false);
  if (!passphrase) return tl::unexpected(passphrase.error());
  return formats::unseal(text, *passphrase);
}

std::string plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

void setup_export(CLI::App& command, Session& session) {
  struct Options {
    std::string format = "json";
    std::string output;
    bool encrypt = false;
    int passphrase_fd = -1;
  };
  auto options = std::make_shared<Options>();
  command.add_option("--format", options->format,
                     "json (lossless, re-importable), csv, or fhir (a FHIR R4 Bundle for a "
                     "clinician's record system)")
      ->default_val("json");
  command.add_option("--output,-o", options->output, "Write to this file instead of the screen");
  command.add_flag("--encrypt", options->encrypt,
                   "Encrypt the file with a passphrase (asked twice; needs --output)");
  command.add_option("--passphrase-fd", options->passphrase_fd, kPassphraseFdHelp);
  command.footer(
      "\nExamples:\n  mitra export --format json -o journal.json\n  mitra export --format csv > "
      "journal.csv\n  mitra export --format fhir -o record.fhir.json\n" +
      command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      auto format = app::parse_export_format(options->format);
      if (!format) return tl::unexpected(format.error());
      if (options->encrypt && options->output.empty()) {
        return core::invalid("output", "--encrypt writes a file: give it with --output FILE");
      }
      if (options->encrypt && *format == app::ExportFormat::fhir) {
        return core::invalid("encrypt",
                             "--encrypt writes an export mitra can import again: json or csv, "
                             "not fhir");
      }
      if (!options->encrypt && options->passphrase_fd >= 0) {
        return core::invalid("passphrase-fd", "--passphrase-fd goes with --encrypt");
      }
      std::string passphrase;
      if (options->encrypt) {
        auto given = read_passphrase(options->passphrase_fd, true);
        if (!given) return tl::unexpected(given.error());
        passphrase = std::move(*given);
      }
      auto context = session.context();
      if (!context) return tl::unexpected(context.error());
      auto bytes = app::export_journal(**context, *format);
      if (!bytes) return tl::unexpected(bytes.error());
      Reply reply;
      if (options->output.empty()) {
        // The export itself is the output, with or without --json.
        reply.text = *bytes;
        if (*format != app::ExportFormat::csv) {
          reply.json = nlohmann::json::parse(*bytes);
        } else {
          reply.json = {{"format", "csv"}, {"content", *bytes}};
        }
        return reply;
      }
      if (options->encrypt) {
        const auto kind = *format == app::ExportFormat::json ? formats::SealedKind::json_export
                                                              : formats::SealedKind::csv_export;
        auto sealed = formats::seal(*bytes, passphrase, kind);
        if (!sealed) return tl::unexpected(sealed.error());
        *bytes = std::move(*sealed);
      }
      if (auto written = write_file_atomically(options->output, *bytes, "output", Existing::replace,
                                               options->encrypt ? 0600 : 0644);
          !written) {
        return tl::unexpected(written.error());
      }
      reply.json = {{"written", options->output}, {"bytes", bytes->size()},
                    {"encrypted", options->encrypt}};
      reply.text = "Wrote " + options->output + (options->encrypt ? ", encrypted" : "") + ".\n";
      return reply;
    };
  });
}

void setup_import(CLI::App& command, Session& session) {
  struct Options {
    std::string file;
    std::string format;
    std::string on_conflict = "fail";
    int passphrase_fd = -1;
  };
  auto options = std::make_shared<Options>();
  command.add_option("file", options->file, "A mitra JSON or CSV export (encrypted or not), or - for stdin")
      ->required();
  command.add_option("--passphrase-fd", options->passphrase_fd, kPassphraseFdHelp);
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
      if (formats::looks_sealed(*text)) {
        if (options->file == "-" && options->passphrase_fd < 0) {
          return core::invalid("passphrase-fd", "an encrypted export on stdin needs its passphrase "
                                                "on another descriptor: --passphrase-fd 3");
        }
        auto opened = unseal_with_passphrase(*text, options->passphrase_fd);
        if (!opened) return tl::unexpected(opened.error());
        if (opened->kind == formats::SealedKind::backup) {
          return core::invalid("file", "this is an encrypted backup, not an export; bring it back "
                                       "with `mitra restore " + options->file + "`");
        }
        *text = std::move(opened->content);
      } else if (options->passphrase_fd >= 0) {
        return core::invalid("passphrase-fd", "the file is not encrypted; leave out --passphrase-fd");
      }
      auto context = session.context();
      if (!context) return tl::unexpected(context.error());
      auto summary = app::import_journal(**context, *text, options->format, options->on_conflict);
      if (!summary) return tl::unexpected(summary.error());
      Reply reply;
      reply.json = views::import_json(*summary);
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
  struct Options {
    std::string path;
    bool encrypt = false;
    int passphrase_fd = -1;
  };
  auto options = std::make_shared<Options>();
  command.add_option("path", options->path, "The new file to write")->required();
  command.add_flag("--encrypt", options->encrypt,
                   "Encrypt the copy with a passphrase (asked twice); `mitra restore` opens it");
  command.add_option("--passphrase-fd", options->passphrase_fd, kPassphraseFdHelp);
  command.footer(
      "\nExamples:\n  mitra backup ~/mitra-2026-01-09.db\n"
      "  mitra backup --encrypt ~/mitra-2026-01-09.mitra-backup\n"
      "An encrypted backup needs its passphrase to be restored: nobody can recover it without.\n" +
      command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      if (!options->encrypt && options->passphrase_fd >= 0) {
        return core::invalid("passphrase-fd", "--passphrase-fd goes with --encrypt");
      }
      if (options->path.empty()) return core::invalid("path", "give the file to write the backup to");
      std::error_code ec;
      if (std::filesystem::exists(options->path, ec)) {
        return core::invalid("path", "the backup file \"" + options->path +
                                         "\" already exists; choose a new file name");
      }
      std::string passphrase;
      if (options->encrypt) {
        auto given = read_passphrase(options->passphrase_fd, true);
        if (!given) return tl::unexpected(given.error());
        if (given->size() < formats::kMinPassphraseLength) {
          return core::invalid("passphrase", "the passphrase must have at least " +
                                                 std::to_string(formats::kMinPassphraseLength) +
                                                 " characters");
        }
        passphrase = std::move(*given);
      }
      auto engine = session.engine();
      if (!engine) return tl::unexpected(engine.error());
      Reply reply;
      if (!options->encrypt) {
        if (auto done = app::backup(**engine, options->path); !done) {
          return tl::unexpected(done.error());
        }
        reply.json = {{"backup", options->path}, {"encrypted", false}};
        reply.text = "Backed up to " + options->path + ". Open it with `mitra --db " +
                     options->path + " status`.\n";
        return reply;
      }
      // The plain copy lives only as long as it takes to encrypt it, readable by this user only.
      const std::string plain = options->path + ".plain-" + std::to_string(::getpid());
      const auto old_mask = ::umask(077);
      auto copied = app::backup(**engine, plain);
      ::umask(old_mask);
      if (!copied) return tl::unexpected(copied.error());
      auto bytes = read_input(plain, std::size_t{4} << 30);
      std::filesystem::remove(plain, ec);
      if (!bytes) return tl::unexpected(bytes.error());
      auto sealed = formats::seal(*bytes, passphrase, formats::SealedKind::backup);
      if (!sealed) return tl::unexpected(sealed.error());
      if (auto written =
              write_file_atomically(options->path, *sealed, "path", Existing::refuse, 0600);
          !written) {
        return tl::unexpected(written.error());
      }
      reply.json = {{"backup", options->path}, {"encrypted", true}};
      reply.text = "Backed up to " + options->path +
                   ", encrypted. Bring it back with `mitra restore " + options->path + "`.\n";
      return reply;
    };
  });
}

void setup_restore(CLI::App& command, Session& session) {
  struct Options {
    std::string file;
    bool replace = false;
    bool yes = false;
    int passphrase_fd = -1;
  };
  auto options = std::make_shared<Options>();
  command.add_option("file", options->file, "A file made by `mitra backup` (encrypted or not)")
      ->required();
  command.add_flag("--replace", options->replace,
                   "Replace a journal that already holds records (asks to confirm)");
  command.add_flag("--yes", options->yes, "With --replace: do not ask (for scripts)");
  command.add_option("--passphrase-fd", options->passphrase_fd, kPassphraseFdHelp);
  command.footer(
      "\nExamples:\n  mitra --db ~/new.db restore ~/mitra-2026-01-09.mitra-backup\n"
      "  mitra restore --replace ~/mitra-2026-01-09.mitra-backup\n"
      "The whole file is checked before the journal is touched; a wrong passphrase or a changed "
      "byte changes nothing.\n" +
      command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      if (options->yes && !options->replace) {
        return core::invalid("yes", "--yes goes with --replace");
      }
      auto text = read_input(options->file, std::size_t{4} << 30);
      if (!text) return tl::unexpected(text.error());
      if (formats::looks_sealed(*text)) {
        auto opened = unseal_with_passphrase(*text, options->passphrase_fd);
        if (!opened) return tl::unexpected(opened.error());
        if (opened->kind != formats::SealedKind::backup) {
          return core::invalid("file", "this is an encrypted export, not a backup; bring it in "
                                       "with `mitra import " + options->file + "`");
        }
        *text = std::move(opened->content);
      } else if (options->passphrase_fd >= 0) {
        return core::invalid("passphrase-fd", "the file is not encrypted; leave out --passphrase-fd");
      }
      if (options->replace && !options->yes) {
        if (!session.stdin_is_terminal) {
          return core::invalid("yes", "replacing a journal needs a confirmation: run it in a "
                                      "terminal, or add --yes");
        }
        std::cerr << "Replace every record in " << session.database()
                  << " with the backup? Type yes: " << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != "yes") return core::invalid("replace", "not confirmed; nothing was changed");
      }
      // The decrypted copy, readable by this user only, beside the journal, removed after.
      std::error_code ec;
      const auto folder = std::filesystem::path(session.database()).parent_path();
      if (!folder.empty()) std::filesystem::create_directories(folder, ec);
      const std::string copy = (folder.empty() ? std::string(".") : folder.string()) +
                               "/.mitra-restore-" + std::to_string(::getpid()) + ".db";
      if (auto written = write_file_atomically(copy, *text, "file", Existing::refuse, 0600);
          !written) {
        return tl::unexpected(written.error());
      }
      auto restored = store::restore_sqlite(session.database(), copy, options->replace);
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::filesystem::remove(copy + suffix, ec);
      }
      if (!restored) return tl::unexpected(restored.error());
      Reply reply;
      reply.json = {{"restored", options->file},
                    {"records", restored->records_restored},
                    {"replaced_records", restored->records_before}};
      reply.text = "Restored " + plural(restored->records_restored, "record", "records") +
                   " from " + options->file +
                   (restored->records_before > 0
                        ? " (the journal's " + std::to_string(restored->records_before) +
                              " were replaced)"
                        : std::string()) +
                   ".\n";
      return reply;
    };
  });
}

}  // namespace mitra::cli
