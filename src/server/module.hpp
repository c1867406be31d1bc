#pragma once
// `mitra serve` as a module of its own, libmitra_serve.so, that the program loads with dlopen
// when `mitra serve` runs (cli/server_loader.hpp).
//
// The server brings OpenSSL (TLS for --tls-cert/--tls-key), Boost.Beast and the embedded web
// app. Linked into the program, libssl and libcrypto were mapped, relocated and initialised at
// the start of every command, `mitra --version` included, although only the server uses them.
// The module holds the server and its own hidden copies of the layers below it; it exports one
// function, mitra_serve_module().
//
// The program carries its own C++ runtime (static libstdc++, src/cli/CMakeLists.txt); the module
// links the shared one. What crosses this interface must be plain data (strings, vectors,
// Results), virtual calls and malloc'd memory, never an iostream or a std::locale: each copy of
// the runtime numbers its locale facets itself.

#include <memory>
#include <string>

#include "core/error.hpp"
#include "server/server.hpp"

namespace mitra::server {

// A running server, as the module hands it to the program (the calls of Server it needs).
class RunningServer {
 public:
  virtual ~RunningServer() = default;  // Stops the server and waits for it.
  virtual unsigned short port() const = 0;
  virtual const std::string& token() const = 0;
  virtual std::string url() const = 0;
  virtual void stop_on_signals() = 0;
  virtual void wait() = 0;
};

// What the module offers the program.
struct Module {
  // The mitra version the module was built with; the program refuses a module of another.
  const char* version;
  // Server::start.
  core::Result<std::unique_ptr<RunningServer>> (*start)(ServerOptions options);
};

// The module's file name and the name of its one exported function.
inline constexpr const char* kModuleFile = "libmitra_serve.so";
inline constexpr const char* kModuleEntry = "mitra_serve_module";
using ModuleEntry = const Module* (*)();

}  // namespace mitra::server
