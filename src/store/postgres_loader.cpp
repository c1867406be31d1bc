// open_postgres: loads the PostgreSQL engine, libmitra_postgres.so (postgres/module.hpp), with
// dlopen on the first postgresql:// location, so that commands on SQLite never map libpq.
#include <dlfcn.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "store/postgres/module.hpp"
#include "store/postgres/postgres_store.hpp"

namespace mitra::store {

namespace {

namespace fs = std::filesystem;

struct Loaded {
  const postgres::Module* module = nullptr;
  std::string failure;  // Why there is no module, when there is none.
};

// Where the module may be: beside the program (a build folder), then in the install's
// libdir, found from the program's own folder (bin/../lib/mitra/modules), so that an
// installed mitra finds its module wherever the installation was put.
std::vector<fs::path> module_candidates() {
  std::error_code error;
  const fs::path program = fs::read_symlink("/proc/self/exe", error);
  if (error) return {fs::path(MITRA_MODULE_DIR) / postgres::kModuleFile};
  const fs::path folder = program.parent_path();
  return {folder / postgres::kModuleFile,
          (folder / ".." / MITRA_MODULE_DIR / postgres::kModuleFile).lexically_normal()};
}

Loaded load() {
  Loaded loaded;
  const std::string missing = "PostgreSQL support is not installed: ";
  const auto candidates = module_candidates();
  for (const auto& candidate : candidates) {
    std::error_code error;
    if (!fs::exists(candidate, error)) continue;
    void* handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      loaded.failure = missing + candidate.string() + " could not be loaded (" +
                       (why ? why : "unknown error") + ")";
      return loaded;
    }
    // The handle stays open for the life of the process: the stores it makes live in it.
    const auto entry =
        reinterpret_cast<postgres::ModuleEntry>(::dlsym(handle, postgres::kModuleEntry));
    if (entry == nullptr) {
      loaded.failure = missing + candidate.string() + " is not mitra's PostgreSQL module";
      return loaded;
    }
    const postgres::Module* module = entry();
    if (std::string(module->version) != MITRA_VERSION) {
      loaded.failure = missing + candidate.string() + " belongs to mitra " + module->version +
                       ", and this is mitra " MITRA_VERSION;
      return loaded;
    }
    loaded.module = module;
    return loaded;
  }
  loaded.failure = missing + "mitra looked for " + postgres::kModuleFile + " in ";
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (i > 0) loaded.failure += i + 1 == candidates.size() ? " and " : ", ";
    loaded.failure += candidates[i].parent_path().string();
  }
  loaded.failure += " (it comes with mitra's package; in a build folder, build the target "
                    "mitra_postgres)";
  return loaded;
}

}  // namespace

bool is_postgres_location(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<Store>> open_postgres(const std::string& url, OpenMode mode) {
  static const Loaded loaded = load();
  if (loaded.module == nullptr) {
    return core::fail(core::ErrorKind::unavailable, loaded.failure, "db");
  }
  return loaded.module->open(url, mode, &new_id);
}

}  // namespace mitra::store
