#include "server/clinic_doors.hpp"

#include <utility>

#include "app/clinic.hpp"
#include "server/api_support.hpp"
#include "server/http_errors.hpp"
#include "server/security.hpp"
#include "server/static_files.hpp"

namespace mitra::server {

namespace http = boost::beast::http;

namespace {

// Idle connections to the clinic's tables kept for the next request.
constexpr std::size_t kMaxIdle = 8;

Response unauthorized(std::string message) {
  return error_response(http::status::unauthorized, "unauthorized", std::move(message));
}

}  // namespace

core::Result<std::unique_ptr<ClinicDoorkeeper>> ClinicDoorkeeper::open(std::string database,
                                                                       Now now) {
  // Connect now, so that a wrong database (or SQLite) stops the server at start.
  auto clinic = store::open_clinic(database);
  if (!clinic) return tl::unexpected(clinic.error());
  auto doors =
      std::unique_ptr<ClinicDoorkeeper>(new ClinicDoorkeeper(std::move(database), std::move(now)));
  doors->idle_.push_back(std::move(*clinic));
  return doors;
}

template <typename Fn>
auto ClinicDoorkeeper::with_clinic(Fn fn) -> decltype(fn(std::declval<store::ClinicRecords&>())) {
  std::unique_ptr<store::ClinicRecords> clinic;
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      clinic = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!clinic) {
    auto opened = store::open_clinic(database_);
    if (!opened) return tl::unexpected(opened.error());
    clinic = std::move(*opened);
  }
  auto result = fn(*clinic);
  const std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(clinic));
  return result;
}

std::optional<Response> ClinicDoorkeeper::admit(Request& request, Access access,
                                                Clock::time_point) {
  // An open route reads no credentials (sign-up and sign-in need none).
  if (access == Access::open) return std::nullopt;
  const auto token = cookie_value(request.header(http::field::cookie), kSessionCookie);
  if (token.empty()) {
    return unauthorized(
        "Sign in first: POST /api/v1/auth/login with your username and "
        "password.");
  }
  auto account = with_clinic(
      [&](store::ClinicRecords& clinic) { return app::session_account(clinic, token, now_()); });
  if (!account) return error_response(account.error());
  if (!*account) return unauthorized("Your session has ended; sign in again.");
  // A browser sends cookies with cross-site requests it is tricked into, never custom headers:
  // a write must echo the CSRF token of its session in a header.
  if (request.method != http::verb::get &&
      !same_token(request.header("X-CSRF-Token"), app::csrf_token_for(token))) {
    return error_response(http::status::forbidden, "csrf",
                          "A write needs the X-CSRF-Token header with the token from the "
                          "mitra_csrf cookie.",
                          "X-CSRF-Token");
  }
  request.journal = store::journal_location(database_, (*account)->journal);
  return std::nullopt;
}

std::vector<Route> ClinicDoorkeeper::routes() {
  const auto route = [this](const char* pattern, Access access,
                            Response (ClinicDoorkeeper::*fn)(const Request&)) {
    Route made{http::verb::post, pattern, nullptr, access};
    made.plain = [this, fn](const Request& request) { return (this->*fn)(request); };
    return made;
  };
  Route page{http::verb::get, "/", nullptr, Access::open};
  page.plain = [](const Request& request) {
    return *static_file("/", {request.header(http::field::accept_encoding),
                              request.header(http::field::if_none_match)});
  };
  return {std::move(page), route("/api/v1/auth/signup", Access::open, &ClinicDoorkeeper::sign_up),
          route("/api/v1/auth/login", Access::open, &ClinicDoorkeeper::log_in),
          // Signed in, and a write by cookie: the CSRF token too.
          route("/api/v1/auth/logout", Access::token, &ClinicDoorkeeper::log_out)};
}

Response ClinicDoorkeeper::sign_up(const Request& request) {
  auto made = [&]() -> core::Result<store::Account> {
    auto body = detail::body_object(request, {"invite", "username", "password"});
    if (!body) return tl::unexpected(body.error());
    app::SignUpRequest fields;
    for (auto [key, value] :
         {std::pair{"invite", &fields.invite}, std::pair{"username", &fields.username},
          std::pair{"password", &fields.password}}) {
      auto text = detail::required_string(*body, key, std::string("\"…\""));
      if (!text) return tl::unexpected(text.error());
      *value = std::move(*text);
    }
    return with_clinic(
        [&](store::ClinicRecords& clinic) { return app::sign_up(clinic, fields, now_()); });
  }();
  if (!made) return error_response(made.error());
  return detail::created({{"username", made->username}, {"role", core::to_string(made->role)}});
}

Response ClinicDoorkeeper::log_in(const Request& request) {
  auto outcome = [&]() -> core::Result<app::LogInOutcome> {
    auto body = detail::body_object(request, {"username", "password"});
    if (!body) return tl::unexpected(body.error());
    app::LogInRequest fields;
    auto username = detail::required_string(*body, "username", "\"alex\"");
    if (!username) return tl::unexpected(username.error());
    auto password = detail::required_string(*body, "password", "your password");
    if (!password) return tl::unexpected(password.error());
    fields.username = std::move(*username);
    fields.password = std::move(*password);
    return with_clinic([&](store::ClinicRecords& clinic) {
      return app::log_in(clinic, fields, request.client.address, now_());
    });
  }();
  if (!outcome) return error_response(outcome.error());
  using Kind = app::LogInOutcome::Kind;
  if (outcome->kind == Kind::wait) {
    const auto seconds = std::to_string(outcome->retry_after.count());
    auto refused = error_response(http::status::too_many_requests, "too_many_attempts",
                                  "Too many failed sign-ins for this account or from this "
                                  "address; try again in " +
                                      seconds + " s.");
    refused.headers.emplace_back("Retry-After", seconds);
    return refused;
  }
  if (outcome->kind == Kind::wrong) {
    return error_response(http::status::unauthorized, "unauthorized",
                          "That username and password do not match; try again.", "password");
  }
  const auto& session = *outcome->session;
  auto response = detail::ok({{"username", session.account.username},
                              {"role", core::to_string(session.account.role)},
                              {"csrf_token", session.csrf_token}});
  for (auto& cookie : session_cookies(session.token, session.csrf_token, request.client.secure,
                                      core::kSessionLifetime)) {
    response.headers.emplace_back("Set-Cookie", std::move(cookie));
  }
  return response;
}

Response ClinicDoorkeeper::log_out(const Request& request) {
  const auto token = cookie_value(request.header(http::field::cookie), kSessionCookie);
  auto ended = with_clinic(
      [&](store::ClinicRecords& clinic) { return app::log_out(clinic, token, now_()); });
  if (!ended) return error_response(ended.error());
  auto response = detail::ok({{"signed_out", true}});
  // The browser forgets both cookies at once.
  for (auto& cookie : session_cookies("", "", request.client.secure, std::chrono::seconds{0})) {
    response.headers.emplace_back("Set-Cookie", std::move(cookie));
  }
  return response;
}

}  // namespace mitra::server
