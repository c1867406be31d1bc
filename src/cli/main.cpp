// mitra: a private companion for understanding and reducing kratom use.
// This file only wires the command line to the command table; commands live in commands/.

#include <unistd.h>

#include <cassert>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/reference.hpp"
#include "cli/render.hpp"
#include "cli/usage_errors.hpp"
#include "core/language.hpp"
#include "core/translate.hpp"

namespace {

constexpr const char* kVersion = "mitra " MITRA_VERSION;

using mitra::core::Language;
using mitra::core::tr;

// The value of --lang (`--lang es`, `--lang=es`) when the command line has one (the last wins,
// as CLI11 takes it), read before the command tree is built because the tree's help is written
// in the language.
std::optional<std::string_view> language_option(int argc, char** argv) {
  std::optional<std::string_view> found;
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--") break;
    if (word == "--lang" && i + 1 < argc) found = argv[++i];
    if (word.rfind("--lang=", 0) == 0) found = word.substr(7);
  }
  return found;
}

std::optional<std::string_view> environment_variable(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string_view(value);
}

// The language of the locale variables, as gettext would choose it (core/language.hpp).
Language language_of_environment() {
  return mitra::core::language_from_environment(
      {environment_variable("LC_ALL"), environment_variable("LC_MESSAGES"),
       environment_variable("LANG"), environment_variable("LANGUAGE")});
}

// The group titles CLI11 gives every command's options and subcommands ("Options",
// "Subcommands"), and the descriptions of options and nested commands (marked with noop_tr
// where the commands add them), in `language`, at every level of the tree: what --help, the
// completions and the manual pages show.
void translate_tree(CLI::App& command, Language language) {
  if (language == Language::en) return;
  for (CLI::Option* option : command.get_options([](CLI::Option*) { return true; })) {
    if (option->get_group() == "Options") option->group(std::string(tr(language, "Options")));
    option->description(std::string(tr(language, option->get_description())));
  }
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_group() == "Subcommands") sub->group(std::string(tr(language, "Subcommands")));
    sub->description(std::string(tr(language, sub->get_description())));
    translate_tree(*sub, language);
  }
}

// CLI11's own words in its help screens (labels and group titles).
void translate_help_labels(CLI::App& app, Language language) {
  if (language == Language::en) return;
  auto formatter = app.get_formatter();
  using mitra::core::noop_tr;
  for (const char* label :
       {noop_tr("Usage"), noop_tr("OPTIONS"), noop_tr("SUBCOMMAND"), noop_tr("SUBCOMMANDS"),
        noop_tr("REQUIRED"), noop_tr("Positionals"), noop_tr("TEXT"), noop_tr("INT"),
        noop_tr("UINT"), noop_tr("FLOAT"), noop_tr("Needs"), noop_tr("Excludes")}) {
    formatter->label(label, std::string(tr(language, label)));
  }
}

// The first word after the global options: the command word, when the command line is plain.
// Nothing for anything less plain: --help, --version beside other words, an unknown option, a
// value that starts with '-', or no command at all.
std::optional<std::string_view> command_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--json") continue;
    if (word == "--db" || word == "--tz" || word == "--now" || word == "--lang") {
      if (i + 1 >= argc || argv[i + 1][0] == '-') return std::nullopt;
      ++i;
      continue;
    }
    if (word.rfind("--db=", 0) == 0 || word.rfind("--tz=", 0) == 0 ||
        word.rfind("--now=", 0) == 0 || word.rfind("--lang=", 0) == 0) {
      continue;
    }
    if (word.empty() || word[0] == '-') return std::nullopt;
    return word;
  }
  return std::nullopt;
}

// The command this command line runs, found before the command tree is built so that only its
// options are made (building every command's options was most of `mitra status`'s own start-up
// work): the command word, when it names a command of the table. Nothing (build the whole
// tree) otherwise: completions and manual read the whole tree, and CLI11 then parses the same
// words as before.
const mitra::cli::CommandEntry* chosen_command(int argc, char** argv) {
  const auto word = command_word(argc, argv);
  if (!word) return nullptr;
  for (const auto& entry : mitra::cli::commands()) {
    if (*word == entry.name) return &entry;
  }
  return nullptr;
}

// The command word when it names no command of `app` ("mitra lst"), which CLI11 reports only
// as a missing command or an unexpected word.
std::optional<std::string_view> unknown_command_word(CLI::App& app, int argc, char** argv) {
  const auto word = command_word(argc, argv);
  if (!word) return std::nullopt;
  for (const CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    if (command->get_name() == *word) return std::nullopt;
  }
  return word;
}

// The commands `mitra --help` lists.
std::vector<std::string> listed_commands(CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    if (!command->get_group().empty()) names.push_back(command->get_name());
  }
  return names;
}

// Gives every nested command the crisis footer, after its own examples, once.
void add_crisis_footer(CLI::App& command, const std::string& footer) {
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_footer().find("988") == std::string::npos) {
      sub->footer(sub->get_footer() + "\n" + footer);
    }
    add_crisis_footer(*sub, footer);
  }
}

// Every error the CLI reports is printed here, in the person's language: the message is made
// below (core, app, store) as a sentence and translated now (core::message_in). The code and
// the field never change.
void print_error(const mitra::core::Error& error, bool as_json, Language language) {
  const std::string message = mitra::core::message_in(error, language);
  if (as_json) {
    nlohmann::json j{{"error",
                      {{"code", mitra::core::to_string(error.kind)},
                       {"message", message},
                       {"field", error.field}}}};
    std::cerr << j.dump() << "\n";
  } else {
    std::cerr << "mitra: " << message << "\n";
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
  // --lang, else the locale variables. A --lang mitra cannot honour is refused once the command
  // line is parsed (so that --json shapes the error), in the environment's language.
  session.globals.language = language_of_environment();
  std::optional<mitra::core::Error> language_error;
  if (const auto option = language_option(argc, argv)) {
    auto chosen_language = mitra::core::parse_language_option(*option);
    if (chosen_language) {
      session.globals.language = *chosen_language;
    } else {
      language_error = mitra::core::Error{
          mitra::core::ErrorKind::invalid_input,
          mitra::core::fill(
              tr(session.globals.language,
                 "Unknown language \"{value}\"; choose en (English) or es (español)."),
              {{"value", *option}}),
          "lang"};
    }
  }
  const Language language = session.globals.language;
  const std::string footer(tr(language, mitra::cli::kCrisisLines));

  CLI::App app{std::string(tr(language,
                              "mitra — a private companion for understanding and reducing kratom "
                              "use.\nYour journal stays on this machine. Nothing is sent "
                              "anywhere.")),
               "mitra"};
  translate_help_labels(app, language);
  if (language != Language::en) {
    app.option_defaults()->group(std::string(tr(language, "Options")));
    app.set_help_flag("-h,--help", std::string(tr(language, "Print this help message and exit")));
  }
  app.footer(footer);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--db", session.globals.db,
                 std::string(tr(language,
                                "Database file, or a postgresql:// URL (default: $MITRA_DB, else "
                                "~/.local/share/mitra/mitra.db)")))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--tz", session.globals.tz,
                 std::string(tr(language, "IANA time zone, e.g. Europe/Berlin")))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option(
         "--now", session.globals.now,
         std::string(tr(language, "Evaluate as of this TIME (planning ahead, reproducible runs)")))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_flag("--json", session.globals.json,
               std::string(tr(language, "Print one JSON document")));
  // Read above, before the tree was built; declared here for --help, completions and manuals.
  std::string language_text;
  app.add_option("--lang", language_text,
                 std::string(tr(language,
                                "Language: en (English) or es (español); default: LC_ALL, "
                                "LC_MESSAGES, LANG, LANGUAGE")))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.set_version_flag("--version", kVersion,
                       std::string(tr(language, "Display program version information and exit")));

  // Every command is listed (for the top-level help and CLI11's parsing), but when the command
  // line names one, only that one gets its options and callback.
  const mitra::cli::CommandEntry* chosen = chosen_command(argc, argv);
  for (const auto& entry : mitra::cli::commands()) {
    CLI::App* command = app.add_subcommand(entry.name, std::string(tr(language, entry.summary)));
    if (language != Language::en) command->group(std::string(tr(language, "Subcommands")));
    command->footer(footer);
    if (chosen != nullptr && chosen != &entry) continue;
    entry.setup(*command, session);
    add_crisis_footer(*command, footer);
  }

  // Made from the tree above: shell completions, and (hidden) the manual pages the build writes.
  std::string shell;
  CLI::App* completions = app.add_subcommand(
      "completions", mitra::core::noop_tr("Print the shell completion script: bash, zsh or fish"));
  completions->add_option("shell", shell, mitra::core::noop_tr("bash, zsh or fish"))
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  completions->footer(
      mitra::cli::examples(language,
                           {"source <(mitra completions bash)",
                            "mitra completions fish > ~/.config/fish/completions/mitra.fish"}) +
      footer);
  completions->callback([&] {
    session.action = [&]() -> mitra::core::Result<mitra::cli::Reply> {
      mitra::cli::Reply reply;
      reply.text = mitra::cli::completion_script(app, shell);
      reply.json = {{"shell", shell}, {"script", reply.text}};
      return reply;
    };
  });
  std::string manual_dir;
  CLI::App* manual =
      app.add_subcommand("manual", mitra::core::noop_tr("Write the manual pages into a folder"));
  manual->group("");  // For the build (and packagers), not listed.
  manual
      ->add_option("folder", manual_dir,
                   mitra::core::noop_tr("Where to write mitra.1, mitra-log.1, …"))
      ->required();
  manual->callback([&] {
    session.action = [&]() -> mitra::core::Result<mitra::cli::Reply> {
      return mitra::cli::write_man_pages(app, manual_dir, language);
    };
  });
  translate_tree(app, language);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version: CLI11 prints them.
    if (e.get_exit_code() == 0) return app.exit(e);
    if (dynamic_cast<const CLI::RuntimeError*>(&e) != nullptr) return app.exit(e);
    // A refusal: in the language, naming the option (the field, with --json). A command word
    // that names no command is the refusal's cause, whatever CLI11 says about it.
    const auto unknown = unknown_command_word(app, argc, argv);
    const auto usage = unknown
                           ? mitra::cli::unknown_command(*unknown, listed_commands(app), language)
                           : mitra::cli::usage_error(e, language);
    if (session.globals.json) {
      print_error({mitra::core::ErrorKind::invalid_input, usage.message, usage.field}, true,
                  language);
    } else {
      std::cerr << usage.message << "\n" << mitra::cli::usage_hint(language) << "\n";
    }
    return mitra::cli::kExitUsage;
  }
  // chosen_command found the word CLI11 took for the command, or it set up every command.
  assert(chosen == nullptr || app.got_subcommand(chosen->name));
  if (language_error) {
    print_error(*language_error, session.globals.json, language);
    return mitra::cli::exit_code(language_error->kind);
  }
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
    print_error(reply.error(), session.globals.json, language);
    return mitra::cli::exit_code(reply.error().kind);
  }
  if (session.globals.json) {
    std::cout << reply->json.dump(2) << "\n";
  } else {
    std::cout << reply->text;
  }
  return 0;
}
