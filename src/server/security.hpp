#pragma once
// Local-mode security: random tokens, constant-time comparison, cookies, and the headers
// every response carries.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mitra::server {

// 32 random bytes from the kernel (getrandom), as 64 hex digits.
std::string random_token();

// Compares without leaking where the first difference is.
bool same_token(std::string_view a, std::string_view b);

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or empty.
std::string cookie_value(std::string_view header, std::string_view name);

inline constexpr const char* kSessionCookie = "mitra_session";
inline constexpr const char* kCsrfCookie = "mitra_csrf";

// Strict: nothing inline, nothing from elsewhere, no framing.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// Content-Security-Policy, nosniff, no-store, no referrer, no framing. No CORS headers.
const std::vector<std::pair<std::string, std::string>>& security_headers();

}  // namespace mitra::server
