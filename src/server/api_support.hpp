#pragma once
// Helpers the /api/v1 handlers share: reading the shape of JSON bodies and query strings, and
// building responses. What values mean is the use cases' job, not these helpers'.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/router.hpp"

namespace mitra::server::detail {

// The body as a JSON object whose keys are all in `known`; anything else (not JSON, not an
// object, a key given twice, a key no handler reads) is invalid input naming the field.
core::Result<nlohmann::json> body_object(const Request& request,
                                         std::initializer_list<std::string_view> known);
// The same for a body that the use case checks key by key itself (the profile).
core::Result<nlohmann::json> body_object(const Request& request);
// As body_object(request, known), and an empty body is {}.
core::Result<nlohmann::json> optional_body(const Request& request,
                                           std::initializer_list<std::string_view> known);

// body[key] as a string; absent or null gives nullopt, another type is invalid input naming key.
core::Result<std::optional<std::string>> optional_string(const nlohmann::json& body,
                                                         const std::string& key);
core::Result<std::string> string_or_empty(const nlohmann::json& body, const std::string& key);
// Absent, null or empty is invalid input naming key, with `example` in the message: a value as
// sent (`"alex"`), or a sentence, translated with the message ("your password").
core::Result<std::string> required_string(const nlohmann::json& body, const std::string& key,
                                          const std::string& example);
core::Result<std::string> required_string(const nlohmann::json& body, const std::string& key,
                                          const core::Sentence& example);
core::Result<std::optional<std::vector<std::string>>> optional_strings(const nlohmann::json& body,
                                                                       const std::string& key);

std::string query_or(const Request& request, const std::string& key, std::string fallback);
// The query parameter `key` as a whole number from `min` to `max`, or `fallback` when absent.
core::Result<int> query_int(const Request& request, const std::string& key, int fallback, int min,
                            int max);

Response created(const nlohmann::json& body);
Response ok(const nlohmann::json& body);

template <typename T>
core::Result<Response> fail_with(const core::Result<T>& result) {
  return tl::unexpected(result.error());
}

// The routes of each resource group, in the files named after them.
std::vector<Route> form_routes();      // api_forms.cpp: instruments, check-in history, help.
std::vector<Route> settings_routes();  // api_settings.cpp: settings, profile, products.
std::vector<Route> plan_routes();      // api_plans.cpp: hold, resume, adjust, today, status.

}  // namespace mitra::server::detail
