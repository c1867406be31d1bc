// `mitra clinic`: the operator's commands of a clinic server (docs/clinic.md), run on the
// server's PostgreSQL database: invitations for new accounts, and ending a user's sessions.

#include <memory>
#include <string>

#include "app/clinic.hpp"
#include "app/zones.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "core/translate.hpp"
#include "store/clinic.hpp"

namespace mitra::cli {

namespace {

using core::fill;
using core::noop_tr;
using core::tr;
using core::trn;

// Runs `fn(clinic, now)` on the clinic's tables of --db (refused, exit 2, on SQLite).
template <typename Fn>
void on_clinic_run(CLI::App& command, Session& session, Fn fn) {
  command.callback([&session, fn] {
    session.action = [&session, fn]() -> Result<Reply> {
      auto now = session.now(app::system_zones().locate("UTC"));
      if (!now) return tl::unexpected(now.error());
      auto clinic = store::open_clinic(session.database());
      if (!clinic) return tl::unexpected(clinic.error());
      return fn(**clinic, *now);
    };
  });
}

void setup_invite(CLI::App& command, Session& session) {
  struct Options {
    std::string role;
    std::string expires_in;
  };
  auto options = std::make_shared<Options>();
  command.add_option("--role", options->role, noop_tr("person, specialist or admin"))->required();
  command.add_option(
      "--expires-in", options->expires_in,
      noop_tr("How long the code can be used: 30m, 12h, 7d … up to 90d (default 7d)"));
  const auto language = session.globals.language;
  command.footer(
      "\n" +
      std::string(tr(language,
                     "The code works once, for one new account with that role, through POST "
                     "/api/v1/auth/signup.\nOnly a digest of it is kept: give it to the person "
                     "now.")) +
      "\n" +
      examples(language, {"mitra --db postgresql:///mitra clinic invite --role person",
                          "mitra --db postgresql:///mitra --json clinic invite --role specialist "
                          "--expires-in 2d"}) +
      command.get_footer());
  on_clinic_run(
      command, session,
      [options, language](store::ClinicRecords& clinic, core::Instant now) -> Result<Reply> {
        auto made = app::invite(clinic, options->role, options->expires_in, now);
        if (!made) return tl::unexpected(made.error());
        Reply reply;
        const auto expires = core::format_utc(made->expires_at);
        reply.json = {
            {"code", made->code}, {"role", core::to_string(made->role)}, {"expires_at", expires}};
        // TRANSLATORS: {role} is person, specialist or admin, as --role takes it.
        reply.text =
            fill(tr(language, "Invitation for a {role} account, usable once until {expires}:"),
                 {{"role", core::to_string(made->role)}, {"expires", expires}}) +
            "\n  " + made->code + "\n";
        return reply;
      });
}

void setup_sessions(CLI::App& command, Session& session) {
  auto username = std::make_shared<std::string>();
  command.add_option("--revoke", *username, noop_tr("End every session of this username"))
      ->required();
  const auto language = session.globals.language;
  command.footer(
      "\n" +
      std::string(tr(language,
                     "The user is signed out on every instance at once, and must sign in again.")) +
      "\n" + examples(language, {"mitra --db postgresql:///mitra clinic sessions --revoke alex"}) +
      command.get_footer());
  on_clinic_run(
      command, session,
      [username, language](store::ClinicRecords& clinic, core::Instant now) -> Result<Reply> {
        auto ended = app::revoke_sessions(clinic, *username, now);
        if (!ended) return tl::unexpected(ended.error());
        Reply reply;
        reply.json = {{"username", *username}, {"revoked", *ended}};
        reply.text =
            fill(trn(language, "Ended {count} session of {username}.",
                     "Ended {count} sessions of {username}.", static_cast<unsigned long>(*ended)),
                 {{"count", std::to_string(*ended)}, {"username", *username}}) +
            "\n";
        return reply;
      });
}

}  // namespace

void setup_clinic(CLI::App& command, Session& session) {
  command.require_subcommand(1);
  // The nested commands first: CLI11 gives a new subcommand its parent's footer, and theirs
  // must end with the crisis lines alone, not with this command's examples too.
  setup_invite(*command.add_subcommand("invite", noop_tr("Make a one-time code for a new account")),
               session);
  setup_sessions(
      *command.add_subcommand("sessions", noop_tr("End a user's sessions on every instance")),
      session);
  const auto language = session.globals.language;
  command.footer(
      "\n" +
      std::string(tr(language,
                     "Clinic mode is mitra serve --clinic on a PostgreSQL database "
                     "(--db postgresql://…); see docs/clinic.md.")) +
      "\n" +
      examples(language, {"mitra --db postgresql:///mitra clinic invite --role person",
                          "mitra --db postgresql:///mitra clinic sessions --revoke alex"}) +
      command.get_footer());
}

}  // namespace mitra::cli
