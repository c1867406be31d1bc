#pragma once
// Requests and responses as the API handlers see them, and the router: one table of
// method + path pattern ("/api/v1/doses/{id}") → handler.

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include "app/context.hpp"

namespace mitra::server {

struct Request {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string path;                           // Without the query string.
  std::map<std::string, std::string> query;   // Percent-decoded.
  std::map<std::string, std::string> params;  // From the path pattern.
  std::string body;
  std::string idempotency_key;  // The Idempotency-Key header, or empty.
};

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
};

Response json_response(boost::beast::http::status status, const nlohmann::json& body);

using Handler = std::function<core::Result<Response>(const Request&, app::Context&)>;

struct Route {
  boost::beast::http::verb method;
  std::string pattern;
  Handler handler;
};

class Router {
 public:
  explicit Router(std::vector<Route> routes);

  struct Match {
    const Handler* handler = nullptr;  // Null when nothing matched.
    bool path_known = false;           // The path matched some route with another method.
    std::map<std::string, std::string> params;
  };
  // HEAD matches the GET route of the path.
  Match match(boost::beast::http::verb method, const std::string& path) const;

 private:
  struct Compiled {
    boost::beast::http::verb method;
    std::vector<std::string> segments;  // "{name}" matches any one non-empty segment.
    Handler handler;
  };
  std::vector<Compiled> routes_;
};

// "/a/b/c" → {"a", "b", "c"}.
std::vector<std::string> split_path(const std::string& path);
// "a=1&b=x%20y" → {a: 1, b: "x y"}; '+' is a space.
std::map<std::string, std::string> parse_query(const std::string& query);

}  // namespace mitra::server
