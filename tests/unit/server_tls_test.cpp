// Issue 17, item 2: TLS, or an explicit proxy. On any address but loopback `mitra serve` needs
// --tls-cert/--tls-key or --behind-proxy, or it refuses to start; over TLS (1.2 at least) every
// rule of the plain server holds and HSTS is sent; the proxy's forwarding headers are believed
// from the proxy's address only. The certificates are made by the openssl program per test.

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "server/security.hpp"
#include "server/server.hpp"

namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using mitra::testing::Reply;

class TlsOrProxy : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() /
        ("mitra-tls-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(directory_);
  }

  void TearDown() override {
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(directory_, ec);
  }

  // A self-signed certificate for 127.0.0.1 and its key (EC P-256), made by the openssl
  // program; `name` keeps several apart.
  std::pair<std::string, std::string> make_certificate(const std::string& name = "server") {
    const auto cert = (directory_ / (name + ".crt")).string();
    const auto key = (directory_ / (name + ".key")).string();
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        key + "' -out '" + cert + "' >/dev/null 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return {cert, key};
  }

  mitra::server::ServerOptions options() {
    mitra::server::ServerOptions o;
    o.port = 0;
    o.database = (directory_ / "journal.db").string();
    o.zone_override = "UTC";
    o.read_timeout = std::chrono::milliseconds(500);
    o.max_body_bytes = 64 * 1024;
    return o;
  }

  mitra::server::ServerOptions tls_options() {
    auto o = options();
    std::tie(certificate_, o.tls_key) = make_certificate();
    o.tls_certificate = certificate_;
    return o;
  }

  void start(const mitra::server::ServerOptions& o) {
    auto started = mitra::server::Server::start(o);
    ASSERT_TRUE(started) << started.error().message;
    server_ = std::move(*started);
  }

  http::request<http::string_body> request(http::verb method, const std::string& target,
                                           const std::string& body = "",
                                           bool with_token = true) const {
    http::request<http::string_body> r{method, target, 11};
    r.set(http::field::host, "127.0.0.1:" + std::to_string(server_->port()));
    if (with_token) r.set(http::field::authorization, "Bearer " + server_->token());
    if (!body.empty()) r.set(http::field::content_type, "application/json");
    r.body() = body;
    r.prepare_payload();
    return r;
  }

  // A client's TLS settings: the server's certificate checked against the test's own, as a
  // careful client would.
  ssl::context client_context() const {
    ssl::context context(ssl::context::tls_client);
    context.load_verify_file(certificate_);
    context.set_verify_mode(ssl::verify_peer);
    return context;
  }

  // Connects `stream` to the server and completes the handshake (the certificate checked
  // against its address too).
  void tls_connect(beast::ssl_stream<beast::tcp_stream>& stream) const {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(stream.native_handle()), "127.0.0.1");
    beast::get_lowest_layer(stream).connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    stream.handshake(ssl::stream_base::client);
  }

  // The server ends the stream in order: its close_notify alert, then the end, and the
  // client's own alert back goes through (the server waits for it).
  static void expect_orderly_end(beast::ssl_stream<beast::tcp_stream>& stream) {
    char byte = 0;
    beast::error_code ec;
    stream.read_some(asio::buffer(&byte, 1), ec);
    EXPECT_EQ(ec, asio::error::eof) << ec.message();
    EXPECT_NE(SSL_get_shutdown(stream.native_handle()) & SSL_RECEIVED_SHUTDOWN, 0)
        << "no close_notify from the server";
    stream.shutdown(ec);
    EXPECT_FALSE(ec) << ec.message();
  }

  // A client connected over TLS, the handshake done.
  struct TlsClient {
    explicit TlsClient(ssl::context settings)
        : context(std::move(settings)), stream(ioc, context) {}
    asio::io_context ioc;
    ssl::context context;
    beast::ssl_stream<beast::tcp_stream> stream;
  };
  std::unique_ptr<TlsClient> tls_open() const {
    auto client = std::make_unique<TlsClient>(client_context());
    tls_connect(client->stream);
    return client;
  }

  // One request over TLS. `version`: the negotiated protocol, if wanted.
  Reply tls_send(http::request<http::string_body> r, int* version = nullptr) {
    auto client = tls_open();
    auto& stream = client->stream;
    if (version != nullptr) *version = SSL_version(stream.native_handle());
    http::write(stream, r);
    return mitra::testing::read_reply(stream, r.method() == http::verb::head);
  }

  // One plain HTTP request from the local address `from` (any 127.x.y.z is this machine).
  Reply plain_send_from(const std::string& from, http::request<http::string_body> r) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.open(tcp::v4());
    socket.bind(tcp::endpoint(asio::ip::make_address(from), 0));
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    beast::tcp_stream stream(std::move(socket));
    http::write(stream, r);
    return mitra::testing::read_reply(stream);
  }

  std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::filesystem::path directory_;
  std::string certificate_;
  std::unique_ptr<mitra::server::Server> server_;
  static inline int counter_ = 0;
};

TEST_F(TlsOrProxy, AnswersOverTlsWithTheGivenCertificate) {
  start(tls_options());
  EXPECT_EQ(server_->url().rfind("https://127.0.0.1:", 0), 0u) << server_->url();
  int version = 0;
  const auto reply = tls_send(request(http::verb::get, "/api/v1/status"), &version);
  EXPECT_EQ(reply.status, 200u);
  EXPECT_GE(version, TLS1_2_VERSION);
  EXPECT_EQ(reply.headers.at("content-security-policy"), mitra::server::kContentSecurityPolicy);
  // A write too: the writer thread's answer comes back over the same TLS connection.
  const auto logged = tls_send(request(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})"));
  EXPECT_EQ(logged.status, 201u) << logged.body;
  EXPECT_EQ(tls_send(request(http::verb::get, "/api/v1/doses")).document()["doses"].size(), 1u);
}

// A connection the server ended (here after an answer to "Connection: close") was closed
// without TLS's close_notify: the client could not tell the end of the stream from a cut
// (OpenSSL reports "stream truncated"). Now the alert comes first, and the stream ends in order.
TEST_F(TlsOrProxy, BugTlsConnectionsWereClosedWithoutCloseNotifyNowTheyEndInOrder) {
  start(tls_options());
  auto client = tls_open();
  auto& stream = client->stream;
  auto r = request(http::verb::get, "/api/v1/status");
  r.keep_alive(false);
  http::write(stream, r);
  const auto reply = mitra::testing::read_reply(stream);
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.headers.at("connection"), "close");
  expect_orderly_end(stream);
}

// The same after an error the server answers before reading the whole request (here a body
// over the cap, 413): the answer went out, then the server shut its side of the TCP connection
// without close_notify, so a client still sending heard the answer end in a cut ("stream
// truncated"). Now the alert ends the answer, the rest of the body is read and dropped, and
// both sides end in order.
TEST_F(TlsOrProxy, BugATlsAnswerBeforeTheWholeBodyEndedWithoutCloseNotify) {
  start(tls_options());
  auto client = tls_open();
  auto& stream = client->stream;
  const std::string head =
      "POST /api/v1/doses HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server_->port()) +
      "\r\nAuthorization: Bearer " + server_->token() +
      "\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n";
  asio::write(stream, asio::buffer(head + "{\"note\": \"" + std::string(16 * 1024, 'a')));
  const auto reply = mitra::testing::read_reply(stream);
  EXPECT_EQ(reply.status, 413u);
  // The client goes on sending a little of its body, as an upload under way does.
  beast::error_code ec;
  asio::write(stream, asio::buffer(std::string(16 * 1024, 'a')), ec);
  EXPECT_FALSE(ec) << ec.message();
  expect_orderly_end(stream);
  EXPECT_EQ(tls_send(request(http::verb::get, "/api/v1/doses")).document()["doses"].size(), 0u);
}

// The server's own alert, not the client's: a client limited to TLS 1.1 hears "protocol
// version" from the server (a client that refused by itself would fail before sending).
TEST_F(TlsOrProxy, Tls11IsRefused) {
  start(tls_options());
  asio::io_context ioc;
  ssl::context context(ssl::context::tls_client);
  SSL_CTX_set_security_level(context.native_handle(), 0);
  ASSERT_EQ(SSL_CTX_set_cipher_list(context.native_handle(), "ALL:@SECLEVEL=0"), 1);
  ASSERT_EQ(SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_1_VERSION), 1);
  ASSERT_EQ(SSL_CTX_set_max_proto_version(context.native_handle(), TLS1_1_VERSION), 1);
  context.set_verify_mode(ssl::verify_none);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, context);
  beast::get_lowest_layer(stream).connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
  beast::error_code ec;
  stream.handshake(ssl::stream_base::client, ec);
  ASSERT_TRUE(ec);
  EXPECT_EQ(ec.category(), asio::error::get_ssl_category()) << ec.message();
  EXPECT_EQ(ERR_GET_REASON(static_cast<unsigned long>(ec.value())),
            SSL_R_TLSV1_ALERT_PROTOCOL_VERSION)
      << ec.message();
  // And the server goes on serving.
  EXPECT_EQ(tls_send(request(http::verb::get, "/api/v1/status")).status, 200u);
}

TEST_F(TlsOrProxy, PlainHttpOnTheTlsPortGetsNoAnswer) {
  start(tls_options());
  const auto reply = mitra::testing::send(server_->port(), http::verb::get, "/api/v1/status", "",
                                          {{"Authorization", "Bearer " + server_->token()}});
  EXPECT_EQ(reply.status, 0u);
  EXPECT_EQ(tls_send(request(http::verb::get, "/api/v1/status")).status, 200u);
}

TEST_F(TlsOrProxy, RefusesToStartOnAllAddressesWithoutTlsOrProxy) {
  for (const std::string bind : {"0.0.0.0", "::"}) {
    auto o = options();
    o.bind = bind;
    const auto started = mitra::server::Server::start(o);
    ASSERT_FALSE(started) << bind;
    EXPECT_EQ(started.error().field, "bind");
    EXPECT_EQ(started.error().message,
              "mitra serve listens on " + bind +
                  ", which other machines can reach, only over TLS (--tls-cert FILE --tls-key "
                  "FILE) or behind a TLS proxy (--behind-proxy ADDRESS, the proxy's address); "
                  "without either, the access token and the journal would cross the network "
                  "unencrypted. On this machine alone, leave --bind out (127.0.0.1).");
  }
  // Nothing was created for a server that did not start.
  EXPECT_FALSE(std::filesystem::exists(directory_ / "journal.db"));
}

TEST_F(TlsOrProxy, LoopbackStaysPlainHttpByDefault) {
  start(options());
  EXPECT_EQ(server_->url().rfind("http://127.0.0.1:", 0), 0u) << server_->url();
  const auto reply = mitra::testing::send(server_->port(), http::verb::get, "/api/v1/status", "",
                                          {{"Authorization", "Bearer " + server_->token()}});
  EXPECT_EQ(reply.status, 200u);
}

TEST_F(TlsOrProxy, StartsOnAllAddressesWithTlsOrBehindAProxy) {
  auto with_tls = tls_options();
  with_tls.bind = "0.0.0.0";
  start(with_tls);
  EXPECT_EQ(tls_send(request(http::verb::get, "/api/v1/status")).status, 200u);
  server_.reset();

  auto behind_proxy = options();
  behind_proxy.bind = "0.0.0.0";
  behind_proxy.behind_proxy = "127.0.0.2";
  start(behind_proxy);
  EXPECT_EQ(plain_send_from("127.0.0.2", request(http::verb::get, "/api/v1/status")).status, 200u);
}

TEST_F(TlsOrProxy, HstsOverTlsOnly) {
  start(options());
  const auto plain = mitra::testing::send(server_->port(), http::verb::get, "/api/v1/status", "",
                                          {{"Authorization", "Bearer " + server_->token()}});
  EXPECT_EQ(plain.status, 200u);
  EXPECT_EQ(plain.headers.count("strict-transport-security"), 0u);
  server_.reset();

  start(tls_options());
  // On answers of every kind: the API, an error, a page, a file.
  for (const auto& [target, status] : std::vector<std::pair<std::string, unsigned>>{
           {"/api/v1/status", 200u}, {"/api/v1/nothing", 404u}, {"/", 200u}}) {
    const auto reply = tls_send(request(http::verb::get, target));
    EXPECT_EQ(reply.status, status) << target;
    EXPECT_EQ(reply.headers.at("strict-transport-security"), "max-age=31536000") << target;
  }
  const auto refused = tls_send(request(http::verb::get, "/api/v1/status", "", false));
  EXPECT_EQ(refused.status, 401u);
  EXPECT_EQ(refused.headers.at("strict-transport-security"), "max-age=31536000");
}

// The gate of the plain server, the same over TLS: the token, the Host, CSRF on cookie writes,
// the body cap; cookies are Secure there.
TEST_F(TlsOrProxy, SecurityRulesHoldOverTls) {
  start(tls_options());
  EXPECT_EQ(tls_send(request(http::verb::get, "/api/v1/doses", "", false)).status, 401u);

  auto wrong_host = request(http::verb::get, "/api/v1/status");
  wrong_host.set(http::field::host, "evil.example:" + std::to_string(server_->port()));
  EXPECT_EQ(tls_send(wrong_host).status, 421u);

  const auto page = tls_send(request(http::verb::get, "/?token=" + server_->token(), "", false));
  EXPECT_EQ(page.status, 303u);
  ASSERT_EQ(page.cookies.size(), 2u);
  std::string cookies;
  for (const auto& cookie : page.cookies) {
    EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
    if (!cookies.empty()) cookies += "; ";
    cookies += cookie.substr(0, cookie.find(';'));
  }
  auto cookie_write = request(http::verb::post, "/api/v1/doses", R"({"amount": "2g"})", false);
  cookie_write.set(http::field::cookie, cookies);
  const auto no_csrf = tls_send(cookie_write);
  EXPECT_EQ(no_csrf.status, 403u);
  EXPECT_EQ(no_csrf.error_field(), "X-CSRF-Token");

  const auto too_big = tls_send(request(http::verb::post, "/api/v1/doses",
                                        "{\"note\": \"" + std::string(70 * 1024, 'a') + "\"}"));
  EXPECT_EQ(too_big.status, 413u);
  EXPECT_EQ(tls_send(request(http::verb::get, "/api/v1/doses")).document()["doses"].size(), 0u);
}

TEST_F(TlsOrProxy, ProxyHeadersAreIgnoredFromOtherAddresses) {
  auto o = options();
  o.behind_proxy = "127.0.0.2";
  o.access_log = (directory_ / "access.log").string();
  start(o);
  const auto forwarded = [&] {
    auto r = request(http::verb::get, "/?token=" + server_->token(), "", false);
    r.set("X-Forwarded-For", "198.51.100.9, 203.0.113.7");
    r.set("X-Forwarded-Proto", "https");
    return r;
  };
  // From the proxy: the client is the address the proxy saw (the last one), over https.
  const auto via_proxy = plain_send_from("127.0.0.2", forwarded());
  EXPECT_EQ(via_proxy.status, 303u);
  EXPECT_EQ(via_proxy.headers.at("strict-transport-security"), "max-age=31536000");
  ASSERT_FALSE(via_proxy.cookies.empty());
  EXPECT_NE(via_proxy.cookies[0].find("; Secure"), std::string::npos);
  // From anyone else: the same headers change nothing.
  const auto direct = plain_send_from("127.0.0.1", forwarded());
  EXPECT_EQ(direct.status, 303u);
  EXPECT_EQ(direct.headers.count("strict-transport-security"), 0u);
  ASSERT_FALSE(direct.cookies.empty());
  EXPECT_EQ(direct.cookies[0].find("Secure"), std::string::npos);
  server_.reset();  // Writes out the access log.

  std::vector<std::string> peers;
  std::istringstream lines(read_file(directory_ / "access.log"));
  for (std::string line; std::getline(lines, line);) {
    peers.push_back(nlohmann::json::parse(line)["peer"].get<std::string>());
  }
  EXPECT_EQ(peers, (std::vector<std::string>{"203.0.113.7", "127.0.0.1"}));
}

// Wrong tokens are counted against the client the proxy names, not against the proxy (which
// would lock every client out together).
TEST_F(TlsOrProxy, WrongTokensBehindAProxyCountPerClient) {
  auto o = options();
  o.behind_proxy = "127.0.0.2";
  start(o);
  const auto from = [&](const std::string& client, const std::string& token) {
    auto r = request(http::verb::get, "/api/v1/status", "", false);
    r.set(http::field::authorization, "Bearer " + token);
    r.set("X-Forwarded-For", client);
    return plain_send_from("127.0.0.2", r);
  };
  const std::string wrong(64, 'f');
  unsigned last = 0;
  for (int i = 0; i < 40 && last != 429u; ++i) last = from("203.0.113.7", wrong).status;
  EXPECT_EQ(last, 429u);
  EXPECT_EQ(from("198.51.100.9", server_->token()).status, 200u);
}

TEST_F(TlsOrProxy, RefusesUnreadableOrMismatchedTlsFiles) {
  const auto check = [&](mitra::server::ServerOptions o, const std::string& field,
                         const std::string& message_start) {
    const auto started = mitra::server::Server::start(o);
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().field, field);
    EXPECT_EQ(started.error().message.rfind(message_start, 0), 0u) << started.error().message;
  };
  const auto [cert, key] = make_certificate("one");
  const auto [other_cert, other_key] = make_certificate("two");
  auto o = options();
  o.tls_certificate = cert;
  check(o, "tls-key", "--tls-cert and --tls-key go together");
  o.tls_certificate = (directory_ / "missing.crt").string();
  o.tls_key = key;
  check(o, "tls-cert", "The certificate in " + o.tls_certificate + " could not be read");
  o.tls_certificate = cert;
  o.tls_key = cert;
  check(o, "tls-key", "The private key in " + cert + " could not be read");
  o.tls_key = other_key;
  check(o, "tls-key", "The private key in " + other_key + " does not belong to the certificate");
  o = options();
  o.behind_proxy = "proxy.example";
  check(o, "behind-proxy", "behind-proxy must be the proxy's IP address");
  (void)other_cert;
}

TEST(ClientOf, BelievesForwardingHeadersFromTheProxyOnly) {
  using mitra::server::client_of;
  const auto client =
      client_of("10.0.0.2", false, "10.0.0.2", "198.51.100.9, 203.0.113.7", "https");
  EXPECT_EQ(client.address, "203.0.113.7");
  EXPECT_TRUE(client.secure);
  // An IPv4 proxy seen on an IPv6 socket.
  EXPECT_EQ(client_of("::ffff:10.0.0.2", false, "10.0.0.2", "203.0.113.7", "http").address,
            "203.0.113.7");
  EXPECT_FALSE(client_of("::ffff:10.0.0.2", false, "10.0.0.2", "203.0.113.7", "http").secure);
  // Anyone else: their own address, their own connection.
  const auto other = client_of("10.0.0.3", false, "10.0.0.2", "203.0.113.7", "https");
  EXPECT_EQ(other.address, "10.0.0.3");
  EXPECT_FALSE(other.secure);
  EXPECT_TRUE(client_of("10.0.0.3", true, "", "203.0.113.7", "").secure);
  // No proxy configured: nobody's headers count.
  EXPECT_EQ(client_of("10.0.0.2", false, "", "203.0.113.7", "https").address, "10.0.0.2");
  // Something that is not an address: the proxy's own.
  EXPECT_EQ(client_of("10.0.0.2", false, "10.0.0.2", "203.0.113.7, nonsense", "").address,
            "10.0.0.2");
  EXPECT_EQ(client_of("10.0.0.2", false, "10.0.0.2", "", "").address, "10.0.0.2");
}

}  // namespace
