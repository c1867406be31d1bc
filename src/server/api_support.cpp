#include "server/api_support.hpp"

#include <charconv>

#include "core/strict_json.hpp"

namespace mitra::server::detail {

namespace http = boost::beast::http;
using core::Result;
using nlohmann::json;

Result<json> body_object(const Request& request) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return core::invalid("body", core::sentence("The request body is empty; send a JSON object."));
  }
  return core::parse_json_object(request.body, "body");
}

Result<json> body_object(const Request& request, std::initializer_list<std::string_view> known) {
  auto body = body_object(request);
  if (!body) return body;
  if (auto checked = core::only_keys(*body, known); !checked)
    return tl::unexpected(checked.error());
  return body;
}

Result<json> optional_body(const Request& request, std::initializer_list<std::string_view> known) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  return body_object(request, known);
}

Result<std::optional<std::string>> optional_string(const json& body, const std::string& key) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) {
    return core::invalid(key, core::sentence("{field} must be a JSON string.", {{"field", key}}));
  }
  return std::optional<std::string>{it->get<std::string>()};
}

Result<std::string> string_or_empty(const json& body, const std::string& key) {
  auto value = optional_string(body, key);
  if (!value) return tl::unexpected(value.error());
  return value->value_or("");
}

Result<std::string> required_string(const json& body, const std::string& key,
                                    const std::string& example) {
  // Not marked for translation: a value as sent is the same in every language.
  return required_string(body, key, core::Sentence{"{value}", {{"value", example, nullptr}}});
}

Result<std::string> required_string(const json& body, const std::string& key,
                                    const core::Sentence& example) {
  auto value = optional_string(body, key);
  if (!value) return tl::unexpected(value.error());
  if (!*value || (*value)->empty()) {
    return core::invalid(key,
                         core::sentence("{field} is required, e.g. {example}.", {{"field", key}})
                             .with("example", example));
  }
  return **value;
}

Result<std::optional<std::vector<std::string>>> optional_strings(const json& body,
                                                                 const std::string& key) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::optional<std::vector<std::string>>{};
  const auto not_strings = [&key] {
    return core::invalid(
        key, core::sentence("{field} must be a JSON array of strings.", {{"field", key}}));
  };
  if (!it->is_array()) return not_strings();
  std::vector<std::string> out;
  for (const auto& item : *it) {
    if (!item.is_string()) return not_strings();
    out.push_back(item.get<std::string>());
  }
  return std::optional<std::vector<std::string>>{std::move(out)};
}

std::string query_or(const Request& request, const std::string& key, std::string fallback) {
  const auto it = request.query.find(key);
  return it == request.query.end() ? fallback : it->second;
}

Result<int> query_int(const Request& request, const std::string& key, int fallback, int min,
                      int max) {
  const auto it = request.query.find(key);
  if (it == request.query.end()) return fallback;
  const std::string& text = it->second;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < min ||
      value > max) {
    return core::invalid(
        key, core::sentence(
                 "{field} must be a whole number from {min} to {max}.",
                 {{"field", key}, {"min", std::to_string(min)}, {"max", std::to_string(max)}}));
  }
  return value;
}

Response created(const json& body) { return json_response(http::status::created, body); }
Response ok(const json& body) { return json_response(http::status::ok, body); }

}  // namespace mitra::server::detail
