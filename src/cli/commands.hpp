#pragma once
// The command table: every subcommand, its one-line summary and the function that sets it up.
// Each command lives in its own file under commands/; add a line to kCommands to register one.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/session.hpp"

namespace mitra::cli {

using SetupFn = void (*)(CLI::App& command, Session& session);

struct CommandEntry {
  const char* name;
  const char* summary;  // In English, marked for translation: show core::tr(language, summary).
  SetupFn setup;
};

const std::vector<CommandEntry>& commands();

// Journal (commands/journal.cpp unless noted).
void setup_log(CLI::App& command, Session& session);
void setup_use(CLI::App& command, Session& session);
void setup_list(CLI::App& command, Session& session);
void setup_edit(CLI::App& command, Session& session);
void setup_delete(CLI::App& command, Session& session);
void setup_undo(CLI::App& command, Session& session);
void setup_product(CLI::App& command, Session& session);
// commands/status.cpp, commands/pattern.cpp
void setup_status(CLI::App& command, Session& session);
void setup_pattern(CLI::App& command, Session& session);
// commands/exchange.cpp
void setup_export(CLI::App& command, Session& session);
void setup_import(CLI::App& command, Session& session);
void setup_backup(CLI::App& command, Session& session);
void setup_restore(CLI::App& command, Session& session);
// commands/report.cpp
void setup_report(CLI::App& command, Session& session);
// commands/setup.cpp
void setup_setup(CLI::App& command, Session& session);
// commands/history.cpp, commands/instruments.cpp
void setup_history(CLI::App& command, Session& session);
void setup_instruments(CLI::App& command, Session& session);
// commands/plan.cpp
void setup_plan(CLI::App& command, Session& session);
// Understanding and safety: commands/{reflect,checkin,withdrawal,safety,profile,learn,help_now}.cpp
void setup_reflect(CLI::App& command, Session& session);
void setup_checkin(CLI::App& command, Session& session);
void setup_withdrawal(CLI::App& command, Session& session);
void setup_safety(CLI::App& command, Session& session);
void setup_profile(CLI::App& command, Session& session);
void setup_learn(CLI::App& command, Session& session);
void setup_help_now(CLI::App& command, Session& session);
// commands/serve.cpp, commands/clinic.cpp
void setup_serve(CLI::App& command, Session& session);
void setup_clinic(CLI::App& command, Session& session);

}  // namespace mitra::cli
