#pragma once
// Who may come in, in local mode: the access token `mitra serve` prints, the session cookie a
// browser is given for it, and the CSRF token a write made with that cookie must echo. Every
// comparison with a secret counts against the caller's address (GuessLimiter).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

#include "server/doors.hpp"
#include "server/router.hpp"
#include "server/security.hpp"

namespace mitra::server {

class Doorkeeper final : public Doors {
 public:
  using Clock = GuessLimiter::Clock;
  // `access_token` empty: a random one.
  explicit Doorkeeper(std::string access_token);

  const std::string& access_token() const override { return access_token_; }

  // The refusal for `request` to a route with `access`, or nothing when it may go on: 401
  // without the token (or its cookie) on a token route, 429 for an address that guessed wrong
  // too often, 403 for a write by cookie without the X-CSRF-Token header's echo.
  std::optional<Response> admit(const Request& request, Access access, Clock::time_point now);
  // The same, as the server asks it: local mode has one journal, the server's database, so
  // Request::journal stays empty.
  std::optional<Response> admit(Request& request, const Route* route,
                                Clock::time_point now) override {
    return admit(std::as_const(request), route ? route->access : Access::token, now);
  }

  // GET / (with ?token=…: the printed token exchanged for the cookies) and POST
  // /api/v1/session {"token": "…"} (the same, for a page opened without it in the address).
  std::vector<Route> routes() override;

  // The answer to the printed token given for cookies: `given` right, an answer to the client
  // with the cookies set (see `with_cookies`); wrong, the 429 of an address over its allowance,
  // or nothing (the caller says how it is refused).
  tl::expected<void, std::optional<Response>> check_token(std::string_view given,
                                                          const Request& request,
                                                          Clock::time_point now);
  // `response` with the session and CSRF cookies (Secure when the client came over TLS).
  Response with_cookies(Response response, const Client& client) const;

  const std::string& csrf_token() const { return csrf_token_; }

 private:
  // Whether `given` is `secret`, or the 429 for an address over its allowance (then unread),
  // in `language`.
  tl::expected<bool, Response> guess(std::string_view given, const std::string& secret,
                                     const std::string& address, Clock::time_point now,
                                     core::Language language);

  Response front_page(const Request& request);
  Response session(const Request& request);

  std::string access_token_;
  std::string session_secret_ = random_token();
  std::string csrf_token_ = random_token();
  GuessLimiter guesses_;
};

}  // namespace mitra::server
