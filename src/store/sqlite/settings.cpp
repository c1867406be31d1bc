// The settings repository (zone, day start, profile …), with a cache every request reads.
#include "store/sqlite/sqlite_engine.hpp"

#include <string>

namespace mitra::store::sqlite {

// Every request reads the settings; they are kept here until this connection changes them,
// drops a change (a rollback may undo one), or another connection commits anything.
Result<std::optional<std::string>> SqliteStore::get_setting(const std::string& key) {
  // Inside a group of writes this connection holds the write lock: nobody else can commit,
  // and data_version was read when the group began.
  auto others = batch_open_ ? Result<std::uint64_t>{batch_data_version_} : data_version();
  if (!others) return tl::unexpected(others.error());
  if (!settings_cache_ || settings_cache_->others != *others) {
    settings_cache_ = SettingsCache{*others, {}};
  }
  if (auto it = settings_cache_->values.find(key); it != settings_cache_->values.end()) {
    return it->second;
  }
  Statement s(statements_, "SELECT value FROM settings WHERE key = ?");
  s.bind(1, key);
  const int rc = s.step();
  std::optional<std::string> value;
  if (rc == SQLITE_ROW) {
    value = s.text(0);
  } else if (rc != SQLITE_DONE) {
    return tl::unexpected(sqlite_error(db_, rc, "reading settings"));
  }
  settings_cache_->values.emplace(key, value);
  return value;
}

Result<void> SqliteStore::put_setting(const std::string& key, const std::string& value) {
  settings_cache_.reset();
  return write<void>("saving settings",
                     [&]() -> Result<void> { return write_setting(key, value); });
}

Result<std::optional<std::string>> SqliteStore::read_setting(const std::string& key) {
  Statement s(statements_, "SELECT value FROM settings WHERE key = ?");
  s.bind(1, key);
  const int rc = s.step();
  if (rc == SQLITE_ROW) return std::optional<std::string>{s.text(0)};
  if (rc != SQLITE_DONE) return tl::unexpected(sqlite_error(db_, rc, "reading settings"));
  return std::optional<std::string>{};
}

Result<void> SqliteStore::write_setting(const std::string& key, const std::string& value) {
  Statement s(statements_,
              "INSERT INTO settings (key, value) VALUES (?, ?) "
              "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  s.bind(1, key).bind(2, value);
  return run(s, "saving settings");
}

Result<void> SqliteStore::delete_setting(const std::string& key) {
  Statement s(statements_, "DELETE FROM settings WHERE key = ?");
  s.bind(1, key);
  return run(s, "saving settings");
}

}  // namespace mitra::store::sqlite
