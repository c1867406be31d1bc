#include "server/static_files.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
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

namespace {

// A strong validator for each embedded file: FNV-1a over its bytes, computed once.
std::string entity_tag(std::string_view content) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const unsigned char c : content) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string tag = "\"";
  for (int shift = 60; shift >= 0; shift -= 4) tag += kHex[(hash >> shift) & 0xF];
  tag += '"';
  return tag;
}

const std::map<std::string_view, std::string, std::less<>>& entity_tags() {
  static const auto kTags = [] {
    std::map<std::string_view, std::string, std::less<>> tags;
    for (const auto name : web::list()) tags.emplace(name, entity_tag(*web::find(name)));
    return tags;
  }();
  return kTags;
}

// Whether `accept_encoding` ("gzip, deflate, br;q=0.9") accepts `coding` with a q above 0.
bool accepts(std::string_view accept_encoding, std::string_view coding) {
  std::size_t start = 0;
  while (start <= accept_encoding.size()) {
    auto end = accept_encoding.find(',', start);
    if (end == std::string_view::npos) end = accept_encoding.size();
    auto item = accept_encoding.substr(start, end - start);
    start = end + 1;
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    const auto semicolon = item.find(';');
    auto name = item.substr(0, semicolon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    if (name != coding) continue;
    if (semicolon == std::string_view::npos) return true;
    auto parameter = item.substr(semicolon + 1);
    while (!parameter.empty() && parameter.front() == ' ') parameter.remove_prefix(1);
    // "q=0", "q=0.0", "q=0.000": refused; any other weight accepts.
    if (parameter.rfind("q=", 0) == 0) {
      const auto weight = parameter.substr(2);
      return weight.find_first_not_of("0.") != std::string_view::npos;
    }
    return true;
  }
  return false;
}

// Whether an If-None-Match list ("\"a\", \"b\"" or "*") holds `tag` (weak comparison).
bool matches(std::string_view if_none_match, std::string_view tag) {
  if (if_none_match.find('*') != std::string_view::npos) return true;
  std::size_t at = 0;
  while ((at = if_none_match.find(tag, at)) != std::string_view::npos) {
    const auto before = at == 0 ? ' ' : if_none_match[at - 1];
    if (before == ' ' || before == ',' || before == '/') return true;  // "W/" prefixes too.
    at += tag.size();
  }
  return false;
}

// MITRA_WEB_DIR, read once: for working on the UI, the files come from that folder.
const std::string& web_dir() {
  static const std::string kDir = [] {
    const char* dir = std::getenv("MITRA_WEB_DIR");
    return std::string(dir ? dir : "");
  }();
  return kDir;
}

}  // namespace

std::vector<Route> static_routes() {
  std::vector<Route> routes;
  for (const auto name : web::list()) {
    routes.push_back(Route{boost::beast::http::verb::get, "/" + std::string(name), nullptr,
                           Access::open, BodyType::json, [](const Request& request) {
                             return *static_file(
                                 request.path,
                                 {request.header_list(boost::beast::http::field::accept_encoding),
                                  request.header_list(boost::beast::http::field::if_none_match)});
                           }});
  }
  return routes;
}

std::optional<Response> static_file(std::string_view path, const StaticRequest& request) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::string_view name = path.substr(1);
  if (name.empty()) name = "index.html";
  // Embedded names never contain "..", so a lookup cannot escape the table.
  const auto content = web::find(name);
  if (!content) return std::nullopt;
  Response response;
  response.content_type = std::string(content_type_for(name));
  // The page and the service worker (a worker's policy is its script's response's); every
  // other file is loaded by them.
  response.document = name == "index.html" || name == "sw.js";
  // The service worker controls the whole app from "/".
  if (name == "sw.js") response.headers.emplace_back("Service-Worker-Allowed", "/");
  // For working on the UI: MITRA_WEB_DIR=web/src serves the same files from disk, so an edit
  // shows on reload without a rebuild. Only names that are embedded are read; nothing is cached.
  if (!web_dir().empty()) {
    response.body = std::string(*content);
    std::ifstream file(web_dir() + "/" + std::string(name), std::ios::binary);
    if (file) {
      std::ostringstream text;
      text << file.rdbuf();
      response.body = text.str();
    }
    return response;
  }
  // The files hold no one's data: browsers may keep them, asking each time whether they
  // changed (a 304 costs a few bytes). A new mitra changes the tags.
  response.headers.emplace_back("Cache-Control", "no-cache");
  std::string_view body = *content;
  std::string tag = entity_tags().find(name)->second;
  std::string_view used;  // The content coding sent, if any.
  for (const std::string_view coding : {"br", "gzip"}) {
    if (!accepts(request.accept_encoding, coding)) continue;
    const auto encoded = web::encoded::find(std::string(name) + (coding == "br" ? ".br" : ".gz"));
    if (!encoded) continue;
    body = *encoded;
    used = coding;
    tag.insert(tag.size() - 1, "-" + std::string(coding));
    break;
  }
  if (web::encoded::find(std::string(name) + ".gz")) {
    response.headers.emplace_back("Vary", "Accept-Encoding");
  }
  response.headers.emplace_back("ETag", tag);
  if (!request.if_none_match.empty() && matches(request.if_none_match, tag)) {
    response.status = boost::beast::http::status::not_modified;
    return response;
  }
  if (!used.empty()) response.headers.emplace_back("Content-Encoding", std::string(used));
  response.body = std::string(body);
  return response;
}

}  // namespace mitra::server
