// The server's store pool in clinic mode (src/server/store_pool.hpp): a store idle for one
// person's journal is switched to the next person's on the same PostgreSQL connection, and
// never shows or writes one person's rows for another, even after the connection is lost.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "pg_cluster.hpp"
#include "server/store_pool.hpp"
#include "store/clinic.hpp"
#include "test_support.hpp"

namespace mitra {
namespace {

using server::StorePool;

using testing::dose_with_note;

// The notes of the doses in `schema`, read by SQL as the cluster's superuser.
std::string notes_in(const std::string& url, const std::string& schema) {
  return testing::pg_sql(url, "SELECT note FROM " + schema + ".doses ORDER BY note");
}

std::vector<std::string> notes_seen(store::Store& store) {
  std::vector<std::string> notes;
  auto doses = store.list_doses({});
  EXPECT_TRUE(doses) << doses.error().message;
  if (doses) {
    for (const auto& dose : *doses) notes.push_back(dose.note);
  }
  return notes;
}

class ClinicStorePool : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = testing::new_pg_database();
    ASSERT_TRUE(database.error.empty()) << database.error;
    url_ = database.url;
    for (const char* person : {"person_a", "person_b", "person_c", "person_d"}) {
      ASSERT_EQ(testing::pg_sql(url_, std::string("CREATE SCHEMA ") + person), "");
    }
  }
  std::string journal(const std::string& schema) const {
    return store::journal_location(url_, schema);
  }
  std::string url_;
};

TEST_F(ClinicStorePool, AStoreIdleForOnePersonServesTheNextOnItsConnectionAndOnlyTheirRows) {
  StorePool pool(url_);
  const store::Store* first = nullptr;
  {
    auto a = pool.acquire(journal("person_a"));
    ASSERT_TRUE(a) << a.error().message;
    first = &**a;
    ASSERT_TRUE((**a).add_dose(dose_with_note("a's"), ""));
  }
  {
    auto b = pool.acquire(journal("person_b"));
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(&**b, first) << "a new connection was opened instead of switching the idle one";
    EXPECT_TRUE(notes_seen(**b).empty()) << "person b sees person a's doses";
    ASSERT_TRUE((**b).add_dose(dose_with_note("b's"), ""));
    EXPECT_EQ(notes_seen(**b), std::vector<std::string>{"b's"});
  }
  {
    auto a = pool.acquire(journal("person_a"));
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(&**a, first);
    EXPECT_EQ(notes_seen(**a), std::vector<std::string>{"a's"});
  }
  EXPECT_EQ(notes_in(url_, "person_a"), "a's");
  EXPECT_EQ(notes_in(url_, "person_b"), "b's");
  EXPECT_EQ(pool.idle_journals(), 1u);
}

TEST_F(ClinicStorePool, APersonsOwnIdleStoreIsLentBeforeAnotherIsSwitched) {
  StorePool pool(url_);
  const store::Store* as = nullptr;
  const store::Store* bs = nullptr;
  {
    auto a = pool.acquire(journal("person_a"));
    auto b = pool.acquire(journal("person_b"));
    ASSERT_TRUE(a && b);
    as = &**a;
    bs = &**b;
  }                                            // b's store is returned first, then a's.
  auto c = pool.acquire(journal("person_c"));  // b's, the least recently returned, is switched.
  ASSERT_TRUE(c);
  EXPECT_EQ(&**c, bs);
  auto a = pool.acquire(journal("person_a"));  // a's own, as it was.
  ASSERT_TRUE(a);
  EXPECT_EQ(&**a, as);
  ASSERT_TRUE((**c).add_dose(dose_with_note("c's"), ""));
  ASSERT_TRUE((**a).add_dose(dose_with_note("a's"), ""));
  EXPECT_EQ(notes_in(url_, "person_a"), "a's");
  EXPECT_EQ(notes_in(url_, "person_b"), "");
  EXPECT_EQ(notes_in(url_, "person_c"), "c's");
}

TEST_F(ClinicStorePool, ASwitchedStoreThatLosesItsConnectionConnectsAgainToItsNewJournal) {
  StorePool pool(url_);
  { ASSERT_TRUE(pool.acquire(journal("person_a"))); }
  auto b = pool.acquire(journal("person_b"));
  ASSERT_TRUE(b) << b.error().message;
  // Every other connection to the database ends, as after a restart of the server.
  testing::pg_sql(url_,
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                  "pg_backend_pid() AND datname = current_database()");
  auto lost = (**b).add_dose(dose_with_note("lost"), "");
  EXPECT_FALSE(lost) << "the write on a terminated connection was acknowledged";
  ASSERT_TRUE((**b).add_dose(dose_with_note("b's"), ""));
  EXPECT_EQ(notes_seen(**b), std::vector<std::string>{"b's"});
  EXPECT_EQ(notes_in(url_, "person_a"), "");
  EXPECT_EQ(notes_in(url_, "person_b"), "b's");
}

TEST_F(ClinicStorePool, KeepsTheMostRecentlyReturnedStoresUpToItsLimit) {
  StorePool pool(url_, 2);
  {
    auto a = pool.acquire(journal("person_a"));
    auto b = pool.acquire(journal("person_b"));
    auto c = pool.acquire(journal("person_c"));
    ASSERT_TRUE(a && b && c);
  }  // Returned c, b, a (reverse order of declaration): c, the oldest, is closed.
  EXPECT_EQ(pool.idle_journals(), 2u);
  // The connections to the database but pg_sql's own, once `expected` (a closed connection's
  // server process ends soon after, not at once).
  const auto backends = [&](const std::string& expected) {
    std::string count;
    for (int tries = 0; tries < 50; ++tries) {
      count = testing::pg_sql(url_,
                              "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                              "current_database() AND pid <> pg_backend_pid()");
      if (count == expected) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return count;
  };
  EXPECT_EQ(backends("2"), "2");
  {
    auto d = pool.acquire(journal("person_d"));  // The least recently returned is switched.
    ASSERT_TRUE(d);
    ASSERT_TRUE((**d).add_dose(dose_with_note("d's"), ""));
    EXPECT_EQ(backends("2"), "2");
  }
  EXPECT_EQ(notes_in(url_, "person_d"), "d's");
  auto a = pool.acquire(journal("person_a"));
  ASSERT_TRUE(a);
  EXPECT_TRUE(notes_seen(**a).empty());
}

TEST_F(ClinicStorePool, TheServersOwnDatabaseIsNeverSwitchedToAPersonsJournal) {
  StorePool pool(url_);
  const store::Store* own = nullptr;
  {
    auto server = pool.acquire();
    ASSERT_TRUE(server) << server.error().message;
    own = &**server;
  }
  auto a = pool.acquire(journal("person_a"));
  ASSERT_TRUE(a);
  EXPECT_NE(&**a, own);
  auto server = pool.acquire();
  ASSERT_TRUE(server);
  EXPECT_EQ(&**server, own);
}

}  // namespace
}  // namespace mitra
