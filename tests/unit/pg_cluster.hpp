#pragma once
// The throwaway PostgreSQL cluster of the tests (tests/pg/pg_cluster.sh does the work: initdb
// in a temporary folder, a private port and socket folder, run as `postgres` when the tests run
// as root). Under ctest it is the run's one cluster (the fixture pg_cluster in
// tests/CMakeLists.txt names it in $MITRA_TEST_PG_CLUSTER): each test makes databases of its own
// in it and drops them when the binary ends. Run by hand, the binary starts a cluster of its own
// on first use (initdb takes seconds, and most runs need none), and a gtest Environment stops it
// and removes its folder when the binary ends.
//
// A machine without PostgreSQL fails the tests that need it, with the script's message: it is
// not a reason to skip them (scripts/install-deps.sh installs PostgreSQL).

#include <string>

namespace mitra::testing {

struct PgDatabase {
  std::string url;    // postgresql:///NAME?host=…&port=…&user=postgres
  std::string error;  // Why there is none (the cluster did not start…); empty on success.
};

// A new, empty database on the cluster, with a name of its own.
PgDatabase new_pg_database();

// Runs SQL on the database at `url` (as the cluster's superuser); the first column of each
// row, one a line, or "error: …".
std::string pg_sql(const std::string& url, const std::string& sql);

}  // namespace mitra::testing
