#pragma once
// A clinic server on the throwaway PostgreSQL cluster, for the clinic tests (clinic_test.cpp,
// clinic_sharing_test.cpp): `mitra serve --clinic` in-process with a clock the test moves,
// invitations made on the clinic's tables directly, and browsers that sign up and sign in.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/clinic.hpp"
#include "http_client.hpp"
#include "pg_cluster.hpp"
#include "server/server.hpp"
#include "store/clinic.hpp"

namespace mitra::testing {

namespace clinic_http = boost::beast::http;

// What a browser keeps after signing in.
struct Browser {
  std::string session;
  std::string csrf;
  std::map<std::string, std::string> headers(bool with_csrf = true) const {
    std::map<std::string, std::string> out{
        {"Cookie", "mitra_session=" + session + "; mitra_csrf=" + csrf}};
    if (with_csrf) out["X-CSRF-Token"] = csrf;
    return out;
  }
};

// The value of cookie `name` among Set-Cookie headers.
inline std::string set_cookie(const Reply& reply, const std::string& name) {
  for (const auto& cookie : reply.cookies) {
    if (cookie.rfind(name + "=", 0) == 0) {
      return cookie.substr(name.size() + 1, cookie.find(';') - name.size() - 1);
    }
  }
  return "";
}

// A token as MITRA_TOKEN would give local mode.
inline const std::string kToken =
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

class ClinicServer : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = new_pg_database();
    ASSERT_TRUE(database.error.empty()) << database.error;
    url_ = database.url;
    auto clinic = store::open_clinic(url_);
    ASSERT_TRUE(clinic) << clinic.error().message;
    clinic_ = std::move(*clinic);
    servers_.push_back(start());
    ASSERT_TRUE(servers_.back());
  }

  std::unique_ptr<server::Server> start() {
    server::ServerOptions options;
    options.port = 0;
    options.database = url_;
    options.clinic = true;
    options.token = kToken;
    options.zone_override = "UTC";
    options.clock = [this] { return core::Instant{std::chrono::seconds{seconds_.load()}}; };
    auto started = server::Server::start(options);
    EXPECT_TRUE(started) << started.error().message;
    return started ? std::move(*started) : nullptr;
  }

  core::Instant now() const { return core::Instant{std::chrono::seconds{seconds_.load()}}; }
  void advance(std::chrono::seconds by) { seconds_ += by.count(); }

  std::string invite(const std::string& role = "person") {
    auto made = app::invite(*clinic_, role, "", now());
    EXPECT_TRUE(made) << made.error().message;
    return made ? made->code : "";
  }

  Reply send(clinic_http::verb method, const std::string& target, const std::string& body,
             const std::map<std::string, std::string>& headers = {}, std::size_t instance = 0) {
    std::vector<std::pair<std::string, std::string>> fields(headers.begin(), headers.end());
    return mitra::testing::send(servers_.at(instance)->port(), method, target, body, fields);
  }

  Reply sign_up(const std::string& code, const std::string& username,
                const std::string& password = "a long enough passphrase") {
    return send(
        clinic_http::verb::post, "/api/v1/auth/signup",
        nlohmann::json{{"invite", code}, {"username", username}, {"password", password}}.dump());
  }

  Reply log_in(const std::string& username, const std::string& password, std::size_t instance = 0) {
    return send(clinic_http::verb::post, "/api/v1/auth/login",
                nlohmann::json{{"username", username}, {"password", password}}.dump(), {},
                instance);
  }

  // Signs up with a fresh invitation for `role` and signs in.
  Browser person(const std::string& username, std::size_t instance = 0,
                 const std::string& role = "person") {
    EXPECT_EQ(sign_up(invite(role), username).status, 201u);
    const auto in = log_in(username, "a long enough passphrase", instance);
    EXPECT_EQ(in.status, 200u) << in.body;
    return {set_cookie(in, "mitra_session"), set_cookie(in, "mitra_csrf")};
  }

  // The account id of `username`, as GET /api/v1/people names people.
  std::string account_id(const std::string& username) {
    auto account = clinic_->find_account(username);
    EXPECT_TRUE(account && *account) << username;
    return account && *account ? (**account).id : "";
  }

  std::string url_;
  std::unique_ptr<store::ClinicRecords> clinic_;
  std::atomic<long long> seconds_{1'800'000'000};
  std::vector<std::unique_ptr<server::Server>> servers_;
};

}  // namespace mitra::testing
