#pragma once
// `mitra serve`: an asynchronous HTTP server (Boost.Beast) on a small thread pool, serving the
// JSON API under /api/v1 and the browser UI at /. Reads run on the IO threads; writes go to
// one writer thread that commits concurrent writes together and answers each only once its
// group is durable. HEAD is answered for every GET resource (the same headers, no body). Local
// mode: binds 127.0.0.1 by default, and every API request needs the access token (as a cookie from
// GET /?token=… or POST /api/v1/session, or as `Authorization: Bearer`); cookie-authenticated
// writes also need the X-CSRF-Token header. On any address but loopback it speaks TLS or stands
// behind a declared proxy (see ServerOptions::tls_certificate, behind_proxy). Clinic mode
// (ServerOptions::clinic, docs/clinic.md): accounts instead of the token, each signed-in person
// on a journal of their own; there every API request (each reads the clinic's PostgreSQL tables
// and a person's journal, with network round trips) runs on a pool of its own, so that one
// waiting for the database never holds the IO threads and every other connection with them.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace mitra::server {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (see Server::port()).
  int threads = 2;
  std::string database;               // The SQLite file, created on first use.
  std::string zone_override;          // Like --tz.
  std::string fallback_zone = "UTC";  // When no zone was ever saved.
  std::string token;                  // Empty: a random one. Must look random (see Server::start).
  // Host names (besides IP addresses and localhost) that requests may name in their Host
  // header; any other name is refused (DNS rebinding).
  std::vector<std::string> allowed_hosts;
  // TLS (issue 17, item 2): PEM files of the certificate chain and its private key. Both or
  // neither; with them every connection is HTTPS (TLS 1.2 at least) and answers carry HSTS.
  std::string tls_certificate;
  std::string tls_key;
  // The IP address of a TLS-terminating proxy in front of this server: its X-Forwarded-For and
  // X-Forwarded-Proto are believed (nobody else's). Empty: none.
  std::string behind_proxy;
  // On any address but loopback, Server::start refuses to listen without TLS or behind_proxy.
  // A request (headers, then body) must arrive within this; an idle keep-alive connection
  // is closed after it too.
  std::chrono::milliseconds read_timeout{10'000};
  std::size_t max_body_bytes = 1 << 20;      // 413 above.
  std::size_t max_header_bytes = 16 * 1024;  // 431 above (request line and fields).
  std::size_t max_header_count = 64;         // 431 above.
  std::size_t max_uri_bytes = 2048;          // 414 above.
  // Connections served at once (fewer when the file descriptor limit is lower); more wait in
  // the kernel's queue.
  std::size_t max_connections = 1000;
  // Where a line per request goes: empty for nowhere (the default: start-up lines and errors
  // only), "-" for stderr, else a file (see access_log.hpp). Answers with a 5xx status are
  // written to stderr either way.
  std::string access_log;
  std::function<core::Instant()> clock;  // Empty: the system clock.
  // Writes (API requests other than GET and HEAD) run on one writer thread that commits up to
  // this many at once (group commit, see write_batch.hpp).
  std::size_t max_write_batch = 256;
  // Keep the last GET /api/v1/status document per database connection and send it again while
  // the journal, the second and the request are the same (see docs/server.md).
  bool cache_status = true;
  // Clinic mode (docs/clinic.md): accounts instead of the access token, each signed-in person
  // on a journal of their own. `database` must be PostgreSQL; Server::start refuses otherwise.
  bool clinic = false;
};

class Server {
 public:
  // Opens the database, binds and starts the worker threads.
  static core::Result<std::unique_ptr<Server>> start(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  unsigned short port() const;
  // The access token; empty in clinic mode, which has none.
  const std::string& token() const;
  // "http://127.0.0.1:PORT/?token=…" ("https://…" with TLS; no token in clinic mode).
  std::string url() const;
  // Whether the server listens on a loopback address only (127.0.0.0/8 or ::1).
  bool loopback_only() const;

  // Stops on SIGINT or SIGTERM (call before wait()).
  void stop_on_signals();
  // Stops accepting, closes idle connections, lets requests in progress finish. Thread-safe.
  void stop();
  // Blocks until every worker thread has finished.
  void wait();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mitra::server
