#include "server/http_errors.hpp"

#include <nlohmann/json.hpp>

#include "core/translate.hpp"

namespace mitra::server {

namespace http = boost::beast::http;

http::status http_status(core::ErrorKind kind) {
  switch (kind) {
    case core::ErrorKind::invalid_input:
      return http::status::bad_request;
    case core::ErrorKind::not_found:
      return http::status::not_found;
    case core::ErrorKind::conflict:
      return http::status::conflict;
    case core::ErrorKind::forbidden:
      return http::status::forbidden;
    case core::ErrorKind::unavailable:
      return http::status::service_unavailable;
    case core::ErrorKind::unprocessable:
      return http::status::unprocessable_entity;
    case core::ErrorKind::internal:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

namespace {

Response error_body(http::status status, std::string code, std::string message, std::string field) {
  const nlohmann::json body{
      {"error",
       {{"code", std::move(code)},
        {"message", std::move(message)},
        {"field", field.empty() ? nlohmann::json(nullptr) : nlohmann::json(std::move(field))}}}};
  return json_response(status, body);
}

}  // namespace

Response error_response(const core::Error& error, core::Language language) {
  return error_body(http_status(error.kind), core::to_string(error.kind),
                    core::message_in(error, language), error.field);
}

Response error_response(http::status status, std::string code, const core::Sentence& message,
                        core::Language language, std::string field) {
  return error_body(status, std::move(code), core::fill_sentence(message, language),
                    std::move(field));
}

Response nothing_at(const std::string& path, core::Language language) {
  return error_response(http::status::not_found, "not_found",
                        core::sentence("There is nothing at {path}.", {{"path", path}}), language);
}

}  // namespace mitra::server
