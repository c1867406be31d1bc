#pragma once
// Serves the embedded browser UI: "/" is index.html, "/app.js" is web/src/app.js, and so on.

#include <optional>
#include <string_view>
#include <vector>

#include "server/router.hpp"

namespace mitra::server {

// What a request says about the copies it can take.
struct StaticRequest {
  std::string_view accept_encoding;  // "gzip, br": a compressed copy is sent when accepted.
  std::string_view if_none_match;    // The browser's ETags: 304 when the file is unchanged.
};

// The file at `path` ("/", "/app.js") as a 200 response (or 304), with its ETag, or nullopt if
// there is none.
std::optional<Response> static_file(std::string_view path, const StaticRequest& request = {});

// GET /NAME for each embedded file (not "/": the server answers it, see Server::Impl), open to
// all: the files hold no one's data.
std::vector<Route> static_routes();

// "text/javascript; charset=utf-8" for "app.js", and so on; "application/octet-stream" if unknown.
std::string_view content_type_for(std::string_view path);

}  // namespace mitra::server
