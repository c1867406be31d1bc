#pragma once
// Who may come in, in clinic mode (`mitra serve --clinic`, docs/clinic.md): people with an
// account, signed in with a username and password. The clinic's counterpart of the local
// Doorkeeper (doorkeeper.hpp), chosen by ServerOptions::clinic; the local access token is not
// accepted here.
//
// A signed-in browser holds two cookies, as in local mode and with the same names (so the web
// app works unchanged): the session token (HttpOnly) and its CSRF token, which a write made
// with the cookie must echo in X-CSRF-Token. Sessions are rows in the database
// (store::ClinicRecords), so any instance on the database admits them and a revocation holds
// on every instance at once. An admitted request's journal is the person's own
// (Request::journal), so every journal route reads and writes that person's records only.
//
// Thread safety: admit and the routes' handlers may run on any number of threads at once; each
// uses a connection of its own (kept for the next request).

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "server/doors.hpp"
#include "server/router.hpp"
#include "store/clinic.hpp"

namespace mitra::server {

class ClinicDoorkeeper final : public Doors {
 public:
  using Now = std::function<core::Instant()>;
  // Runs `read` on the journal at `location` (a person's) as a request's handler would: a
  // context made by the server with its options (the zone, now), on a connection of its pool.
  using Reader = std::function<core::Result<nlohmann::json>(app::Context&)>;
  using WithJournal =
      std::function<core::Result<nlohmann::json>(const std::string& location, const Reader&)>;
  // Connects to the clinic's tables of `database` (a PostgreSQL URL; creating them on first
  // use): refused for SQLite, naming `db`.
  static core::Result<std::unique_ptr<ClinicDoorkeeper>> open(std::string database, Now now,
                                                              WithJournal with_journal);

  // The refusal for `request` to a route with `access`, or nothing when it may go on, with
  // Request::journal set to the signed-in person's: 401 without a live session, 403 for a
  // write by cookie without the X-CSRF-Token header's echo. A shared route
  // (/api/v1/people/{person}/…, sharing.hpp) goes on to the person's journal only for a
  // specialist the person shares the route's scope with, and leaves one audit row; for anyone
  // else it is 404, as for a path that does not exist.
  std::optional<Response> admit(Request& request, const Route* route, Clock::time_point) override;

  // GET / (the page, without a token), POST /api/v1/auth/signup, /login and /logout; sharing
  // (/shares, /audit), the specialist's list (/people) and contact requests.
  std::vector<Route> routes() override;

  // None: the printed address carries no token in clinic mode.
  const std::string& access_token() const override { return no_token_; }

 private:
  ClinicDoorkeeper(std::string database, Now now, WithJournal with_journal)
      : database_(std::move(database)),
        now_(std::move(now)),
        with_journal_(std::move(with_journal)) {}

  Response sign_up(const Request& request);
  Response log_in(const Request& request);
  Response log_out(const Request& request);
  Response post_share(const Request& request);
  Response list_shares(const Request& request);
  Response delete_share(const Request& request);
  Response get_audit(const Request& request);
  Response list_people(const Request& request);
  Response post_contact_request(const Request& request);
  Response list_contact_requests(const Request& request);
  Response handle_contact_request(const Request& request);
  Response get_me(const Request& request);
  Response export_me(const Request& request);
  Response delete_me(const Request& request);

  // `fn(clinic)` on an idle connection to the clinic's tables, or a new one.
  template <typename Fn>
  auto with_clinic(Fn fn) -> decltype(fn(std::declval<store::ClinicRecords&>()));

  std::string database_;
  Now now_;
  WithJournal with_journal_;
  const std::string no_token_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<store::ClinicRecords>> idle_;
};

}  // namespace mitra::server
