#include "server/doorkeeper.hpp"

#include <algorithm>
#include <utility>

#include "server/http_errors.hpp"

namespace mitra::server {

namespace http = boost::beast::http;

Doorkeeper::Doorkeeper(std::string access_token)
    : access_token_(access_token.empty() ? random_token() : std::move(access_token)) {}

tl::expected<bool, Response> Doorkeeper::guess(std::string_view given, const std::string& secret,
                                               const std::string& address,
                                               Clock::time_point now) {
  if (const auto wait = guesses_.wait(address, now); wait > wait.zero()) {
    const auto seconds =
        std::max<long long>(1, std::chrono::ceil<std::chrono::seconds>(wait).count());
    auto throttled = error_response(http::status::too_many_requests, "too_many_guesses",
                                    "Too many wrong tokens from this address; wait " +
                                        std::to_string(seconds) +
                                        " s and use the address mitra serve printed.");
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
    auto right = guess(authorization.substr(7), access_token_, address, now);
    if (!right) return std::move(right.error());
    if (*right) return std::nullopt;
  }
  const auto session = cookie_value(request.header(http::field::cookie), kSessionCookie);
  bool by_cookie = false;
  if (!session.empty()) {
    auto right = guess(session, session_secret_, address, now);
    if (!right) return std::move(right.error());
    by_cookie = *right;
  }
  if (!by_cookie) {
    return error_response(http::status::unauthorized, "unauthorized",
                          "Open the address mitra serve printed, or send the token as "
                          "Authorization: Bearer.");
  }
  // A browser sends cookies with cross-site requests it is tricked into, never custom headers:
  // a write authenticated by cookie must echo the CSRF token in a header.
  if (request.method != http::verb::get &&
      !same_token(request.header("X-CSRF-Token"), csrf_token_)) {
    return error_response(http::status::forbidden, "csrf",
                          "A write needs the X-CSRF-Token header with the token from the "
                          "mitra_csrf cookie.",
                          "X-CSRF-Token");
  }
  return std::nullopt;
}

tl::expected<void, std::optional<Response>> Doorkeeper::check_token(std::string_view given,
                                                                    const Request& request,
                                                                    Clock::time_point now) {
  auto right = guess(given, access_token_, request.client.address, now);
  if (!right) return tl::unexpected(std::move(right.error()));
  if (!*right) return tl::unexpected(std::nullopt);
  return {};
}

Response Doorkeeper::with_cookies(Response response, const Client& client) const {
  // Over TLS (directly or at the proxy) the cookies never go out over plain HTTP.
  const std::string tail = client.secure ? "; SameSite=Strict; Secure" : "; SameSite=Strict";
  response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) + "=" +
                                                  session_secret_ + "; Path=/; HttpOnly" + tail);
  response.headers.emplace_back("Set-Cookie",
                                std::string(kCsrfCookie) + "=" + csrf_token_ + "; Path=/" + tail);
  return response;
}

}  // namespace mitra::server
