// libFuzzer harness: an HTTP request as `mitra serve` reads it. Beast's request parser with
// the server's limits (ServerOptions' defaults: header bytes, body bytes, URI bytes, header
// count, as Session::do_read and on_header set and check them), fed the input as it arrives
// buffered, then the target's path and query as Server::Impl::respond splits them, the cookie
// and Idempotency-Key headers, and the router's match against the real route table.
// Properties: no crash, no exception; split_path gives non-empty segments without '/'; a path
// the router matches to an API handler is one the authorisation gate sees as an API path
// (bug in issue 12: "//api/v1/doses" reached the handlers without the token).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "fuzz_check.hpp"
#include "server/api.hpp"
#include "server/router.hpp"
#include "server/security.hpp"
#include "server/server.hpp"

namespace beast = boost::beast;
namespace http = beast::http;
using namespace mitra::server;

namespace {

const Router& router() {
  static const Router r(api_routes());
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ServerOptions options;
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);

  // As the session's buffer would hold it: everything received so far, offered to the parser
  // until it is done, needs more, or fails.
  beast::flat_buffer buffer;
  if (size > 0) {
    const auto room = buffer.prepare(size);
    std::memcpy(room.data(), data, size);
    buffer.commit(size);
  }
  beast::error_code ec;
  while (!parser.is_done() && buffer.size() > 0) {
    const auto used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec || used == 0) break;
  }
  if (!parser.is_header_done()) return 0;  // The server waits for more, or answers 400/431.
  const auto& request = parser.get();
  if (request.target().size() > options.max_uri_bytes) return 0;  // 414
  std::size_t count = 0;
  for (auto it = request.begin(); it != request.end(); ++it) ++count;
  if (count > options.max_header_count) return 0;  // 431
  if (!parser.is_done()) return 0;  // 400 or 413, or the server waits for the rest of the body.

  const std::string target(request.target());
  const auto question = target.find('?');
  const std::string path = target.substr(0, question);
  if (question != std::string::npos) (void)parse_query(target.substr(question + 1));
  (void)cookie_value(std::string(request[http::field::cookie]), kSessionCookie);
  (void)std::string(request["Idempotency-Key"]);
  (void)same_token(std::string(request[http::field::authorization]), "Bearer x");

  for (const auto& segment : split_path(path)) {
    FUZZ_CHECK(!segment.empty() && segment.find('/') == std::string::npos,
               "split_path gave the segment \"" + segment + "\"");
  }
  const auto method = request.method() == http::verb::head ? http::verb::get : request.method();
  // As Server::Impl::respond: a GET outside /api/ is a static file (or 404), never routed.
  if (path.rfind("/api/", 0) != 0 && method == http::verb::get) return 0;
  const auto match = router().match(method, path);
  if (match.handler) {
    // The server asks for the token only on paths that start with /api/.
    FUZZ_CHECK(path.rfind("/api/", 0) == 0,
               "the route handler for \"" + path + "\" is reached without the token check");
  }
  return 0;
}
