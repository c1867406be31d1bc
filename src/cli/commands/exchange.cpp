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
#include "cli/render.hpp"
#include "core/system_reason.hpp"
#include "core/translate.hpp"
#include "formats/sealed.hpp"
#include "store/restore.hpp"
#include "views/exchange.hpp"

namespace mitra::cli {

namespace {

using core::fill;
using core::noop_tr;
using core::tr;
using core::trn;

// The largest file `mitra import` reads.
constexpr std::size_t kMaxImportBytes = std::size_t{256} << 20;

// Reads a whole file, or stdin for "-"; refuses more than `max_bytes`, reading at most one
// byte more (so /dev/zero or an endless pipe cannot fill the memory), and names a directory.
// A regular file larger than `max_bytes` is refused before it is read.
// Its messages are in `language`.
Result<std::string> read_input(const std::string& path, std::size_t max_bytes,
                               core::Language language) {
  const auto too_large = [max_bytes, language] {
    return core::invalid("file", fill(tr(language,
                                         "the file is larger than {size} MB; split it into "
                                         "smaller files"),
                                      {{"size", std::to_string(max_bytes >> 20)}}));
  };
  const auto unreadable = [&path, language](int error) {
    return core::invalid(
        "file", fill(tr(language, "cannot read the file \"{file}\": {reason}"),
                     {{"file", path},
                      {"reason", core::fill_sentence(core::system_reason(error), language)}}));
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
        return core::invalid("file", fill(tr(language,
                                             "\"{file}\" is a directory; give the export file to "
                                             "import, e.g. mitra import journal.json"),
                                          {{"file", path}}));
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

// What an import wrote anew, kind by kind: "10 doses, 2 products and 3 settings", or
// "nothing". One total would count a setting as a journal record.
std::string imported_words(const store::ImportCounts& kinds, core::Language language) {
  std::vector<std::string> parts;
  const auto add = [&](int n, std::string_view words) {
    if (n > 0) parts.push_back(fill(words, {{"count", std::to_string(n)}}));
  };
  const auto n = [](int count) { return static_cast<unsigned long>(count); };
  add(kinds.doses, trn(language, "{count} dose", "{count} doses", n(kinds.doses)));
  add(kinds.substance_uses, trn(language, "{count} use of another substance",
                                "{count} uses of other substances", n(kinds.substance_uses)));
  add(kinds.assessments, trn(language, "{count} check-in or reflection",
                             "{count} check-ins and reflections", n(kinds.assessments)));
  add(kinds.plan_versions,
      trn(language, "{count} plan version", "{count} plan versions", n(kinds.plan_versions)));
  add(kinds.products, trn(language, "{count} product", "{count} products", n(kinds.products)));
  add(kinds.settings, trn(language, "{count} setting", "{count} settings", n(kinds.settings)));
  // TRANSLATORS: what an import wrote when it wrote nothing new: "Imported nothing; …".
  if (parts.empty()) return std::string(tr(language, "nothing"));
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? std::string(tr(language, " and ")) : ", ";
    out += parts[i];
  }
  return out;
}

std::string conflict_lines(const std::vector<app::ImportConflict>& conflicts, bool replaced,
                           core::Language language) {
  constexpr std::size_t kShown = 20;
  std::string out;
  for (std::size_t i = 0; i < conflicts.size() && i < kShown; ++i) {
    const auto& c = conflicts[i];
    std::string fields;
    for (const auto& f : c.fields) fields += (fields.empty() ? "" : ", ") + f;
    // TRANSLATORS: {origin} is the file's line or record, {fields} the field names (as in JSON).
    out += "  " +
           fill(replaced ? tr(language, "{origin} ({id}): {fields} replaced")
                         : tr(language, "{origin} ({id}): {fields} kept"),
                {{"origin", c.origin}, {"id", c.id}, {"fields", fields}}) +
           "\n";
  }
  if (conflicts.size() > kShown) {
    out += "  " +
           fill(tr(language, "and {count} more (--json lists all)"),
                {{"count", std::to_string(conflicts.size() - kShown)}}) +
           "\n";
  }
  return out;
}

constexpr const char* kPassphraseFdHelp = noop_tr(
    "Read the passphrase from this open file descriptor (e.g. --passphrase-fd 3 3<secret.txt) "
    "instead of asking on the terminal; never give it on the command line");

// The passphrase for a sealed file `text`, and the file opened with it.
Result<formats::Unsealed> unseal_with_passphrase(const std::string& text, int passphrase_fd,
                                                 core::Language language) {
  auto passphrase = read_passphrase(passphrase_fd, false, language);
  if (!passphrase) return tl::unexpected(passphrase.error());
  return formats::unseal(text, *passphrase);
}

// "--passphrase-fd goes with --encrypt" (and --yes with --replace), in `language`.
core::Error goes_with(std::string_view field, std::string_view option, std::string_view other,
                      core::Language language) {
  return core::Error{
      core::ErrorKind::invalid_input,
      fill(tr(language, "{option} goes with {other}"), {{"option", option}, {"other", other}}),
      std::string(field)};
}

core::Error not_encrypted(core::Language language) {
  return core::Error{
      core::ErrorKind::invalid_input,
      std::string(tr(language, "the file is not encrypted; leave out --passphrase-fd")),
      "passphrase-fd"};
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
  command
      .add_option("--format", options->format,
                  noop_tr("json (lossless, re-importable), csv, or fhir (a FHIR R4 Bundle for a "
                          "clinician's record system)"))
      ->default_val("json");
  command.add_option("--output,-o", options->output,
                     noop_tr("Write to this file instead of the screen"));
  command.add_flag("--encrypt", options->encrypt,
                   noop_tr("Encrypt the file with a passphrase (asked twice; needs --output)"));
  command.add_option("--passphrase-fd", options->passphrase_fd, kPassphraseFdHelp);
  command.footer(
      examples(session.globals.language, {"mitra export --format json -o journal.json",
                                          "mitra export --format csv > journal.csv",
                                          "mitra export --format fhir -o record.fhir.json"}) +
      command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      const auto language = session.globals.language;
      auto format = app::parse_export_format(options->format);
      if (!format) return tl::unexpected(format.error());
      if (options->encrypt && options->output.empty()) {
        return core::invalid(
            "output",
            std::string(tr(language, "--encrypt writes a file: give it with --output FILE")));
      }
      if (options->encrypt && *format == app::ExportFormat::fhir) {
        return core::invalid("encrypt",
                             std::string(tr(language,
                                            "--encrypt writes an export mitra can import again: "
                                            "json or csv, not fhir")));
      }
      if (!options->encrypt && options->passphrase_fd >= 0) {
        return tl::unexpected(goes_with("passphrase-fd", "--passphrase-fd", "--encrypt", language));
      }
      std::string passphrase;
      if (options->encrypt) {
        auto given = read_passphrase(options->passphrase_fd, true, language);
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
                                               options->encrypt ? 0600 : 0644, language);
          !written) {
        return tl::unexpected(written.error());
      }
      reply.json = {
          {"written", options->output}, {"bytes", bytes->size()}, {"encrypted", options->encrypt}};
      reply.text = fill(options->encrypt ? tr(language, "Wrote {file}, encrypted.")
                                         : tr(language, "Wrote {file}."),
                        {{"file", options->output}}) +
                   "\n";
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
  command
      .add_option("file", options->file,
                  noop_tr("A mitra JSON or CSV export (encrypted or not), or - for stdin"))
      ->required();
  command.add_option("--passphrase-fd", options->passphrase_fd, kPassphraseFdHelp);
  command.add_option("--format", options->format, noop_tr("json or csv (default: detect)"));
  command
      .add_option("--on-conflict", options->on_conflict,
                  noop_tr("A record whose id is in the journal with other content: fail (import "
                          "nothing), skip (keep the journal's) or replace (take the file's)"))
      ->default_val("fail");
  const auto help_language = session.globals.language;
  command.footer(examples(help_language, {"mitra import journal.json", "mitra import journal.csv",
                                          "mitra import --on-conflict replace edited.json"}) +
                 std::string(tr(help_language,
                                "Nothing is imported unless every record is valid; records "
                                "already in the journal unchanged are left as they are. `mitra "
                                "undo` reverts an import.")) +
                 "\n" + command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      const auto language = session.globals.language;
      if (auto policy = app::parse_on_conflict(options->on_conflict); !policy) {
        return tl::unexpected(policy.error());
      }
      auto text = read_input(options->file, kMaxImportBytes, language);
      if (!text) return tl::unexpected(text.error());
      if (formats::looks_sealed(*text)) {
        if (options->file == "-" && options->passphrase_fd < 0) {
          return core::invalid("passphrase-fd",
                               std::string(tr(language,
                                              "an encrypted export on stdin needs its passphrase "
                                              "on another descriptor: --passphrase-fd 3")));
        }
        auto opened = unseal_with_passphrase(*text, options->passphrase_fd, language);
        if (!opened) return tl::unexpected(opened.error());
        if (opened->kind == formats::SealedKind::backup) {
          return core::invalid("file", fill(tr(language,
                                               "this is an encrypted backup, not an export; bring "
                                               "it back with `mitra restore {file}`"),
                                            {{"file", options->file}}));
        }
        *text = std::move(opened->content);
      } else if (options->passphrase_fd >= 0) {
        return tl::unexpected(not_encrypted(language));
      }
      auto context = session.context();
      if (!context) return tl::unexpected(context.error());
      auto summary = app::import_journal(**context, *text, options->format, options->on_conflict);
      if (!summary) return tl::unexpected(summary.error());
      Reply reply;
      reply.json = views::import_json(*summary);
      const auto& s = *summary;
      const auto count = [](int n) {
        return std::pair<std::string_view, std::string>{"count", std::to_string(n)};
      };
      // TRANSLATORS: {what} is "10 doses, 2 products and 3 settings", or "nothing".
      reply.text = fill(tr(language, "Imported {what}"),
                        {{"what", imported_words(s.imported_by_kind, language)}}) +
                   "; " + fill(tr(language, "{count} already present"), {count(s.already_present)});
      if (s.replaced > 0) {
        reply.text +=
            "; " + fill(trn(language, "{count} conflict replaced", "{count} conflicts replaced",
                            static_cast<unsigned long>(s.replaced)),
                        {count(s.replaced)});
      }
      if (s.skipped > 0) {
        reply.text += "; " + fill(trn(language, "{count} conflict skipped (the journal's kept)",
                                      "{count} conflicts skipped (the journal's kept)",
                                      static_cast<unsigned long>(s.skipped)),
                                  {count(s.skipped)});
      }
      reply.text += ".\n" + conflict_lines(s.conflicts, s.replaced > 0, language);
      reply.text +=
          std::string(s.undoable > 0
                          ? tr(language, "`mitra undo` reverts the import.")
                          : tr(language,
                               "Nothing in the journal changed, so this import is not a step "
                               "for `mitra undo` (it would revert the change before it).")) +
          "\n";
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
  command.add_option("path", options->path, noop_tr("The new file to write"))->required();
  command.add_flag(
      "--encrypt", options->encrypt,
      noop_tr("Encrypt the copy with a passphrase (asked twice); `mitra restore` opens it"));
  command.add_option("--passphrase-fd", options->passphrase_fd, kPassphraseFdHelp);
  const auto help_language = session.globals.language;
  command.footer(
      examples(help_language, {"mitra backup ~/mitra-2026-01-09.db",
                               "mitra backup --encrypt ~/mitra-2026-01-09.mitra-backup"}) +
      std::string(tr(help_language,
                     "An encrypted backup needs its passphrase to be restored: nobody "
                     "can recover it without.")) +
      "\n" + command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      const auto language = session.globals.language;
      if (!options->encrypt && options->passphrase_fd >= 0) {
        return tl::unexpected(goes_with("passphrase-fd", "--passphrase-fd", "--encrypt", language));
      }
      if (options->path.empty()) {
        return core::invalid("path",
                             std::string(tr(language, "give the file to write the backup to")));
      }
      std::error_code ec;
      if (std::filesystem::exists(options->path, ec)) {
        return core::invalid("path", fill(tr(language,
                                             "the backup file \"{file}\" already exists; choose "
                                             "a new file name"),
                                          {{"file", options->path}}));
      }
      std::string passphrase;
      if (options->encrypt) {
        auto given = read_passphrase(options->passphrase_fd, true, language);
        if (!given) return tl::unexpected(given.error());
        if (given->size() < formats::kMinPassphraseLength) {
          return core::invalid(
              "passphrase",
              fill(tr(language, "the passphrase must have at least {count} characters"),
                   {{"count", std::to_string(formats::kMinPassphraseLength)}}));
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
        reply.text =
            fill(tr(language, "Backed up to {file}. Open it with `mitra --db {file} status`."),
                 {{"file", options->path}}) +
            "\n";
        return reply;
      }
      // The plain copy lives only as long as it takes to encrypt it, readable by this user only.
      const std::string plain = options->path + ".plain-" + std::to_string(::getpid());
      const auto old_mask = ::umask(077);
      auto copied = app::backup(**engine, plain);
      ::umask(old_mask);
      if (!copied) return tl::unexpected(copied.error());
      auto bytes = read_input(plain, std::size_t{4} << 30, language);
      std::filesystem::remove(plain, ec);
      if (!bytes) return tl::unexpected(bytes.error());
      auto sealed = formats::seal(*bytes, passphrase, formats::SealedKind::backup);
      if (!sealed) return tl::unexpected(sealed.error());
      if (auto written = write_file_atomically(options->path, *sealed, "path", Existing::refuse,
                                               0600, language);
          !written) {
        return tl::unexpected(written.error());
      }
      reply.json = {{"backup", options->path}, {"encrypted", true}};
      reply.text = fill(tr(language,
                           "Backed up to {file}, encrypted. Bring it back with `mitra restore "
                           "{file}`."),
                        {{"file", options->path}}) +
                   "\n";
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
  command
      .add_option("file", options->file,
                  noop_tr("A file made by `mitra backup` (encrypted or not)"))
      ->required();
  command.add_flag("--replace", options->replace,
                   noop_tr("Replace a journal that already holds records (asks to confirm)"));
  command.add_flag("--yes", options->yes, noop_tr("With --replace: do not ask (for scripts)"));
  command.add_option("--passphrase-fd", options->passphrase_fd, kPassphraseFdHelp);
  const auto help_language = session.globals.language;
  command.footer(
      examples(help_language, {"mitra --db ~/new.db restore ~/mitra-2026-01-09.mitra-backup",
                               "mitra restore --replace ~/mitra-2026-01-09.mitra-backup"}) +
      std::string(tr(help_language,
                     "The whole file is checked before the journal is touched; a wrong "
                     "passphrase or a changed byte changes nothing.")) +
      "\n" + command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      const auto language = session.globals.language;
      if (options->yes && !options->replace) {
        return tl::unexpected(goes_with("yes", "--yes", "--replace", language));
      }
      auto text = read_input(options->file, std::size_t{4} << 30, language);
      if (!text) return tl::unexpected(text.error());
      if (formats::looks_sealed(*text)) {
        auto opened = unseal_with_passphrase(*text, options->passphrase_fd, language);
        if (!opened) return tl::unexpected(opened.error());
        if (opened->kind != formats::SealedKind::backup) {
          return core::invalid("file", fill(tr(language,
                                               "this is an encrypted export, not a backup; bring "
                                               "it in with `mitra import {file}`"),
                                            {{"file", options->file}}));
        }
        *text = std::move(opened->content);
      } else if (options->passphrase_fd >= 0) {
        return tl::unexpected(not_encrypted(language));
      }
      if (options->replace && !options->yes) {
        if (!session.stdin_is_terminal) {
          return core::invalid("yes", std::string(tr(language,
                                                     "replacing a journal needs a confirmation: "
                                                     "run it in a terminal, or add --yes")));
        }
        // TRANSLATORS: the word to type ("yes") is the next message; keep them in step.
        const std::string yes(tr(language, "yes"));
        std::cerr << fill(tr(language,
                             "Replace every record in {database} with the backup? Type {yes}: "),
                          {{"database", session.database()}, {"yes", yes}})
                  << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != yes && answer != "yes") {
          return core::invalid("replace",
                               std::string(tr(language, "not confirmed; nothing was changed")));
        }
      }
      // The decrypted copy, readable by this user only, beside the journal, removed after.
      std::error_code ec;
      const auto folder = std::filesystem::path(session.database()).parent_path();
      if (!folder.empty()) std::filesystem::create_directories(folder, ec);
      const std::string copy = (folder.empty() ? std::string(".") : folder.string()) +
                               "/.mitra-restore-" + std::to_string(::getpid()) + ".db";
      if (auto written =
              write_file_atomically(copy, *text, "file", Existing::refuse, 0600, language);
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
      const auto restored_count = static_cast<unsigned long>(restored->records_restored);
      const std::string count = std::to_string(restored->records_restored);
      const std::string before = std::to_string(restored->records_before);
      reply.text =
          restored->records_before > 0
              ? fill(trn(language,
                         "Restored {count} record from {file} (the journal's {before} were "
                         "replaced).",
                         "Restored {count} records from {file} (the journal's {before} were "
                         "replaced).",
                         restored_count),
                     {{"count", count}, {"file", options->file}, {"before", before}})
              : fill(trn(language, "Restored {count} record from {file}.",
                         "Restored {count} records from {file}.", restored_count),
                     {{"count", count}, {"file", options->file}});
      reply.text += "\n";
      return reply;
    };
  });
}

}  // namespace mitra::cli
