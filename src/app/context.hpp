#pragma once
// What every use case needs: the store, the moment "now", and the person's settings.
// Built once per command or request by the adapter; nothing here is global.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/zones.hpp"
#include "core/error.hpp"
#include "core/language.hpp"
#include "core/time.hpp"
#include "store/records.hpp"

namespace mitra::app {

using core::Result;

struct Settings {
  std::string zone = "UTC";  // IANA name of the zone in use: the saved one, or --tz.
  std::chrono::minutes day_start = core::kDefaultDayStart;
  bool configured = false;  // True once setup has run.
  // The zone saved (or the machine's, before setup), whatever --tz says: what settings show
  // and what a change of the day start alone keeps.
  std::string saved_zone = "UTC";
  // The web app's language, chosen on its Settings page (the setting "language": "en", "es");
  // nullopt: follow the browser's Accept-Language. The CLI follows --lang and the locale instead.
  std::optional<core::Language> language;
};

struct Context {
  // What mitra keeps. How the engine groups, syncs and maintains the writes (store::Engine) is
  // not a use case's business: the adapter, or the server's writer, drives it around them.
  store::Records& store;
  core::Instant now;
  Settings settings;
  const core::TimeZone* zone = nullptr;  // Resolved settings.zone (or the --tz override).
  // Where zone names are looked up (a record's zone, a new setting): the OS database.
  const core::Zones* zones = nullptr;
  // The language a person reads the answer in: the CLI's --lang or locale, the web app's saved
  // setting or Accept-Language (the adapter decides; docs/languages.md). Clinical texts the use
  // cases pick (advisories, pathways, plan notes) come in it.
  core::Language language = core::kDefaultLanguage;
};

// Reads the settings from the store. `zone_override` (from --tz) wins when not empty;
// `fallback_zone` is used when no zone was ever saved (the machine's zone).
Result<Context> make_context(store::Records& store, core::Instant now,
                             const std::string& zone_override, const std::string& fallback_zone);
// The same, with the fallback zone asked for only when no zone was ever saved: the CLI reads
// the machine's zone (/etc/localtime and its zone file) only then, not for every command.
Result<Context> make_context(store::Records& store, core::Instant now,
                             const std::string& zone_override,
                             const std::function<std::string()>& fallback_zone);

// Saves zone and day start.
Result<Settings> save_settings(Context& context, const std::string& zone,
                               std::chrono::minutes day_start);

// Saves the web app's language; nullopt clears it (follow the browser again).
Result<void> save_language(Context& context, std::optional<core::Language> language);

// The default database path: $MITRA_DB, else $XDG_DATA_HOME/mitra/mitra.db,
// else ~/.local/share/mitra/mitra.db.
std::string default_database_path();

}  // namespace mitra::app
