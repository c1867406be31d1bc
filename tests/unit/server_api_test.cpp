// In-process HTTP tests of the API resources the web app's forms and settings use:
// instruments, check-in and reflection history, help, settings, profile, products, plan
// actions, and Idempotency-Key on every create. A real server on an ephemeral port, a fresh
// SQLite database per test, the clock pinned, and no zone override (so saved settings apply).

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "server/server.hpp"
#include "store/store.hpp"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using nlohmann::json;

using mitra::testing::Reply;

constexpr const char* kSowsAnswers = R"([0,1,2,3,4,0,1,2,3,4,0,1,2,3,4,0])";
constexpr const char* kDsm5Answers =
    R"([true, false, false, true, false, false, false, false, false, true, true])";

class ServerApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() /
        ("mitra-server-api-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(directory_);
    mitra::server::ServerOptions options;
    options.port = 0;
    options.database = database();
    options.fallback_zone = "UTC";
    options.clock = [this] { return now_; };
    auto started = mitra::server::Server::start(options);
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(*started);
  }

  void TearDown() override {
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(directory_, ec);
  }

  std::string database() const { return (directory_ / "journal.db").string(); }

  Reply send(http::verb method, const std::string& target, const std::string& body = "",
             const std::string& idempotency_key = "") {
    std::vector<std::pair<std::string, std::string>> headers{
        {"Authorization", "Bearer " + server_->token()}};
    if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
    return mitra::testing::send(server_->port(), method, target, body, headers);
  }

  Reply get(const std::string& target) { return send(http::verb::get, target); }
  Reply post(const std::string& target, const std::string& body, const std::string& key = "") {
    return send(http::verb::post, target, body, key);
  }
  Reply put(const std::string& target, const std::string& body) {
    return send(http::verb::put, target, body);
  }

  // Three 2 g doses today, so a plan can be made from the journal.
  void log_three_doses() {
    for (const char* at : {"6h ago", "3h ago", "1h ago"}) {
      ASSERT_EQ(post("/api/v1/doses", json{{"amount", "2g"}, {"at", at}}.dump()).status, 201u);
    }
  }

  std::unique_ptr<mitra::store::Store> open_journal() {
    auto store = mitra::store::open_store(database(), mitra::store::OpenMode::read_write);
    EXPECT_TRUE(store) << store.error().message;
    return std::move(*store);
  }

  int assessments_stored(const std::string& instrument) {
    auto rows = open_journal()->list_assessments(instrument, {});
    return rows ? static_cast<int>(rows->size()) : -1;
  }

  // 2026-03-10 15:00 UTC.
  mitra::core::Instant now_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 10} +
                            std::chrono::hours{15}};
  std::filesystem::path directory_;
  std::unique_ptr<mitra::server::Server> server_;
  static inline int counter_ = 0;
};

// ---- Instruments ----

TEST_F(ServerApiTest, ListsEveryInstrumentWithItemsChoicesBandsAndSources) {
  const auto reply = get("/api/v1/instruments");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const auto doc = reply.document();
  std::map<std::string, json> by_id;
  for (const auto& i : doc["instruments"]) by_id[i["id"]] = i;
  ASSERT_EQ(by_id.size(), 5u);
  const auto& sows = by_id.at("sows");
  EXPECT_EQ(sows["kind"], "scale");
  EXPECT_EQ(sows["items"].size(), 16u);
  EXPECT_EQ(sows["items"][0]["choices"].size(), 5u);
  EXPECT_EQ(sows["items"][0]["choices"][4]["score"], 4);
  EXPECT_EQ(sows["max_total"], 64);
  EXPECT_FALSE(sows["bands"].empty());
  EXPECT_EQ(sows["post_to"], "/api/v1/checkins");
  EXPECT_EQ(by_id.at("dsm5")["kind"], "yes_no");
  EXPECT_EQ(by_id.at("dsm5")["items"].size(), 11u);
  EXPECT_EQ(by_id.at("dsm5")["post_to"], "/api/v1/reflections");
  EXPECT_EQ(by_id.at("checkin")["aliases"], json::array({"daily"}));
  for (const auto& [id, instrument] : by_id) {
    ASSERT_FALSE(instrument["sources"].empty()) << id;
    for (const auto& key : instrument["sources"]) {
      EXPECT_TRUE(doc["references"].contains(key.get<std::string>())) << id << " " << key;
    }
  }
}

TEST_F(ServerApiTest, ShowsOneInstrumentAndTakesDailyForTheCheckIn) {
  const auto daily = get("/api/v1/instruments/daily");
  ASSERT_EQ(daily.status, 200u) << daily.body;
  EXPECT_EQ(daily.document()["id"], "checkin");
  EXPECT_EQ(daily.document()["items"].size(), 3u);
  EXPECT_FALSE(daily.document()["references"].empty());
  const auto unknown = get("/api/v1/instruments/phq9");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.error_field(), "instrument");
}

// ---- History ----

TEST_F(ServerApiTest, ListsPastCheckInsAndReflectionsWithTheLatestChange) {
  ASSERT_EQ(
      post("/api/v1/checkins", std::string(R"({"scale": "sows", "answers": )") + kSowsAnswers + "}")
          .status,
      201u);
  now_ += std::chrono::hours{24};
  ASSERT_EQ(
      post("/api/v1/checkins", R"({"scale": "sows", "answers": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]})")
          .status,
      201u);
  ASSERT_EQ(post("/api/v1/checkins", R"({"scale": "daily", "answers": [3, 4, 5]})").status, 201u);
  ASSERT_EQ(post("/api/v1/reflections",
                 std::string(R"({"instrument": "dsm5", "answers": )") + kDsm5Answers + "}")
                .status,
            201u);

  const auto checkins = get("/api/v1/checkins").document();
  ASSERT_EQ(checkins["history"].size(), 2u) << checkins.dump();  // sows and checkin, no dsm5.
  const auto& sows = checkins["history"][0];
  EXPECT_EQ(sows["instrument"], "sows");
  ASSERT_EQ(sows["entries"].size(), 2u);
  EXPECT_EQ(sows["entries"][0]["total"], 30);
  EXPECT_EQ(sows["entries"][1]["total"], 1);
  EXPECT_EQ(sows["change"], -29);
  EXPECT_EQ(sows["entries"][1]["taken_at"], "2026-03-11T15:00:00Z");
  const auto daily = get("/api/v1/checkins?instrument=daily").document();
  ASSERT_EQ(daily["history"].size(), 1u);
  EXPECT_EQ(daily["history"][0]["entries"][0]["items"],
            (json{{"sleep", 3}, {"mood", 4}, {"craving", 5}}));
  EXPECT_EQ(daily["history"][0]["change"], nullptr);

  const auto latest = get("/api/v1/checkins?instrument=sows&limit=1").document();
  ASSERT_EQ(latest["history"][0]["entries"].size(), 1u);
  EXPECT_EQ(latest["history"][0]["entries"][0]["total"], 1);

  const auto reflections = get("/api/v1/reflections").document();
  ASSERT_EQ(reflections["history"].size(), 1u);
  EXPECT_EQ(reflections["history"][0]["instrument"], "dsm5");
  EXPECT_EQ(reflections["history"][0]["entries"][0]["band"], "moderate");
}

TEST_F(ServerApiTest, RefusesAHistoryQueryForAnotherOrUnknownInstrumentOrABadLimit) {
  for (const auto& [target, field] :
       {std::pair{"/api/v1/checkins?instrument=dsm5", "instrument"},
        std::pair{"/api/v1/reflections?instrument=sows", "instrument"},
        std::pair{"/api/v1/checkins?instrument=phq9", "instrument"},
        std::pair{"/api/v1/checkins?limit=0", "limit"},
        std::pair{"/api/v1/checkins?limit=ten", "limit"},
        std::pair{"/api/v1/reflections?days=-1", "days"}}) {
    const auto reply = get(target);
    EXPECT_EQ(reply.status, 400u) << target;
    EXPECT_EQ(reply.error_field(), field) << target;
  }
}

// ---- Help ----

TEST_F(ServerApiTest, ListsHelpResourcesWithTheirSources) {
  const auto reply = get("/api/v1/help");
  ASSERT_EQ(reply.status, 200u);
  const auto doc = reply.document();
  bool lifeline = false;
  for (const auto& r : doc["resources"]) {
    if (r["id"] == "lifeline_988") {
      lifeline = r["contact"].get<std::string>().find("988") != std::string::npos;
    }
    ASSERT_FALSE(r["sources"].empty()) << r.dump();
    for (const auto& key : r["sources"]) {
      EXPECT_TRUE(doc["references"].contains(key.get<std::string>())) << key;
    }
  }
  EXPECT_TRUE(lifeline);
  EXPECT_FALSE(doc["pathways"].empty());
}

TEST_F(ServerApiTest, ListsEveryReferenceSoEverySourceKeyResolves) {
  const auto reply = get("/api/v1/sources");
  ASSERT_EQ(reply.status, 200u);
  std::set<std::string> keys;
  const auto doc = reply.document();
  for (const auto& r : doc["references"]) {
    EXPECT_FALSE(r["title"].get<std::string>().empty()) << r.dump();
    keys.insert(r["key"].get<std::string>());
  }
  EXPECT_TRUE(keys.count("A1") && keys.count("S40a")) << "the article's and clinical-facts keys";
  const auto evidence = get("/api/v1/evidence").document();
  for (const auto& fact : evidence["facts"]) {
    for (const auto& key : fact["sources"]) EXPECT_TRUE(keys.count(key.get<std::string>())) << key;
  }
}

TEST_F(ServerApiTest, MakesAPlanFromAGivenPatternWhenTheJournalIsEmpty) {
  for (const auto& [body, field] :
       {std::pair{R"({"pattern": {"doses_per_day": 6}})", "pattern"},
        std::pair{
            R"({"pattern": {"doses_per_day": "6", "interval_hours": 3, "amount_per_dose": "2g"}})",
            "pattern.doses_per_day"},
        std::pair{
            R"({"pattern": {"doses_per_day": 6, "interval_hours": 3, "amount_per_dose": "lots"}})",
            "amount"},
        std::pair{
            R"({"pattern": {"doses_per_day": 0, "interval_hours": 3, "amount_per_dose": "2g"}})",
            "pattern.doses_per_day"},
        std::pair{R"({"pattern": []})", "pattern"}}) {
    const auto reply = post("/api/v1/plans", body);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_EQ(reply.error_field(), field) << body;
  }
  EXPECT_EQ(get("/api/v1/plans/current").status, 404u) << "nothing stored";
  const auto made = post("/api/v1/plans",
                         R"({"pattern": {"doses_per_day": 6, "interval_hours": 3,
                             "amount_per_dose": "2.5g"}})");
  ASSERT_EQ(made.status, 201u) << made.body;
  EXPECT_EQ(made.document()["inputs"]["pattern"],
            (json{{"doses_per_day", 6}, {"interval_hours", 3}, {"amount_per_dose", 2.5}}));
}

// The Journal page asks for "30 days ago", read from the server's now (not the browser's UTC
// date, which moved the window's edge by a day for people far from UTC).
TEST_F(ServerApiTest, JournalWindowIsReadRelativeToTheServersNow) {
  ASSERT_EQ(post("/api/v1/doses", R"({"amount": "2g", "at": "29 days ago"})").status, 201u);
  ASSERT_EQ(post("/api/v1/doses", R"({"amount": "3g", "at": "31 days ago"})").status, 201u);
  const auto window = get("/api/v1/doses?from=30%20days%20ago").document();
  ASSERT_EQ(window["doses"].size(), 1u) << window.dump();
  EXPECT_EQ(window["doses"][0]["amount"], 2);
}

// ---- Settings ----

TEST_F(ServerApiTest, SavesTheZoneAndDayStartAndUsesThem) {
  const auto before = get("/api/v1/settings").document();
  EXPECT_EQ(before, (json{{"zone", "UTC"},
                          {"zone_in_use", "UTC"},
                          {"day_start", "04:00"},
                          {"configured", false},
                          {"language", nullptr}}));
  const auto saved = put("/api/v1/settings", R"({"zone": "Europe/Berlin", "day_start": "05:30"})");
  ASSERT_EQ(saved.status, 200u) << saved.body;
  const auto expected = json{{"zone", "Europe/Berlin"},
                             {"zone_in_use", "Europe/Berlin"},
                             {"day_start", "05:30"},
                             {"configured", true},
                             {"language", nullptr}};
  EXPECT_EQ(saved.document(), expected);
  EXPECT_EQ(get("/api/v1/settings").document(), expected);
  // Only the day start: the zone stays.
  ASSERT_EQ(put("/api/v1/settings", R"({"day_start": "03:00"})").status, 200u);
  EXPECT_EQ(get("/api/v1/settings").document()["zone"], "Europe/Berlin");
}

// Issue 18, item 6: the browser's Accept-Language picks the language of the clinical texts,
// and the saved setting wins over it; null follows the browser again.
TEST_F(ServerApiTest, AnswersInTheAcceptedLanguageUnlessTheSavedSettingSaysOtherwise) {
  const auto help = [&](const std::string& accept) {
    return mitra::testing::send(
               server_->port(), http::verb::get, "/api/v1/help", "",
               {{"Authorization", "Bearer " + server_->token()}, {"Accept-Language", accept}})
        .document();
  };
  EXPECT_EQ(get("/api/v1/help").document()["language"], "en");
  const auto spanish = help("es-MX,es;q=0.9,en;q=0.5");
  EXPECT_EQ(spanish["language"], "es");
  EXPECT_NE(spanish.dump().find("en inglés y en español"), std::string::npos);
  EXPECT_EQ(help("fr-FR, de;q=0.5")["language"], "en");

  const auto saved = put("/api/v1/settings", R"({"language": "es"})");
  ASSERT_EQ(saved.status, 200u) << saved.body;
  EXPECT_EQ(saved.document()["language"], "es");
  EXPECT_EQ(saved.document()["zone"], "UTC");  // Only the language changed.
  EXPECT_EQ(help("en-US")["language"], "es");
  EXPECT_EQ(get("/api/v1/instruments/sows").document()["language_note"].is_string(), true);

  ASSERT_EQ(put("/api/v1/settings", R"({"language": null})").status, 200u);
  EXPECT_EQ(get("/api/v1/settings").document()["language"], nullptr);
  EXPECT_EQ(help("en-US")["language"], "en");
}

// Issue 18, item 6: an error made below the server (core, app, store) reaches a Spanish reader
// in Spanish, on the write path (the writer's group) and the read path; its code and field never
// change, and English is what it always was.
TEST_F(ServerApiTest, AnswersAnErrorInTheRequestsLanguageWithItsCodeAndFieldUnchanged) {
  const auto send = [&](http::verb method, const std::string& target, const std::string& body,
                        const std::string& accept) {
    return mitra::testing::send(
        server_->port(), method, target, body,
        {{"Authorization", "Bearer " + server_->token()}, {"Accept-Language", accept}});
  };
  const std::string tea = R"({"amount": "2g", "form": "tea"})";
  const auto english = send(http::verb::post, "/api/v1/doses", tea, "en-US");
  ASSERT_EQ(english.status, 400u) << english.body;
  EXPECT_EQ(english.document()["error"]["message"],
            "form \"tea\" is not known; use one of leaf_powder, capsules, extract, seven_oh "
            "(7-OH product), liquid_shot or other");

  const auto spanish = send(http::verb::post, "/api/v1/doses", tea, "es-MX,es;q=0.9");
  ASSERT_EQ(spanish.status, 400u) << spanish.body;
  EXPECT_EQ(spanish.document()["error"]["code"], "invalid_input");
  EXPECT_EQ(spanish.document()["error"]["field"], "form");
  EXPECT_EQ(spanish.document()["error"]["message"],
            "form \"tea\" no se reconoce; use uno de estos: leaf_powder, capsules, extract, "
            "seven_oh (producto de 7-OH), liquid_shot o other");

  // A read: the pattern of 0 days.
  const auto days = send(http::verb::get, "/api/v1/pattern?days=0", "", "es");
  ASSERT_EQ(days.status, 400u) << days.body;
  EXPECT_EQ(days.document()["error"]["field"], "days");
  EXPECT_EQ(days.document()["error"]["message"], "days debe ser un número entero de 1 a 3650");

  // The saved setting wins over the browser's language, for errors too.
  ASSERT_EQ(put("/api/v1/settings", R"({"language": "es"})").status, 200u);
  const auto saved = send(http::verb::post, "/api/v1/doses", tea, "en-US");
  EXPECT_EQ(saved.document()["error"]["field"], "form");
  EXPECT_NE(saved.document()["error"]["message"].get<std::string>().find("no se reconoce"),
            std::string::npos)
      << saved.body;
}

// Issue 18: the refusals the server makes itself (the routing, the checks of headers, path and
// body, the doors, a handler's own) reach a Spanish reader in Spanish, with their code and field
// unchanged; English is byte for byte what it was. The saved setting wins where the route knows
// it (a handler's refusal); before a journal is opened, Accept-Language decides.
TEST_F(ServerApiTest, AnswersItsOwnRefusalsInTheRequestsLanguageWithCodeAndFieldUnchanged) {
  const auto send = [&](http::verb method, const std::string& target, const std::string& body,
                        std::vector<std::pair<std::string, std::string>> headers) {
    headers.emplace_back("Authorization", "Bearer " + server_->token());
    return mitra::testing::send(server_->port(), method, target, body, headers);
  };
  struct Case {
    const char* name;
    http::verb method;
    std::string target;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    unsigned status;
    const char* code;
    json field;
    const char* english;
    const char* spanish;
  };
  const std::string taken_at = R"({"amount": "2g", "taken_at": "2026-03-10T08:00:00Z"})";
  const std::vector<Case> cases{
      {"a handler's own refusal (api.cpp)",
       http::verb::post,
       "/api/v1/doses",
       taken_at,
       {},
       400,
       "invalid_input",
       "taken_at",
       "taken_at is the export's name for the time; here it is at, e.g. \"at\": "
       "\"2026-11-30T08:30:00Z\" or \"08:30\".",
       "taken_at es el nombre que da la exportación a la hora; aquí se llama at, p. ej. \"at\": "
       "\"2026-11-30T08:30:00Z\" o \"08:30\"."},
      {"a query out of range (api_support.cpp)",
       http::verb::get,
       "/api/v1/checkins?limit=0",
       "",
       {},
       400,
       "invalid_input",
       "limit",
       "limit must be a whole number from 1 to 1000.",
       "limit debe ser un número entero de 1 a 1000."},
      {"no route (404)",
       http::verb::get,
       "/api/v1/nothing-here",
       "",
       {},
       404,
       "not_found",
       nullptr,
       "There is nothing at /api/v1/nothing-here.",
       "No hay nada en /api/v1/nothing-here."},
      {"another method (405)",
       http::verb::delete_,
       "/api/v1/status",
       "",
       {},
       405,
       "method_not_allowed",
       nullptr,
       "That method is not allowed on /api/v1/status.",
       "Ese método no se permite en /api/v1/status."},
      {"a path not canonical",
       http::verb::get,
       "/api//status",
       "",
       {},
       400,
       "invalid_input",
       "path",
       "The address has an empty segment (// or a trailing /); mitra answers only plain paths "
       "such as /api/v1/doses.",
       "La dirección tiene un segmento vacío (// o una / al final); mitra solo responde a rutas "
       "simples como /api/v1/doses."},
      {"a body of another type",
       http::verb::post,
       "/api/v1/doses",
       R"({"amount": "2g"})",
       {{"Content-Type", "text/plain"}},
       415,
       "unsupported_media_type",
       "Content-Type",
       "The body must be sent with Content-Type: application/json, not text/plain.",
       "El cuerpo debe enviarse con Content-Type: application/json, no text/plain."},
  };
  for (const auto& c : cases) {
    for (const bool spanish : {false, true}) {
      auto headers = c.headers;
      headers.emplace_back("Accept-Language", spanish ? "es-MX,es;q=0.9" : "en-US");
      const auto reply = send(c.method, c.target, c.body, headers);
      ASSERT_EQ(reply.status, c.status) << c.name << ": " << reply.body;
      const auto error = reply.document()["error"];
      EXPECT_EQ(error["code"], c.code) << c.name;
      EXPECT_EQ(error["field"], c.field) << c.name;
      EXPECT_EQ(error["message"], spanish ? c.spanish : c.english) << c.name;
    }
  }

  // Without the token: the doors answer before any journal is read.
  const auto refused = mitra::testing::send(server_->port(), http::verb::get, "/api/v1/status", "",
                                            {{"Accept-Language", "es"}});
  ASSERT_EQ(refused.status, 401u) << refused.body;
  EXPECT_EQ(refused.document()["error"]["code"], "unauthorized");
  EXPECT_EQ(refused.document()["error"]["message"],
            "Abra la dirección que mostró mitra serve, o envíe el token como Authorization: "
            "Bearer.");

  // The saved setting wins over the browser's language for a handler's refusal.
  ASSERT_EQ(put("/api/v1/settings", R"({"language": "es"})").status, 200u);
  const auto saved = send(http::verb::post, "/api/v1/doses", taken_at, {{"Accept-Language", "en"}});
  EXPECT_EQ(saved.document()["error"]["field"], "taken_at");
  EXPECT_EQ(saved.document()["error"]["message"], cases[0].spanish) << saved.body;
}

// The writer's own refusal (503: another program held the journal's write lock past the
// writer's wait) followed Accept-Language, where every other answer follows the saved setting.
TEST_F(ServerApiTest, BugTheWritersOwn503FollowedAcceptLanguageNotTheSavedSetting) {
  ASSERT_EQ(put("/api/v1/settings", R"({"language": "es"})").status, 200u);
  const std::string dose = R"({"amount": "2g"})";
  const auto send_in_english = [&] {
    return mitra::testing::send(
        server_->port(), http::verb::post, "/api/v1/doses", dose,
        {{"Authorization", "Bearer " + server_->token()}, {"Accept-Language", "en-US"}});
  };
  // The same while another program holds the journal's write lock.
  const auto send_while_locked = [&] {
    sqlite3* other = nullptr;
    EXPECT_EQ(sqlite3_open(database().c_str(), &other), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    auto reply = send_in_english();
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    return reply;
  };
  const auto refused = send_while_locked();
  ASSERT_EQ(refused.status, 503u) << refused.body;
  const auto error = refused.document()["error"];
  EXPECT_EQ(error["code"], "unavailable");
  EXPECT_EQ(error["message"].get<std::string>().rfind("No se pudo guardar el cambio (", 0), 0u)
      << refused.body;
  // The lock released, the same request is kept. With the setting cleared, English again.
  EXPECT_EQ(send_in_english().status, 201u);
  ASSERT_EQ(put("/api/v1/settings", R"({"language": null})").status, 200u);
  const auto english = send_while_locked();
  ASSERT_EQ(english.status, 503u) << english.body;
  EXPECT_EQ(english.document()["error"]["message"].get<std::string>().rfind(
                "The change could not be saved (", 0),
            0u)
      << english.body;
}

TEST_F(ServerApiTest, RefusesALanguageItDoesNotSpeakNamingTheField) {
  for (const char* body : {R"({"language": "fr"})", R"({"language": 5})", R"({"language": ""})"}) {
    const auto reply = put("/api/v1/settings", body);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_EQ(reply.document()["error"]["field"], "language") << body;
  }
  EXPECT_EQ(get("/api/v1/settings").document()["language"], nullptr);
}

TEST_F(ServerApiTest, RefusesABadZoneOrDayStartNamingTheFieldAndSavesNothing) {
  for (const auto& [body, field] :
       {std::pair{R"({"zone": "Mars/Olympus"})", "zone"}, std::pair{R"({"zone": 5})", "zone"},
        std::pair{R"({"zone": ""})", "zone"}, std::pair{R"({"day_start": "25:00"})", "day_start"},
        std::pair{R"({"day_start": 4})", "day_start"},
        std::pair{R"({"zone": "UTC", "units": "mg"})", "units"}, std::pair{R"({})", "body"},
        std::pair{R"("UTC")", "body"}}) {
    const auto reply = put("/api/v1/settings", body);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_EQ(reply.error_field(), field) << body;
  }
  const auto unknown_zone = put("/api/v1/settings", R"({"zone": "Mars/Olympus"})").document();
  EXPECT_NE(unknown_zone["error"]["message"].get<std::string>().find("zone \"Mars/Olympus\""),
            std::string::npos);
  EXPECT_EQ(get("/api/v1/settings").document()["configured"], false);
}

// ---- Profile ----

TEST_F(ServerApiTest, SavesAndReadsTheProfile) {
  const auto empty = get("/api/v1/profile");
  ASSERT_EQ(empty.status, 200u);
  EXPECT_EQ(empty.document()["saved"], false);
  const auto saved = put("/api/v1/profile", R"({"reasons": ["pain"], "years_of_use": 2})");
  ASSERT_EQ(saved.status, 200u) << saved.body;
  EXPECT_EQ(saved.document()["saved"], true);
  EXPECT_EQ(saved.document()["profile"]["reasons"], json::array({"pain"}));
  EXPECT_FALSE(saved.document()["pathways"].empty());
  const auto read = get("/api/v1/profile").document();
  EXPECT_EQ(read["profile"], saved.document()["profile"]);
}

TEST_F(ServerApiTest, RefusesABadProfileNamingTheField) {
  for (const auto& [body, field] :
       {std::pair{R"({"years_of_use": "two"})", "profile.years_of_use"},
        std::pair{R"({"reasons": ["pain", "pain"]})", "profile.reasons"},
        std::pair{R"([])", "body"}}) {
    const auto reply = put("/api/v1/profile", body);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_EQ(reply.error_field(), field) << body;
  }
  EXPECT_EQ(get("/api/v1/profile").document()["profile"], (json{{"reasons", json::array()}}));
}

// ---- Doses and substance uses ----

// The answer to a POST is rendered after the commit, on the IO thread (Response::render): it
// must be byte for byte what the list shows for the same record, local time included.
TEST_F(ServerApiTest, PostedDoseAnswerIsTheDoseAsListedAfterTheCommit) {
  ASSERT_EQ(put("/api/v1/settings", R"({"zone": "Europe/Berlin"})").status, 200u);
  const auto created =
      post("/api/v1/doses",
           R"({"amount": "2.5g", "at": "2h ago", "triggers": ["stress"], "note": "after lunch"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.headers.at("content-type"), "application/json");
  const auto list = get("/api/v1/doses").document();
  ASSERT_EQ(list["doses"].size(), 1u);
  EXPECT_EQ(created.body, list["doses"][0].dump());
  // 13:00 UTC is 14:00 in Berlin in March.
  EXPECT_NE(created.document()["taken_at_local"].get<std::string>().find("14:00"),
            std::string::npos)
      << created.body;
}

TEST_F(ServerApiTest, PostedSubstanceUseAnswerIsTheUseAsListedAfterTheCommit) {
  ASSERT_EQ(put("/api/v1/settings", R"({"zone": "Europe/Berlin"})").status, 200u);
  const auto created =
      post("/api/v1/substance-uses", R"({"substance": "alcohol", "at": "1h ago", "note": "wine"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto list = get("/api/v1/doses").document();
  ASSERT_EQ(list["substance_uses"].size(), 1u);
  EXPECT_EQ(created.body, list["substance_uses"][0].dump());
  EXPECT_NE(created.document()["taken_at_local"].get<std::string>().find("15:00"),
            std::string::npos)
      << created.body;
}

TEST_F(ServerApiTest, ARefusedDoseIsAnsweredAtOnceWithTheFieldAndStoresNothing) {
  // Errors are not deferred: the 400 names the field, and the list stays empty.
  const auto refused = post("/api/v1/doses", R"({"amount": "lots"})");
  EXPECT_EQ(refused.status, 400u);
  EXPECT_EQ(refused.error_field(), "amount");
  EXPECT_TRUE(get("/api/v1/doses").document()["doses"].empty());
}

// ---- Products ----

TEST_F(ServerApiTest, SavesAProductAndCountsItsCapsulesInGrams) {
  const auto created = post(
      "/api/v1/products", R"({"name": "Red caps", "form": "capsules", "capsule_weight": "500mg"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.document(), (json{{"name", "Red caps"},
                                      {"form", "capsules"},
                                      {"capsule_mg", 500},
                                      {"teaspoon_mg", nullptr}}));
  const auto list = get("/api/v1/products").document();
  ASSERT_EQ(list["products"].size(), 1u);
  EXPECT_EQ(list["products"][0], created.document());
  ASSERT_EQ(post("/api/v1/doses", R"({"amount": "2caps", "product": "Red caps"})").status, 201u);
  EXPECT_EQ(get("/api/v1/status").document()["today_amount"], 1);
}

TEST_F(ServerApiTest, RefusesABadProductNamingTheField) {
  for (const auto& [body, field] :
       {std::pair{R"({"form": "capsules"})", "name"}, std::pair{R"({"name": 7})", "name"},
        std::pair{R"({"name": "x", "capsule_weight": 500})", "capsule_weight"},
        std::pair{R"({"name": "x", "capsule_weight": "2caps"})", "capsule_weight"},
        std::pair{R"({"name": "x", "teaspoon_weight": "heaps"})", "teaspoon_weight"},
        std::pair{R"({"name": "x", "weight": "1g"})", "weight"}}) {
    const auto reply = post("/api/v1/products", body);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_EQ(reply.error_field(), field) << body;
  }
  EXPECT_TRUE(get("/api/v1/products").document()["products"].empty());
}

// ---- Idempotency-Key on every create ----

TEST_F(ServerApiTest, IdempotencyKeyMakesARetriedCheckInHappenOnce) {
  const std::string body = std::string(R"({"scale": "sows", "answers": )") + kSowsAnswers + "}";
  const auto first = post("/api/v1/checkins", body, "checkin-1");
  ASSERT_EQ(first.status, 201u) << first.body;
  now_ += std::chrono::minutes{1};
  const auto retry = post("/api/v1/checkins", body, "checkin-1");
  ASSERT_EQ(retry.status, 201u) << retry.body;
  EXPECT_EQ(retry.document()["id"], first.document()["id"]);
  EXPECT_EQ(retry.document()["total"], 30);
  EXPECT_EQ(assessments_stored("sows"), 1);
  // The same key with other answers is a mistake, not a retry.
  const auto other =
      post("/api/v1/checkins", R"({"scale": "sows", "answers": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]})",
           "checkin-1");
  EXPECT_EQ(other.status, 409u) << other.body;
  EXPECT_EQ(other.error_field(), "Idempotency-Key");
  EXPECT_EQ(assessments_stored("sows"), 1);
}

// Bug: a key first used for one kind of record and then sent with another answered 500 (the
// dose, substance-use and check-in paths took the key's record for one of their own, found
// none, and failed on the key table's primary key). It is a client's mistake: 409, named.
TEST_F(ServerApiTest, IdempotencyKeyReusedForAnotherKindIsA409Not500) {
  const auto dose = post("/api/v1/doses", R"({"amount": "2g"})", "shared-key");
  ASSERT_EQ(dose.status, 201u) << dose.body;
  const std::string checkin = std::string(R"({"scale": "sows", "answers": )") + kSowsAnswers + "}";
  for (const auto& [target, body] :
       {std::pair<std::string, std::string>{"/api/v1/substance-uses",
                                            R"({"substance": "alcohol"})"},
        {"/api/v1/checkins", checkin},
        {"/api/v1/products", R"({"name": "Red", "form": "leaf_powder"})"}}) {
    const auto reply = post(target, body, "shared-key");
    EXPECT_EQ(reply.status, 409u) << target << ": " << reply.body;
    EXPECT_EQ(reply.error_field(), "Idempotency-Key") << target;
  }
  // And the other way round: a key of a substance use sent with a dose.
  const auto use = post("/api/v1/substance-uses", R"({"substance": "alcohol"})", "use-key");
  ASSERT_EQ(use.status, 201u) << use.body;
  const auto reused = post("/api/v1/doses", R"({"amount": "2g"})", "use-key");
  EXPECT_EQ(reused.status, 409u) << reused.body;
  // Nothing was added by the refused requests.
  const auto journal = get("/api/v1/doses").document();
  EXPECT_EQ(journal["doses"].size(), 1u);
  EXPECT_EQ(journal["substance_uses"].size(), 1u);
  EXPECT_EQ(assessments_stored("sows"), 0);
}

// The same bug's other door: a late retry of a create whose record was deleted meanwhile.
TEST_F(ServerApiTest, IdempotencyKeyOfADeletedRecordIsA409Not500) {
  const auto dose = post("/api/v1/doses", R"({"amount": "2g"})", "late-key");
  ASSERT_EQ(dose.status, 201u) << dose.body;
  const auto id = dose.document()["id"].get<std::string>();
  ASSERT_EQ(send(http::verb::delete_, "/api/v1/doses/" + id, "").status, 200u);
  const auto retry = post("/api/v1/doses", R"({"amount": "2g"})", "late-key");
  EXPECT_EQ(retry.status, 409u) << retry.body;
  EXPECT_EQ(retry.error_field(), "Idempotency-Key");
  EXPECT_EQ(get("/api/v1/doses").document()["doses"].size(), 0u);
}

TEST_F(ServerApiTest, IdempotencyKeyMakesARetriedReflectionHappenOnce) {
  const std::string body =
      std::string(R"({"instrument": "dsm5", "answers": )") + kDsm5Answers + "}";
  const auto first = post("/api/v1/reflections", body, "reflection-1");
  ASSERT_EQ(first.status, 201u) << first.body;
  const auto retry = post("/api/v1/reflections", body, "reflection-1");
  ASSERT_EQ(retry.status, 201u) << retry.body;
  EXPECT_EQ(retry.document()["id"], first.document()["id"]);
  EXPECT_EQ(retry.document()["band"], first.document()["band"]);
  EXPECT_EQ(assessments_stored("dsm5"), 1);
  ASSERT_EQ(post("/api/v1/reflections", body).status, 201u);  // No key: a new one.
  EXPECT_EQ(assessments_stored("dsm5"), 2);
}

TEST_F(ServerApiTest, IdempotencyKeyMakesARetriedPlanHappenOnce) {
  log_three_doses();
  const auto first = post("/api/v1/plans", R"({"goal": "stop"})", "plan-1");
  ASSERT_EQ(first.status, 201u) << first.body;
  const auto retry = post("/api/v1/plans", R"({"goal": "stop"})", "plan-1");
  ASSERT_EQ(retry.status, 201u) << retry.body;
  EXPECT_EQ(retry.document(), first.document());
  const auto plan_id = first.document()["plan_id"].get<std::string>();
  auto journal = open_journal();
  auto current = journal->current_plan();
  ASSERT_TRUE(current && *current);
  EXPECT_EQ((*current)->plan_id, plan_id);
  EXPECT_EQ(journal->plan_history(plan_id)->size(), 1u);
}

TEST_F(ServerApiTest, IdempotencyKeyMakesARetriedProductSaveHappenOnce) {
  const std::string body = R"({"name": "Green powder", "teaspoon_weight": "2.5g"})";
  const auto first = post("/api/v1/products", body, "product-1");
  ASSERT_EQ(first.status, 201u) << first.body;
  // Changed meanwhile without a key; the retry must not undo that change.
  ASSERT_EQ(post("/api/v1/products", R"({"name": "Green powder", "teaspoon_weight": "3g"})").status,
            201u);
  const auto retry = post("/api/v1/products", body, "product-1");
  ASSERT_EQ(retry.status, 201u) << retry.body;
  EXPECT_EQ(retry.document()["teaspoon_mg"], 3000);
  const auto list = get("/api/v1/products").document();
  ASSERT_EQ(list["products"].size(), 1u);
  EXPECT_EQ(list["products"][0]["teaspoon_mg"], 3000);
  const auto other = post("/api/v1/products", R"({"name": "Other"})", "product-1");
  EXPECT_EQ(other.status, 409u);
  EXPECT_EQ(other.error_field(), "Idempotency-Key");
  EXPECT_EQ(get("/api/v1/products").document()["products"].size(), 1u);
}

TEST_F(ServerApiTest, RefusesAKeyFirstUsedForAnotherKindOfRecord) {
  ASSERT_EQ(post("/api/v1/doses", R"({"amount": "2g"})", "shared-key").status, 201u);
  const auto product = post("/api/v1/products", R"({"name": "Red caps"})", "shared-key");
  EXPECT_EQ(product.status, 409u) << product.body;
  EXPECT_EQ(product.error_field(), "Idempotency-Key");
  EXPECT_TRUE(get("/api/v1/products").document()["products"].empty());
}

// ---- Plan actions ----

TEST_F(ServerApiTest, PlanActionsWithoutAPlanAnswer404) {
  for (const auto& target : {"/api/v1/plans/current/today", "/api/v1/plans/current/status"}) {
    const auto reply = get(target);
    EXPECT_EQ(reply.status, 404u) << target;
    EXPECT_EQ(reply.error_field(), "plan") << target;
  }
  for (const auto& target : {"/api/v1/plans/current/hold", "/api/v1/plans/current/resume",
                             "/api/v1/plans/current/adjust"}) {
    EXPECT_EQ(post(target, "").status, 404u) << target;
  }
}

TEST_F(ServerApiTest, ShowsTodaysPlannedDosesAndThePlanStatus) {
  log_three_doses();
  ASSERT_EQ(post("/api/v1/plans", R"({"goal": "stop", "start": "2026-03-11"})").status, 201u);
  const auto today = get("/api/v1/plans/current/today");
  ASSERT_EQ(today.status, 200u) << today.body;
  EXPECT_EQ(today.document()["day"], "2026-03-10");
  EXPECT_TRUE(today.document()["doses"].empty());  // The plan starts tomorrow.
  EXPECT_EQ(today.document()["so_far"]["actual_doses"], 3);
  const auto tomorrow = get("/api/v1/plans/current/today?day=2026-03-11").document();
  EXPECT_EQ(tomorrow["day"], "2026-03-11");
  ASSERT_FALSE(tomorrow["doses"].empty()) << tomorrow.dump();
  for (const auto& dose : tomorrow["doses"]) {
    for (const char* key : {"at", "at_local", "amount", "unit"}) EXPECT_TRUE(dose.contains(key));
  }
  EXPECT_NE(tomorrow["step"], nullptr);
  const auto bad_day = get("/api/v1/plans/current/today?day=tomorrowish");
  EXPECT_EQ(bad_day.status, 400u);
  EXPECT_EQ(bad_day.error_field(), "day");

  const auto status = get("/api/v1/plans/current/status");
  ASSERT_EQ(status.status, 200u) << status.body;
  const auto s = status.document();
  for (const char* key : {"plan_id", "version", "unit", "held", "step", "today", "yesterday",
                          "slip", "hold_suggested", "hold_reason", "text"}) {
    EXPECT_TRUE(s.contains(key)) << key;
  }
  EXPECT_EQ(s["held"], false);
}

TEST_F(ServerApiTest, HoldsAndResumesThePlan) {
  log_three_doses();
  // Doses are logged today, so a plan starts tomorrow unless asked to start today (issue 14);
  // a hold can only begin once the plan has started.
  ASSERT_EQ(post("/api/v1/plans", R"({"goal": "stop", "start": "2026-03-10"})").status, 201u);
  const auto held = post("/api/v1/plans/current/hold", R"({"reason": "hard week"})");
  ASSERT_EQ(held.status, 200u) << held.body;
  EXPECT_EQ(get("/api/v1/plans/current/status").document()["held"], true);
  const auto again = post("/api/v1/plans/current/hold", "");
  EXPECT_EQ(again.status, 400u);
  EXPECT_EQ(again.error_field(), "plan");
  now_ += std::chrono::hours{48};
  const auto resumed = post("/api/v1/plans/current/resume", "");
  ASSERT_EQ(resumed.status, 200u) << resumed.body;
  EXPECT_EQ(get("/api/v1/plans/current/status").document()["held"], false);
  EXPECT_GT(resumed.document()["version"].get<int>(), held.document()["version"].get<int>());
}

TEST_F(ServerApiTest, RefusesBadPlanActionBodiesNamingTheField) {
  log_three_doses();
  ASSERT_EQ(post("/api/v1/plans", R"({"goal": "stop"})").status, 201u);
  const auto not_json = post("/api/v1/plans/current/hold", "hard week");
  EXPECT_EQ(not_json.status, 400u);
  EXPECT_EQ(not_json.error_field(), "body");
  const auto wrong_type = post("/api/v1/plans/current/hold", R"({"reason": 3})");
  EXPECT_EQ(wrong_type.status, 400u);
  EXPECT_EQ(wrong_type.error_field(), "reason");
  EXPECT_EQ(get("/api/v1/plans/current/status").document()["held"], false);
}

// Issue 14, items 2 and 3: POST /plans says why it starts tomorrow, and "preview" stores nothing.
TEST_F(ServerApiTest, NewPlanAfterTodaysDosesStartsTomorrowAndAPreviewStoresNothing) {
  log_three_doses();
  const auto preview = post("/api/v1/plans", R"({"goal": "stop", "preview": true})");
  ASSERT_EQ(preview.status, 200u) << preview.body;
  const auto p = preview.document();
  EXPECT_EQ(p["preview"], true);
  EXPECT_TRUE(p["plan_id"].is_null());
  EXPECT_EQ(p["steps"][0]["starts_on"], "2026-03-11");
  EXPECT_TRUE(p["steps"][0]["reason"].is_string());
  EXPECT_EQ(get("/api/v1/plans/current").status, 404u);
  const auto made = post("/api/v1/plans", R"({"goal": "stop"})");
  ASSERT_EQ(made.status, 201u) << made.body;
  EXPECT_NE(made.document()["start_note"].get<std::string>().find("starts tomorrow, 2026-03-11"),
            std::string::npos);
  EXPECT_EQ(post("/api/v1/plans", R"({"goal": "stop", "preview": "yes"})").error_field(),
            "preview");
}

TEST_F(ServerApiTest, IdempotencyKeyMakesARetriedAdjustHappenOnce) {
  log_three_doses();
  ASSERT_EQ(post("/api/v1/plans", R"({"goal": "stop"})").status, 201u);
  const auto first = post("/api/v1/plans/current/adjust", "", "adjust-1");
  ASSERT_EQ(first.status, 200u) << first.body;
  const auto retry = post("/api/v1/plans/current/adjust", "", "adjust-1");
  ASSERT_EQ(retry.status, 200u) << retry.body;
  EXPECT_EQ(retry.document()["version"], first.document()["version"]);
  const auto plan_id = first.document()["plan_id"].get<std::string>();
  EXPECT_EQ(open_journal()->plan_history(plan_id)->size(), 2u);  // The plan and one adjustment.
}

}  // namespace
