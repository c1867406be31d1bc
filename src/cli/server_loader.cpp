#include "cli/server_loader.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace mitra::cli {

namespace {

namespace fs = std::filesystem;

struct Loaded {
  const server::Module* module = nullptr;
  std::string failure;  // Why there is no module, when there is none.
};

// Where the module may be: beside the program, then bin/../lib/mitra/modules (the same places
// as the PostgreSQL module, store/postgres_loader.cpp).
std::vector<fs::path> module_candidates() {
  std::error_code error;
  const fs::path program = fs::read_symlink("/proc/self/exe", error);
  if (error) return {fs::path(MITRA_MODULE_DIR) / server::kModuleFile};
  const fs::path folder = program.parent_path();
  return {folder / server::kModuleFile,
          (folder / ".." / MITRA_MODULE_DIR / server::kModuleFile).lexically_normal()};
}

Loaded load() {
  Loaded loaded;
  const std::string missing = "The web app's server is not installed: ";
  const auto candidates = module_candidates();
  for (const auto& candidate : candidates) {
    std::error_code error;
    if (!fs::exists(candidate, error)) continue;
    // The handle stays open for the life of the process: the server runs in it.
    void* handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      loaded.failure = missing + candidate.string() + " could not be loaded (" +
                       (why ? why : "unknown error") + ")";
      return loaded;
    }
    const auto entry = reinterpret_cast<server::ModuleEntry>(::dlsym(handle, server::kModuleEntry));
    if (entry == nullptr) {
      loaded.failure = missing + candidate.string() + " is not mitra's server module";
      return loaded;
    }
    const server::Module* module = entry();
    if (std::string(module->version) != MITRA_VERSION) {
      loaded.failure = missing + candidate.string() + " belongs to mitra " + module->version +
                       ", and this is mitra " MITRA_VERSION;
      return loaded;
    }
    loaded.module = module;
    return loaded;
  }
  loaded.failure = missing + "mitra looked for " + server::kModuleFile + " in ";
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (i > 0) loaded.failure += i + 1 == candidates.size() ? " and " : ", ";
    loaded.failure += candidates[i].parent_path().string();
  }
  loaded.failure +=
      " (it comes with mitra's package; in a build folder, build the target mitra_serve)";
  return loaded;
}

}  // namespace

core::Result<std::unique_ptr<server::RunningServer>> start_server(server::ServerOptions options) {
  static const Loaded loaded = load();
  if (loaded.module == nullptr) {
    return core::fail(core::ErrorKind::unavailable, loaded.failure);
  }
  return loaded.module->start(std::move(options));
}

}  // namespace mitra::cli
