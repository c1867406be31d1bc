// The doorkeeper on its own: who may call a route in local mode (issue 16: the token exchange,
// the session cookie and CSRF were handled inside Server::Impl::respond, beside the routing).

#include <string>

#include <gtest/gtest.h>
#include <boost/beast/http/fields.hpp>

#include "server/doorkeeper.hpp"

namespace {

namespace http = boost::beast::http;
using mitra::server::Access;
using mitra::server::Doorkeeper;
using mitra::server::Request;

const std::string kToken(64, 'a');

// A request from `address` with `fields`; `fields` must outlive it.
Request request_with(http::verb method, const http::fields& fields,
                     const std::string& address = "192.0.2.7") {
  Request request;
  request.method = method;
  request.path = "/api/v1/doses";
  request.client = {address, false};
  request.headers = &fields;
  return request;
}

// The session cookie's value from the doorkeeper's Set-Cookie headers.
std::string session_cookie(const Doorkeeper& doors) {
  const auto response = doors.with_cookies({}, {"192.0.2.7", false});
  for (const auto& [name, value] : response.headers) {
    if (name == "Set-Cookie" && value.rfind("mitra_session=", 0) == 0) {
      return value.substr(0, value.find(';'));
    }
  }
  return "";
}

TEST(Doorkeeper, ATokenRouteNeedsTheTokenOrItsCookie) {
  Doorkeeper doors(kToken);
  const auto now = Doorkeeper::Clock::now();
  http::fields none;
  const auto refused = doors.admit(request_with(http::verb::get, none), Access::token, now);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, http::status::unauthorized);

  http::fields bearer;
  bearer.set(http::field::authorization, "Bearer " + kToken);
  EXPECT_FALSE(doors.admit(request_with(http::verb::get, bearer), Access::token, now));
  // A write with the token itself needs no CSRF echo: no browser sends it on its own.
  EXPECT_FALSE(doors.admit(request_with(http::verb::post, bearer), Access::token, now));

  http::fields cookie;
  cookie.set(http::field::cookie, session_cookie(doors));
  EXPECT_FALSE(doors.admit(request_with(http::verb::get, cookie), Access::token, now));
}

TEST(Doorkeeper, AWriteByCookieMustEchoTheCsrfToken) {
  Doorkeeper doors(kToken);
  const auto now = Doorkeeper::Clock::now();
  http::fields cookie;
  cookie.set(http::field::cookie, "theme=dark; " + session_cookie(doors));
  const auto refused = doors.admit(request_with(http::verb::post, cookie), Access::token, now);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, http::status::forbidden);
  cookie.set("X-CSRF-Token", std::string(64, '0'));
  EXPECT_TRUE(doors.admit(request_with(http::verb::delete_, cookie), Access::token, now));
  cookie.set("X-CSRF-Token", doors.csrf_token());
  EXPECT_FALSE(doors.admit(request_with(http::verb::post, cookie), Access::token, now));
}

// An open route (the app's files, the token exchange) reads no credentials: a stale cookie a
// browser still sends to them is not a wrong guess against its address.
TEST(Doorkeeper, AnOpenRouteCountsNoGuessAgainstTheAddress) {
  Doorkeeper doors(kToken);
  const auto now = Doorkeeper::Clock::now();
  http::fields stale;
  stale.set(http::field::cookie, "mitra_session=" + std::string(64, 'f'));
  stale.set(http::field::authorization, "Bearer " + std::string(64, 'f'));
  for (int i = 0; i < 100; ++i) {
    ASSERT_FALSE(doors.admit(request_with(http::verb::get, stale), Access::open, now));
  }
  http::fields bearer;
  bearer.set(http::field::authorization, "Bearer " + kToken);
  EXPECT_FALSE(doors.admit(request_with(http::verb::get, bearer), Access::token, now));
}

TEST(Doorkeeper, AnAddressThatGuessedWrongTooOftenWaitsEvenWithTheRightToken) {
  Doorkeeper doors(kToken);
  const auto now = Doorkeeper::Clock::now();
  http::fields wrong;
  wrong.set(http::field::authorization, "Bearer " + std::string(64, 'f'));
  int throttled = 0;
  for (int i = 0; i < 40; ++i) {
    const auto refused = doors.admit(request_with(http::verb::get, wrong), Access::token, now);
    ASSERT_TRUE(refused);
    if (refused->status == http::status::too_many_requests) ++throttled;
  }
  EXPECT_GE(throttled, 15);
  http::fields none;
  const auto exchange = doors.check_token(kToken, request_with(http::verb::post, none), now);
  ASSERT_FALSE(exchange);
  ASSERT_TRUE(exchange.error());
  EXPECT_EQ(exchange.error()->status, http::status::too_many_requests);
  // Another address is not held back.
  EXPECT_TRUE(doors.check_token(kToken, request_with(http::verb::post, none, "192.0.2.8"), now));
  const auto wrong_token =
      doors.check_token("nope", request_with(http::verb::post, none, "192.0.2.8"), now);
  ASSERT_FALSE(wrong_token);
  EXPECT_FALSE(wrong_token.error());
}

TEST(Doorkeeper, CookiesAreSecureOnlyOverTls) {
  Doorkeeper doors(kToken);
  for (const bool secure : {false, true}) {
    const auto response = doors.with_cookies({}, {"192.0.2.7", secure});
    int cookies = 0;
    for (const auto& [name, value] : response.headers) {
      if (name != "Set-Cookie") continue;
      ++cookies;
      EXPECT_NE(value.find("SameSite=Strict"), std::string::npos) << value;
      EXPECT_EQ(value.find("; Secure") != std::string::npos, secure) << value;
    }
    EXPECT_EQ(cookies, 2);
  }
}

}  // namespace
