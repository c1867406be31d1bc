#include "server/response_text.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/beast/http.hpp>

#include "server/security.hpp"

namespace mitra::server {
namespace {

namespace http = boost::beast::http;

// The message Session::write built with Beast before response_text, serialized by Beast.
std::string beast_text(const Response& response, bool keep_alive, bool head) {
  http::response<http::string_body> message;
  message.version(11);
  message.result(response.status);
  message.set(http::field::server, "mitra");
  message.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : security_headers()) message.set(name, value);
  // A header the response sets itself replaces the default of that name.
  for (const auto& [name, value] : response.headers) message.erase(name);
  for (const auto& [name, value] : response.headers) message.insert(name, value);
  message.body() = response.body;
  message.keep_alive(keep_alive);
  message.prepare_payload();
  if (head) {
    const auto length = message.body().size();
    message.body().clear();
    message.content_length(length);
  }
  std::ostringstream out;
  out << message;
  return out.str();
}

Response response_of(http::status status, std::string body, std::string content_type,
                     std::vector<std::pair<std::string, std::string>> headers) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  r.headers = std::move(headers);
  return r;
}

TEST(ResponseText, IsWhatBeastWritesForTheSameMessage) {
  const std::vector<Response> responses{
      response_of(http::status::ok, R"({"status":"ok"})", "application/json", {}),
      response_of(http::status::created, R"({"id":"x","note":"é \"q\""})", "application/json", {}),
      response_of(http::status::ok, "", "application/json", {}),
      response_of(http::status::ok, std::string(100'000, 'a'), "text/javascript; charset=utf-8",
                  {{"Service-Worker-Allowed", "/"}}),
      response_of(http::status::ok, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                  "text/calendar; charset=utf-8",
                  {{"Content-Disposition", "attachment; filename=\"mitra-plan.ics\""}}),
      response_of(http::status::see_other, "", "text/plain",
                  {{"Set-Cookie", "a=1; HttpOnly; SameSite=Strict; Path=/"},
                   {"Location", "/"},
                   {"set-cookie", "b=2; SameSite=Strict; Path=/"}}),
      response_of(http::status::bad_request, R"({"error":{"code":"invalid_input"}})",
                  "application/json", {{"Cache-Control", "max-age=60"}}),
      response_of(http::status::not_found, "{}", "application/json", {}),
      response_of(http::status::method_not_allowed, "{}", "application/json", {}),
      response_of(http::status::payload_too_large, "{}", "application/json", {}),
      response_of(http::status::uri_too_long, "{}", "application/json", {}),
      response_of(http::status::internal_server_error, "{}", "application/json", {}),
      response_of(http::status::service_unavailable, "{}", "application/json", {}),
  };
  for (const auto& response : responses) {
    for (const bool keep_alive : {true, false}) {
      for (const bool head : {false, true}) {
        EXPECT_EQ(response_text(response, keep_alive, head), beast_text(response, keep_alive, head))
            << "status " << static_cast<unsigned>(response.status) << ", keep-alive " << keep_alive
            << ", head " << head;
      }
    }
  }
}

TEST(ResponseText, RefusesHeadersThatWouldSplitTheResponse) {
  auto split_value =
      response_of(http::status::ok, "{}", "application/json", {{"X-A", "1\r\nX-Evil: 2"}});
  EXPECT_THROW(response_text(split_value, true, false), std::invalid_argument);
  auto split_name = response_of(http::status::ok, "{}", "application/json", {{"X-A\nB", "1"}});
  EXPECT_THROW(response_text(split_name, true, false), std::invalid_argument);
  auto split_type = response_of(http::status::ok, "{}", "text/plain\r\nX-Evil: 1", {});
  EXPECT_THROW(response_text(split_type, true, false), std::invalid_argument);
}

// Here response_text keeps to RFC 9110 where Beast does not.
TEST(ResponseText, StatusesWithoutABodyHaveNoContentLength) {
  for (const auto status : {http::status::no_content, http::status::not_modified}) {
    const auto text = response_text(response_of(status, "", "text/plain", {}), true, false);
    EXPECT_EQ(text.find("Content-Length"), std::string::npos) << text;
    EXPECT_TRUE(text.ends_with("\r\n\r\n")) << text;
  }
}

TEST(ResponseText, RefusesABodyOnAStatusThatHasNone) {
  EXPECT_THROW(
      response_text(response_of(http::status::no_content, "x", "text/plain", {}), true, false),
      std::invalid_argument);
}

}  // namespace
}  // namespace mitra::server
