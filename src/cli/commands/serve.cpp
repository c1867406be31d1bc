// `mitra serve`: the web app's server on this machine (see docs/server.md).

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "cli/commands.hpp"
#include "cli/render.hpp"
#include "cli/server_loader.hpp"
#include "core/translate.hpp"
#include "server/server.hpp"

namespace mitra::cli {

using core::noop_tr;
using core::tr;

void setup_serve(CLI::App& command, Session& session) {
  struct Options {
    std::string bind = "127.0.0.1";
    unsigned short port = 8080;
    int threads = 2;
    bool quiet = false;
    std::string access_log;
    std::vector<std::string> allow_hosts;
    std::string tls_certificate;
    std::string tls_key;
    std::string behind_proxy;
    bool clinic = false;
  };
  auto options = std::make_shared<Options>();
  command.add_option("--bind", options->bind,
                     noop_tr("Address to listen on (default 127.0.0.1: this machine only)"));
  command.add_option("--port", options->port,
                     noop_tr("Port to listen on (default 8080; 0: any free one)"));
  command
      .add_option("--threads", options->threads, noop_tr("Threads answering requests (default 2)"))
      ->check(CLI::Range(1, 64));
  auto* access_log = command.add_option(
      "--access-log", options->access_log,
      noop_tr("A JSON line per request (time, method, path, status, bytes, microseconds) to FILE, "
              "or to stderr with -; by default only start-up lines and errors are written"));
  command.add_flag("--quiet", options->quiet, noop_tr("No line per request (the default)"))
      ->excludes(access_log);
  command.add_option("--allow-host", options->allow_hosts,
                     noop_tr("A host name the server answers to besides IP addresses and "
                             "localhost, on any port, or NAME:PORT for that port only "
                             "(repeatable); requests naming any other host are refused"));
  command.add_option("--tls-cert", options->tls_certificate,
                     noop_tr("Speak HTTPS with this certificate chain (a PEM file; with "
                             "--tls-key)"));
  command.add_option("--tls-key", options->tls_key,
                     noop_tr("The private key of --tls-cert (an unencrypted PEM file)"));
  command.add_option("--behind-proxy", options->behind_proxy,
                     noop_tr("The IP address of a TLS proxy in front of mitra: its "
                             "X-Forwarded-For and X-Forwarded-Proto are believed, nobody else's"));
  command.add_flag("--clinic", options->clinic,
                   noop_tr("Clinic mode: accounts by invitation instead of the access token, each "
                           "person on a journal of their own; needs --db postgresql://… "
                           "(docs/clinic.md)"));
  const auto help_language = session.globals.language;
  command.footer(
      "\n" +
      std::string(tr(help_language,
                     "The access token is random unless MITRA_TOKEN holds one (at least 32 random "
                     "characters, e.g. 64 hex digits).\n"
                     "On any address but loopback, mitra serve needs --tls-cert and --tls-key, or "
                     "--behind-proxy, or it refuses to start.\n"
                     "With --json, the first line on stdout is a JSON object with the url, port "
                     "and token.")) +
      "\n" +
      examples(help_language,
               {"mitra serve", "mitra serve --port 9000",
                "mitra serve --bind 0.0.0.0 --tls-cert /etc/mitra/tls.crt --tls-key "
                "/etc/mitra/tls.key",
                "mitra serve --behind-proxy 127.0.0.1 --allow-host clinic.example.org",
                "mitra --db postgresql:///mitra serve --clinic --behind-proxy 127.0.0.1"}) +
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
      server_options.access_log = options->access_log;
      server_options.allowed_hosts = options->allow_hosts;
      server_options.tls_certificate = options->tls_certificate;
      server_options.tls_key = options->tls_key;
      server_options.behind_proxy = options->behind_proxy;
      server_options.clinic = options->clinic;
      if (!session.globals.now.empty()) {
        // --now: every request is answered as of that instant (reproducible runs and tests).
        auto zone = core::find_zone(
            app::system_zones(),
            session.globals.tz.empty() ? server_options.fallback_zone : session.globals.tz, "tz");
        if (!zone) return tl::unexpected(zone.error());
        auto fixed = session.now(*zone);
        if (!fixed) return tl::unexpected(fixed.error());
        server_options.clock = [at = *fixed] { return at; };
      }
      // Server::start refuses a token that does not look random.
      if (const char* token = std::getenv("MITRA_TOKEN"); token != nullptr && *token != '\0') {
        server_options.token = token;
      }
      // The server is a module (server/module.hpp): loaded here, not at every start-up.
      auto started = start_server(std::move(server_options));
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
      // For a person: the address stays alone on its line (after two spaces in personal mode),
      // as scripts and tests find it.
      const auto language = session.globals.language;
      if (options->clinic) {
        std::cout << core::fill(tr(language, "mitra is running in clinic mode at {url}"),
                                {{"url", server.url()}})
                  << "\n"
                  << tr(language,
                        "People sign in with the accounts `mitra clinic invite` lets them make. "
                        "Stop with Ctrl-C.")
                  << "\n\n"
                  << help_line(language) << std::flush;
      } else {
        std::cout << tr(language,
                        "mitra is running. Open this address in your browser (it holds your "
                        "access token; keep it private):")
                  << "\n  " << server.url() << "\n"
                  << tr(language, "Stop with Ctrl-C.") << "\n\n"
                  << help_line(language) << std::flush;
      }
      server.wait();
      Reply reply;
      reply.json = {{"stopped", true}};
      reply.text = std::string(tr(language, "mitra stopped.")) + "\n";
      return reply;
    };
  });
}

}  // namespace mitra::cli
