#include "server/router.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace mitra::server {

namespace http = boost::beast::http;

Response json_response(http::status status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.body = body.dump();
  return response;
}

std::string_view Request::header(http::field name) const {
  if (!headers) return {};
  const auto value = (*headers)[name];
  return {value.data(), value.size()};
}

std::string_view Request::header(std::string_view name) const {
  if (!headers) return {};
  const auto value = (*headers)[boost::beast::string_view(name.data(), name.size())];
  return {value.data(), value.size()};
}

std::string Request::header_list(http::field name, std::string_view separator) const {
  if (!headers) return {};
  const auto text = http::to_string(name);
  return joined_field(*headers, std::string_view(text.data(), text.size()), separator);
}

std::string joined_field(const http::fields& fields, std::string_view name,
                         std::string_view separator) {
  std::string list;
  const auto range = fields.equal_range(boost::beast::string_view(name.data(), name.size()));
  for (auto it = range.first; it != range.second; ++it) {
    if (it != range.first) list += separator;
    list.append(it->value().data(), it->value().size());
  }
  return list;
}

std::optional<std::string> repeated_singleton_field(const http::fields& fields) {
  static constexpr std::string_view kSingletons[] = {"Host", "Authorization", "Content-Type",
                                                     "Idempotency-Key", "X-CSRF-Token"};
  for (const auto name : kSingletons) {
    if (fields.count(boost::beast::string_view(name.data(), name.size())) > 1) {
      return std::string(name);
    }
  }
  return std::nullopt;
}

namespace {

// The members of a list field, lower-cased, without the spaces around them.
std::vector<std::string> list_members(const http::fields& fields, std::string_view name) {
  std::vector<std::string> members;
  const std::string list = joined_field(fields, name, ",");
  for (std::size_t at = 0; at <= list.size();) {
    const auto comma = std::min(list.find(',', at), list.size());
    const std::string part = list.substr(at, comma - at);
    at = comma + 1;
    // Neither chunked nor 100-continue takes parameters: a member with one is another member.
    const auto first = part.find_first_not_of(" \t");
    std::string member = first == std::string::npos
                             ? ""
                             : part.substr(first, part.find_last_not_of(" \t") + 1 - first);
    for (auto& c : member) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!member.empty()) members.push_back(std::move(member));
  }
  return members;
}

}  // namespace

std::optional<FramingProblem> framing_problem(const http::fields& fields) {
  if (fields.count(http::field::transfer_encoding) > 0) {
    const auto codings = list_members(fields, "Transfer-Encoding");
    const auto chunked = std::count(codings.begin(), codings.end(), "chunked");
    if (codings.empty() || codings.back() != "chunked" || chunked > 1) {
      return FramingProblem{
          http::status::bad_request, "invalid_input",
          core::sentence("The body's length cannot be told: Transfer-Encoding must end with "
                         "chunked, once."),
          "Transfer-Encoding"};
    }
    if (codings.size() > 1) {
      return FramingProblem{
          http::status::not_implemented, "not_implemented",
          core::sentence("The body must be sent without a transfer coding other than chunked; "
                         "mitra does not read {coding}.",
                         {{"coding", codings.front()}}),
          "Transfer-Encoding"};
    }
  }
  if (fields.count(http::field::expect) > 0) {
    const auto expected = list_members(fields, "Expect");
    if (expected.size() != 1 || expected.front() != "100-continue") {
      return FramingProblem{
          http::status::expectation_failed, "expectation_failed",
          core::sentence("The only expectation mitra meets is Expect: 100-continue."), "Expect"};
    }
  }
  return std::nullopt;
}

bool expects_continue(const http::fields& fields) {
  const auto expected = list_members(fields, "Expect");
  return expected.size() == 1 && expected.front() == "100-continue";
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

core::Result<std::map<std::string, std::string>> parse_query(const std::string& query) {
  const auto text = [](const std::string& decoded) {
    return core::is_valid_utf8(decoded) && std::none_of(decoded.begin(), decoded.end(), [](char c) {
             return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
           });
  };
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      std::string name = percent_decode(pair.substr(0, eq));
      std::string value = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1));
      if (name.empty() || !text(name)) {
        return core::invalid("query", core::sentence("A parameter of the address has no name, or "
                                                     "a name that is not text; give each as "
                                                     "name=value."));
      }
      if (!text(value)) {
        return core::invalid(
            name, core::sentence("The parameter {name} is not text: it holds a byte that is not "
                                 "UTF-8, or a control character.",
                                 {{"name", name}}));
      }
      if (out.count(name) > 0) {
        return core::invalid(
            name, core::sentence("The parameter {name} is given more than once; give it once.",
                                 {{"name", name}}));
      }
      out.emplace(std::move(name), std::move(value));
    }
    start = end + 1;
  }
  return out;
}

Route taking(Route route, std::vector<std::string> names) {
  route.query = std::move(names);
  return route;
}

Router::Router(std::vector<Route> routes) {
  for (auto& r : routes) {
    auto segments = split_path(r.pattern);
    routes_.push_back(Compiled{std::move(r), std::move(segments)});
  }
}

namespace {

// RFC 3986's unreserved characters and the sub-delimiters a path may hold, less '%' (no
// escapes in a canonical path) and less ';' and ',' (not used by any route or file).
bool path_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '!' || c == '$' || c == '&' || c == '\'' ||
         c == '(' || c == ')' || c == '*' || c == '+' || c == '=' || c == ':' || c == '@';
}

}  // namespace

core::Result<Target> parse_target(std::string_view target) {
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  const auto refuse = [](core::Sentence reason) {
    return core::invalid("path", core::sentence("The address {reason}; mitra answers only plain "
                                                "paths such as /api/v1/doses.")
                                     .with("reason", std::move(reason)));
  };
  if (path.empty() || path.front() != '/') return refuse(core::sentence("must start with /"));
  if (path.size() > 1) {
    std::size_t start = 1;
    while (start <= path.size()) {
      auto end = path.find('/', start);
      if (end == std::string_view::npos) end = path.size();
      const auto segment = path.substr(start, end - start);
      if (segment.empty())
        return refuse(core::sentence("has an empty segment (// or a trailing /)"));
      if (segment == "." || segment == "..") return refuse(core::sentence("has a . or .. segment"));
      for (char c : segment) {
        if (c == '%') return refuse(core::sentence("has a percent-escape in its path"));
        if (!path_character(c))
          return refuse(core::sentence("has a character a path may not hold"));
      }
      start = end + 1;
    }
  }
  Target out;
  out.path = std::string(path);
  if (question != std::string_view::npos) {
    const auto query = target.substr(question + 1);
    for (char c : query) {
      if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '#') {
        return refuse(core::sentence("has a character a query may not hold"));
      }
    }
    auto parsed = parse_query(std::string(query));
    if (!parsed) return tl::unexpected(parsed.error());
    out.query = std::move(*parsed);
  }
  return out;
}

Router::Match Router::match(http::verb method, const std::string& path) const {
  // HEAD is answered by the GET route (the server sends its headers without the body).
  if (method == http::verb::head) method = http::verb::get;
  Match result;
  const auto segments = split_path(path);
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& want = route.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        params[want.substr(1, want.size() - 2)] = segments[i];
      } else {
        ok = want == segments[i];
      }
    }
    if (!ok) continue;
    if (route.route.method != method) {
      result.path_known = true;
      result.path_open = result.path_open || route.route.access == Access::open;
      continue;
    }
    result.route = &route.route;
    result.params = std::move(params);
    return result;
  }
  return result;
}

}  // namespace mitra::server
