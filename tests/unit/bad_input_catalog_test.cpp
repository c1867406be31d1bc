// The bad-input catalog (tests/bad_inputs/*.json): each entry is an input a careless user or an
// attacker might send, with the status or exit code it must get and the field its error must
// name; after each, the journal must be exactly as it was. One runner for HTTP (a real server
// per entry) and one for the CLI (the real binary).

#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "server/server.hpp"
#include "test_support.hpp"

namespace {

namespace http = boost::beast::http;
using mitra::testing::read_file;
using nlohmann::json;

std::vector<json> load(const std::string& name) {
  const auto path = std::string(MITRA_SOURCE_DIR) + "/tests/bad_inputs/" + name;
  const auto doc = json::parse(read_file(path), nullptr, false);
  if (!doc.is_array()) {
    ADD_FAILURE() << path << " is not a JSON array";
    return {};
  }
  return {doc.begin(), doc.end()};
}

// Everything the journal holds, as SQL: any change at all shows.
std::string dump(const mitra::testing::TempDir& dir, const std::string& db) {
  const auto result = mitra::testing::run_shell("sqlite3 -readonly '" + db + "' .dump", dir);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

std::string entry_name(const ::testing::TestParamInfo<json>& info) {
  return info.param.at("name").get<std::string>();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// ---- HTTP ----

class HttpBadInput : public ::testing::TestWithParam<json> {
 protected:
  void SetUp() override {
    mitra::server::ServerOptions options;
    options.port = 0;
    options.database = dir_.file("journal.db");
    options.zone_override = "UTC";
    options.clock = [] {
      return std::chrono::sys_seconds{std::chrono::seconds{1'764'590'400}};  // 2025-12-01 12:00Z
    };
    auto started = mitra::server::Server::start(options);
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(*started);
    // The journal every entry starts from: a dose, another substance, a product.
    const auto dose = send(http::verb::post, "/api/v1/doses",
                           R"({"amount": "2.5g", "at": "2025-12-01T08:00:00Z"})");
    ASSERT_EQ(dose.status, 201u) << dose.body;
    dose_id_ = dose.document()["id"].get<std::string>();
    ASSERT_EQ(send(http::verb::post, "/api/v1/substance-uses",
                   R"({"substance": "alcohol", "at": "2025-11-30T20:00:00Z"})")
                  .status,
              201u);
    ASSERT_EQ(send(http::verb::post, "/api/v1/products",
                   R"({"name": "Red caps", "form": "capsules", "capsule_weight": "500mg"})")
                  .status,
              201u);
    before_ = journal();
  }

  void TearDown() override { server_.reset(); }

  mitra::testing::Reply send(http::verb method, const std::string& target, const std::string& body,
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.insert(headers.begin(), {"Authorization", "Bearer " + server_->token()});
    return mitra::testing::send(server_->port(), method, target, body, headers);
  }

  std::string journal() { return dump(dir_, dir_.file("journal.db")); }

  std::string fill(std::string text) {
    replace_all(text, "{dose_id}", dose_id_);
    replace_all(text, "{port}", std::to_string(server_->port()));
    replace_all(text, "{token}", server_->token());
    return text;
  }

  mitra::testing::TempDir dir_;
  std::unique_ptr<mitra::server::Server> server_;
  std::string dose_id_;
  std::string before_;
};

TEST_P(HttpBadInput, IsRefusedNamingTheFieldAndChangesNothing) {
  const json& entry = GetParam();
  const std::string method_text = entry.at("method");
  const auto method = http::string_to_verb(method_text);
  ASSERT_NE(method, http::verb::unknown) << method_text;
  std::string body;
  if (entry.contains("json")) body = entry["json"].dump();
  if (entry.contains("body")) body = entry["body"].get<std::string>();
  if (entry.contains("repeat")) {
    std::string repeated;
    for (int i = 0; i < entry["repeat"].get<int>(); ++i) repeated += body;
    body = repeated;
  }
  body = fill(body);
  std::vector<std::pair<std::string, std::string>> headers;
  const std::string auth = entry.value("auth", "bearer");
  if (auth == "none") headers.emplace_back("Authorization", "");
  if (auth == "wrong") headers.emplace_back("Authorization", "Bearer " + std::string(64, '0'));
  const json extra = entry.contains("headers") ? entry["headers"] : json::object();
  for (const auto& [name, value] : extra.items()) {
    headers.emplace_back(name, fill(value.get<std::string>()));
  }
  const auto reply = send(method, fill(entry.at("path")), body, headers);
  EXPECT_EQ(reply.status, entry.at("status").get<unsigned>()) << reply.body;
  if (entry.contains("field")) {
    EXPECT_EQ(reply.error_field(), entry["field"].get<std::string>()) << reply.body;
  }
  if (entry.contains("code")) {
    EXPECT_EQ(reply.document()["error"]["code"], entry["code"]) << reply.body;
  }
  if (reply.status >= 400) {
    // Every refusal is a sentence a person can act on.
    const auto message = reply.document()["error"]["message"];
    EXPECT_TRUE(message.is_string() && message.get<std::string>().size() > 10) << reply.body;
  }
  EXPECT_EQ(journal(), before_) << "the journal changed";
}

INSTANTIATE_TEST_SUITE_P(Catalog, HttpBadInput, ::testing::ValuesIn(load("http.json")), entry_name);

// ---- CLI ----

class CliBadInputCatalog : public ::testing::TestWithParam<json> {
 protected:
  void SetUp() override {
    ASSERT_EQ(mitra("log 2.5g --at 2026-01-10T08:00:00Z").exit_code, 0);
    ASSERT_EQ(mitra("use alcohol --at 2026-01-09T20:00:00Z").exit_code, 0);
    ASSERT_EQ(mitra("product 'Red caps' --form capsules --capsule-weight 500mg").exit_code, 0);
    const auto list = json::parse(mitra("list").out, nullptr, false);
    ASSERT_TRUE(list.contains("doses") && !list["doses"].empty()) << list.dump();
    dose_id_ = list["doses"][0]["id"].get<std::string>();
    before_ = journal();
  }

  mitra::testing::RunResult mitra(const std::string& args) {
    return mitra::testing::run_shell(
        "cd '" + dir_.path().string() + "' && MITRA_DB= '" + std::string(MITRA_BINARY) +
            "' --db '" + db() + "' --tz Europe/Berlin --now 2026-01-10T12:00:00Z --json " + args,
        dir_);
  }
  std::string db() const { return dir_.file("journal.db"); }
  std::string journal() { return dump(dir_, db()); }

  mitra::testing::TempDir dir_;
  std::string dose_id_;
  std::string before_;
};

TEST_P(CliBadInputCatalog, IsRefusedNamingTheFieldAndChangesNothing) {
  const json& entry = GetParam();
  const json files = entry.contains("files") ? entry["files"] : json::object();
  for (const auto& [name, content] : files.items()) {
    std::string text = content.is_string() ? content.get<std::string>() : content.dump();
    if (entry.contains("repeat")) {
      std::string repeated;
      for (int i = 0; i < entry["repeat"].get<int>(); ++i) repeated += text;
      text = repeated;
    }
    mitra::testing::write_file(dir_.file(name), text);
  }
  std::string args = entry.at("args").get<std::string>();
  replace_all(args, "{dose_id}", dose_id_);
  const auto result = mitra(args);
  EXPECT_EQ(result.exit_code, entry.at("exit").get<int>()) << result.err << result.out;
  const auto error = json::parse(result.err, nullptr, false);
  if (entry.contains("field")) {
    ASSERT_FALSE(error.is_discarded()) << "not a JSON error: " << result.err;
    EXPECT_EQ(error["error"]["field"], entry["field"]) << result.err;
  }
  if (entry.contains("message_has")) {
    EXPECT_NE(result.err.find(entry["message_has"].get<std::string>()), std::string::npos)
        << result.err;
  }
  EXPECT_EQ(journal(), before_) << "the journal changed";
}

INSTANTIATE_TEST_SUITE_P(Catalog, CliBadInputCatalog, ::testing::ValuesIn(load("cli.json")),
                         entry_name);

// The catalog keeps its promise of size and shape.
TEST(BadInputCatalog, HoldsAtLeastAHundredNamedEntries) {
  const auto http_entries = load("http.json");
  const auto cli_entries = load("cli.json");
  EXPECT_GE(http_entries.size() + cli_entries.size(), 100u);
  for (const auto& list : {http_entries, cli_entries}) {
    std::set<std::string> names;  // Each runner names its tests by them.
    for (const auto& e : list) {
      EXPECT_TRUE(e.contains("why")) << e.dump();
      EXPECT_TRUE(names.insert(e.at("name").get<std::string>()).second)
          << "two entries named " << e["name"];
    }
  }
}

}  // namespace
