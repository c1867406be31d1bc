#pragma once
// The PostgreSQL engine of the Store (see store.hpp for the contract), selected by a
// postgresql:// or postgres:// location (open_store).
//
// Semantics are the SQLite engine's, kept in the same tables and values. Every write is one
// transaction (BEGIN … COMMIT) with synchronous_commit on, so a write that returns success is
// on the server's disk. Writers take turns on one row (write_turn, see migrations.cpp): two
// instances of `mitra serve` on one database write one after the other, as SQLite's writers
// do, so idempotency keys, plan version numbers and the undo log stay right across instances.
// Readers never wait for writers.
//
// What differs from SQLite: the database must exist (mitra creates its tables, not the
// database); backup_to is refused with a pointer to pg_dump; defer_sync turns this
// connection's commits asynchronous and returns a sync that commits, on a connection of its
// own, a transaction that flushes PostgreSQL's log (docs/postgresql.md); there is no log to
// checkpoint.
//
// The engine itself is a module, libmitra_postgres.so (module.hpp). The two functions below are
// the program's (store/postgres_loader.cpp): open_postgres loads the module on first use, and
// answers `unavailable` ("PostgreSQL support is not installed: …") when it cannot.

#include <memory>
#include <string>

#include "store/store.hpp"

namespace mitra::store {

// True for the locations this engine opens: postgresql://… and postgres://….
bool is_postgres_location(const std::string& location);

// Connects to the database at `url` and creates or upgrades mitra's schema in it. `mode` does
// not create the database itself: it must exist. Messages never show the URL's password.
Result<std::unique_ptr<Store>> open_postgres(const std::string& url, OpenMode mode);

}  // namespace mitra::store
