#include "cli/commands.hpp"

#include "core/translate.hpp"

namespace mitra::cli {

const std::vector<CommandEntry>& commands() {
  static const std::vector<CommandEntry> kCommands{
      {"status",
       core::noop_tr("Time since the last dose, today so far, and the last 7 days at a glance"),
       &setup_status},
      {"log", core::noop_tr("Log a kratom dose"), &setup_log},
      {"use", core::noop_tr("Log a use of another substance (alcohol, opioid, benzodiazepine…)"),
       &setup_use},
      {"list", core::noop_tr("List logged doses and substance uses"), &setup_list},
      {"edit", core::noop_tr("Change a logged dose"), &setup_edit},
      {"delete", core::noop_tr("Delete a dose or substance use"), &setup_delete},
      {"undo", core::noop_tr("Undo the last change to the journal"), &setup_undo},
      {"pattern", core::noop_tr("How often and how much: doses per day, intervals, trends"),
       &setup_pattern},
      {"product", core::noop_tr("Save a product with its capsule or teaspoon weight"),
       &setup_product},
      {"export", core::noop_tr("Export the journal as JSON, CSV or FHIR R4"), &setup_export},
      {"import", core::noop_tr("Import a JSON or CSV export (all or nothing)"), &setup_import},
      {"backup",
       core::noop_tr("Write a consistent copy of the database (--encrypt: with a passphrase)"),
       &setup_backup},
      {"restore", core::noop_tr("Bring back a backup (encrypted or not) into the journal"),
       &setup_restore},
      {"report", core::noop_tr("A printable report of the last four weeks for a clinician (HTML)"),
       &setup_report},
      {"history", core::noop_tr("Past check-ins and reflections, and how the latest compares"),
       &setup_history},
      {"instruments", core::noop_tr("The questionnaires: their questions, bands and sources"),
       &setup_instruments},
      {"setup", core::noop_tr("Set your time zone and when your day starts"), &setup_setup},
      {"plan", core::noop_tr("Taper plan: new, show, today, hold, resume, adjust, ics"),
       &setup_plan},
      {"reflect",
       core::noop_tr(
           "Self-reflection on your use (DSM-5 criteria or seven questions), not a diagnosis"),
       &setup_reflect},
      {"checkin",
       core::noop_tr("Check in: withdrawal symptoms (SOWS), or sleep, mood and cravings"),
       &setup_checkin},
      {"withdrawal", core::noop_tr("Where you are in withdrawal, what comes next and what helps"),
       &setup_withdrawal},
      {"safety", core::noop_tr("Safety advisories that apply to you, urgent first"), &setup_safety},
      {"profile", core::noop_tr("Your history and the reasons kratom came into your life"),
       &setup_profile},
      {"learn", core::noop_tr("Facts, answers and numbers, each with its sources"), &setup_learn},
      {"help-now", core::noop_tr("Crisis lines and where to find treatment"), &setup_help_now},
      {"serve", core::noop_tr("Start the web app on this machine and print the address to open"),
       &setup_serve},
      {"clinic",
       core::noop_tr("Clinic server on PostgreSQL: invitations for accounts, ending sessions"),
       &setup_clinic},
  };
  return kCommands;
}

}  // namespace mitra::cli
