#pragma once
// A journal opened on an engine: what mitra keeps (Records, records.hpp), through the engine
// that keeps it (Engine, engine.hpp). Engines: SQLite (sqlite_store.hpp) and PostgreSQL
// (postgres/). The use cases see only the Records side; the server's writer drives the Engine
// side around them.

#include <memory>
#include <string>

#include "store/engine.hpp"
#include "store/records.hpp"

namespace mitra::store {

class Store : public Records, public Engine {};

enum class OpenMode { read_write, create_if_missing };

// Opens the database at `location`: a postgresql:// or postgres:// URL for PostgreSQL (the
// database must exist; see postgres/postgres_store.hpp), else a file path for SQLite. Creates
// parent folders and the schema when asked; refuses a database written by a newer mitra.
Result<std::unique_ptr<Store>> open_store(const std::string& location, OpenMode mode);

// A new record id: 32 lowercase hex characters, the first 12 the milliseconds since the epoch and
// the other 20 from the OS's random source. Ids made later in a process sort later (byte-wise);
// ids from different processes differ with overwhelming probability. Thread-safe.
std::string new_id();

}  // namespace mitra::store
