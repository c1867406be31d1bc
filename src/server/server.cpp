#include "server/server.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "app/context.hpp"
#include "core/ids.hpp"
#include "core/strict_json.hpp"
#include "core/translate.hpp"
#include "server/access_log.hpp"
#include "server/api.hpp"
#include "server/clinic_doors.hpp"
#include "server/doorkeeper.hpp"
#include "server/doors.hpp"
#include "server/http_errors.hpp"
#include "server/response_text.hpp"
#include "server/router.hpp"
#include "server/security.hpp"
#include "server/sharing.hpp"
#include "server/static_files.hpp"
#include "server/store_pool.hpp"
#include "server/write_batch.hpp"

namespace mitra::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

// What Server::stop needs of a connection, plain or TLS.
class Connection {
 public:
  virtual ~Connection() = default;
  // A connection waiting for its next request goes now; one whose request is being answered
  // goes after its response is written.
  virtual void close_if_idle() = 0;
};

enum class Transport { plain, tls };

// Each connection's handlers run on its own strand, named by its concrete type: through the
// type-erased any_io_executor (beast::tcp_stream) every asynchronous operation copied and
// re-wrapped the strand on the heap (about a tenth of an IO thread's time in perf).
using Strand = asio::strand<asio::io_context::executor_type>;
using Socket = tcp::socket::rebind_executor<Strand>::other;
using Stream = beast::basic_stream<tcp, Strand>;
using TlsStream = beast::ssl_stream<Stream>;
template <Transport kTransport>
using StreamOf = std::conditional_t<kTransport == Transport::tls, TlsStream, Stream>;

// TLS 1.2's ciphers: ECDHE key exchange (forward secrecy) with AES-GCM or ChaCha20-Poly1305
// (authenticated encryption), as Mozilla's "intermediate" profile has them less the DHE ones.
// TLS 1.3's suites are OpenSSL's defaults, all of them of that kind.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// The server's TLS context: TLS 1.2 at least, the ciphers above, no renegotiation or
// compression, and the certificate chain and key of `options` (which must belong together).
core::Result<std::unique_ptr<ssl::context>> make_tls_context(const ServerOptions& options) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use | ssl::context::no_compression);
  auto* native = context->native_handle();
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return core::fail(core::ErrorKind::internal,
                      core::sentence("This OpenSSL does not offer TLS 1.2 with mitra's ciphers."),
                      "tls-cert");
  }
  beast::error_code ec;
  context->use_certificate_chain_file(options.tls_certificate, ec);
  if (ec) {
    return core::invalid(
        "tls-cert",
        core::sentence("The certificate in {file} could not be read ({reason}); give the "
                       "certificate chain as a PEM file, the server's certificate first.",
                       {{"file", options.tls_certificate}, {"reason", ec.message()}}));
  }
  context->use_private_key_file(options.tls_key, ssl::context::pem, ec);
  const auto reason = ec ? ERR_GET_REASON(static_cast<unsigned long>(ec.value())) : 0;
  if ((ec && ec.category() == asio::error::get_ssl_category() &&
       (reason == X509_R_KEY_VALUES_MISMATCH || reason == X509_R_KEY_TYPE_MISMATCH)) ||
      (!ec && SSL_CTX_check_private_key(native) != 1)) {
    ERR_clear_error();
    return core::invalid(
        "tls-key",
        core::sentence("The private key in {key} does not belong to the certificate in {file}.",
                       {{"key", options.tls_key}, {"file", options.tls_certificate}}));
  }
  if (ec) {
    return core::invalid("tls-key",
                         core::sentence("The private key in {key} could not be read ({reason}); "
                                        "give it as an unencrypted PEM file.",
                                        {{"key", options.tls_key}, {"reason", ec.message()}}));
  }
  return context;
}

std::string_view sv(beast::string_view text) { return {text.data(), text.size()}; }

// The instant `clock` says, or the system clock's (to the second) without one.
core::Instant now_of(const std::function<core::Instant()>& clock) {
  return clock
             ? clock()
             : std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::optional<asio::signal_set> signals;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::vector<std::weak_ptr<Connection>> sessions;
  // With TLS (ServerOptions::tls_certificate): every connection's handshake uses it.
  std::unique_ptr<ssl::context> tls;
  StorePool stores;
  // Who may come in: the local Doorkeeper, or the ClinicDoorkeeper (ServerOptions::clinic).
  // Before the router, whose routes it brings some of.
  std::unique_ptr<Doors> doors;
  Router router;
  // After ioc and router: destroyed first, finishing queued writes while both still exist.
  // Null in clinic mode, where every journal is a person's own (see call_api).
  std::unique_ptr<WriteBatcher> writer;
  // Routes marked off_io (password hashing in clinic mode: tens of milliseconds of CPU and
  // 64 MiB each) run here, two at a time, and are answered as the writer's are. Destroyed
  // before the doors and the router their handlers use.
  asio::thread_pool slow_work{2};
  // Clinic mode: every API request runs here, not on an IO thread (Session::handle). Each waits
  // on PostgreSQL (the session's account, the shares, the person's journal) for round trips
  // and, for a write, the disk: on the IO threads one slow query held every connection of that
  // thread. Four: against eight (scripts/bench-clinic.sh, 100 people and 10 specialists) eight
  // wrote people's doses no faster beyond the noise, halved the specialists' lists and held
  // 30 PostgreSQL connections at peak against 17. Null outside clinic mode. Destroyed first: its
  // work may still hand password hashing to slow_work.
  static constexpr std::size_t kClinicWorkers = 4;
  std::unique_ptr<asio::thread_pool> clinic_work;
  unsigned short bound_port = 0;

  // The last status document of each pooled connection (see ServerOptions::cache_status).
  struct CachedResponse {
    store::Engine::ChangeMark mark;
    core::Instant now{};
    std::string target;
    // The status document's texts follow the request's language (the saved setting is in the
    // journal, so the change mark covers it).
    core::Language accept_language = core::kDefaultLanguage;
    // Whose journal (Request::journal): a connection serves one, and its address may be another
    // journal's connection's once it is closed and a new one opened.
    std::string journal;
    Response response;
  };
  std::mutex cache_mutex;
  std::map<const store::Store*, CachedResponse> status_cache;

  // The language saved in the server's own journal, as the server last read it (at start, and
  // with the settings of every request to that journal): the writer's own refusals (503: the
  // journal could not be written) come in it, as every other answer does, although the request
  // never got to read the setting itself. -1: none saved (Accept-Language decides).
  std::atomic<int> saved_language{-1};
  void remember_language(const std::optional<core::Language>& language) {
    saved_language.store(language ? static_cast<int>(*language) : -1, std::memory_order_relaxed);
  }
  core::Language answer_language(core::Language accept_language) const {
    const int saved = saved_language.load(std::memory_order_relaxed);
    return saved < 0 ? accept_language : static_cast<core::Language>(saved);
  }
  static constexpr std::size_t kMaxStatusCacheEntries = 4 * StorePool::kMaxIdle;

  Impl(ServerOptions o, std::unique_ptr<Doors> way_in)
      : options(std::move(o)),
        ioc(options.threads),
        acceptor(asio::make_strand(ioc)),
        stores(options.database),
        doors(std::move(way_in)),
        router(routes()) {}

  // Every route: the API's, then the doors' (the page at /, and the routes that let people
  // in), then the app's files.
  std::vector<Route> routes();

  void do_accept();
  void accept_later(std::chrono::milliseconds delay);
  // Connections open now, and at most how many (ServerOptions::max_connections, less what the
  // file descriptor limit leaves no room for).
  std::atomic<std::size_t> open_connections{0};
  std::size_t max_connections = 0;
  asio::steady_timer accept_timer{acceptor.get_executor()};
  // The request's line in the access log, if there is one; a 5xx answer also on stderr.
  void log(std::string_view peer, std::string_view method, std::string_view path, unsigned status,
           std::size_t bytes, std::chrono::steady_clock::duration took) const;
  std::unique_ptr<AccessLog> access_log;
  std::unique_ptr<AccessLog> error_log;
  // Receives a write's response on the writer thread, once its group is committed.
  using Deliver = std::function<void(Response)>;
  // The response, or nothing when the request went to the writer (then `deliver` gets it).
  std::optional<Response> respond(const http::request<http::string_body>& request,
                                  const Client& client, const Deliver& deliver);
  // A request its route and doors take, ready for its body's checks and its handler.
  struct Admitted {
    Request request;
    const Route* route = nullptr;
    bool api = false;  // Under /api/.
  };
  // Everything respond checks before the body's type: the headers, the address, the route and
  // the credentials (the doors), or the refusal. Asked again with the header alone (an empty
  // body) before a client that expects 100 Continue sends its body, so that a request refused
  // anyway is refused before the body comes.
  tl::expected<Admitted, Response> admit(const http::request<http::string_body>& request,
                                         const Client& client);
  // Who sent `request` over a connection from `peer` (see client_of in security.hpp).
  Client client_for(const http::request<http::string_body>& request, const std::string& peer,
                    bool over_tls) const;
  // 415 unless the body's Content-Type is one the route takes; an import's format follows it.
  static std::optional<Response> check_body_type(const Route& route, Request& request);
  std::optional<Response> call_api(const Route& route, Request& request, beast::string_view target,
                                   const Deliver& deliver);
  // A write's work on the writer's (or a person's) journal: the context, then the handler.
  WriteBatcher::Work write_work(const Handler& handler, Request request);
  core::Instant now() const { return now_of(options.clock); }
};

namespace {

// One connection: over TLS, the handshake first, then the very same reading and answering as
// over plain HTTP (the same limits, timeouts and checks), with HSTS on every answer.
template <Transport kTransport>
class Session : public Connection, public std::enable_shared_from_this<Session<kTransport>> {
 public:
  Session(Socket&& socket, Server::Impl& server)
      : stream_(open_stream(std::move(socket), server)), server_(server) {
    ++server_.open_connections;
    beast::error_code ec;
    const auto remote = lowest().socket().remote_endpoint(ec);
    if (!ec) peer_ = remote.address().to_string();
    client_ = Client{peer_, kTransport == Transport::tls};
  }

  ~Session() { --server_.open_connections; }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    if constexpr (kTransport == Transport::tls) {
      // The handshake, like a request, must be done within the read timeout.
      asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
        self->lowest().expires_after(self->options().read_timeout);
        self->stream_.async_handshake(ssl::stream_base::server,
                                      beast::bind_front_handler(&Session::on_handshake, self));
      });
    } else {
      asio::dispatch(stream_.get_executor(),
                     beast::bind_front_handler(&Session::do_read, this->shared_from_this()));
    }
  }

  // Posted by Server::stop.
  void close_if_idle() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  const ServerOptions& options() const { return server_.options; }

  static StreamOf<kTransport> open_stream(Socket&& socket, Server::Impl& server) {
    if constexpr (kTransport == Transport::tls) {
      return TlsStream(Stream(std::move(socket)), *server.tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  // The TCP stream under TLS, or the stream itself: timeouts and the socket live there.
  Stream& lowest() { return beast::get_lowest_layer(stream_); }

  void on_handshake(beast::error_code ec) {
    // A client that speaks plain HTTP, an old protocol, or nothing: nothing to answer.
    if (ec) return close();
    do_read();
  }

  void do_read() {
    if (server_.stopping) return finish();
    head_ = false;  // Until this request's header says otherwise.
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options().max_header_bytes));
    parser_->body_limit(options().max_body_bytes);
    lowest().expires_after(options().read_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::on_header, this->shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    started_ = std::chrono::steady_clock::now();
    const auto& request = parser_->get();
    // Set here, not in handle(): a refusal made before it (a long address, 100 Continue's
    // check) is a HEAD request's answer, or not, by this request, not by the one before.
    head_ = request.method() == http::verb::head;
    if (request.target().size() > options().max_uri_bytes) {
      return reply_error(http::status::uri_too_long, "uri_too_long",
                         core::sentence("The address is longer than {limit} bytes.",
                                        {{"limit", std::to_string(options().max_uri_bytes)}}));
    }
    std::size_t count = 0;
    for (auto it = request.begin(); it != request.end(); ++it) ++count;
    // A chunked body may end with trailer fields, which Beast adds among these: their names
    // now, to tell the trailers by (first_trailer).
    header_names_.clear();
    if (parser_->chunked()) {
      for (const auto& field : request) header_names_.emplace_back(field.name_string());
    }
    if (count > options().max_header_count) {
      return reply_error(http::status::request_header_fields_too_large, "too_many_headers",
                         core::sentence("The request has more than {limit} header fields.",
                                        {{"limit", std::to_string(options().max_header_count)}}));
    }
    if (auto problem = framing_problem(request)) {
      return reply_error(problem->status, std::move(problem->code), problem->message,
                         std::move(problem->field));
    }
    if (!parser_->is_done() && buffer_.size() == 0 && expects_continue(request)) {
      return answer_expectation();
    }
    read_body();
  }

  // A client that expects 100 Continue waits for it before it sends the body (curl does, for
  // large ones). A request its headers already refuse (no credentials, an unknown route…) gets
  // its refusal instead, and never sends the body (RFC 9110 §10.1.1). In clinic mode the doors
  // look in the database, so they are asked on the clinic's pool, as for the whole request.
  void answer_expectation() {
    client_ = server_.client_for(parser_->get(), peer_, kTransport == Transport::tls);
    auto decided = [self = this->shared_from_this()](std::optional<Response> refusal) {
      if (refusal) return self->refuse(std::move(*refusal));
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(self->stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self](beast::error_code written, std::size_t) {
                          if (written) return self->close();
                          self->read_body();
                        });
    };
    if (server_.clinic_work && path_of(parser_->get().target()).rfind("/api/", 0) == 0) {
      // A copy of the header, as handle() makes of a whole request for the pool.
      auto copy = std::make_shared<const http::request<http::string_body>>(parser_->get());
      asio::post(*server_.clinic_work, [&server = server_, self = this->shared_from_this(), copy,
                                        decided, client = client_, language = request_language(),
                                        guard = asio::make_work_guard(server_.ioc)] {
        auto refusal = refusal_of(server, *copy, client, language);
        asio::post(self->stream_.get_executor(), [decided, refusal = std::move(refusal)]() mutable {
          decided(std::move(refusal));
        });
      });
      return;
    }
    decided(refusal_of(server_, parser_->get(), client_, request_language()));
  }

  // Server::Impl::admit's refusal of a request whose body has not come (nothing when it goes
  // on), with an exception answered 500 (in `language`).
  static std::optional<Response> refusal_of(Server::Impl& server,
                                            const http::request<http::string_body>& header,
                                            const Client& client, core::Language language) {
    try {
      auto admitted = server.admit(header, client);
      if (admitted) return std::nullopt;
      return std::move(admitted.error());
    } catch (const std::exception&) {
      return error_response(
          http::status::internal_server_error, "internal",
          core::sentence("Something went wrong inside mitra; nothing was changed."), language);
    }
  }

  void read_body() {
    // The body usually arrives with the headers: parse what is buffered before waiting.
    while (!parser_->is_done() && buffer_.size() > 0) {
      beast::error_code parsed;
      const auto used = parser_->put(buffer_.data(), parsed);
      buffer_.consume(used);
      if (parsed == http::error::need_more) break;
      if (parsed) return on_read_error(parsed);
      if (used == 0) break;
    }
    if (parser_->is_done()) return handle();
    lowest().expires_after(options().read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_body, this->shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    handle();
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return reply_error(http::status::payload_too_large, "body_too_large",
                         core::sentence("The request body is larger than {limit} bytes.",
                                        {{"limit", std::to_string(options().max_body_bytes)}}));
    }
    if (ec == http::error::header_limit) {
      return reply_error(http::status::request_header_fields_too_large, "headers_too_large",
                         core::sentence("The request's headers are larger than {limit} bytes.",
                                        {{"limit", std::to_string(options().max_header_bytes)}}));
    }
    if (ec == beast::error::timeout || ec == http::error::end_of_stream ||
        ec == http::error::partial_message || ec == asio::error::operation_aborted ||
        ec == asio::error::eof || ec == asio::error::connection_reset) {
      return close();  // Too slow, gone, or stopped: nothing to answer.
    }
    reply_error(http::status::bad_request, "bad_request",
                core::sentence("The request is not valid HTTP/1.1."));
  }

  // Answers an error the HTTP layer found and closes the connection afterwards. The rest of
  // the request is unread: closing at once would make the kernel reset the connection, and a
  // client still sending its body would see the reset instead of the answer. So the answer
  // goes out, then the sending side is shut and what the client still sends is read and
  // dropped (up to a bound in size and time) before closing.
  void reply_error(http::status status, std::string code, const core::Sentence& message,
                   std::string field = {}) {
    refuse(error_response(status, std::move(code), message, request_language(), std::move(field)));
  }

  // Answers `refusal` to a request whose body is unread, then closes as reply_error does.
  void refuse(Response refusal) {
    busy_ = true;
    linger_ = true;
    if (started_ == std::chrono::steady_clock::time_point{}) {
      started_ = std::chrono::steady_clock::now();
    }
    method_ = parser_ ? path_of(parser_->get().method_string()) : "-";
    path_ = parser_ ? path_of(parser_->get().target()) : "-";
    write(std::move(refusal), true);
  }

  // The language the current request's Accept-Language asks for (English without one, and when
  // its headers were cut short before it), for the answers the connection makes itself. Read
  // only then: the request's parser stays until its answer is written.
  core::Language request_language() const {
    return parser_ ? core::language_from_accept_language(
                         joined_field(parser_->get(), "Accept-Language"))
                   : core::kDefaultLanguage;
  }

  static std::string path_of(beast::string_view target) {
    const std::string text(target.data(), target.size());
    return text.substr(0, text.find('?'));
  }

  // The first trailer field of a chunked body, if it has one. Beast adds trailer fields to the
  // header's (after the last of the same name, else at the end), so the first field that is
  // not the header's next one is a trailer.
  std::optional<std::string> first_trailer() const {
    if (!parser_->chunked()) return std::nullopt;
    std::size_t index = 0;
    for (const auto& field : parser_->get()) {
      if (index == header_names_.size() || header_names_[index] != field.name_string()) {
        return std::string(field.name_string());
      }
      ++index;
    }
    return std::nullopt;
  }

  void handle() {
    // A trailer field would be read as a header field that came late (a Content-Type after
    // the body, an Authorization nobody checked…): refused, naming it, rather than mixed in or
    // dropped.
    if (auto trailer = first_trailer()) {
      return reply_error(http::status::bad_request, "invalid_input",
                         core::sentence("The chunked body ends with the trailer field {field}; "
                                        "mitra reads no trailer fields: send it as a header "
                                        "field.",
                                        {{"field", *trailer}}),
                         *trailer);
    }
    busy_ = true;
    const auto& request = parser_->get();
    method_ = std::string(request.method_string().data(), request.method_string().size());
    path_ = path_of(request.target());
    client_ = server_.client_for(request, peer_, kTransport == Transport::tls);
    const bool close_after = !request.keep_alive();
    // A write's answer comes back from the writer thread (or another pool's).
    auto deliver = [self = this->shared_from_this(), close_after](Response response) {
      asio::post(self->stream_.get_executor(),
                 [self, close_after, response = std::move(response)]() mutable {
                   self->write(std::move(response), close_after);
                 });
    };
    if (server_.clinic_work && path_.rfind("/api/", 0) == 0) {
      // Clinic mode: answered from the clinic's pool (Server::Impl::clinic_work) with a copy of
      // the request; this connection waits for the answer as for a write's.
      auto copy = std::make_shared<const http::request<http::string_body>>(request);
      asio::post(*server_.clinic_work,
                 [&server = server_, copy, client = client_, deliver, language = request_language(),
                  guard = asio::make_work_guard(server_.ioc)] {
                   auto response = respond_safely(server, *copy, client, deliver, language);
                   if (response) deliver(std::move(*response));
                 });
      return;
    }
    auto response = respond_safely(server_, request, client_, deliver, request_language());
    if (response) write(std::move(*response), close_after);
  }

  // Server::Impl::respond, with an exception answered 500 (in `language`).
  static std::optional<Response> respond_safely(Server::Impl& server,
                                                const http::request<http::string_body>& request,
                                                const Client& client,
                                                const Server::Impl::Deliver& deliver,
                                                core::Language language) {
    try {
      return server.respond(request, client, deliver);
    } catch (const std::exception&) {
      return error_response(
          http::status::internal_server_error, "internal",
          core::sentence("Something went wrong inside mitra; nothing was changed."), language);
    }
  }

  void write(Response response, bool close_after) {
    close_after_ = close_after;
    if (client_.secure) {
      response.headers.emplace_back("Strict-Transport-Security", kStrictTransportSecurity);
    }
    if (response.render) {
      // A deferred body (see Response::render): for a write, the change is already committed.
      try {
        response.body = response.render();
      } catch (const std::exception&) {
        response = error_response(http::status::internal_server_error, "internal",
                                  core::sentence("The change was saved, but mitra could not write "
                                                 "its answer; list the records to see it."),
                                  request_language());
      }
    }
    try {
      out_ = response_text(response, !close_after, head_);
    } catch (const std::exception&) {
      response = error_response(
          http::status::internal_server_error, "internal",
          core::sentence("Something went wrong inside mitra while answering."), request_language());
      close_after_ = true;
      out_ = response_text(response, false, head_);
    }
    server_.log(client_.address, method_, path_, static_cast<unsigned>(response.status),
                out_.size(), std::chrono::steady_clock::now() - started_);
    lowest().expires_after(options().read_timeout);
    asio::async_write(stream_, asio::buffer(out_),
                      beast::bind_front_handler(&Session::on_write, this->shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    busy_ = false;
    started_ = {};
    if (!ec && linger_) return start_lingering();
    if (ec) return close();
    if (close_after_ || server_.stopping) return finish();
    do_read();
  }

  void start_lingering() {
    if constexpr (kTransport == Transport::tls) {
      // Over TLS the close_notify alert ends what the server sends (a TCP half-close alone
      // reads as a cut stream). OpenSSL then waits for the client's alert, and fails at the
      // first data a client still sending sends instead: from there that data is drained as
      // bytes, as over plain HTTP.
      lowest().expires_after(options().read_timeout);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code ec) {
        if (!ec) return self->close();  // The client's alert: it sends nothing more.
        self->drain();
      });
    } else {
      drain();
    }
  }

  // Shuts the sending side and reads what the client still sends, at most a few times the body
  // cap, for at most the read timeout, before closing.
  void drain() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    linger_left_ = 4 * options().max_body_bytes + 64 * 1024;
    linger_buffer_.resize(16 * 1024);
    lowest().expires_after(options().read_timeout);
    linger();
  }

  void linger() {
    lowest().async_read_some(
        asio::buffer(linger_buffer_),
        [self = this->shared_from_this()](beast::error_code ec, std::size_t read) {
          if (ec || read >= self->linger_left_) return self->close();
          self->linger_left_ -= read;
          self->linger();
        });
  }

  // Ends a connection the server chose to end (after an answer with Connection: close, or when
  // stopping) in order: over TLS the close_notify alert goes first, so that the client can tell
  // the end of the stream from a cut one (OpenSSL's "stream truncated"), and the client's own
  // alert is awaited for a second at most; then the socket closes.
  void finish() {
    if constexpr (kTransport == Transport::tls) {
      lowest().expires_after(std::chrono::seconds(1));
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->close(); });
    } else {
      close();
    }
  }

  void close() {
    beast::error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    lowest().socket().close(ec);
  }

  StreamOf<kTransport> stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string out_;  // The response being written.
  bool busy_ = false;
  bool close_after_ = false;
  bool head_ = false;
  bool linger_ = false;
  // The names of a chunked request's header fields, in order (not its trailers').
  std::vector<std::string> header_names_;
  std::size_t linger_left_ = 0;
  std::vector<char> linger_buffer_;
  std::chrono::steady_clock::time_point started_{};
  std::string method_;
  std::string path_;
  std::string peer_;  // The address at the other end of the connection.
  Client client_;     // The current request's client (peer_, or whom the trusted proxy names).
};

}  // namespace

void Server::Impl::do_accept() {
  if (stopping) return;
  // At the cap, new connections wait in the kernel's queue until one of ours closes.
  if (open_connections.load() >= max_connections)
    return accept_later(std::chrono::milliseconds(20));
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, Socket socket) {
    if (stopping) {
      beast::error_code ignored;
      socket.close(ignored);
      return;
    }
    if (ec == asio::error::no_descriptors ||
        ec == boost::system::errc::too_many_files_open_in_system ||
        ec == asio::error::no_buffer_space || ec == asio::error::no_memory) {
      // Out of file descriptors or memory: accepting again at once would fail again at once
      // (a busy loop); wait for connections to close.
      return accept_later(std::chrono::milliseconds(100));
    }
    if (!ec) {
      const auto start_session = [this](auto session) {
        {
          const std::lock_guard lock(sessions_mutex);
          std::erase_if(sessions, [](const auto& weak) { return weak.expired(); });
          sessions.push_back(session);
        }
        session->start();
      };
      if (tls) {
        start_session(std::make_shared<Session<Transport::tls>>(std::move(socket), *this));
      } else {
        start_session(std::make_shared<Session<Transport::plain>>(std::move(socket), *this));
      }
    }
    do_accept();
  });
}

void Server::Impl::accept_later(std::chrono::milliseconds delay) {
  accept_timer.expires_after(delay);
  accept_timer.async_wait([this](beast::error_code ec) {
    if (!ec) do_accept();
  });
}

void Server::Impl::log(std::string_view peer, std::string_view method, std::string_view path,
                       unsigned status, std::size_t bytes,
                       std::chrono::steady_clock::duration took) const {
  if (!access_log && (status < 500 || !error_log)) return;
  const AccessLog::Entry entry{std::chrono::system_clock::now(),
                               peer,
                               method,
                               path,
                               status,
                               bytes,
                               std::chrono::duration_cast<std::chrono::microseconds>(took)};
  if (access_log) access_log->write(entry);
  if (status >= 500 && error_log && options.access_log != "-") error_log->write(entry);
}

Client Server::Impl::client_for(const http::request<http::string_body>& request,
                                const std::string& peer, bool over_tls) const {
  if (options.behind_proxy.empty()) return Client{peer, over_tls};
  // Every value of each header, in order, as one list (a proxy may add a field of its own).
  return client_of(peer, over_tls, options.behind_proxy,
                   joined_field(request, "X-Forwarded-For", ","),
                   joined_field(request, "X-Forwarded-Proto", ","));
}

namespace {

// 400 for a query parameter `name` that the route at `path` does not take (`taken`).
Response unknown_parameter(const std::string& path, const std::string& name,
                           const std::vector<std::string>& taken, core::Language language) {
  std::string list;
  for (const auto& each : taken) list += (list.empty() ? "" : ", ") + each;
  return error_response(http::status::bad_request, "invalid_input",
                        taken.empty()
                            ? core::sentence("{path} takes no parameter {name}; leave it out.",
                                             {{"path", path}, {"name", name}})
                            : core::sentence("{path} takes no parameter {name}; it takes {list}.",
                                             {{"path", path}, {"name", name}, {"list", list}}),
                        language, name);
}

// A Host header this server does not answer to.
Response wrong_host(const std::vector<std::string>& allowed_hosts, core::Language language) {
  return error_response(
      http::status::misdirected_request, "wrong_host",
      allowed_hosts.empty()
          ? core::sentence(
                "This server answers only to 127.0.0.1, localhost or [::1] with its port.")
          : core::sentence("This server answers only to 127.0.0.1, localhost or [::1] with its "
                           "port, or a name given with --allow-host."),
      language, "Host");
}

Response method_not_allowed(const std::string& path, core::Language language) {
  return error_response(http::status::method_not_allowed, "method_not_allowed",
                        core::sentence("That method is not allowed on {path}.", {{"path", path}}),
                        language);
}

}  // namespace

std::vector<Route> Server::Impl::routes() {
  auto all = api_routes();
  // In clinic mode a specialist reads what people share with them through the same handlers.
  if (options.clinic) {
    for (auto route : shared_routes(all)) all.push_back(std::move(route));
  }
  for (auto route : doors->routes()) all.push_back(std::move(route));
  // The browser UI's files are open to all: they hold no one's data.
  for (auto route : static_routes()) all.push_back(std::move(route));
  return all;
}

tl::expected<Server::Impl::Admitted, Response> Server::Impl::admit(
    const http::request<http::string_body>& http_request, const Client& client) {
  const auto refuse = [](Response response) { return tl::unexpected(std::move(response)); };
  // A name this server does not answer to is a DNS rebinding attempt (a page elsewhere whose
  // name now points here) or a mistake: either way, no answer from the journal.
  const auto language =
      core::language_from_accept_language(joined_field(http_request, "Accept-Language"));
  if (const auto twice = repeated_singleton_field(http_request)) {
    return refuse(
        error_response(http::status::bad_request, "invalid_input",
                       core::sentence("The request has more than one {header} header; send it "
                                      "once.",
                                      {{"header", *twice}}),
                       language, *twice));
  }
  if (!host_allowed(sv(http_request[http::field::host]), bound_port, options.allowed_hosts)) {
    return refuse(wrong_host(options.allowed_hosts, language));
  }
  // One canonical path before anything else looks at it: "//api/v1/doses" is not another
  // name of /api/v1/doses (it was, and it skipped the access check).
  auto target = parse_target(sv(http_request.target()));
  if (!target) return refuse(error_response(target.error(), language));
  Request request;
  // HEAD is GET without the body; Session::write leaves the body out.
  request.method =
      http_request.method() == http::verb::head ? http::verb::get : http_request.method();
  request.path = std::move(target->path);
  request.query = std::move(target->query);
  request.body = http_request.body();
  if (const auto key = http_request.find("Idempotency-Key"); key != http_request.end()) {
    // A key sent empty or malformed is refused, not taken as no key.
    if (auto checked = core::check_idempotency_key(sv(key->value()), "Idempotency-Key"); !checked) {
      return refuse(error_response(checked.error(), language));
    }
    request.idempotency_key = std::string(key->value());
  }
  request.accept_language = language;
  request.client = client;
  request.headers = &http_request.base();

  auto match = router.match(request.method, request.path);
  // Outside the API every path is the app's, open to all; a path in the API no route knows is
  // answered only to those who hold the token.
  const bool api = request.path.rfind("/api/", 0) == 0;
  if (!match.route && (!api || match.path_open)) {
    return refuse(match.path_known ? method_not_allowed(request.path, language)
                                   : nothing_at(request.path, language));
  }
  request.params = std::move(match.params);
  if (auto refused = doors->admit(request, match.route, std::chrono::steady_clock::now())) {
    return refuse(std::move(*refused));
  }
  if (!match.route) {
    return refuse(match.path_known ? method_not_allowed(request.path, language)
                                   : nothing_at(request.path, language));
  }
  if (request.method == http::verb::get && !request.body.empty()) {
    return refuse(
        error_response(http::status::bad_request, "invalid_input",
                       core::sentence("A GET request takes no body; give what it asks in the "
                                      "address's parameters."),
                       language, "body"));
  }
  if (api) {
    // A parameter the route does not take (a misspelt one, or one of another route) is named,
    // not ignored.
    const auto& taken = match.route->query;
    for (const auto& [name, value] : request.query) {
      if (std::find(taken.begin(), taken.end(), name) == taken.end()) {
        return refuse(unknown_parameter(request.path, name, taken, language));
      }
    }
  }
  return Admitted{std::move(request), match.route, api};
}

std::optional<Response> Server::Impl::respond(const http::request<http::string_body>& http_request,
                                              const Client& client, const Deliver& deliver) {
  auto admitted = admit(http_request, client);
  if (!admitted) return std::move(admitted.error());
  auto& request = admitted->request;
  const Route* route = admitted->route;
  if (request.method != http::verb::get) {
    if (auto refused = check_body_type(*route, request)) return refused;
  }
  if (route->plain && route->off_io) {
    // The connection's header fields are copied: the work outlives this call.
    auto fields = std::make_shared<http::fields>(static_cast<const http::fields&>(http_request));
    request.headers = fields.get();
    asio::post(slow_work, [route, request = std::move(request), fields, deliver,
                           guard = asio::make_work_guard(ioc)]() {
      Response response;
      try {
        response = route->plain(request);
      } catch (const std::exception&) {
        response = error_response(
            http::status::internal_server_error, "internal",
            core::sentence("Something went wrong inside mitra; nothing was changed."),
            request.accept_language);
      }
      deliver(std::move(response));
    });
    return std::nullopt;
  }
  if (route->plain) return route->plain(request);
  return call_api(*route, request, http_request.target(), deliver);
}

namespace {

std::string trimmed_lower(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// What is wrong with a Content-Type's parameters, if anything: JSON and CSV bodies are read as
// UTF-8 (RFC 8259 §8.1), so the only parameter taken is a charset that says so; another
// charset, or a parameter that would change how the body is read (CSV's header=absent), is
// refused rather than dropped.
std::optional<core::Sentence> bad_type_parameter(std::string_view parameters) {
  while (!parameters.empty()) {
    const auto end = parameters.find(';');
    const std::string_view one = parameters.substr(0, end);
    parameters = end == std::string_view::npos ? std::string_view{} : parameters.substr(end + 1);
    if (trimmed_lower(one).empty()) continue;
    const auto equals = one.find('=');
    const std::string name = trimmed_lower(one.substr(0, equals));
    std::string value =
        equals == std::string_view::npos ? "" : trimmed_lower(one.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (name != "charset") {
      return core::sentence(
          "The Content-Type takes no parameter {name}; send the body as UTF-8 "
          "with at most charset=utf-8.",
          {{"name", name}});
    }
    if (value != "utf-8" && value != "utf8") {
      return core::sentence("The body must be UTF-8 text; the Content-Type says charset={charset}.",
                            {{"charset", value}});
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Response> Server::Impl::check_body_type(const Route& route, Request& request) {
  if (request.body.empty()) return std::nullopt;
  // A compressed body would be read as if it were not: refused, naming the coding (RFC 9110
  // §15.5.16), with the one coding read in Accept-Encoding.
  const std::string coding = trimmed_lower(request.header(http::field::content_encoding));
  if (!coding.empty() && coding != "identity") {
    auto refused = error_response(
        http::status::unsupported_media_type, "unsupported_media_type",
        core::sentence("The body must be sent uncompressed; mitra does not read Content-Encoding "
                       "{coding}.",
                       {{"coding", coding}}),
        request.accept_language, "Content-Encoding");
    refused.headers.emplace_back("Accept-Encoding", "identity");
    return refused;
  }
  const std::string_view content_type = request.header(http::field::content_type);
  const auto semicolon = content_type.find(';');
  std::string type = trimmed_lower(content_type.substr(0, semicolon));
  if (semicolon != std::string_view::npos) {
    if (auto why = bad_type_parameter(content_type.substr(semicolon + 1))) {
      return error_response(http::status::unsupported_media_type, "unsupported_media_type", *why,
                            request.accept_language, "Content-Type");
    }
  }
  const bool json = type == "application/json";
  const bool csv = type == "text/csv";
  if (json || (csv && route.body == BodyType::json_or_csv)) {
    if (route.body == BodyType::json_or_csv) {
      // The body's type says which format it is; a format= that says otherwise disagrees.
      const std::string declared = json ? "json" : "csv";
      const auto format = request.query.find("format");
      if (format == request.query.end()) {
        request.query["format"] = declared;
      } else if (format->second != declared) {
        return error_response(
            http::status::bad_request, "invalid_input",
            core::sentence("format is {format} but the Content-Type is {type}; send them in "
                           "agreement (or leave format out).",
                           {{"format", format->second}, {"type", type}}),
            request.accept_language, "format");
      }
    }
    return std::nullopt;
  }
  // Four whole sentences, so that each reads well in every language.
  const bool or_csv = route.body == BodyType::json_or_csv;
  const core::Sentence message =
      type.empty()
          ? (or_csv ? core::sentence("The body must be sent with Content-Type: application/json "
                                     "(or text/csv for a CSV file); the request has none.")
                    : core::sentence("The body must be sent with Content-Type: application/json; "
                                     "the request has none."))
          : (or_csv ? core::sentence("The body must be sent with Content-Type: application/json "
                                     "(or text/csv for a CSV file), not {type}.",
                                     {{"type", type}})
                    : core::sentence("The body must be sent with Content-Type: application/json, "
                                     "not {type}.",
                                     {{"type", type}}));
  return error_response(http::status::unsupported_media_type, "unsupported_media_type", message,
                        request.accept_language, "Content-Type");
}

std::optional<Response> Server::Impl::call_api(const Route& route, Request& request,
                                               beast::string_view target, const Deliver& deliver) {
  if (request.method != http::verb::get) {
    // The connection's header fields may be gone by the time the work runs.
    request.headers = nullptr;
    const std::string journal = request.journal;
    // A person's journal (clinic mode) is read by the work alone; the server's own, remembered.
    const core::Language language =
        journal.empty() ? answer_language(request.accept_language) : request.accept_language;
    auto work = write_work(route.handler, std::move(request));
    if (!journal.empty()) {
      // A person's journal (clinic mode), which the writer does not hold: its own group, on a
      // connection to that journal, answered once committed (PostgreSQL commits are durable
      // when they return).
      auto store = stores.acquire(journal);
      if (!store) return error_response(store.error(), language);
      return write_alone(**store, work, language);
    }
    // Every journal route is admitted to a journal; without a writer (clinic mode) it is a
    // person's, so this is not reached.
    if (!writer) {
      return error_response(
          http::status::internal_server_error, "internal",
          core::sentence("This server keeps no journal of its own; nothing was changed."),
          language);
    }
    // To the writer thread, answered once its group of writes is durable.
    writer->submit(
        std::move(work),
        // The work guard keeps the IO threads running until the answer is posted to its
        // connection, even while the server stops.
        [deliver, guard = asio::make_work_guard(ioc)](Response response) {
          deliver(std::move(response));
        },
        language);
    return std::nullopt;
  }
  const Handler& handler = route.handler;
  auto store = request.journal.empty() ? stores.acquire() : stores.acquire(request.journal);
  if (!store) return error_response(store.error(), request.accept_language);
  const auto at = now();
  // The status document depends only on the journal, the moment (to the second), the
  // server's options and the request: while none of them changed, the last one is still
  // right, byte for byte. The change mark sees commits by this server and by other processes.
  std::optional<store::Engine::ChangeMark> mark;
  const store::Store* connection = &**store;
  if (options.cache_status && request.path == "/api/v1/status") {
    if (auto current = (**store).change_mark()) {
      mark = *current;
      const std::lock_guard lock(cache_mutex);
      const auto cached = status_cache.find(connection);
      if (cached != status_cache.end() && cached->second.mark == *mark &&
          cached->second.now == at && cached->second.target == target &&
          cached->second.accept_language == request.accept_language &&
          cached->second.journal == request.journal) {
        return cached->second.response;
      }
    }
  }
  auto context = app::make_context(**store, at, options.zone_override, options.fallback_zone);
  if (!context) return error_response(context.error(), request.accept_language);
  // The saved setting wins over the browser's Accept-Language (docs/languages.md).
  context->language = context->settings.language.value_or(request.accept_language);
  if (request.journal.empty()) remember_language(context->settings.language);
  auto response = handler(request, *context);
  if (!response) return error_response(response.error(), context->language);
  if (mark && response->status == http::status::ok) {
    const std::lock_guard lock(cache_mutex);
    // Entries of stores closed since stay until the map is cleared: each store's last entry is
    // all that is ever read, and stores live long (the pool keeps and switches them).
    if (status_cache.size() >= kMaxStatusCacheEntries && !status_cache.contains(connection)) {
      status_cache.clear();
    }
    status_cache[connection] = CachedResponse{
        *mark, at, std::string(target), request.accept_language, request.journal, *response};
  }
  return std::move(*response);
}

WriteBatcher::Work Server::Impl::write_work(const Handler& handler, Request request) {
  // The use case's result, not its HTTP status, decides whether its writes are kept.
  return [this, &handler,
          request = std::move(request)](store::Records& records) -> core::Result<Response> {
    auto context = app::make_context(records, now(), options.zone_override, options.fallback_zone);
    if (!context)
      return tl::unexpected(core::in_language(context.error(), request.accept_language));
    // The saved setting wins over the browser's Accept-Language (docs/languages.md).
    context->language = context->settings.language.value_or(request.accept_language);
    auto response = handler(request, *context);
    // As the handler left it (PUT /settings may have changed it).
    if (request.journal.empty()) remember_language(context->settings.language);
    // The writer maps a failure to its HTTP answer without the request's language: the
    // message goes to it translated (the English is the same message).
    if (!response) return tl::unexpected(core::in_language(response.error(), context->language));
    return response;
  };
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

namespace {

// Opens the server's database (creating it: a bad path fails at start, not on a request) and
// starts the writer on a connection of its own.
core::Result<void> start_writer(Server::Impl& impl) {
  {
    auto store = impl.stores.acquire();
    if (!store) return tl::unexpected(store.error());
    // The saved language, for the writer's refusals before any request has read it.
    auto context = app::make_context(**store, impl.now(), impl.options.zone_override,
                                     impl.options.fallback_zone);
    if (context) impl.remember_language(context->settings.language);
  }
  // The writer's own connection: it holds the write transaction of each group.
  auto writer_store = store::open_store(impl.options.database, store::OpenMode::read_write);
  if (!writer_store) return tl::unexpected(writer_store.error());
  // A third connection copies the log into the database behind the writer. Without it the
  // writer does all the copying itself: a short wait for some writes now and then, no harm.
  auto log_copier = store::open_store(impl.options.database, store::OpenMode::read_write);
  impl.writer = std::make_unique<WriteBatcher>(
      std::move(*writer_store), impl.options.max_write_batch,
      log_copier ? std::move(*log_copier) : std::unique_ptr<store::Store>{});
  return {};
}

}  // namespace

core::Result<std::unique_ptr<Server>> Server::start(ServerOptions options) {
  if (options.threads < 1) {
    return core::invalid("threads", core::sentence("threads must be 1 or more."));
  }
  if (!options.token.empty()) {
    if (auto reason = weak_token_reason(options.token); !reason.empty()) {
      return core::invalid("MITRA_TOKEN", reason);
    }
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.bind, ec);
  if (ec) {
    return core::invalid("bind", core::sentence("bind must be an IP address such as 127.0.0.1, not "
                                                "\"{value}\".",
                                                {{"value", options.bind}}));
  }
  if (options.tls_certificate.empty() != options.tls_key.empty()) {
    return core::invalid(options.tls_key.empty() ? "tls-key" : "tls-cert",
                         core::sentence("--tls-cert and --tls-key go together: the certificate "
                                        "chain and its private key, both PEM files."));
  }
  if (!options.behind_proxy.empty()) {
    (void)asio::ip::make_address(options.behind_proxy, ec);
    if (ec) {
      return core::invalid("behind-proxy",
                           core::sentence("behind-proxy must be the proxy's IP address, such as "
                                          "127.0.0.1 or 10.0.0.2, not \"{value}\".",
                                          {{"value", options.behind_proxy}}));
    }
  }
  // Issue 17, item 2: beyond this machine, TLS or a TLS proxy, never plain HTTP.
  if (!address.is_loopback() && options.tls_certificate.empty() && options.behind_proxy.empty()) {
    return core::invalid(
        "bind",
        core::sentence("mitra serve listens on {address}, which other machines can reach, only "
                       "over TLS (--tls-cert FILE --tls-key FILE) or behind a TLS proxy "
                       "(--behind-proxy ADDRESS, the proxy's address); without either, the access "
                       "token and the journal would cross the network unencrypted. On this "
                       "machine alone, leave --bind out (127.0.0.1).",
                       {{"address", options.bind}}));
  }
  std::unique_ptr<ssl::context> tls;
  if (!options.tls_certificate.empty()) {
    auto made = make_tls_context(options);
    if (!made) return tl::unexpected(made.error());
    tls = std::move(*made);
  }
  // Who may come in. Clinic mode connects to the clinic's tables now, so that a wrong
  // database (or SQLite) stops the server here, saying why.
  std::unique_ptr<Doors> doors;
  // The clinic's doors read people's journals (the specialist's list) as the server does; the
  // server is made after them, so they reach it through this cell.
  auto server_cell = std::make_shared<Server::Impl*>(nullptr);
  if (options.clinic) {
    auto clinic = ClinicDoorkeeper::open(
        options.database, [clock = options.clock] { return now_of(clock); },
        [server_cell](const std::string& location,
                      const ClinicDoorkeeper::Reader& read) -> core::Result<nlohmann::json> {
          auto& impl = **server_cell;
          auto store = impl.stores.acquire(location);
          if (!store) return tl::unexpected(store.error());
          auto context = app::make_context(**store, impl.now(), impl.options.zone_override,
                                           impl.options.fallback_zone);
          if (!context) return tl::unexpected(context.error());
          return read(*context);
        });
    if (!clinic) return tl::unexpected(clinic.error());
    doors = std::move(*clinic);
  } else {
    doors = std::make_unique<Doorkeeper>(options.token);
  }
  auto impl = std::make_unique<Impl>(std::move(options), std::move(doors));
  *server_cell = impl.get();
  if (impl->options.clinic) {
    impl->clinic_work = std::make_unique<asio::thread_pool>(Impl::kClinicWorkers);
  }
  impl->tls = std::move(tls);
  if (!impl->options.access_log.empty()) {
    auto log = AccessLog::open(impl->options.access_log);
    if (!log) return tl::unexpected(log.error());
    impl->access_log = std::move(*log);
  }
  if (auto errors = AccessLog::open("-")) impl->error_log = std::move(*errors);
  {
    // Leave room below the file descriptor limit for the journal, its log and the threads.
    rlimit limit{};
    std::size_t cap = impl->options.max_connections;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
      const auto room = limit.rlim_cur > 64 ? static_cast<std::size_t>(limit.rlim_cur - 64) : 1;
      cap = std::min(cap, room);
    }
    impl->max_connections = std::max<std::size_t>(cap, 1);
  }
  // In clinic mode every request reaches a person's own journal (the doors say whose), never a
  // journal of the server's database: it gets no writer, and no journal is made in it.
  if (!impl->options.clinic) {
    if (auto started = start_writer(*impl); !started) return tl::unexpected(started.error());
  }
  const tcp::endpoint endpoint{address, impl->options.port};
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    const std::string& bound = impl->options.bind;
    const std::string port = std::to_string(impl->options.port);
    if (ec == asio::error::address_in_use) {
      return core::fail(core::ErrorKind::unavailable,
                        core::sentence("Could not listen on {address} port {port}: another "
                                       "program is using that port (perhaps mitra serve, already "
                                       "running). Stop it, or choose another port.",
                                       {{"address", bound}, {"port", port}}),
                        "port");
    }
    return core::fail(
        core::ErrorKind::unavailable,
        core::sentence("Could not listen on {address} port {port}: {reason}.",
                       {{"address", bound}, {"port", port}, {"reason", ec.message()}}),
        "port");
  }
  impl->bound_port = impl->acceptor.local_endpoint().port();
  impl->do_accept();
  auto* raw = impl.get();
  for (int i = 0; i < raw->options.threads; ++i) {
    raw->threads.emplace_back([raw] { raw->ioc.run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::~Server() {
  stop();
  wait();
}

unsigned short Server::port() const { return impl_->bound_port; }
const std::string& Server::token() const { return impl_->doors->access_token(); }

std::string Server::url() const {
  std::string host = impl_->options.bind;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return (impl_->tls ? "https://" : "http://") + host + ":" + std::to_string(port()) + "/" +
         (token().empty() ? "" : "?token=" + token());
}

bool Server::loopback_only() const {
  beast::error_code ec;
  const auto endpoint = impl_->acceptor.local_endpoint(ec);
  return !ec && endpoint.address().is_loopback();
}

void Server::stop_on_signals() {
  impl_->signals.emplace(impl_->ioc, SIGINT, SIGTERM);
  impl_->signals->async_wait([this](beast::error_code ec, int) {
    if (!ec) stop();
  });
}

void Server::stop() {
  auto& impl = *impl_;
  if (impl.stopping.exchange(true)) return;
  asio::post(impl.acceptor.get_executor(), [&impl] {
    beast::error_code ec;
    impl.acceptor.close(ec);
    impl.accept_timer.cancel();
  });
  if (impl.signals) {
    asio::post(impl.ioc, [&impl] {
      beast::error_code ec;
      impl.signals->cancel(ec);
    });
  }
  const std::lock_guard lock(impl.sessions_mutex);
  for (const auto& weak : impl.sessions) {
    if (auto session = weak.lock()) session->close_if_idle();
  }
}

void Server::wait() {
  for (auto& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
}

}  // namespace mitra::server
