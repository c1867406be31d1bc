#include "pg_cluster.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

namespace mitra::testing {

namespace {

const std::string kScript = std::string(MITRA_SOURCE_DIR) + "/tests/pg/pg_cluster.sh";

// Runs a command line; its stdout without the last newline, or nullopt if it failed (its
// stderr goes to the test's).
std::optional<std::string> output_of(const std::string& command_line) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command_line.c_str(), "r"), ::pclose);
  if (!pipe) return std::nullopt;
  std::string out;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) out += buffer;
  const int status = ::pclose(pipe.release());
  if (status != 0) return std::nullopt;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// The folder of the ctest run's cluster (the fixture pg_cluster writes it to the file named by
// MITRA_TEST_PG_CLUSTER, tests/CMakeLists.txt), or nullopt outside such a run.
std::optional<std::string> shared_cluster() {
  const char* file = std::getenv("MITRA_TEST_PG_CLUSTER");
  if (file == nullptr || *file == '\0') return std::nullopt;
  std::ifstream in(file);
  std::string folder;
  if (!std::getline(in, folder) || folder.empty()) return std::nullopt;
  if (::access((folder + "/data").c_str(), F_OK) != 0) return std::nullopt;
  return folder;
}

struct Cluster {
  std::mutex mutex;
  bool tried = false;
  std::string folder;  // Empty: not running.
  bool own = false;    // Started by this process (else the ctest run's, shared).
  std::string error;
  int databases = 0;
  std::vector<std::string> created;  // On a shared cluster: dropped when the binary ends.

  std::string url_of(const std::string& name) const {
    return output_of("bash '" + kScript + "' url '" + folder + "' " + name).value_or("");
  }

  void stop() {
    const std::lock_guard lock(mutex);
    if (folder.empty()) return;
    if (own) {
      (void)output_of("bash '" + kScript + "' stop '" + folder + "'");
    } else {
      // The run's other tests go on using the cluster: leave it as found.
      const std::string admin = url_of("postgres");
      for (const auto& name : created)
        (void)pg_sql(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
    created.clear();
    folder.clear();
  }
};

Cluster& cluster() {
  static Cluster instance;
  return instance;
}

class ClusterEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { cluster().stop(); }
};

// Registered before main runs, as gtest allows.
[[maybe_unused]] const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new ClusterEnvironment);

}  // namespace

PgDatabase new_pg_database() {
  auto& c = cluster();
  const std::lock_guard lock(c.mutex);
  if (!c.tried) {
    c.tried = true;
    if (auto shared = shared_cluster()) {
      c.folder = *shared;
    } else if (auto started = output_of("bash '" + kScript + "' start");
               !started || started->empty()) {
      c.error = "the throwaway PostgreSQL cluster did not start (" + kScript +
                " start failed; its message is above). PostgreSQL 15 is installed by "
                "scripts/install-deps.sh";
    } else {
      c.folder = *started;
      c.own = true;
    }
  }
  if (c.folder.empty()) return {"", c.error};
  // Unique on a cluster that many test processes share, one after another (a pid comes back).
  const auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(nanoseconds) +
                           "_" + std::to_string(++c.databases);
  const std::string created = pg_sql(c.url_of("postgres"), "CREATE DATABASE " + name);
  if (created.rfind("error:", 0) == 0) return {"", "could not create a test database: " + created};
  if (!c.own) c.created.push_back(name);
  return {c.url_of(name), ""};
}

std::string pg_sql(const std::string& url, const std::string& sql) {
  try {
    pqxx::connection connection(url);
    pqxx::nontransaction tx(connection);
    const auto result = tx.exec(sql);
    std::string out;
    for (std::size_t row = 0; row < result.size(); ++row) {
      if (row > 0) out += "\n";
      if (result.columns() > 0 && !result[row][0].is_null()) out += result[row][0].c_str();
    }
    return out;
  } catch (const std::exception& error) {
    return std::string("error: ") + error.what();
  }
}

}  // namespace mitra::testing
