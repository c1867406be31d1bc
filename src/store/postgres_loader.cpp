// open_postgres: loads the PostgreSQL engine, libmitra_postgres.so (postgres/module.hpp), with
// dlopen on the first postgresql:// location, so that commands on SQLite never map libpq.
#include <string>

#include "store/module_loader.hpp"
#include "store/postgres/module.hpp"
#include "store/postgres/postgres_store.hpp"

namespace mitra::store {

namespace {

using Loaded = LoadedModule<postgres::Module, postgres::ModuleEntry>;

}  // namespace

bool is_postgres_location(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<Store>> open_postgres(const std::string& url, OpenMode mode) {
  static const Loaded loaded =
      Loaded::load(postgres::kModuleFile, postgres::kModuleEntry,
                   "PostgreSQL support is not installed: ", "mitra_postgres", MITRA_VERSION);
  if (loaded.module == nullptr) {
    return core::fail(core::ErrorKind::unavailable, loaded.failure, "db");
  }
  return loaded.module->open(url, mode, &new_id);
}

}  // namespace mitra::store
