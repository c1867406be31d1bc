#pragma once
// start_server: Server::start from the server module, libmitra_serve.so (server/module.hpp),
// loaded with dlopen the first time `mitra serve` runs, so that no other command maps OpenSSL.
// The module is looked for beside the program (a build folder), then in the installation's
// ../lib/mitra/modules. Without it, the error is `unavailable` and says where it looked.

#include <memory>

#include "core/error.hpp"
#include "server/module.hpp"

namespace mitra::cli {

core::Result<std::unique_ptr<server::RunningServer>> start_server(server::ServerOptions options);

}  // namespace mitra::cli
