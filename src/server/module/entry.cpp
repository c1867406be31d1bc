// libmitra_serve.so's one exported function: Server behind the RunningServer interface
// (server/module.hpp).

#include <memory>
#include <utility>

#include "server/module.hpp"
#include "server/server.hpp"

namespace mitra::server {

namespace {

class Running final : public RunningServer {
 public:
  explicit Running(std::unique_ptr<Server> server) : server_(std::move(server)) {}
  unsigned short port() const override { return server_->port(); }
  const std::string& token() const override { return server_->token(); }
  std::string url() const override { return server_->url(); }
  void stop_on_signals() override { server_->stop_on_signals(); }
  void wait() override { server_->wait(); }

 private:
  std::unique_ptr<Server> server_;
};

core::Result<std::unique_ptr<RunningServer>> start(ServerOptions options) {
  auto started = Server::start(std::move(options));
  if (!started) return tl::unexpected(started.error());
  return std::make_unique<Running>(std::move(*started));
}

constexpr Module kModule{MITRA_VERSION, &start};

}  // namespace

}  // namespace mitra::server

extern "C" __attribute__((visibility("default"))) const mitra::server::Module*
mitra_serve_module() {
  return &mitra::server::kModule;
}
