#include "cli/server_loader.hpp"

#include <string>
#include <utility>

#include "store/module_loader.hpp"

namespace mitra::cli {

namespace {

using Loaded = store::LoadedModule<server::Module, server::ModuleEntry>;

}  // namespace

core::Result<std::unique_ptr<server::RunningServer>> start_server(server::ServerOptions options) {
  static const Loaded loaded =
      Loaded::load(server::kModuleFile, server::kModuleEntry,
                   "The web app's server is not installed: ", "mitra_serve", MITRA_VERSION);
  if (loaded.module == nullptr) {
    return core::fail(core::ErrorKind::unavailable, loaded.failure);
  }
  return loaded.module->start(std::move(options));
}

}  // namespace mitra::cli
