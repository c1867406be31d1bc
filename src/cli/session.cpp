#include "cli/session.hpp"

#include <chrono>
#include <cstdlib>
#include <functional>

#include "app/zones.hpp"

namespace mitra::cli {

std::string machine_zone() {
  if (const char* tz = std::getenv("TZ"); tz && *tz) {
    std::string name = tz[0] == ':' ? tz + 1 : tz;
    if (app::system_zones().locate(name) != nullptr) return name;
  }
  std::string name = app::machine_zone_name();
  return name.empty() ? "UTC" : name;
}

Result<core::Instant> Session::now(const core::TimeZone* zone) const {
  const auto clock =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  if (globals.now.empty()) return clock;
  return core::parse_time(globals.now, clock, zone, "now");
}

std::string Session::database() const {
  return globals.db.empty() ? app::default_database_path() : globals.db;
}

Result<app::Context*> Session::context() {
  if (context_) return &*context_;
  auto opened = store::open_store(database(), store::OpenMode::create_if_missing);
  if (!opened) return tl::unexpected(opened.error());
  store_ = std::move(*opened);
  const auto clock =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  auto made =
      app::make_context(*store_, clock, globals.tz, std::function<std::string()>(machine_zone));
  if (!made) return tl::unexpected(made.error());
  auto instant = now(made->zone);
  if (!instant) return tl::unexpected(instant.error());
  made->now = *instant;
  made->language = globals.language;
  context_.emplace(std::move(*made));
  return &*context_;
}

Result<store::Engine*> Session::engine() {
  if (auto opened = context(); !opened) return tl::unexpected(opened.error());
  return store_.get();
}

}  // namespace mitra::cli
