#pragma once
// The PostgreSQL engine's schema: its version in the table `schema_version` (one row), forward
// migrations, and a refusal to open a database written by a newer mitra.

#include "store/postgres/connection.hpp"

namespace mitra::store::postgres {

// The schema version this build writes. A database with a higher version is refused.
inline constexpr int kSchemaVersion = 2;

// Creates or upgrades the schema in the connection's current schema (search_path). Several
// processes may do it at once: they take turns on an advisory lock and the version is read
// again inside the turn. Refuses (conflict) a newer schema, and (unavailable) a database whose
// schema holds tables but no mitra schema version. Changes nothing when it refuses.
Result<void> migrate(Connection& connection);

}  // namespace mitra::store::postgres
