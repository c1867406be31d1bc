// The online backup (`mitra backup`): store::Engine maintenance.
#include "store/sqlite/sqlite_engine.hpp"

#include <filesystem>
#include <string>

namespace mitra::store::sqlite {

Result<void> SqliteStore::backup_to(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return core::invalid("path",
                         "the backup file \"" + path + "\" already exists; choose a new file name");
  }
  sqlite3* target = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    const auto error = sqlite_error(target, rc, "creating the backup");
    sqlite3_close_v2(target);
    return core::invalid("path",
                         "cannot create the backup file \"" + path + "\": " + error.message);
  }
  sqlite3_backup* backup = sqlite3_backup_init(target, "main", db_, "main");
  if (backup == nullptr) {
    const auto error = sqlite_error(target, sqlite3_errcode(target), "starting the backup");
    sqlite3_close_v2(target);
    return tl::unexpected(error);
  }
  // Copy in slices so writers in other processes are not held up for long.
  do {
    rc = sqlite3_backup_step(backup, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  const int final_rc = sqlite3_errcode(target);
  sqlite3_close_v2(target);
  if (rc != SQLITE_DONE || final_rc != SQLITE_OK) {
    std::filesystem::remove(path, ec);
    return tl::unexpected(sqlite_error(nullptr, rc, "writing the backup"));
  }
  return {};
}

}  // namespace mitra::store::sqlite
