// libFuzzer harness: every API body decoder. The server's own route table (api_routes()) is
// called as the writer thread calls it: the first byte picks a route that takes a body (POST,
// PUT, PATCH, DELETE), the rest is the body. The journal is a throwaway SQLite file in a
// temporary folder, made once per process with settings, a dose, a substance use and a plan
// (so PATCH, DELETE and the plan routes reach their decoders); each input runs in a batch that
// is rolled back, so every input sees the same journal. Properties: no crash, no exception
// (the server would answer 500), every refusal names what was wrong.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "fuzz_check.hpp"
#include "server/api.hpp"
#include "store/store.hpp"

namespace http = boost::beast::http;
using namespace mitra;

namespace {

const core::Instant kNow{std::chrono::seconds{1767945600}};  // 2026-01-09T08:00:00Z

struct Journal {
  std::filesystem::path folder;
  std::unique_ptr<store::Store> store;
  std::vector<server::Route> writes;  // The routes that take a body.
  std::string dose_id;
  std::string use_id;

  Journal() {
    char name[] = "/tmp/mitra-fuzz-api-XXXXXX";
    FUZZ_CHECK(mkdtemp(name) != nullptr, "cannot make a temporary folder");
    folder = name;
    auto opened =
        store::open_store((folder / "journal.db").string(), store::OpenMode::create_if_missing);
    FUZZ_CHECK(opened.has_value(), "cannot open the journal");
    store = std::move(*opened);
    for (auto& route : server::api_routes()) {
      if (route.method != http::verb::get) writes.push_back(std::move(route));
    }
    FUZZ_CHECK(!writes.empty(), "no write routes");
    // The journal every input starts from, made through the routes themselves.
    dose_id = id_of(call(http::verb::post, "/api/v1/doses", R"({"amount":"2g","note":"seed"})"));
    use_id = id_of(call(http::verb::post, "/api/v1/substance-uses", R"({"substance":"alcohol"})"));
    (void)call(http::verb::put, "/api/v1/settings",
               R"({"zone":"Europe/Berlin","day_start":"04:00"})");
    (void)call(http::verb::post, "/api/v1/plans",
               R"({"goal":"stop","pace":"steady","pattern":)"
               R"({"doses_per_day":3,"interval_hours":4,"amount_per_dose":"2g"}})");
  }

  ~Journal() {
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }

  std::string call(http::verb method, const std::string& path, const std::string& body) {
    for (const auto& route : writes) {
      if (route.method != method || route.pattern != path) continue;
      auto context = app::make_context(*store, kNow, "", "UTC");
      FUZZ_CHECK(context.has_value(), "no context");
      server::Request request;
      request.method = method;
      request.path = path;
      request.body = body;
      auto response = route.handler(request, *context);
      if (!response) {
        std::cerr << "fuzz_api_body: seeding " << path << " failed: " << response.error().message
                  << "\n";
        return "";
      }
      return response->render ? response->render() : response->body;
    }
    return "";
  }

  static std::string id_of(const std::string& body) {
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_object() && doc.contains("id") && doc["id"].is_string()) return doc["id"];
    return "0123456789abcdef0123456789abcdef";
  }
};

Journal& journal() {
  static Journal j;
  return j;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto& j = journal();
  const auto& route = j.writes[data[0] % j.writes.size()];
  server::Request request;
  request.method = route.method;
  request.path = route.pattern;
  request.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (route.pattern.find("{id}") != std::string::npos) {
    request.params["id"] =
        route.pattern.find("substance-uses") != std::string::npos ? j.use_id : j.dose_id;
  }

  auto& store = *j.store;
  FUZZ_CHECK(store.begin_batch().has_value(), "begin_batch failed");
  FUZZ_CHECK(store.begin_batch_item().has_value(), "begin_batch_item failed");
  auto context = app::make_context(store, kNow, "", "UTC");
  FUZZ_CHECK(context.has_value(), "no context");
  auto response = route.handler(request, *context);
  if (response) {
    if (response->render) (void)response->render();
  } else {
    const auto& error = response.error();
    FUZZ_CHECK(!error.message.empty(), "a refusal without a message");
  }
  (void)store.end_batch_item(store::Store::BatchItemEnd::keep);
  store.rollback_batch();
  return 0;
}
