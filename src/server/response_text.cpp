#include "server/response_text.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "server/security.hpp"

namespace mitra::server {

namespace http = boost::beast::http;

namespace {

using Field = std::pair<std::string_view, std::string_view>;

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Adds a field after the last one of the same name, or at the end: the order Beast keeps.
void insert(std::vector<Field>& fields, std::string_view name, std::string_view value) {
  if (name.empty() || name.find_first_of("\r\n:") != std::string_view::npos ||
      value.find_first_of("\r\n") != std::string_view::npos) {
    throw std::invalid_argument("a response header has an empty name or a line break");
  }
  auto last = std::find_if(fields.rbegin(), fields.rend(),
                           [&](const Field& f) { return same_name(f.first, name); });
  fields.insert(last == fields.rend() ? fields.end() : last.base(), Field{name, value});
}

}  // namespace

std::string response_text(const Response& response, bool keep_alive, bool head) {
  const auto code = static_cast<unsigned>(response.status);
  // These statuses have no body and, as RFC 9110 asks, no Content-Length (Beast would write
  // "Content-Length: 0"; mitra sends none of them today).
  const bool bodiless = code < 200 || code == 204 || code == 304;
  if (bodiless && !response.body.empty()) {
    throw std::invalid_argument("a response with status " + std::to_string(code) +
                                " cannot have a body");
  }
  std::string out;
  out.reserve(768 + (head ? 0 : response.body.size()));
  out += "HTTP/1.1 ";
  out += std::to_string(code);
  out += ' ';
  const auto reason = http::obsolete_reason(response.status);
  out.append(reason.data(), reason.size());
  out += "\r\n";
  const std::string length = std::to_string(response.body.size());
  if (response.headers.empty() && response.document) {
    // Most responses: the fixed fields in their order, written without sorting anything out.
    static const std::string kSecurity = [] {
      std::string block;
      for (const auto& [name, value] : security_headers()) block += name + ": " + value + "\r\n";
      return block;
    }();
    if (response.content_type.find_first_of("\r\n") != std::string::npos) {
      throw std::invalid_argument("a response header has a line break");
    }
    out += "Server: mitra\r\nContent-Type: ";
    out += response.content_type;
    out += "\r\n";
    out += kSecurity;
    if (!keep_alive) out += "Connection: close\r\n";
    if (!bodiless) {
      out += "Content-Length: ";
      out += length;
      out += "\r\n";
    }
  } else {
    std::vector<Field> fields;
    fields.reserve(12 + response.headers.size());
    insert(fields, "Server", "mitra");
    insert(fields, "Content-Type", response.content_type);
    // A header the response sets itself (static files' Cache-Control) replaces the default.
    for (const auto& header : security_headers()) {
      const std::string_view name = header.first;  // Not a structured binding: clang 14 cannot
                                                   // capture those in the lambda below.
      if (!response.document && !acts_on_subresources(name)) continue;
      const bool own = std::any_of(response.headers.begin(), response.headers.end(),
                                   [&](const auto& h) { return same_name(h.first, name); });
      if (!own) insert(fields, name, header.second);
    }
    for (const auto& [name, value] : response.headers) insert(fields, name, value);
    if (!keep_alive) insert(fields, "Connection", "close");
    if (!bodiless) insert(fields, "Content-Length", length);
    for (const auto& [name, value] : fields) {
      out += name;
      out += ": ";
      out += value;
      out += "\r\n";
    }
  }
  out += "\r\n";
  if (!head) out += response.body;
  return out;
}

}  // namespace mitra::server
