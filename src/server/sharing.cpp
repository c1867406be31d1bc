#include "server/sharing.hpp"

#include <optional>
#include <string_view>
#include <utility>

namespace mitra::server {

namespace {

struct Mirrored {
  std::string_view path;             // Below /api/v1.
  std::optional<core::Scope> scope;  // Nothing: any scope (the route shows what is shared).
};

constexpr std::string_view kApi = "/api/v1";

const std::vector<Mirrored>& mirrored() {
  using core::Scope;
  static const std::vector<Mirrored> table{
      {"/pattern", Scope::pattern},
      {"/doses", Scope::journal},
      {"/products", Scope::journal},
      {"/withdrawal", Scope::journal},
      {"/checkins", Scope::checkins},
      {"/reflections", Scope::reflections},
      {"/plans", Scope::plan},
      {"/plans/current", Scope::plan},
      {"/plans/current/today", Scope::plan},
      {"/plans/current/status", Scope::plan},
      {"/safety", Scope::safety},
      {"/report", std::nullopt},
      {"/fhir", std::nullopt},
  };
  return table;
}

}  // namespace

std::vector<Route> shared_routes(const std::vector<Route>& api) {
  std::vector<Route> routes;
  for (const auto& route : api) {
    if (route.method != boost::beast::http::verb::get || !route.handler) continue;
    const std::string_view pattern = route.pattern;
    if (pattern.substr(0, kApi.size()) != kApi) continue;
    const auto below = pattern.substr(kApi.size());
    for (const auto& entry : mirrored()) {
      if (entry.path != below) continue;
      Route shared = route;
      shared.pattern = std::string(kApi) + "/people/{person}" + std::string(below);
      shared.shared = true;
      shared.scope = entry.scope;
      routes.push_back(std::move(shared));
    }
  }
  return routes;
}

}  // namespace mitra::server
