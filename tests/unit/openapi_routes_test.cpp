// docs/openapi.yaml and the router agree: every route the server answers is documented, and
// every documented operation is routed (the schemas themselves are checked by
// web/tests/openapi.test.mjs against a running server).

#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <boost/beast/http/verb.hpp>

#include "server/api.hpp"
#include "server/doorkeeper.hpp"
#include "server/sharing.hpp"

namespace {

using Operation = std::pair<std::string, std::string>;  // Method (lower case), path.

// The operations under `paths:` of our own YAML file, each with its query parameters: a path is
// a two-space-indented key that starts with "/", an operation a four-space-indented HTTP method
// under it, a query parameter a "- {name: N, in: query" line of that operation.
std::map<Operation, std::set<std::string>> documented_query(const std::string& file) {
  std::ifstream in(file);
  EXPECT_TRUE(in) << "cannot read " << file;
  const std::regex path_line(R"(^  (/[^:\s]*):\s*$)");
  const std::regex method_line(R"(^    (get|put|post|patch|delete|head|options):)");
  const std::regex query_line(R"(^\s+- \{name: ([A-Za-z_]+), in: query)");
  std::map<Operation, std::set<std::string>> out;
  bool in_paths = false;
  std::string path;
  std::optional<Operation> operation;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != ' ') in_paths = line.rfind("paths:", 0) == 0;
    if (!in_paths) continue;
    std::smatch m;
    if (std::regex_match(line, m, path_line)) {
      path = m[1];
      operation.reset();
    } else if (!path.empty() && std::regex_search(line, m, method_line)) {
      operation = Operation{m[1], path};
      out[*operation];
    } else if (operation && std::regex_search(line, m, query_line)) {
      out[*operation].insert(m[1]);
    }
  }
  return out;
}

std::set<Operation> documented_operations(const std::string& file) {
  std::set<Operation> operations;
  for (const auto& [operation, query] : documented_query(file)) operations.insert(operation);
  return operations;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryDocumentedOperationIsRouted) {
  const auto documented =
      documented_operations(std::string(MITRA_SOURCE_DIR) + "/docs/openapi.yaml");
  ASSERT_GT(documented.size(), 30u) << "the path list of docs/openapi.yaml was not found";

  // Clinic mode's own routes (clinic_doors.cpp; ClinicDoorkeeper needs a database, and
  // tests/unit/clinic_test.cpp calls each of them on one).
  std::set<Operation> routed{{"post", "/api/v1/auth/signup"},
                             {"post", "/api/v1/auth/login"},
                             {"post", "/api/v1/auth/logout"},
                             {"get", "/api/v1/shares"},
                             {"post", "/api/v1/shares"},
                             {"delete", "/api/v1/shares/{id}"},
                             {"get", "/api/v1/audit"},
                             {"get", "/api/v1/people"},
                             {"get", "/api/v1/contact-requests"},
                             {"post", "/api/v1/contact-requests"},
                             {"post", "/api/v1/contact-requests/{id}/handled"},
                             {"get", "/api/v1/auth"},
                             {"get", "/api/v1/health"},
                             {"get", "/api/v1/me"},
                             {"get", "/api/v1/me/export"},
                             {"delete", "/api/v1/me"}};
  auto routes = mitra::server::api_routes();
  // What a specialist reads of a person who shares with them (sharing.hpp).
  for (auto& route : mitra::server::shared_routes(routes)) routes.push_back(std::move(route));
  // Local mode's: the page and the token exchange.
  for (auto& route : mitra::server::Doorkeeper("").routes()) routes.push_back(std::move(route));
  for (const auto& route : routes) {
    const auto method = boost::beast::http::to_string(route.method);
    routed.emplace(lower({method.data(), method.size()}), route.pattern);
  }
  for (const auto& operation : routed) {
    EXPECT_TRUE(documented.contains(operation))
        << operation.first << " " << operation.second << " is routed but not in docs/openapi.yaml";
  }
  for (const auto& operation : documented) {
    EXPECT_TRUE(routed.contains(operation))
        << operation.first << " " << operation.second << " is in docs/openapi.yaml but not routed";
  }
}

// The bug: a query parameter no route took (a misspelt ?dayz=7) was ignored. Each route now lists
// the parameters it takes and the server refuses any other; that list is the documented one.
TEST(OpenApi, EachRouteTakesTheQueryParametersItsOperationDocuments) {
  const auto documented = documented_query(std::string(MITRA_SOURCE_DIR) + "/docs/openapi.yaml");
  ASSERT_TRUE(documented.contains({"get", "/api/v1/pattern"}));
  EXPECT_EQ(documented.at({"get", "/api/v1/pattern"}), std::set<std::string>{"days"});
  auto routes = mitra::server::api_routes();
  for (auto& route : mitra::server::shared_routes(routes)) routes.push_back(std::move(route));
  for (auto& route : mitra::server::Doorkeeper("").routes()) routes.push_back(std::move(route));
  for (const auto& route : routes) {
    const auto method = boost::beast::http::to_string(route.method);
    const Operation operation{lower({method.data(), method.size()}), route.pattern};
    ASSERT_TRUE(documented.contains(operation)) << operation.second;
    const std::set<std::string> taken(route.query.begin(), route.query.end());
    EXPECT_EQ(taken, documented.at(operation)) << operation.first << " " << operation.second;
    EXPECT_EQ(taken.size(), route.query.size()) << operation.second << " lists a parameter twice";
  }
}

}  // namespace
