#include "app/context.hpp"

#include <cstdio>
#include <cstdlib>

namespace mitra::app {

Result<Context> make_context(store::Records& store, core::Instant now,
                             const std::string& zone_override, const std::string& fallback_zone) {
  return make_context(store, now, zone_override,
                      std::function<std::string()>([&fallback_zone] { return fallback_zone; }));
}

Result<Context> make_context(store::Records& store, core::Instant now,
                             const std::string& zone_override,
                             const std::function<std::string()>& fallback_zone) {
  Settings settings;
  auto zone_setting = store.get_setting("zone");
  if (!zone_setting) return tl::unexpected(zone_setting.error());
  auto day_start_setting = store.get_setting("day_start");
  if (!day_start_setting) return tl::unexpected(day_start_setting.error());
  settings.configured = zone_setting->has_value();
  if (*zone_setting) {
    settings.saved_zone = **zone_setting;
  } else {
    settings.saved_zone = fallback_zone();
    if (settings.saved_zone.empty()) settings.saved_zone = "UTC";
  }
  settings.zone = settings.saved_zone;
  if (*day_start_setting) {
    auto parsed = core::parse_clock(**day_start_setting, "day_start");
    if (parsed) settings.day_start = *parsed;
  }
  auto language_setting = store.get_setting("language");
  if (!language_setting) return tl::unexpected(language_setting.error());
  // Empty: cleared. Anything else that is not a language (written by a newer mitra) is ignored.
  if (*language_setting && !(*language_setting)->empty()) {
    if (auto language = core::parse_language_option(**language_setting))
      settings.language = *language;
  }
  if (!zone_override.empty()) settings.zone = zone_override;
  const core::Zones& zones = system_zones();
  auto zone = core::find_zone(zones, settings.zone);
  if (!zone) {
    if (!zone_override.empty()) return tl::unexpected(zone.error());
    zone = core::find_zone(zones, "UTC");  // A saved zone the OS no longer knows.
  }
  return Context{store, now, settings, *zone, &zones};
}

Result<Settings> save_settings(Context& context, const std::string& zone,
                               std::chrono::minutes day_start) {
  auto found = core::find_zone(*context.zones, zone, "zone");
  if (!found) return tl::unexpected(found.error());
  if (day_start < std::chrono::minutes{0} || day_start >= std::chrono::hours{24}) {
    return core::invalid("day_start",
                         core::sentence("day_start must be a time from 00:00 to 23:59"));
  }
  const std::string clock = core::format_time_of_day(day_start);
  if (auto done = context.store.put_setting("zone", zone); !done) {
    return tl::unexpected(done.error());
  }
  if (auto done = context.store.put_setting("day_start", clock); !done) {
    return tl::unexpected(done.error());
  }
  context.settings = Settings{zone, day_start, true, zone, context.settings.language};
  context.zone = *found;
  return context.settings;
}

Result<void> save_language(Context& context, std::optional<core::Language> language) {
  const std::string value = language ? std::string(core::language_code(*language)) : "";
  if (auto done = context.store.put_setting("language", value); !done) {
    return tl::unexpected(done.error());
  }
  context.settings.language = language;
  return {};
}

std::string default_database_path() {
  if (const char* env = std::getenv("MITRA_DB"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/mitra/mitra.db";
  }
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/mitra/mitra.db";
}

}  // namespace mitra::app
