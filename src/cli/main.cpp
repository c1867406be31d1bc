// mitra: a private companion for understanding and reducing kratom use.
// This file only wires the command line to the command table; commands live in commands/.

#include <unistd.h>

#include <cassert>
#include <cstring>
#include <iostream>
#include <string_view>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/reference.hpp"
#include "cli/render.hpp"

namespace {

constexpr const char* kFooter = mitra::cli::kCrisisLines;
constexpr const char* kVersion = "mitra 0.1.0";

// The command this command line runs, found before the command tree is built so that only its
// options are made (building every command's options was most of `mitra status`'s own start-up
// work): the first word after the global options, when it names a command of the table.
// Nothing (build the whole tree) for anything less plain: --help, --version beside other
// words, an unknown option, a value that starts with '-', completions and manual (which read
// the whole tree), or no command at all. CLI11 then parses the same words as before.
const mitra::cli::CommandEntry* chosen_command(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--json") continue;
    if (word == "--db" || word == "--tz" || word == "--now") {
      if (i + 1 >= argc || argv[i + 1][0] == '-') return nullptr;
      ++i;
      continue;
    }
    if (word.rfind("--db=", 0) == 0 || word.rfind("--tz=", 0) == 0 ||
        word.rfind("--now=", 0) == 0) {
      continue;
    }
    if (word.empty() || word[0] == '-') return nullptr;
    for (const auto& entry : mitra::cli::commands()) {
      if (word == entry.name) return &entry;
    }
    return nullptr;
  }
  return nullptr;
}

// Gives every nested command the crisis footer, after its own examples, once.
void add_crisis_footer(CLI::App& command) {
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_footer().find("988") == std::string::npos) {
      sub->footer(sub->get_footer() + "\n" + kFooter);
    }
    add_crisis_footer(*sub);
  }
}

void print_error(const mitra::core::Error& error, bool as_json) {
  if (as_json) {
    nlohmann::json j{{"error",
                      {{"code", mitra::core::to_string(error.kind)},
                       {"message", error.message},
                       {"field", error.field}}}};
    std::cerr << j.dump() << "\n";
  } else {
    std::cerr << "mitra: " << error.message << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Answered before anything is built: the whole answer is one constant line.
  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    std::cout << kVersion << "\n";
    return 0;
  }

  using mitra::cli::Session;
  Session session;
  session.stdin_is_terminal = isatty(STDIN_FILENO) == 1;

  CLI::App app{
      "mitra — a private companion for understanding and reducing kratom use.\n"
      "Your journal stays on this machine. Nothing is sent anywhere.",
      "mitra"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--db", session.globals.db,
                 "Database file, or a postgresql:// URL (default: $MITRA_DB, else "
                 "~/.local/share/mitra/mitra.db)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--tz", session.globals.tz, "IANA time zone, e.g. Europe/Berlin")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--now", session.globals.now,
                 "Evaluate as of this TIME (planning ahead, reproducible runs)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_flag("--json", session.globals.json, "Print one JSON document");
  app.set_version_flag("--version", kVersion);

  // Every command is listed (for the top-level help and CLI11's parsing), but when the command
  // line names one, only that one gets its options and callback.
  const mitra::cli::CommandEntry* chosen = chosen_command(argc, argv);
  for (const auto& entry : mitra::cli::commands()) {
    CLI::App* command = app.add_subcommand(entry.name, entry.summary);
    command->footer(kFooter);
    if (chosen != nullptr && chosen != &entry) continue;
    entry.setup(*command, session);
    add_crisis_footer(*command);
  }

  // Made from the tree above: shell completions, and (hidden) the manual pages the build writes.
  std::string shell;
  CLI::App* completions =
      app.add_subcommand("completions", "Print the shell completion script: bash, zsh or fish");
  completions->add_option("shell", shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  completions->footer(
      "\nExamples:\n  source <(mitra completions bash)\n"
      "  mitra completions fish > ~/.config/fish/completions/mitra.fish\n" +
      std::string(kFooter));
  completions->callback([&] {
    session.action = [&]() -> mitra::core::Result<mitra::cli::Reply> {
      mitra::cli::Reply reply;
      reply.text = mitra::cli::completion_script(app, shell);
      reply.json = {{"shell", shell}, {"script", reply.text}};
      return reply;
    };
  });
  std::string manual_dir;
  CLI::App* manual = app.add_subcommand("manual", "Write the manual pages into a folder");
  manual->group("");  // For the build (and packagers), not listed.
  manual->add_option("folder", manual_dir, "Where to write mitra.1, mitra-log.1, …")->required();
  manual->callback([&] {
    session.action = [&]() -> mitra::core::Result<mitra::cli::Reply> {
      return mitra::cli::write_man_pages(app, manual_dir);
    };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (session.globals.json && e.get_exit_code() != 0) {
      print_error({mitra::core::ErrorKind::invalid_input, e.what(), ""}, true);
      return mitra::cli::kExitUsage;
    }
    const int code = app.exit(e);
    return code == 0 ? 0 : mitra::cli::kExitUsage;
  }
  // chosen_command found the word CLI11 took for the command, or it set up every command.
  assert(chosen == nullptr || app.got_subcommand(chosen->name));
  if (!session.action) return mitra::cli::kExitUsage;

  mitra::core::Result<mitra::cli::Reply> reply =
      mitra::core::fail(mitra::core::ErrorKind::internal, "the command did not run");
  try {
    reply = session.action();
  } catch (const std::exception& e) {
    reply = mitra::core::fail(mitra::core::ErrorKind::internal,
                              std::string("unexpected failure: ") + e.what());
  }
  if (!reply) {
    print_error(reply.error(), session.globals.json);
    return mitra::cli::exit_code(reply.error().kind);
  }
  if (session.globals.json) {
    std::cout << reply->json.dump(2) << "\n";
  } else {
    std::cout << reply->text;
  }
  return 0;
}
