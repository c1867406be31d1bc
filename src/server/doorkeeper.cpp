#include "server/doorkeeper.hpp"

#include <algorithm>
#include <utility>

#include "core/strict_json.hpp"
#include "server/http_errors.hpp"
#include "server/static_files.hpp"

namespace mitra::server {

namespace http = boost::beast::http;

Doorkeeper::Doorkeeper(std::string access_token)
    : access_token_(access_token.empty() ? random_token() : std::move(access_token)) {}

tl::expected<bool, Response> Doorkeeper::guess(std::string_view given, const std::string& secret,
                                               const std::string& address, Clock::time_point now,
                                               core::Language language) {
  if (const auto wait = guesses_.wait(address, now); wait > wait.zero()) {
    const auto seconds =
        std::max<long long>(1, std::chrono::ceil<std::chrono::seconds>(wait).count());
    auto throttled = error_response(
        http::status::too_many_requests, "too_many_guesses",
        core::sentence("Too many wrong tokens from this address; wait {seconds} s and use the "
                       "address mitra serve printed.",
                       {{"seconds", std::to_string(seconds)}}),
        language);
    throttled.headers.emplace_back("Retry-After", std::to_string(seconds));
    return tl::unexpected(std::move(throttled));
  }
  if (same_token(given, secret)) return true;
  guesses_.wrong(address, now);
  return false;
}

std::optional<Response> Doorkeeper::admit(const Request& request, Access access,
                                          Clock::time_point now) {
  // An open route reads no credentials: it needs none, and a stale cookie must not count as a
  // wrong guess against the address.
  if (access == Access::open) return std::nullopt;
  const auto& address = request.client.address;
  const auto authorization = request.header(http::field::authorization);
  if (authorization.rfind("Bearer ", 0) == 0) {
    auto right =
        guess(authorization.substr(7), access_token_, address, now, request.accept_language);
    if (!right) return std::move(right.error());
    if (*right) return std::nullopt;
  }
  const auto session = cookie_value(request.header_list(http::field::cookie, "; "), kSessionCookie);
  bool by_cookie = false;
  if (!session.empty()) {
    auto right = guess(session, session_secret_, address, now, request.accept_language);
    if (!right) return std::move(right.error());
    by_cookie = *right;
  }
  if (!by_cookie) {
    return error_response(http::status::unauthorized, "unauthorized",
                          core::sentence("Open the address mitra serve printed, or send the token "
                                         "as Authorization: Bearer."),
                          request.accept_language);
  }
  // A browser sends cookies with cross-site requests it is tricked into, never custom headers:
  // a write authenticated by cookie must echo the CSRF token in a header.
  if (request.method != http::verb::get &&
      !same_token(request.header("X-CSRF-Token"), csrf_token_)) {
    return error_response(http::status::forbidden, "csrf",
                          core::sentence("A write needs the X-CSRF-Token header with the token "
                                         "from the mitra_csrf cookie."),
                          request.accept_language, "X-CSRF-Token");
  }
  return std::nullopt;
}

tl::expected<void, std::optional<Response>> Doorkeeper::check_token(std::string_view given,
                                                                    const Request& request,
                                                                    Clock::time_point now) {
  auto right = guess(given, access_token_, request.client.address, now, request.accept_language);
  if (!right) return tl::unexpected(std::move(right.error()));
  if (!*right) return tl::unexpected(std::nullopt);
  return {};
}

Response Doorkeeper::with_cookies(Response response, const Client& client) const {
  for (auto& cookie : session_cookies(session_secret_, csrf_token_, client.secure)) {
    response.headers.emplace_back("Set-Cookie", std::move(cookie));
  }
  return response;
}

std::vector<Route> Doorkeeper::routes() {
  return {Route{http::verb::post, "/api/v1/session", nullptr, Access::open, BodyType::json,
                [this](const Request& request) { return session(request); }},
          taking(Route{http::verb::get, "/", nullptr, Access::open, BodyType::json,
                       [this](const Request& request) { return front_page(request); }},
                 {"token"})};
}

Response Doorkeeper::front_page(const Request& request) {
  const auto token = request.query.find("token");
  if (token == request.query.end()) {
    return *static_file("/", {request.header_list(http::field::accept_encoding),
                              request.header_list(http::field::if_none_match)});
  }
  auto right = check_token(token->second, request, Clock::now());
  if (!right) {
    if (right.error()) return std::move(*right.error());
    // The app itself explains, on its first API call, how to get in.
    auto page = *static_file("/");
    page.status = http::status::unauthorized;
    return page;
  }
  Response response;
  response.status = http::status::see_other;
  response.content_type = "text/plain; charset=utf-8";
  response.headers.emplace_back("Location", "/");
  return with_cookies(std::move(response), request.client);
}

Response Doorkeeper::session(const Request& request) {
  auto body = core::parse_json_object(request.body, "body", "{\"token\": \"…\"}");
  if (!body) return error_response(body.error(), request.accept_language);
  if (auto known = core::only_keys(*body, {"token"}); !known) {
    return error_response(known.error(), request.accept_language);
  }
  const auto it = body->find("token");
  if (it == body->end() || !it->is_string()) {
    return error_response(
        http::status::bad_request, "invalid_input",
        core::sentence("token is required: the token in the address mitra serve printed."),
        request.accept_language, "token");
  }
  auto right = check_token(it->get_ref<const std::string&>(), request, Clock::now());
  if (!right) {
    if (right.error()) return std::move(*right.error());
    return error_response(
        http::status::unauthorized, "unauthorized",
        core::sentence("That token is not right; use the address mitra serve printed."),
        request.accept_language, "token");
  }
  return with_cookies(json_response(http::status::ok, {{"csrf_token", csrf_token_}}),
                      request.client);
}

}  // namespace mitra::server
