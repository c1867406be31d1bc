#pragma once
// Clinic accounts and sessions (docs/clinic.md): the operator's invitations, sign-up, sign-in
// with its limit on failed attempts, sign-out, and revoking a person's sessions. The rules are
// core's (core/accounts.hpp); what is kept is the store's (store/clinic.hpp); secrets and
// hashes are formats' (formats/secrets.hpp). The adapters (`mitra clinic`, the server's clinic
// doorkeeper) read the fields of their input (the JSON body's shape: server/api_support.hpp) and
// leave what they mean to the use cases here.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/accounts.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "store/clinic.hpp"

namespace mitra::app {

using core::Result;

// `mitra clinic invite`: a one-time code for a new account of `role`.
struct Invitation {
  std::string code;  // Shown once; only its digest is kept.
  core::Role role = core::Role::person;
  core::Instant expires_at{};
};
// `role` as typed ("person"…), `expires_in` as typed ("7d"; empty: 7 days).
Result<Invitation> invite(store::ClinicRecords& clinic, std::string_view role,
                          std::string_view expires_in, core::Instant now);

// POST /api/v1/auth/signup {"invite", "username", "password"}, every field required.
struct SignUpRequest {
  std::string invite;
  std::string username;
  std::string password;
};
// Checks the username and password (core's rules) before the invitation is touched, then makes
// the account (store::ClinicRecords::sign_up).
Result<store::Account> sign_up(store::ClinicRecords& clinic, const SignUpRequest& request,
                               core::Instant now);

// POST /api/v1/auth/login {"username", "password"}.
struct LogInRequest {
  std::string username;
  std::string password;
};
// A session as the client gets it: the token (its cookie) and the CSRF token a write must echo.
struct NewSession {
  std::string token;
  std::string csrf_token;
  store::Account account;
};
struct LogInOutcome {
  enum class Kind { signed_in, wrong, wait };
  Kind kind = Kind::wrong;
  std::optional<NewSession> session;    // When signed in.
  std::chrono::seconds retry_after{0};  // When told to wait.
};
// Too many failures for the account or the address (`address`: the client's) within
// core::kLoginWindow: wait, without the password being checked. Else the password is checked
// (as long for an unknown username as for a known one); a wrong one counts against both.
Result<LogInOutcome> log_in(store::ClinicRecords& clinic, const LogInRequest& request,
                            const std::string& address, core::Instant now);

// The account of the session whose token is `token`, if it is live at `now` (not revoked, not
// past core::session_alive); using it starts its idle time again.
Result<std::optional<store::Account>> session_account(store::ClinicRecords& clinic,
                                                      std::string_view token, core::Instant now);
// The CSRF token that goes with a session token: derived from it, so every instance can check
// it without storing it, and no one can make it without the (HttpOnly) session cookie.
std::string csrf_token_for(std::string_view session_token);

// Ends the session of `token` (sign-out).
Result<void> log_out(store::ClinicRecords& clinic, std::string_view token, core::Instant now);
// `mitra clinic sessions --revoke USER`: ends every session of `username`; how many were live.
Result<int> revoke_sessions(store::ClinicRecords& clinic, std::string_view username,
                            core::Instant now);

}  // namespace mitra::app
