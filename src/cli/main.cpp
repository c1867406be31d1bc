// mitra: a private companion for understanding and reducing kratom use.
// This file only wires the command line to the command table; commands live in commands/.

#include <unistd.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/render.hpp"

namespace {

// Every help screen, at every level (`mitra`, `mitra plan`, `mitra plan new`), ends with the four
// lines a person in trouble needs (issue 13, item 8).
constexpr const char* kFooter =
    "\nNeed help now? Emergency: 911 (someone unresponsive or not breathing). Crisis: call or\n"
    "text 988. Poison Help: 1-800-222-1222. Treatment referrals: SAMHSA 1-800-662-4357 (free,\n"
    "confidential, 24/7). See `mitra help-now`.";

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
  app.set_version_flag("--version", "mitra 0.1.0");

  for (const auto& entry : mitra::cli::commands()) {
    CLI::App* command = app.add_subcommand(entry.name, entry.summary);
    command->footer(kFooter);
    entry.setup(*command, session);
    add_crisis_footer(*command);
  }

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
