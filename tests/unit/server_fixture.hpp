#pragma once
// The fixture of the in-process HTTP tests of `mitra serve`: a real server on an ephemeral
// port, a fresh SQLite database per test, and a Beast client (or a raw socket).

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server/server.hpp"

namespace {

namespace http = boost::beast::http;
using mitra::testing::Reply;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }

  void start() {
    directory_ =
        std::filesystem::temp_directory_path() /
        ("mitra-server-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(directory_);
    mitra::server::ServerOptions options;
    options.port = 0;
    options.database = (directory_ / "journal.db").string();
    options.zone_override = "UTC";
    options.read_timeout = std::chrono::milliseconds(300);
    options.max_body_bytes = 64 * 1024;
    options.max_header_count = 20;
    options.max_uri_bytes = 512;
    auto started = mitra::server::Server::start(options);
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(*started);
  }

  void TearDown() override {
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(directory_, ec);
  }

  Reply send(http::verb method, const std::string& target, const std::string& body = "",
             std::map<std::string, std::string> headers = {{"Authorization", "bearer"}}) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (const auto& [name, value] : headers) {
      fields.emplace_back(name, name == "Authorization" && value == "bearer"
                                    ? "Bearer " + server_->token()
                                    : value);
    }
    return mitra::testing::send(server_->port(), method, target, body, fields);
  }

  Reply get(const std::string& target) { return send(http::verb::get, target); }
  Reply post(const std::string& target, const std::string& body) {
    return send(http::verb::post, target, body);
  }

  // Sends `bytes` as they are and reads one response.
  Reply raw(const std::string& bytes) { return mitra::testing::send_raw(server_->port(), bytes); }

  int dose_count() {
    const auto list = get("/api/v1/doses").document();
    return static_cast<int>(list["doses"].size());
  }

  void expect_still_serving() { EXPECT_EQ(get("/api/v1/status").status, 200u); }

  std::filesystem::path directory_;
  std::unique_ptr<mitra::server::Server> server_;
  static inline int counter_ = 0;
};

}  // namespace
