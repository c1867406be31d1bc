// open_postgres: loads the PostgreSQL engine, libmitra_postgres.so (postgres/module.hpp), with
// dlopen on the first postgresql:// location, so that commands on SQLite never map libpq.
#include <string>

#include "store/clinic.hpp"
#include "store/module_loader.hpp"
#include "store/postgres/module.hpp"
#include "store/postgres/postgres_store.hpp"

namespace mitra::store {

namespace {

using Loaded = LoadedModule<postgres::Module, postgres::ModuleEntry>;

// The module, loaded on first use; or the error that says why it is not there.
Result<const postgres::Module*> postgres_module() {
  static const Loaded loaded =
      Loaded::load(postgres::kModuleFile, postgres::kModuleEntry,
                   "PostgreSQL support is not installed: ", "mitra_postgres", MITRA_VERSION);
  if (loaded.module == nullptr) {
    return core::fail(core::ErrorKind::unavailable, loaded.failure, "db");
  }
  return loaded.module;
}

}  // namespace

bool is_postgres_location(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<Store>> open_postgres(const std::string& url, OpenMode mode) {
  auto module = postgres_module();
  if (!module) return tl::unexpected(module.error());
  return (*module)->open(url, mode, &new_id);
}

Result<std::unique_ptr<ClinicRecords>> open_clinic(const std::string& location) {
  if (!is_postgres_location(location)) {
    return core::invalid("db",
                         "Clinic mode keeps its accounts and everyone's journals in "
                         "PostgreSQL, not in the SQLite journal " +
                             location + ": give --db postgresql://… (see docs/clinic.md).");
  }
  auto module = postgres_module();
  if (!module) return tl::unexpected(module.error());
  return (*module)->open_clinic(location, &new_id);
}

std::string journal_location(const std::string& url, const std::string& journal) {
  // libpq reads `options` as the server's command-line options; a later parameter of the same
  // name wins over one the URL had.
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         journal;
}

}  // namespace mitra::store
