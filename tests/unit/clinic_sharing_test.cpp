// Clinic mode, sharing (issue 17, items 3 to 5; docs/clinic.md): a person shares scopes of their
// journal with a specialist, revocably; every read by someone else leaves one audit row, which
// the person sees; the specialist's list with flags from shared data only; a specialist reads
// the shared routes under /api/v1/people/{person}/… and gets 404 for the rest; contact requests.
// On a real `mitra serve --clinic` (two instances) over the throwaway PostgreSQL cluster.

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "clinic_fixture.hpp"
#include "pg_cluster.hpp"

namespace mitra {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;
using testing::Browser;
using testing::ClinicServer;
using namespace std::chrono_literals;

// SOWS answers (16 items, 0–4) whose total is `total`.
std::string sows_body(int total) {
  json answers = json::array();
  for (int i = 0; i < 16; ++i) {
    const int value = std::min(4, std::max(0, total - 4 * i));
    answers.push_back(value);
  }
  return json{{"scale", "sows"}, {"answers", answers}}.dump();
}

class ClinicSharing : public ClinicServer {
 protected:
  void SetUp() override {
    ClinicServer::SetUp();
    servers_.push_back(start());
    ASSERT_TRUE(servers_.back());
  }

  testing::Reply share(const Browser& who, const std::string& specialist,
                       const std::vector<std::string>& scopes, std::size_t instance = 0) {
    return send(http::verb::post, "/api/v1/shares",
                json{{"specialist", specialist}, {"scopes", scopes}}.dump(), who.headers(),
                instance);
  }

  long long audit_rows() {
    return std::stoll(testing::pg_sql(url_, "SELECT count(*) FROM clinic.audit"));
  }
};

TEST_F(ClinicSharing, ASpecialistReadsTheSharedScopesOnlyAndGets404ForTheRest) {
  const auto alex = person("alex");
  const auto sam = person("sam", 1, "specialist");
  ASSERT_EQ(send(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})", alex.headers()).status,
            201u);
  const auto shared = share(alex, "sam", {"journal"});
  ASSERT_EQ(shared.status, 201u) << shared.body;
  EXPECT_EQ(shared.document()["scopes"], json::array({"journal"}));
  EXPECT_EQ(shared.document()["live"], true);
  const std::string people = "/api/v1/people/" + account_id("alex");
  const auto doses = send(http::verb::get, people + "/doses", "", sam.headers(), 1);
  ASSERT_EQ(doses.status, 200u) << doses.body;
  ASSERT_EQ(doses.document()["doses"].size(), 1u);
  EXPECT_EQ(doses.document()["doses"][0]["amount"], 2);
  // Not shared, or not a journal's route: as if nothing were there.
  for (const std::string path :
       {"/checkins", "/pattern", "/safety", "/settings", "/profile", "/export", "/plans/current"}) {
    const auto refused = send(http::verb::get, people + path, "", sam.headers(), 1);
    EXPECT_EQ(refused.status, 404u) << path << " " << refused.body;
    EXPECT_EQ(refused.document()["error"]["message"], "There is nothing at " + people + path + ".");
  }
  // Sam's own journal is still sam's: empty.
  EXPECT_EQ(send(http::verb::get, "/api/v1/doses", "", sam.headers()).document()["doses"].size(),
            0u);
  // No write is mirrored: the path is a read's (405, the same for every person id).
  EXPECT_EQ(send(http::verb::post, people + "/doses", R"({"amount": "1g"})", sam.headers()).status,
            405u);
  EXPECT_EQ(testing::pg_sql(url_, "SELECT count(*) FROM clinic.audit"), "1");
}

// Issue 17, items 6 and 7: the report and the FHIR Bundle a specialist reads hold only what the
// person shares: with the check-ins alone, no pattern, dose or plan.
TEST_F(ClinicSharing, TheReportAndFhirOfASharedJournalHoldOnlyTheSharedScopes) {
  const auto alex = person("alex");
  const auto sam = person("sam", 1, "specialist");
  ASSERT_EQ(send(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})", alex.headers()).status,
            201u);
  ASSERT_EQ(send(http::verb::post, "/api/v1/checkins", sows_body(12), alex.headers()).status, 201u);
  ASSERT_EQ(share(alex, "sam", {"checkins"}).status, 201u);
  const std::string people = "/api/v1/people/" + account_id("alex");
  const auto report = send(http::verb::get, people + "/report?format=json", "", sam.headers(), 1);
  ASSERT_EQ(report.status, 200u) << report.body;
  const auto document = report.document();
  EXPECT_EQ(document["scopes"], json::array({"checkins"}));
  EXPECT_EQ(document["checkins"][0]["entries"][0]["total"], 12);
  for (const char* part : {"pattern", "journal", "reflections", "plan", "advisories"}) {
    EXPECT_TRUE(document[part].is_null()) << part;
  }
  const auto page = send(http::verb::get, people + "/report", "", sam.headers(), 1);
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("The pattern: not shared with this reader."), std::string::npos);
  const auto fhir = send(http::verb::get, people + "/fhir", "", sam.headers(), 1);
  ASSERT_EQ(fhir.status, 200u) << fhir.body;
  const auto bundle = fhir.document();
  std::map<std::string, int> kinds;
  for (const auto& entry : bundle["entry"]) ++kinds[entry["resource"]["resourceType"]];
  EXPECT_EQ(
      kinds,
      (std::map<std::string, int>{
          {"Patient", 1}, {"Questionnaire", 3}, {"QuestionnaireResponse", 1}, {"Observation", 1}}));
  EXPECT_EQ(bundle["entry"][0]["resource"]["identifier"][0]["value"], account_id("alex"));
  EXPECT_EQ(testing::pg_sql(url_, "SELECT count(*) FROM clinic.audit"), "3");
}

TEST_F(ClinicSharing, RevocationIsEffectiveAtOnceOnEveryInstance) {
  const auto alex = person("alex", 0);
  const auto sam = person("sam", 1, "specialist");
  const auto shared = share(alex, "sam", {"journal", "pattern"}, 0);
  ASSERT_EQ(shared.status, 201u) << shared.body;
  const std::string doses = "/api/v1/people/" + account_id("alex") + "/doses";
  EXPECT_EQ(send(http::verb::get, doses, "", sam.headers(), 1).status, 200u);
  const auto id = shared.document()["id"].get<std::string>();
  const auto stopped = send(http::verb::delete_, "/api/v1/shares/" + id, "", alex.headers(), 0);
  ASSERT_EQ(stopped.status, 200u) << stopped.body;
  for (std::size_t instance : {0u, 1u}) {
    EXPECT_EQ(send(http::verb::get, doses, "", sam.headers(), instance).status, 404u);
    EXPECT_EQ(send(http::verb::get, "/api/v1/people", "", sam.headers(), instance)
                  .document()["people"]
                  .size(),
              0u);
  }
  // Stopping it again, or someone else's: 404 naming id.
  const auto again = send(http::verb::delete_, "/api/v1/shares/" + id, "", alex.headers(), 1);
  EXPECT_EQ(again.status, 404u);
  EXPECT_EQ(again.error_field(), "id");
  // The share stays in the list, ended.
  const auto list = send(http::verb::get, "/api/v1/shares", "", alex.headers()).document();
  ASSERT_EQ(list["shares"].size(), 1u);
  EXPECT_EQ(list["shares"][0]["live"], false);
  EXPECT_FALSE(list["shares"][0]["revoked_at"].is_null());
}

TEST_F(ClinicSharing, SharingRefusesWhatItCannotDoNamingTheField) {
  const auto alex = person("alex");
  const auto robin = person("robin");
  const auto sam = person("sam", 0, "specialist");
  // Only a specialist can be shared with; a person of that name is not one.
  const auto with_person = share(alex, "robin", {"journal"});
  EXPECT_EQ(with_person.status, 404u);
  EXPECT_EQ(with_person.error_field(), "specialist");
  EXPECT_EQ(share(alex, "nobody", {"journal"}).error_field(), "specialist");
  const auto unknown = share(alex, "sam", {"journal", "everything"});
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(unknown.error_field(), "scopes");
  EXPECT_EQ(share(alex, "sam", {}).error_field(), "scopes");
  EXPECT_EQ(share(alex, "sam", {"plan", "plan"}).error_field(), "scopes");
  const auto no_scopes =
      send(http::verb::post, "/api/v1/shares", R"({"specialist": "sam"})", alex.headers());
  EXPECT_EQ(no_scopes.error_field(), "scopes");
  const auto extra =
      send(http::verb::post, "/api/v1/shares",
           R"({"specialist": "sam", "scopes": ["plan"], "until": "never"})", alex.headers());
  EXPECT_EQ(extra.status, 400u);
  EXPECT_EQ(extra.error_field(), "until");
  ASSERT_EQ(share(alex, "sam", {"plan"}).status, 201u);
  const auto twice = share(alex, "sam", {"journal"});
  EXPECT_EQ(twice.status, 409u);
  EXPECT_EQ(twice.error_field(), "specialist");
  // A specialist's account does not share a journal.
  EXPECT_EQ(share(sam, "sam", {"plan"}).status, 403u);
  // Nothing half-way: one share in the database.
  EXPECT_EQ(testing::pg_sql(url_, "SELECT count(*) FROM clinic.shares"), "1");
  (void)robin;
}

TEST_F(ClinicSharing, AuditCompletenessEveryReadBySomeoneElseLeavesExactlyOneRow) {
  const auto alex = person("alex");
  const auto sam = person("sam", 1, "specialist");
  ASSERT_EQ(share(alex, "sam", {"journal", "checkins"}).status, 201u);
  const std::string people = "/api/v1/people/" + account_id("alex");
  int granted = 0;
  int index = 0;
  for (const std::string path : {"/doses", "/checkins", "/withdrawal", "/pattern", "/doses",
                                 "/safety", "/products", "/plans"}) {
    const auto reply = send(http::verb::get, people + path, "", sam.headers(), index++ % 2);
    if (reply.status == 200u) ++granted;
  }
  EXPECT_EQ(granted, 5);
  // The list reads each person who shares once.
  ASSERT_EQ(send(http::verb::get, "/api/v1/people", "", sam.headers()).status, 200u);
  ++granted;
  // The person's own reads leave none.
  ASSERT_EQ(send(http::verb::get, "/api/v1/doses", "", alex.headers()).status, 200u);
  EXPECT_EQ(audit_rows(), granted);
  const auto audit = send(http::verb::get, "/api/v1/audit", "", alex.headers()).document();
  ASSERT_EQ(audit["entries"].size(), static_cast<std::size_t>(granted));
  EXPECT_EQ(audit["entries"][0]["resource"], "/api/v1/people");
  EXPECT_EQ(audit["entries"][0]["reader"], "sam");
  EXPECT_EQ(audit["entries"][0]["reader_role"], "specialist");
  EXPECT_EQ(audit["entries"][1]["scopes"], json::array({"journal"}));
  // Sam's own audit holds no one's reads of sam.
  EXPECT_EQ(send(http::verb::get, "/api/v1/audit", "", sam.headers()).document()["entries"].size(),
            0u);
}

TEST_F(ClinicSharing, FlagsComeFromTheSharedScopesOnly) {
  const auto alex = person("alex");
  auto sam = person("sam", 0, "specialist");
  ASSERT_EQ(
      send(http::verb::post, "/api/v1/doses", R"({"amount": "2g", "at": "2h ago"})", alex.headers())
          .status,
      201u);
  ASSERT_EQ(send(http::verb::post, "/api/v1/substance-uses",
                 R"({"substance": "alcohol", "at": "1h ago"})", alex.headers())
                .status,
            201u);
  for (int total : {8, 14, 21}) {
    advance(1h);
    ASSERT_EQ(send(http::verb::post, "/api/v1/checkins", sows_body(total), alex.headers()).status,
              201u);
  }
  const auto flag_ids = [&] {
    const auto list = send(http::verb::get, "/api/v1/people", "", sam.headers());
    EXPECT_EQ(list.status, 200u) << list.body;
    std::vector<std::string> ids;
    const auto document = list.document();
    for (const auto& flag : document["people"][0]["flags"]) ids.push_back(flag["id"]);
    return ids;
  };
  const auto shared = share(alex, "sam", {"checkins"});
  ASSERT_EQ(shared.status, 201u);
  EXPECT_EQ(flag_ids(), std::vector<std::string>{"sows_rising"});
  ASSERT_EQ(send(http::verb::delete_,
                 "/api/v1/shares/" + shared.document()["id"].get<std::string>(), "", alex.headers())
                .status,
            200u);
  ASSERT_EQ(share(alex, "sam", {"journal", "safety"}).status, 201u);
  const auto near = flag_ids();
  EXPECT_NE(std::find(near.begin(), near.end(), "substances_near_doses"), near.end());
  EXPECT_EQ(std::find(near.begin(), near.end(), "sows_rising"), near.end());
  EXPECT_EQ(std::find(near.begin(), near.end(), "no_logging"), near.end());
  // Four quiet days: flagged at the default of 3, not when the specialist asks for 7. (Sam
  // signs in again: a session ends after 12 idle hours.)
  advance(std::chrono::hours{24 * 4});
  const auto in = log_in("sam", "a long enough passphrase");
  sam = Browser{testing::set_cookie(in, "mitra_session"), testing::set_cookie(in, "mitra_csrf")};
  const auto quiet = flag_ids();
  EXPECT_NE(std::find(quiet.begin(), quiet.end(), "no_logging"), quiet.end());
  const auto seven =
      send(http::verb::get, "/api/v1/people?quiet_days=7", "", sam.headers()).document();
  for (const auto& flag : seven["people"][0]["flags"]) EXPECT_NE(flag["id"], "no_logging");
  const auto bad = send(http::verb::get, "/api/v1/people?quiet_days=0", "", sam.headers());
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.error_field(), "quiet_days");
}

TEST_F(ClinicSharing, AContactRequestLandsInTheQueueAndTheSpecialistMarksItHandled) {
  const auto alex = person("alex", 0);
  const auto sam = person("sam", 1, "specialist");
  const auto asked = send(
      http::verb::post, "/api/v1/contact-requests",
      R"({"how": "phone", "when": "weekday mornings", "note": "about the plan"})", alex.headers());
  ASSERT_EQ(asked.status, 201u) << asked.body;
  EXPECT_EQ(asked.document()["state"], "waiting");
  const auto bad =
      send(http::verb::post, "/api/v1/contact-requests", R"({"how": "pigeon"})", alex.headers());
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.error_field(), "how");
  // The queue: every person's, for the program's specialists (whether or not the person shares).
  const auto queue = send(http::verb::get, "/api/v1/contact-requests", "", sam.headers(), 1);
  ASSERT_EQ(queue.document()["requests"].size(), 1u);
  EXPECT_EQ(queue.document()["requests"][0]["person"], "alex");
  const auto id = asked.document()["id"].get<std::string>();
  // A person cannot mark it handled.
  EXPECT_EQ(
      send(http::verb::post, "/api/v1/contact-requests/" + id + "/handled", "", alex.headers())
          .status,
      403u);
  const auto handled =
      send(http::verb::post, "/api/v1/contact-requests/" + id + "/handled", "", sam.headers(), 1);
  ASSERT_EQ(handled.status, 200u) << handled.body;
  EXPECT_EQ(handled.document()["handled_by"], "sam");
  const auto mine = send(http::verb::get, "/api/v1/contact-requests", "", alex.headers());
  EXPECT_EQ(mine.document()["requests"][0]["state"], "handled");
  EXPECT_EQ(send(http::verb::post, "/api/v1/contact-requests/nope/handled", "", sam.headers())
                .error_field(),
            "id");
}

TEST_F(ClinicSharing, ThePersonDownloadsEverythingTheirJournalSharesAndAudit) {
  const auto alex = person("alex");
  const auto sam = person("sam", 1, "specialist");
  ASSERT_EQ(send(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})", alex.headers()).status,
            201u);
  ASSERT_EQ(share(alex, "sam", {"journal"}).status, 201u);
  ASSERT_EQ(
      send(http::verb::get, "/api/v1/people/" + account_id("alex") + "/doses", "", sam.headers(), 1)
          .status,
      200u);
  const auto exported = send(http::verb::get, "/api/v1/me/export", "", alex.headers());
  ASSERT_EQ(exported.status, 200u) << exported.body;
  const auto document = exported.document();
  EXPECT_EQ(document["account"]["username"], "alex");
  EXPECT_EQ(document["journal"]["doses"].size(), 1u) << document["journal"].dump();
  ASSERT_EQ(document["shares"].size(), 1u);
  EXPECT_EQ(document["shares"][0]["specialist"], "sam");
  ASSERT_EQ(document["audit"].size(), 1u);
  EXPECT_EQ(document["audit"][0]["reader"], "sam");
}

TEST_F(ClinicSharing, AccountDeletionLeavesNoRowOfThePersonInTheDatabase) {
  const auto alex = person("alex");
  const auto sam = person("sam", 1, "specialist");
  const auto id = account_id("alex");
  const auto journal =
      testing::pg_sql(url_, "SELECT journal FROM clinic.accounts WHERE id = '" + id + "'");
  ASSERT_EQ(send(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})", alex.headers()).status,
            201u);
  ASSERT_EQ(share(alex, "sam", {"journal"}).status, 201u);
  ASSERT_EQ(send(http::verb::get, "/api/v1/people/" + id + "/doses", "", sam.headers()).status,
            200u);
  ASSERT_EQ(
      send(http::verb::post, "/api/v1/contact-requests", R"({"how": "message"})", alex.headers())
          .status,
      201u);
  ASSERT_EQ(log_in("alex", "not the password").status, 401u);
  // A wrong password deletes nothing; the field is named.
  const auto wrong = send(http::verb::delete_, "/api/v1/me", R"({"password": "not the password"})",
                          alex.headers());
  EXPECT_EQ(wrong.status, 400u);
  EXPECT_EQ(wrong.error_field(), "password");
  EXPECT_EQ(testing::pg_sql(url_, "SELECT count(*) FROM clinic.accounts WHERE id = '" + id + "'"),
            "1");
  // Without the CSRF echo, nothing either.
  EXPECT_EQ(send(http::verb::delete_, "/api/v1/me", R"({"password": "a long enough passphrase"})",
                 alex.headers(false))
                .status,
            403u);
  const auto deleted = send(http::verb::delete_, "/api/v1/me",
                            R"({"password": "a long enough passphrase"})", alex.headers(), 1);
  ASSERT_EQ(deleted.status, 200u) << deleted.body;
  for (const std::string& query :
       {"SELECT count(*) FROM clinic.accounts WHERE id = '" + id + "' OR username = 'alex'",
        "SELECT count(*) FROM clinic.sessions WHERE account_id = '" + id + "'",
        "SELECT count(*) FROM clinic.shares WHERE person_id = '" + id + "'",
        "SELECT count(*) FROM clinic.audit WHERE person_id = '" + id + "'",
        "SELECT count(*) FROM clinic.contact_requests WHERE person_id = '" + id + "'",
        std::string("SELECT count(*) FROM clinic.login_failures WHERE key = 'account:alex'"),
        "SELECT count(*) FROM clinic.invites WHERE used_by = '" + id + "'",
        "SELECT count(*) FROM pg_namespace WHERE nspname = '" + journal + "'"}) {
    EXPECT_EQ(testing::pg_sql(url_, query), "0") << query;
  }
  // The session ended with the account; the specialist no longer sees alex.
  EXPECT_EQ(send(http::verb::get, "/api/v1/doses", "", alex.headers()).status, 401u);
  EXPECT_EQ(send(http::verb::get, "/api/v1/people", "", sam.headers()).document()["people"].size(),
            0u);
  EXPECT_EQ(log_in("alex", "a long enough passphrase").status, 401u);
}

// --- the authorisation matrix ---------------------------------------------------------------

// Every endpoint of clinic mode × every kind of caller, on two instances in turn, answers as
// docs/clinic.md ("Who may do what") says; and every 200 on someone else's data left exactly one
// audit row.
TEST_F(ClinicSharing, HealthSaysTheDatabaseAnswersAndAnswersAgainAtOnceAfterItDroppedConnections) {
  const auto healthy = send(http::verb::get, "/api/v1/health", "");
  ASSERT_EQ(healthy.status, 200u) << healthy.body;
  EXPECT_EQ(healthy.document(), (nlohmann::json{{"status", "ok"}, {"database", "ok"}}));
  // As after a restart of PostgreSQL: every connection of the instance is gone.
  testing::pg_sql(url_,
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                  "pg_backend_pid() AND datname = current_database()");
  EXPECT_EQ(send(http::verb::get, "/api/v1/health", "").status, 200u);
  // A database that cannot answer the question (its clinic tables gone) is not healthy.
  testing::pg_sql(url_, "ALTER TABLE clinic.schema_version RENAME TO schema_version_moved");
  const auto broken = send(http::verb::get, "/api/v1/health", "");
  EXPECT_EQ(broken.status, 500u) << broken.body;
  EXPECT_EQ(broken.document()["error"]["field"], "db") << broken.body;
  testing::pg_sql(url_, "ALTER TABLE clinic.schema_version_moved RENAME TO schema_version");
}

// Sign-up and sign-in hashed the password (argon2id, tens of milliseconds) on an IO thread,
// which answered no one else meanwhile.
TEST_F(ClinicSharing, BugPasswordHashingHeldAnIoThreadNowOthersAreAnsweredMeanwhile) {
  person("alex");
  server::ServerOptions options;
  options.port = 0;
  options.database = url_;
  options.clinic = true;
  options.threads = 1;  // One IO thread: a hash on it would hold every other request.
  auto single = server::Server::start(options);
  ASSERT_TRUE(single) << single.error().message;
  const auto port = (**single).port();
  std::atomic<int> finished{0};
  std::vector<int> login_turns(2, -1);
  std::vector<std::thread> logins;
  for (std::size_t i = 0; i < login_turns.size(); ++i) {
    logins.emplace_back([&, i] {
      const auto in =
          testing::send(port, http::verb::post, "/api/v1/auth/login",
                        R"({"username": "alex", "password": "a long enough passphrase"})", {});
      login_turns[i] = finished++;
      EXPECT_EQ(in.status, 200u) << in.body;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // The logins are being hashed.
  const auto health = testing::send(port, http::verb::get, "/api/v1/health", "", {});
  const int health_turn = finished++;
  for (auto& login : logins) login.join();
  EXPECT_EQ(health.status, 200u) << health.body;
  EXPECT_EQ(health_turn, 0) << "the health check waited for a sign-in's hashing";
  (**single).stop();
  (**single).wait();
}

// A request waiting for PostgreSQL (here a lock another session holds on the person's doses)
// ran on the IO thread and held every other connection on it: a person's page, the app's
// files and the health check waited with it.
TEST_F(ClinicSharing, BugARequestWaitingForTheDatabaseHeldAnIoThreadNowOthersAreAnswered) {
  const auto alex = person("alex");
  const auto robin = person("robin");
  // Their journals exist once used.
  for (const auto* who : {&alex, &robin}) {
    ASSERT_EQ(send(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})", who->headers()).status,
              201u);
  }
  server::ServerOptions options;
  options.port = 0;
  options.database = url_;
  options.clinic = true;
  options.zone_override = "UTC";
  options.threads = 1;  // One IO thread: a request waiting on it would hold every other one.
  auto single = server::Server::start(options);
  ASSERT_TRUE(single) << single.error().message;
  const auto port = (**single).port();
  const auto cookies_of = [](const Browser& browser) {
    const auto headers = browser.headers(/*with_csrf=*/false);
    return std::vector<std::pair<std::string, std::string>>(headers.begin(), headers.end());
  };
  const auto journal =
      testing::pg_sql(url_, "SELECT journal FROM clinic.accounts WHERE username = 'alex'");
  ASSERT_FALSE(journal.empty());
  std::atomic<bool> locked{false};
  std::thread holder([&] {
    pqxx::connection connection(url_);
    pqxx::work tx(connection);
    tx.exec("LOCK TABLE \"" + journal + "\".doses IN ACCESS EXCLUSIVE MODE");
    locked = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    tx.commit();
  });
  while (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::atomic<int> finished{0};
  int alex_turn = -1;
  std::thread waiting([&] {
    const auto list = testing::send(port, http::verb::get, "/api/v1/doses", "", cookies_of(alex));
    alex_turn = finished++;
    EXPECT_EQ(list.status, 200u) << list.body;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // Alex's list waits for the lock.
  const auto page = testing::send(port, http::verb::get, "/", "", {});
  const int page_turn = finished++;
  const auto health = testing::send(port, http::verb::get, "/api/v1/health", "", {});
  const int health_turn = finished++;
  const auto robins = testing::send(port, http::verb::get, "/api/v1/doses", "", cookies_of(robin));
  const int robin_turn = finished++;
  waiting.join();
  holder.join();
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(health.status, 200u) << health.body;
  EXPECT_EQ(robins.status, 200u) << robins.body;
  EXPECT_LT(page_turn, alex_turn) << "the app's page waited for another person's query";
  EXPECT_LT(health_turn, alex_turn) << "the health check waited for another person's query";
  EXPECT_LT(robin_turn, alex_turn) << "robin's journal waited for alex's";
  (**single).stop();
  (**single).wait();
}

TEST_F(ClinicSharing, AuthorisationMatrixEveryEndpointTimesEveryCallerOnTwoInstances) {
  const auto alex = person("alex", 0);
  const auto robin = person("robin", 1);
  const auto with_scope = person("sam", 0, "specialist");
  const auto partial = person("pat", 1, "specialist");
  const auto without = person("lee", 0, "specialist");
  const auto revoked = person("kim", 1, "specialist");
  const auto admin = person("ada", 0, "admin");
  ASSERT_EQ(send(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})", alex.headers()).status,
            201u);
  ASSERT_EQ(
      send(http::verb::post, "/api/v1/plans",
           R"({"pattern": {"doses_per_day": 6, "interval_hours": 3, "amount_per_dose": "2g"}})",
           alex.headers())
          .status,
      201u);
  ASSERT_EQ(share(alex, "sam", {"pattern", "journal", "checkins", "reflections", "plan", "safety"})
                .status,
            201u);
  const auto sam_share_id = send(http::verb::get, "/api/v1/shares", "", alex.headers())
                                .document()["shares"][0]["id"]
                                .get<std::string>();
  ASSERT_EQ(share(alex, "pat", {"pattern"}).status, 201u);
  const auto kim = share(alex, "kim", {"journal"});
  ASSERT_EQ(kim.status, 201u);
  ASSERT_EQ(send(http::verb::delete_, "/api/v1/shares/" + kim.document()["id"].get<std::string>(),
                 "", alex.headers())
                .status,
            200u);
  const auto audit_before = audit_rows();

  struct Caller {
    std::string name;
    std::optional<Browser> browser;
  };
  const std::vector<Caller> callers{{"anonymous", std::nullopt},
                                    {"alex", alex},
                                    {"robin", robin},
                                    {"sam", with_scope},
                                    {"pat", partial},
                                    {"lee", without},
                                    {"kim", revoked},
                                    {"ada", admin}};
  // Expected status by caller; "*" for every signed-in caller not listed.
  using Expect = std::map<std::string, unsigned>;
  struct Row {
    http::verb method;
    std::string target;
    std::string body;
    Expect expect;
  };
  const std::string alex_people = "/api/v1/people/" + account_id("alex");
  std::vector<Row> rows{
      {http::verb::get, "/api/v1/doses", "", {{"*", 200}}},
      {http::verb::get, "/api/v1/status", "", {{"*", 200}}},
      {http::verb::get, "/api/v1/shares", "", {{"*", 200}}},
      {http::verb::get, "/api/v1/audit", "", {{"*", 200}}},
      {http::verb::get, "/api/v1/contact-requests", "", {{"*", 200}}},
      {http::verb::get, "/api/v1/me/export", "", {{"*", 200}}},
      {http::verb::get, "/api/v1/me", "", {{"*", 200}}},
      {http::verb::delete_, "/api/v1/me", R"({"password": "not it"})", {{"*", 400}}},
      {http::verb::get,
       "/api/v1/people",
       "",
       {{"*", 403}, {"sam", 200}, {"pat", 200}, {"lee", 200}, {"kim", 200}}},
      {http::verb::post,
       "/api/v1/contact-requests/none/handled",
       "",
       {{"*", 403}, {"sam", 404}, {"pat", 404}, {"lee", 404}, {"kim", 404}}},
  };
  // The mirrored reads: the specialist with every scope gets each; pat (pattern only) the
  // pattern; everyone else 404, alex too (a person reads their own journal at its own paths).
  const std::map<std::string, std::string> mirrored{
      {"/pattern", "pattern"},
      {"/doses", "journal"},
      {"/products", "journal"},
      {"/withdrawal", "journal"},
      {"/checkins", "checkins"},
      {"/reflections", "reflections"},
      {"/plans", "plan"},
      {"/plans/current", "plan"},
      {"/plans/current/today", "plan"},
      {"/plans/current/status", "plan"},
      {"/safety", "safety"},
  };
  for (const auto& [path, scope] : mirrored) {
    Expect expect{{"*", 404}, {"sam", 200}};
    if (scope == "pattern") expect["pat"] = 200;
    rows.push_back({http::verb::get, alex_people + path, "", expect});
  }
  for (const std::string path : {"/settings", "/profile", "/export", "/status", "/evidence"}) {
    rows.push_back({http::verb::get, alex_people + path, "", {{"*", 404}}});
  }
  rows.push_back({http::verb::get, "/api/v1/people/nobody/doses", "", {{"*", 404}}});
  // Last: alex's own stops the share (everyone else's try, after alex's, finds none).
  rows.push_back(
      {http::verb::delete_, "/api/v1/shares/" + sam_share_id, "", {{"*", 404}, {"alex", 200}}});

  // The routes open to all besides sign-up and sign-in: what the web app asks when signed out…
  EXPECT_EQ(send(http::verb::get, "/api/v1/auth", "").document()["mode"], "clinic");
  // And a monitor's, which names no one.
  EXPECT_EQ(send(http::verb::get, "/api/v1/health", "", {}, 1).status, 200u);
  long long cross_reads = 0;
  std::size_t turn = 0;
  for (const auto& row : rows) {
    for (const auto& caller : callers) {
      const auto reply =
          send(row.method, row.target, row.body,
               caller.browser ? caller.browser->headers() : std::map<std::string, std::string>{},
               turn++ % 2);
      unsigned expected = 401;
      if (caller.browser) {
        const auto it = row.expect.find(caller.name);
        expected = it != row.expect.end() ? it->second : row.expect.at("*");
      }
      EXPECT_EQ(reply.status, expected) << http::to_string(row.method) << " " << row.target
                                        << " by " << caller.name << ": " << reply.body;
      if (reply.status == 200u && row.target.rfind("/api/v1/people/", 0) == 0) ++cross_reads;
      if (reply.status == 200u && row.target == "/api/v1/people") {
        cross_reads += static_cast<long long>(reply.document()["people"].size());
      }
    }
  }
  EXPECT_EQ(audit_rows() - audit_before, cross_reads);
  // Sam and pat each listed alex once.
  EXPECT_GT(cross_reads, 8);
}

}  // namespace
}  // namespace mitra
