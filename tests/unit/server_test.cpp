// In-process HTTP tests of `mitra serve`: a real server on an ephemeral port, a fresh SQLite
// database per test, and a Beast client (or a raw socket for malformed requests).

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "server/server.hpp"
#include "server_fixture.hpp"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using nlohmann::json;

using mitra::testing::Reply;

// Bug: with `mitra serve --tz`, GET /settings showed the --tz zone as if saved, and a PUT of the
// day start alone saved the --tz zone as the person's own.
TEST_F(ServerTest, APortInUseIsRefusedWithAHintAndNamesThePort) {
  mitra::server::ServerOptions options;
  options.port = server_->port();
  options.database = (directory_ / "second.db").string();
  auto second = mitra::server::Server::start(options);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, mitra::core::ErrorKind::unavailable);
  EXPECT_EQ(second.error().field, "port");
  EXPECT_NE(second.error().message.find("port " + std::to_string(server_->port()) +
                                        ": another program is using that port"),
            std::string::npos)
      << second.error().message;
  EXPECT_EQ(get("/api/v1/status").status, 200);  // The first one keeps serving.
}

TEST_F(ServerTest, SettingsShowTheSavedZoneAndNeverSaveTheTzOverride) {
  auto put = [this](const std::string& body) {
    return send(http::verb::put, "/api/v1/settings", body);
  };
  ASSERT_EQ(put(R"({"zone": "Europe/Berlin"})").status, 200u);
  const auto changed = put(R"({"day_start": "05:00"})");
  ASSERT_EQ(changed.status, 200u) << changed.body;
  const auto settings = get("/api/v1/settings").document();
  EXPECT_EQ(settings["zone"], "Europe/Berlin");
  EXPECT_EQ(settings["zone_in_use"], "UTC");  // This server was started with --tz UTC.
  EXPECT_EQ(settings["day_start"], "05:00");
}

TEST_F(ServerTest, LogsADoseAndListsIt) {
  const auto created =
      post("/api/v1/doses", R"({"amount": "2.5g", "triggers": ["stress"], "note": "<b>hi</b>"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto dose = created.document();
  EXPECT_EQ(dose["amount"], 2.5);
  EXPECT_EQ(dose["unit"], "g");
  EXPECT_EQ(dose["triggers"], json::array({"stress"}));
  EXPECT_EQ(dose["note"], "<b>hi</b>");
  const auto list = get("/api/v1/doses").document();
  ASSERT_EQ(list["doses"].size(), 1u);
  EXPECT_EQ(list["doses"][0]["id"], dose["id"]);
}

TEST_F(ServerTest, AcceptsAnAmountAsANumberWithAUnit) {
  const auto created = post("/api/v1/doses", R"({"amount": 500, "unit": "mg"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.document()["amount"], 500);
  EXPECT_EQ(created.document()["unit"], "mg");
}

TEST_F(ServerTest, IdempotencyKeyMakesARetriedLogHappenOnce) {
  const std::map<std::string, std::string> headers{{"Authorization", "bearer"},
                                                   {"Idempotency-Key", "retry-1"}};
  const auto first = send(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})", headers);
  const auto second = send(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})", headers);
  ASSERT_EQ(first.status, 201u);
  ASSERT_EQ(second.status, 201u);
  EXPECT_EQ(first.document()["id"], second.document()["id"]);
  EXPECT_EQ(dose_count(), 1);
}

TEST_F(ServerTest, EditsDeletesAndUndoesADose) {
  const auto id = post("/api/v1/doses", R"({"amount": "2g"})").document()["id"].get<std::string>();
  const auto edited = send(http::verb::patch, "/api/v1/doses/" + id, R"({"note": "after lunch"})");
  ASSERT_EQ(edited.status, 200u) << edited.body;
  EXPECT_EQ(edited.document()["note"], "after lunch");
  EXPECT_EQ(edited.document()["amount"], 2);
  EXPECT_EQ(send(http::verb::delete_, "/api/v1/doses/" + id).status, 200u);
  EXPECT_EQ(dose_count(), 0);
  const auto undone = post("/api/v1/undo", "");
  ASSERT_EQ(undone.status, 200u) << undone.body;
  EXPECT_EQ(undone.document()["record_id"], id);
  EXPECT_EQ(dose_count(), 1);
  EXPECT_EQ(send(http::verb::delete_, "/api/v1/doses/nonexistent").status, 404u);
}

TEST_F(ServerTest, LogsASubstanceUse) {
  const auto created = post("/api/v1/substance-uses", R"({"substance": "alcohol"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.document()["substance"], "alcohol");
  EXPECT_EQ(get("/api/v1/doses").document()["substance_uses"].size(), 1u);
}

TEST_F(ServerTest, ShowsStatusAndPattern) {
  ASSERT_EQ(post("/api/v1/doses", R"({"amount": "3g"})").status, 201u);
  const auto status = get("/api/v1/status");
  ASSERT_EQ(status.status, 200u) << status.body;
  EXPECT_EQ(status.document()["today_doses"], 1);
  EXPECT_EQ(status.document()["today_amount"], 3.0);
  EXPECT_EQ(status.document()["plan"], nullptr);
  const auto pattern = get("/api/v1/pattern?days=28");
  ASSERT_EQ(pattern.status, 200u) << pattern.body;
  EXPECT_EQ(pattern.document()["days"], 28);
  EXPECT_EQ(pattern.document()["dose_count"], 1);
  const auto bad = get("/api/v1/pattern?days=many");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.document()["error"]["field"], "days");
}

TEST_F(ServerTest, ExportsAndImportsTheJournal) {
  ASSERT_EQ(post("/api/v1/doses", R"({"amount": "2g"})").status, 201u);
  const auto exported = get("/api/v1/export?format=json");
  ASSERT_EQ(exported.status, 200u);
  EXPECT_EQ(exported.headers.at("content-disposition"),
            "attachment; filename=\"mitra-journal.json\"");
  const auto csv = get("/api/v1/export?format=csv");
  ASSERT_EQ(csv.status, 200u);
  EXPECT_EQ(csv.headers.at("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(get("/api/v1/export?format=xml").status, 400u);

  const auto again = post("/api/v1/import", exported.body);
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_EQ(again.document()["imported"], 0);
  // The identical dose is already present, not skipped (skipped counts edited records kept).
  EXPECT_EQ(again.document()["skipped"], 0);
  ASSERT_EQ(
      send(http::verb::delete_,
           "/api/v1/doses/" + get("/api/v1/doses").document()["doses"][0]["id"].get<std::string>())
          .status,
      200u);
  const auto restored = post("/api/v1/import?format=json", exported.body);
  ASSERT_EQ(restored.status, 200u) << restored.body;
  EXPECT_EQ(restored.document()["imported"], 1);
  EXPECT_EQ(dose_count(), 1);
}

TEST_F(ServerTest, ShowsWithdrawalSafetyAndEvidence) {
  const auto none = get("/api/v1/withdrawal");
  ASSERT_EQ(none.status, 200u);
  EXPECT_EQ(none.document()["phase"], nullptr);
  ASSERT_EQ(post("/api/v1/doses", R"({"amount": "2g", "at": "2h ago"})").status, 201u);
  const auto withdrawal = get("/api/v1/withdrawal");
  ASSERT_EQ(withdrawal.status, 200u) << withdrawal.body;
  EXPECT_NE(withdrawal.document()["phase"], nullptr);
  const auto safety = get("/api/v1/safety");
  ASSERT_EQ(safety.status, 200u) << safety.body;
  EXPECT_TRUE(safety.document()["advisories"].is_array());
  const auto evidence = get("/api/v1/evidence?topic=withdrawal");
  ASSERT_EQ(evidence.status, 200u) << evidence.body;
  EXPECT_EQ(evidence.document()["topic"], "withdrawal");
  EXPECT_FALSE(evidence.document()["facts"].empty());
  EXPECT_EQ(get("/api/v1/evidence?topic=astrology").status, 400u);
}

TEST_F(ServerTest, StoresACheckInAndAReflection) {
  const auto checkin = post("/api/v1/checkins",
                            R"({"scale": "sows", "answers": [0,1,2,3,4,0,1,2,3,4,0,1,2,3,4,0]})");
  ASSERT_EQ(checkin.status, 201u) << checkin.body;
  EXPECT_EQ(checkin.document()["total"], 30);
  const auto reflection = post(
      "/api/v1/reflections",
      R"({"instrument": "dsm5", "answers": [true, false, false, true, false, false, false, false, false, true, true]})");
  ASSERT_EQ(reflection.status, 201u) << reflection.body;
  EXPECT_EQ(reflection.document()["total"], 4);
  const auto out_of_range = post("/api/v1/checkins", R"({"answers": [9]})");
  EXPECT_EQ(out_of_range.status, 400u);
  const auto missing = post("/api/v1/reflections", R"({"instrument": "dsm5"})");
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(missing.document()["error"]["field"], "answers");
}

TEST_F(ServerTest, MakesAPlanAndItsCalendar) {
  EXPECT_EQ(get("/api/v1/plans/current").status, 404u);
  for (const char* at : {"6h ago", "3h ago", "1h ago"}) {
    ASSERT_EQ(post("/api/v1/doses", json{{"amount", "2g"}, {"at", at}}.dump()).status, 201u);
  }
  const auto plan = post("/api/v1/plans", R"({"goal": "stop", "pace": "steady"})");
  ASSERT_EQ(plan.status, 201u) << plan.body;
  EXPECT_EQ(plan.document()["format"], "mitra.plan");
  const auto current = get("/api/v1/plans/current");
  ASSERT_EQ(current.status, 200u);
  EXPECT_EQ(current.document()["plan_id"], plan.document()["plan_id"]);
  const auto ics = get("/api/v1/plans/current/ics");
  ASSERT_EQ(ics.status, 200u) << ics.body;
  EXPECT_EQ(ics.headers.at("content-type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(ics.body.rfind("BEGIN:VCALENDAR", 0), 0u);
  const auto bad = post("/api/v1/plans", R"({"goal": "vanish"})");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.document()["error"]["field"], "goal");
}

TEST_F(ServerTest, RejectsMalformedJsonAndStoresNothing) {
  const auto reply = post("/api/v1/doses", R"({"amount": "2g")");
  EXPECT_EQ(reply.status, 400u);
  EXPECT_EQ(reply.document()["error"]["code"], "invalid_input");
  EXPECT_EQ(reply.document()["error"]["field"], "body");
  EXPECT_EQ(dose_count(), 0);
  expect_still_serving();
}

TEST_F(ServerTest, RejectsWrongTypesAndMissingFieldsNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"amount": true})", "amount"},
      {R"({})", "amount"},
      {R"({"amount": 2})", "unit"},
      {R"({"amount": "2g", "triggers": "stress"})", "triggers"},
      {R"({"amount": "2g", "note": 5})", "note"},
      {R"({"amount": "lots"})", "amount"},
      {R"([1, 2])", "body"},
  };
  for (const auto& [body, field] : cases) {
    const auto reply = post("/api/v1/doses", body);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_EQ(reply.document()["error"]["field"], field) << body;
    EXPECT_FALSE(reply.document()["error"]["message"].get<std::string>().empty());
  }
  EXPECT_EQ(dose_count(), 0);
  const auto use = post("/api/v1/substance-uses", R"({"note": "x"})");
  EXPECT_EQ(use.document()["error"]["field"], "substance");
  expect_still_serving();
}

TEST_F(ServerTest, RefusesAnOversizedBodyWith413) {
  // Only the headers are sent: the server answers from Content-Length alone.
  const auto reply =
      raw("POST /api/v1/doses HTTP/1.1\r\n" + mitra::testing::host_line(server_->port()) +
          "Authorization: Bearer " + server_->token() + "\r\nContent-Length: 1000000\r\n\r\n");
  EXPECT_EQ(reply.status, 413u);
  EXPECT_EQ(reply.document()["error"]["code"], "body_too_large");
  expect_still_serving();
}

// The server parses a body that came with the headers at once, and waits for the rest of one
// that did not; a second request sent right behind the first is answered too.
TEST_F(ServerTest, ReadsABodyThatCameWithTheHeadersLaterOrInChunks) {
  const std::string head = "POST /api/v1/doses HTTP/1.1\r\n" +
                           mitra::testing::host_line(server_->port()) + "Authorization: Bearer " +
                           server_->token() + "\r\nContent-Type: application/json\r\n";
  const std::string body = R"({"amount": "2.5g", "note": "together"})";
  EXPECT_EQ(raw(head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body).status,
            201u);

  {  // Headers and half the body, then the rest a moment later.
    asio::io_context ioc;
    auto stream = mitra::testing::connect(ioc, server_->port());
    const std::string later = R"({"amount": "2.5g", "note": "in two parts"})";
    const std::string first =
        head + "Content-Length: " + std::to_string(later.size()) + "\r\n\r\n" + later.substr(0, 10);
    asio::write(stream.socket(), asio::buffer(first));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    asio::write(stream.socket(), asio::buffer(later.substr(10)));
    const auto reply = mitra::testing::read_reply(stream);
    EXPECT_EQ(reply.status, 201u);
    EXPECT_EQ(reply.document()["note"], "in two parts");
  }

  const std::string chunked = R"({"amount": "2.5g", "note": "chunked"})";
  std::ostringstream size;
  size << std::hex << chunked.size();
  EXPECT_EQ(raw(head + "Transfer-Encoding: chunked\r\n\r\n" + size.str() + "\r\n" + chunked +
                "\r\n0\r\n\r\n")
                .status,
            201u);

  {  // Two requests in one write: both answered, in order.
    asio::io_context ioc;
    auto stream = mitra::testing::connect(ioc, server_->port());
    const std::string second = R"({"amount": "1g", "note": "pipelined"})";
    asio::write(stream.socket(),
                asio::buffer(head + "Content-Length: " + std::to_string(second.size()) +
                             "\r\n\r\n" + second + "GET /api/v1/doses HTTP/1.1\r\n" +
                             mitra::testing::host_line(server_->port()) + "Authorization: Bearer " +
                             server_->token() + "\r\n\r\n"));
    beast::flat_buffer buffer;
    http::response<http::string_body> created;
    http::read(stream, buffer, created);
    EXPECT_EQ(created.result_int(), 201u);
    http::response<http::string_body> listed;
    http::read(stream, buffer, listed);
    EXPECT_EQ(listed.result_int(), 200u);
    EXPECT_EQ(json::parse(listed.body())["doses"].size(), 4u);
  }
  EXPECT_EQ(dose_count(), 4);
}

TEST_F(ServerTest, RefusesTooManyHeadersWith431) {
  std::string request =
      "GET /api/v1/status HTTP/1.1\r\n" + mitra::testing::host_line(server_->port());
  for (int i = 0; i < 30; ++i) request += "X-Filler-" + std::to_string(i) + ": 1\r\n";
  const auto reply = raw(request + "\r\n");
  EXPECT_EQ(reply.status, 431u);
  expect_still_serving();
}

TEST_F(ServerTest, RefusesALongUriWith414) {
  const auto reply = get("/api/v1/doses?from=" + std::string(1000, 'a'));
  EXPECT_EQ(reply.status, 414u);
  expect_still_serving();
}

TEST_F(ServerTest, AnswersUnknownRoutesWith404AndWrongMethodsWith405) {
  const auto unknown = get("/api/v1/nothing-here");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.document()["error"]["code"], "not_found");
  EXPECT_EQ(send(http::verb::put, "/api/v1/status").status, 405u);
  expect_still_serving();
}

TEST_F(ServerTest, RefusesAMissingOrWrongTokenWith401) {
  EXPECT_EQ(send(http::verb::get, "/api/v1/status", "", {}).status, 401u);
  EXPECT_EQ(send(http::verb::get, "/api/v1/status", "",
                 {{"Authorization", "Bearer " + std::string(64, '0')}})
                .status,
            401u);
  EXPECT_EQ(send(http::verb::get, "/api/v1/status", "", {{"Cookie", "mitra_session=guess"}}).status,
            401u);
  EXPECT_EQ(send(http::verb::get, "/?token=wrong", "", {}).status, 401u);
  EXPECT_EQ(send(http::verb::post, "/api/v1/session", R"({"token": "wrong"})", {}).status, 401u);
  expect_still_serving();
}

TEST_F(ServerTest, ExchangesTheTokenForCookiesAndRequiresCsrfOnWrites) {
  const auto exchanged = send(http::verb::get, "/?token=" + server_->token(), "", {});
  ASSERT_EQ(exchanged.status, 303u);
  ASSERT_EQ(exchanged.cookies.size(), 2u);
  const auto session_cookie = exchanged.cookies[0].substr(0, exchanged.cookies[0].find(';'));
  const auto csrf_cookie = exchanged.cookies[1].substr(0, exchanged.cookies[1].find(';'));
  EXPECT_NE(exchanged.cookies[0].find("HttpOnly; SameSite=Strict"), std::string::npos);
  EXPECT_NE(exchanged.cookies[1].find("SameSite=Strict"), std::string::npos);
  const std::string csrf = csrf_cookie.substr(csrf_cookie.find('=') + 1);
  const std::string cookies = session_cookie + "; " + csrf_cookie;

  EXPECT_EQ(send(http::verb::get, "/api/v1/status", "", {{"Cookie", cookies}}).status, 200u);
  const auto cross_site =
      send(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})", {{"Cookie", cookies}});
  EXPECT_EQ(cross_site.status, 403u);
  EXPECT_EQ(cross_site.document()["error"]["field"], "X-CSRF-Token");
  EXPECT_EQ(send(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})",
                 {{"Cookie", cookies}, {"X-CSRF-Token", "not-the-token"}})
                .status,
            403u);
  EXPECT_EQ(dose_count(), 0);
  EXPECT_EQ(send(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})",
                 {{"Cookie", cookies}, {"X-CSRF-Token", csrf}})
                .status,
            201u);

  const auto session =
      send(http::verb::post, "/api/v1/session", json{{"token", server_->token()}}.dump(), {});
  ASSERT_EQ(session.status, 200u);
  EXPECT_EQ(session.document()["csrf_token"], csrf);
}

TEST_F(ServerTest, SendsAStrictContentSecurityPolicyAndNoCors) {
  for (const auto& reply :
       {get("/api/v1/status"), send(http::verb::get, "/", "", {}), get("/api/v1/nothing")}) {
    EXPECT_EQ(reply.headers.at("content-security-policy").rfind("default-src 'none';", 0), 0u);
    EXPECT_EQ(reply.headers.count("access-control-allow-origin"), 0u);
    EXPECT_EQ(reply.headers.at("x-content-type-options"), "nosniff");
  }
}

// Issue 15, item 3: every file Home loads carried the page policies (some 350 bytes each, a
// quarter of Home's transfer with a dozen files), which browsers ignore on them.
TEST_F(ServerTest, AFileThePageLoadsCarriesOnlyTheHeadersThatActOnIt) {
  for (const char* path : {"/app.js", "/styles.css", "/lib/api.js", "/i18n/es.json"}) {
    const auto reply = send(http::verb::get, path, "", {{"Accept-Encoding", "br"}});
    ASSERT_EQ(reply.status, 200u) << path;
    EXPECT_EQ(reply.headers.at("x-content-type-options"), "nosniff") << path;
    EXPECT_EQ(reply.headers.at("cross-origin-resource-policy"), "same-origin") << path;
    EXPECT_EQ(reply.headers.at("cache-control"), "no-cache") << path;
    for (const char* page_only : {"content-security-policy", "x-frame-options", "referrer-policy",
                                  "cross-origin-opener-policy"}) {
      EXPECT_EQ(reply.headers.count(page_only), 0u) << path << " " << page_only;
    }
  }
  // The page and the service worker (whose policy is its script's) keep every policy.
  for (const char* path : {"/", "/index.html", "/sw.js"}) {
    const auto reply = send(http::verb::get, path, "", {});
    ASSERT_EQ(reply.status, 200u) << path;
    EXPECT_EQ(reply.headers.at("content-security-policy").rfind("default-src 'none';", 0), 0u)
        << path;
    EXPECT_EQ(reply.headers.at("x-frame-options"), "DENY") << path;
  }
}

TEST_F(ServerTest, TheAppPageShowsTheCrisisNumbersWithoutJavaScript) {
  const auto page = send(http::verb::get, "/", "", {});
  ASSERT_EQ(page.status, 200u);
  EXPECT_EQ(page.headers.at("content-type"), "text/html; charset=utf-8");
  for (const char* number : {"911", "988", "1-800-222-1222"}) {
    EXPECT_NE(page.body.find(number), std::string::npos) << number;
  }
}

TEST_F(ServerTest, ServesEveryFileTheAppPageLoadsWithItsType) {
  for (const auto& [path, type] :
       {std::pair{"/app.js", "text/javascript; charset=utf-8"},
        std::pair{"/styles.css", "text/css; charset=utf-8"},
        std::pair{"/vendor/chart.umd.min.js", "text/javascript; charset=utf-8"},
        std::pair{"/manifest.webmanifest", "application/manifest+json"},
        std::pair{"/icon.svg", "image/svg+xml"}}) {
    const auto reply = send(http::verb::get, path, "", {});
    EXPECT_EQ(reply.status, 200u) << path;
    EXPECT_EQ(reply.headers.at("content-type"), type) << path;
    EXPECT_FALSE(reply.body.empty()) << path;
  }
  // A path out of the app's folder is not even a path here (see parse_target).
  EXPECT_EQ(send(http::verb::get, "/../CMakeLists.txt", "", {}).status, 400u);
  EXPECT_EQ(send(http::verb::get, "/nothing.js", "", {}).status, 404u);
}

TEST_F(ServerTest, ClosesAClientThatNeverFinishesItsRequest) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
  const std::string partial =
      "GET /api/v1/status HTTP/1.1\r\n" + mitra::testing::host_line(server_->port());
  asio::write(socket, asio::buffer(partial));
  const auto started = std::chrono::steady_clock::now();
  char byte = 0;
  boost::system::error_code ec;
  const auto got = socket.read_some(asio::buffer(&byte, 1), ec);  // Blocks until closed.
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(got, 0u);
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_LT(waited, std::chrono::seconds(3));
  expect_still_serving();
}

TEST_F(ServerTest, StopsGracefullyAndRefusesNewConnections) {
  const auto port = server_->port();
  server_->stop();
  server_->wait();
  asio::io_context ioc;
  tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  EXPECT_TRUE(ec) << "connected after stop";
}

}  // namespace
