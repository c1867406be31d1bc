#pragma once
// The SQLite engine of a journal (records.hpp and engine.hpp for the contracts).
// WAL journal, synchronous=FULL so a commit is on disk before it is acknowledged,
// BEGIN IMMEDIATE for every write so concurrent processes queue instead of failing,
// schema version in PRAGMA user_version with forward migrations. The engine is in sqlite/, one
// file per concern (sqlite/sqlite_engine.hpp lists them).

#include <memory>
#include <string>

#include "store/store.hpp"

namespace mitra::store {

// The schema version this build writes. A database with a higher version is refused.
inline constexpr int kSchemaVersion = 4;

Result<std::unique_ptr<Store>> open_sqlite(const std::string& path, OpenMode mode);

}  // namespace mitra::store
