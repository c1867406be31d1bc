// libFuzzer harness: an HTTP request as `mitra serve` reads it. Beast's request parser with
// the server's limits (ServerOptions' defaults: header bytes, body bytes, URI bytes, header
// count, as Session::do_read and on_header set and check them), fed the input as it arrives
// buffered, then the target as Server::Impl::respond reads it, the cookie
// and Idempotency-Key headers, and the router's match against the real route table.
// parse_target, the one canonical form of a target the server accepts (bug in issue 12:
// "//api/v1/doses" reached the handlers without the token). Properties: no crash, no exception;
// a refusal names "path"; an accepted path is canonical (non-empty segments, no dot segments,
// no escapes, no other spelling) and parses again to itself.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/text.hpp"
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
  // As the session, from the header alone: a Transfer-Encoding or Expect the server does not
  // meet is refused naming it; one it takes is one Beast reads as it says (a chunked body).
  if (const auto problem = framing_problem(request)) {
    FUZZ_CHECK(!problem->field.empty() && !problem->code.empty(),
               "a framing problem without its field");
    return 0;
  }
  if (request.count(http::field::transfer_encoding) > 0) {
    FUZZ_CHECK(parser.chunked(),
               "a Transfer-Encoding taken whose body Beast does not read chunked");
  }
  if (!parser.is_done()) return 0;  // 400 or 413, or the server waits for the rest of the body.

  // As Server::Impl::respond: one canonical target before anything looks at the path.
  const std::string_view target(request.target().data(), request.target().size());
  auto parsed = parse_target(target);
  if (!parsed) {
    // The path, or the query parameter at fault ("query" when its name is not text).
    FUZZ_CHECK(!parsed.error().field.empty() && !parsed.error().message.empty() &&
                   mitra::core::is_valid_utf8(parsed.error().field),
               "a refused target without a message naming the path or the parameter");
    return 0;
  }
  // Every parameter name and value is text: an error message that quotes one can be written as
  // JSON (a value that was not UTF-8 once made the answer a 500).
  for (const auto& [name, value] : parsed->query) {
    FUZZ_CHECK(
        !name.empty() && mitra::core::is_valid_utf8(name) && mitra::core::is_valid_utf8(value),
        "a query parameter that is not text got through");
  }
  const std::string& path = parsed->path;
  // Canonical: "/" or "/seg/seg" of non-empty segments, no dot segments, no escapes; so no
  // other spelling of a path reaches the router.
  const auto segments = split_path(path);
  std::string rebuilt;
  for (const auto& segment : segments) {
    FUZZ_CHECK(!segment.empty() && segment != "." && segment != ".." &&
                   segment.find_first_of("/%") == std::string::npos,
               "parse_target let the segment \"" + segment + "\" through in " + path);
    rebuilt += "/" + segment;
  }
  FUZZ_CHECK(rebuilt == path || (path == "/" && segments.empty()),
             "parse_target's path \"" + path + "\" is not canonical");
  // Parsing the canonical form again gives the same target.
  std::string again = path;
  if (!parsed->query.empty()) again += "?x=1";
  auto reparsed = parse_target(again);
  FUZZ_CHECK(reparsed && reparsed->path == path, "the canonical path " + path + " is refused");

  (void)cookie_value(std::string(request[http::field::cookie]), kSessionCookie);
  (void)std::string(request["Idempotency-Key"]);
  (void)same_token(std::string(request[http::field::authorization]), "Bearer x");

  // A GET outside /api/ is a static file (or 404), never routed; other methods there: 405.
  if (path.rfind("/api/", 0) != 0) return 0;
  const auto method = request.method() == http::verb::head ? http::verb::get : request.method();
  const auto match = router().match(method, path);
  if (match.route) {
    FUZZ_CHECK(match.route->handler != nullptr, "a route without a handler");
  }
  return 0;
}
