#include "cli/commands.hpp"

namespace mitra::cli {

const std::vector<CommandEntry>& commands() {
  static const std::vector<CommandEntry> kCommands{
      {"status", "Time since the last dose, today so far, and the last 7 days at a glance",
       &setup_status},
      {"log", "Log a kratom dose", &setup_log},
      {"use", "Log a use of another substance (alcohol, opioid, benzodiazepine…)", &setup_use},
      {"list", "List logged doses and substance uses", &setup_list},
      {"edit", "Change a logged dose", &setup_edit},
      {"delete", "Delete a dose or substance use", &setup_delete},
      {"undo", "Undo the last change to the journal", &setup_undo},
      {"pattern", "How often and how much: doses per day, intervals, trends", &setup_pattern},
      {"product", "Save a product with its capsule or teaspoon weight", &setup_product},
      {"export", "Export the journal as JSON or CSV", &setup_export},
      {"import", "Import a JSON or CSV export (all or nothing)", &setup_import},
      {"backup", "Write a consistent copy of the database (--encrypt: with a passphrase)",
       &setup_backup},
      {"restore", "Bring back a backup (encrypted or not) into the journal", &setup_restore},
      {"history", "Past check-ins and reflections, and how the latest compares", &setup_history},
      {"instruments", "The questionnaires: their questions, bands and sources",
       &setup_instruments},
      {"setup", "Set your time zone and when your day starts", &setup_setup},
      {"plan", "Taper plan: new, show, today, hold, resume, adjust, ics", &setup_plan},
      {"reflect",
       "Self-reflection on your use (DSM-5 criteria or seven questions), not a diagnosis",
       &setup_reflect},
      {"checkin", "Check in: withdrawal symptoms (SOWS), or sleep, mood and cravings",
       &setup_checkin},
      {"withdrawal", "Where you are in withdrawal, what comes next and what helps",
       &setup_withdrawal},
      {"safety", "Safety advisories that apply to you, urgent first", &setup_safety},
      {"profile", "Your history and the reasons kratom came into your life", &setup_profile},
      {"learn", "Facts, answers and numbers, each with its sources", &setup_learn},
      {"help-now", "Crisis lines and where to find treatment", &setup_help_now},
      {"serve", "Start the web app on this machine and print the address to open", &setup_serve},
  };
  return kCommands;
}

}  // namespace mitra::cli
