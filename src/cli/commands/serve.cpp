// `mitra serve`: the web app's server on this machine (see docs/server.md).

#include <iostream>
#include <memory>

#include "app/context.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "server/server.hpp"

namespace mitra::cli {

void setup_serve(CLI::App& command, Session& session) {
  struct Options {
    std::string bind = "127.0.0.1";
    unsigned short port = 8080;
  };
  auto options = std::make_shared<Options>();
  command.add_option("--bind", options->bind,
                     "Address to listen on (default 127.0.0.1: this machine only)");
  command.add_option("--port", options->port, "Port to listen on (default 8080; 0: any free one)");
  command.footer("\nExamples:\n  mitra serve\n  mitra serve --port 9000\n" + command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      server::ServerOptions server_options;
      server_options.bind = options->bind;
      server_options.port = options->port;
      server_options.database =
          session.globals.db.empty() ? app::default_database_path() : session.globals.db;
      server_options.zone_override = session.globals.tz;
      server_options.fallback_zone = machine_zone();
      auto started = server::Server::start(server_options);
      if (!started) return tl::unexpected(started.error());
      auto& server = **started;
      server.stop_on_signals();
      std::cout << "mitra is running. Open this address in your browser (it holds your access "
                   "token; keep it private):\n  "
                << server.url() << "\nStop with Ctrl-C.\n\n"
                << help_line() << std::flush;
      server.wait();
      Reply reply;
      reply.json = {{"stopped", true}};
      reply.text = "mitra stopped.\n";
      return reply;
    };
  });
}

}  // namespace mitra::cli
