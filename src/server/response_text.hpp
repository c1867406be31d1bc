#pragma once
// The bytes of an HTTP/1.1 response, written in one pass into one buffer: status line, the
// server's own headers (Server, Content-Type, the security headers), the response's extra
// headers, Connection: close when the connection ends after it, Content-Length, then the body.
// Byte for byte what Beast's serializer writes for the same message (tested against it; fields
// of one name kept together, as Beast keeps them), except that 1xx, 204 and 304 get no
// Content-Length, as RFC 9110 asks. At a fraction of the cost: building Beast's header list
// and walking its buffer sequences was a large part of answering a request.

#include <string>

#include "server/router.hpp"

namespace mitra::server {

// `head`: the answer to a HEAD request: GET's headers, Content-Length included, and no body.
// Throws std::invalid_argument on a header name or value that could split the response (CR,
// LF), or a body on a status that may not have one (1xx, 204, 304), as Beast does for the
// latter.
std::string response_text(const Response& response, bool keep_alive, bool head);

}  // namespace mitra::server
