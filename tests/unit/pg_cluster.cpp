#include "pg_cluster.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>

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

struct Cluster {
  std::mutex mutex;
  bool tried = false;
  std::string folder;  // Empty: not running.
  std::string error;
  int databases = 0;

  void stop() {
    const std::lock_guard lock(mutex);
    if (folder.empty()) return;
    (void)output_of("bash '" + kScript + "' stop '" + folder + "'");
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
    auto started = output_of("bash '" + kScript + "' start");
    if (!started || started->empty()) {
      c.error = "the throwaway PostgreSQL cluster did not start (" + kScript +
                " start failed; its message is above). PostgreSQL 15 is installed by "
                "scripts/install-deps.sh";
    } else {
      c.folder = *started;
    }
  }
  if (c.folder.empty()) return {"", c.error};
  const auto url_of = [&](const std::string& name) {
    return output_of("bash '" + kScript + "' url '" + c.folder + "' " + name).value_or("");
  };
  const std::string name =
      "t" + std::to_string(::getpid()) + "_" + std::to_string(++c.databases);
  const std::string created = pg_sql(url_of("postgres"), "CREATE DATABASE " + name);
  if (created.rfind("error:", 0) == 0) return {"", "could not create a test database: " + created};
  return {url_of(name), ""};
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
