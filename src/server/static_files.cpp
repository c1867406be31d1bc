#include "server/static_files.hpp"

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "server/web_assets.hpp"

namespace mitra::server {

std::string_view content_type_for(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (path.size() >= extension.size() && path.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

std::optional<Response> static_file(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::string_view name = path.substr(1);
  if (name.empty()) name = "index.html";
  // Embedded names never contain "..", so a lookup cannot escape the table.
  const auto content = web::find(name);
  if (!content) return std::nullopt;
  Response response;
  response.body = std::string(*content);
  // For working on the UI: MITRA_WEB_DIR=web/src serves the same files from disk, so an edit
  // shows on reload without a rebuild. Only names that are embedded are read.
  if (const char* dir = std::getenv("MITRA_WEB_DIR"); dir && *dir) {
    std::ifstream file(std::string(dir) + "/" + std::string(name), std::ios::binary);
    if (file) {
      std::ostringstream text;
      text << file.rdbuf();
      response.body = text.str();
    }
  }
  response.content_type = std::string(content_type_for(name));
  // The service worker controls the whole app from "/".
  if (name == "sw.js") response.headers.emplace_back("Service-Worker-Allowed", "/");
  return response;
}

}  // namespace mitra::server
