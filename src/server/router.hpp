#pragma once
// Requests and responses as the API handlers see them, and the router: one table of
// method + path pattern ("/api/v1/doses/{id}") → handler.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "core/sharing.hpp"
#include "server/security.hpp"
#include "store/clinic.hpp"

namespace mitra::server {

struct Request {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string path;                           // Without the query string.
  std::map<std::string, std::string> query;   // Percent-decoded.
  std::map<std::string, std::string> params;  // From the path pattern.
  std::string body;
  std::string idempotency_key;  // The Idempotency-Key header, or empty.
  // The language the Accept-Language header prefers (English without one); the person's saved
  // setting wins over it (Server::Impl::call_api sets app::Context::language).
  core::Language accept_language = core::kDefaultLanguage;
  // Who sent it (address, and whether over TLS).
  Client client;
  // Whose journal the request reaches, as its doors admitted it (doors.hpp): empty for the
  // server's own database (local mode); in clinic mode the signed-in person's
  // (store::journal_location).
  std::string journal;
  // What of that journal the caller may read (clinic mode, GET /api/v1/people/{person}/…: the
  // scopes the person shares with the signed-in specialist); nothing when the journal is the
  // caller's own, which they may read whole. A handler that shows several parts of a journal
  // (the report, the FHIR export) leaves out the parts outside it.
  std::optional<core::Scopes> shared_scopes;
  // Who sent it, in clinic mode, as the doors admitted them (nothing in local mode, and on the
  // open routes).
  std::optional<store::Account> account;
  // The request's header fields, for the handlers that answer on the IO thread (the server's own
  // routes, which read Accept-Encoding, If-None-Match…). Null for a write on the writer thread:
  // the connection may be reading its next request by then.
  const boost::beast::http::fields* headers = nullptr;
  // The value of header `name`, or empty (also when `headers` is null). For a field a request
  // may carry once (repeated_singleton_field; the server refuses a request with two).
  std::string_view header(boost::beast::http::field name) const;
  std::string_view header(std::string_view name) const;
  // Every line of list field `name` as one list (joined_field), or empty.
  std::string header_list(boost::beast::http::field name, std::string_view separator = ", ") const;
};

// Every line of header field `name`, in order, joined with `separator`: the lines of a list
// field are one list (RFC 9110 section 5.3; Cookie's join with "; ", RFC 9113 section 8.2.3).
std::string joined_field(const boost::beast::http::fields& fields, std::string_view name,
                         std::string_view separator = ", ");

// The name of the first field of those a request may carry only once (RFC 9110 section 5.3;
// Host, RFC 9112 section 3.2) that `fields` holds more than once: Host, Authorization,
// Content-Type, Idempotency-Key, X-CSRF-Token. With two of one, whichever the server took, a
// proxy or a client library may have meant the other; so the request is refused, not guessed.
std::optional<std::string> repeated_singleton_field(const boost::beast::http::fields& fields);

// What is wrong with how a request says its body is sent, if anything, found from its header
// alone (before the body is read). Transfer-Encoding: only `chunked`, once (another coding is
// 501, as RFC 9112 section 6.1 asks, since its body would be read as if it were not coded; a
// list that does not end in chunked, or has it twice, leaves the body's length unknown: 400).
// Expect: only `100-continue` (417 otherwise, RFC 9110 section 10.1.1).
struct FramingProblem {
  boost::beast::http::status status;
  std::string code;
  core::Sentence message;
  std::string field;
};
std::optional<FramingProblem> framing_problem(const boost::beast::http::fields& fields);
// Whether the request asks for "100 Continue" before it sends its body.
bool expects_continue(const boost::beast::http::fields& fields);

struct Response {
  boost::beast::http::status status = boost::beast::http::status::ok;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is made by calling this just before the response is written, on the
  // connection's IO thread, and `body` is ignored. A write handler uses it so the writer thread
  // only stores and commits: the rendering happens after the commit, off the writer. It must own
  // (or point at data that outlives the response) everything it reads, and not touch the store.
  std::function<std::string()> render;
  // A page, a worker script or an API answer: it carries the policies a browser applies to a
  // document (Content-Security-Policy, framing, referrer, opener). False for a file a page
  // loads (a script, a style sheet, an image, data), on which browsers ignore them: it carries
  // only nosniff, Cross-Origin-Resource-Policy and its caching headers, some 350 bytes fewer on
  // each of the dozen files Home loads.
  bool document = true;
};

Response json_response(boost::beast::http::status status, const nlohmann::json& body);

using Handler = std::function<core::Result<Response>(const Request&, app::Context&)>;
// A handler that needs no journal: the server's own routes (the app's files, the token exchange).
using PlainHandler = std::function<Response(const Request&)>;

// Who may call a route. Deny by default: a route is open to callers without the access token
// only when it says so.
enum class Access {
  token,  // The access token (cookie, plus X-CSRF-Token for writes; or Authorization: Bearer).
  open,   // Anyone who can reach the server (e.g. the token exchange itself).
};

// What a route's request body may be. Browsers send text/plain and form bodies cross-site
// without asking first (no CORS preflight); application/json they cannot, so a route that reads
// a body takes JSON only, declared by its Content-Type.
enum class BodyType {
  json,         // application/json (an empty body needs no Content-Type).
  json_or_csv,  // application/json or text/csv (imports).
};

// One of `handler` (a use case over the journal) and `plain` (no journal) is set.
struct Route {
  boost::beast::http::verb method;
  std::string pattern;
  Handler handler;
  Access access = Access::token;
  BodyType body = BodyType::json;
  PlainHandler plain = nullptr;
  // A read of someone else's journal (clinic mode, "/api/v1/people/{person}/…"): the doors
  // admit it only for a specialist the person shares `scope` with (any scope when nothing),
  // and answer 404 otherwise (server/sharing.hpp).
  bool shared = false;
  std::optional<core::Scope> scope{};
  // A `plain` handler that keeps a CPU busy for long (hashing a password with argon2id): run
  // on the server's pool for slow work, not on an IO thread, which meanwhile serves others.
  bool off_io = false;
  // The query parameters an API route takes (docs/openapi.yaml lists the same): any other is
  // refused naming it (Server::Impl::respond), not ignored. Set with `taking`.
  std::vector<std::string> query{};
};

// `route`, taking the query parameters `names`.
Route taking(Route route, std::vector<std::string> names);

class Router {
 public:
  explicit Router(std::vector<Route> routes);

  struct Match {
    const Route* route = nullptr;  // Null when nothing matched.
    bool path_known = false;       // The path matched some route with another method.
    bool path_open = false;        // …and one of them is open (Access::open) to all.
    std::map<std::string, std::string> params;
  };
  // HEAD matches the GET route of the path.
  Match match(boost::beast::http::verb method, const std::string& path) const;

 private:
  struct Compiled {
    Route route;
    std::vector<std::string> segments;  // "{name}" matches any one non-empty segment.
  };
  std::vector<Compiled> routes_;
};

// A request target ("/api/v1/doses?from=today") in the one canonical form the server answers:
// an absolute path of non-empty segments ("/" alone is the root) made of unreserved URL
// characters, with no "." or ".." segment and no percent-escapes in the path (so "//api",
// "/./api", "/api/%2e%2e" or "api" never reach the router under another name), then an
// optional query. Anything else is invalid input naming "path". Percent-escapes in the query
// are decoded.
struct Target {
  std::string path;
  std::map<std::string, std::string> query;
};
core::Result<Target> parse_target(std::string_view target);

// "/a/b/c" → {"a", "b", "c"}. Expects a canonical path (see parse_target).
std::vector<std::string> split_path(const std::string& path);
// "a=1&b=x%20y" → {a: 1, b: "x y"}; '+' is a space. Each name at most once, and every name and
// value, decoded, UTF-8 text without control characters: otherwise invalid input naming the
// parameter (or "query", when its name is empty or not text). Before, a second one replaced
// the first, and a value that was not UTF-8 reached an error message that could not be written
// as JSON (a 500).
core::Result<std::map<std::string, std::string>> parse_query(const std::string& query);

}  // namespace mitra::server
