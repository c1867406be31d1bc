#pragma once
// Serves the embedded browser UI: "/" is index.html, "/app.js" is web/src/app.js, and so on.

#include <optional>
#include <string_view>

#include "server/router.hpp"

namespace mitra::server {

// The file at `path` ("/", "/app.js") as a 200 response, or nullopt if there is none.
std::optional<Response> static_file(std::string_view path);

// "text/javascript; charset=utf-8" for "app.js", and so on; "application/octet-stream" if unknown.
std::string_view content_type_for(std::string_view path);

}  // namespace mitra::server
