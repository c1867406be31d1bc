#pragma once
// The one place where typed errors become HTTP statuses and JSON error bodies:
// {"error": {"code", "message", "field"}}.

#include <string>

#include <boost/beast/http/status.hpp>

#include "core/error.hpp"
#include "core/language.hpp"
#include "server/router.hpp"

namespace mitra::server {

boost::beast::http::status http_status(core::ErrorKind kind);

// The error of a use case, with the status of its kind; its message in `language` (the
// request's: app::Context::language), its code and field as they are.
Response error_response(const core::Error& error, core::Language language = core::Language::en);
// An error the HTTP layer finds itself (size caps, authentication, routing, the writer's "could
// not be saved"): its message, a sentence, in `language` (the request's Accept-Language, or the
// saved setting where the caller knows it); `code` and `field` as they are, in any language.
Response error_response(boost::beast::http::status status, std::string code,
                        const core::Sentence& message, core::Language language,
                        std::string field = {});
// 404 for a path no route knows, and for one the caller may not know exists (clinic mode: a
// person who does not share with them).
Response nothing_at(const std::string& path, core::Language language);

}  // namespace mitra::server
