// `mitra serve`: the web app's server on this machine (see docs/server.md).

#include <cstdlib>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "server/server.hpp"

namespace mitra::cli {

void setup_serve(CLI::App& command, Session& session) {
  struct Options {
    std::string bind = "127.0.0.1";
    unsigned short port = 8080;
    int threads = 2;
    bool quiet = false;
  };
  auto options = std::make_shared<Options>();
  command.add_option("--bind", options->bind,
                     "Address to listen on (default 127.0.0.1: this machine only)");
  command.add_option("--port", options->port, "Port to listen on (default 8080; 0: any free one)");
  command.add_option("--threads", options->threads, "Threads answering requests (default 2)")
      ->check(CLI::Range(1, 64));
  command.add_flag("--quiet", options->quiet, "No line per request on stderr");
  command.footer(
      "\nThe access token is random unless MITRA_TOKEN holds one (at least 16 characters).\n"
      "With --json, the first line on stdout is a JSON object with the url, port and token.\n"
      "\nExamples:\n  mitra serve\n  mitra serve --port 9000\n" +
      command.get_footer());
  command.callback([options, &session] {
    session.action = [options, &session]() -> Result<Reply> {
      server::ServerOptions server_options;
      server_options.bind = options->bind;
      server_options.port = options->port;
      server_options.database =
          session.globals.db.empty() ? app::default_database_path() : session.globals.db;
      server_options.zone_override = session.globals.tz;
      server_options.fallback_zone = machine_zone();
      server_options.threads = options->threads;
      server_options.access_log = !options->quiet;
      if (const char* token = std::getenv("MITRA_TOKEN"); token != nullptr && *token != '\0') {
        server_options.token = token;
        if (server_options.token.size() < 16) {
          return core::invalid("MITRA_TOKEN",
                               "MITRA_TOKEN must hold at least 16 characters; unset it for a "
                               "random token.");
        }
      }
      auto started = server::Server::start(server_options);
      if (!started) return tl::unexpected(started.error());
      auto& server = **started;
      server.stop_on_signals();
      if (session.globals.json) {
        // One line, for scripts (scripts/bench-http.sh) to read before the server stops.
        std::cout << nlohmann::json{{"url", server.url()},
                                    {"port", server.port()},
                                    {"token", server.token()}}
                         .dump()
                  << std::endl;
        server.wait();
        Reply reply;
        reply.json = {{"stopped", true}};
        return reply;
      }
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
