#pragma once
// Local-mode security: random tokens, constant-time comparison, cookies, and the headers
// every response carries.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace mitra::server {

// 32 random bytes from the kernel (getrandom), as 64 hex digits.
std::string random_token();

// Compares `given` (from a request) with `secret` in time that depends only on the secret's
// length: neither where the first difference is nor whether the lengths differ shows.
bool same_token(std::string_view given, std::string_view secret);

// Empty when `token` looks like at least 128 bits of randomness (at least 32 characters, at
// least 10 different ones, and at least 96 bits by the entropy of its own character counts, which
// a random 32-digit hex token clears); otherwise why not, as a sentence.
core::Sentence weak_token_reason(std::string_view token);

// Whether a Host header names this server: an IP address literal (a DNS rebinding attack needs
// a name, never a literal) or "localhost", with `port` (a missing port is port 80), or one of
// `names` (`--allow-host`) with any port, or with the port the entry gives ("name:443"): behind
// a proxy the public port is the proxy's. Case does not matter in names.
bool host_allowed(std::string_view host, unsigned short port,
                  const std::vector<std::string>& names);

// Wrong credentials, counted per client address: each address may make `burst` wrong guesses,
// then one more every `refill` (so ~9,900 guesses a second on one connection become a few).
// While an address is over its allowance, its requests with credentials are refused unread.
// Thread-safe; remembers at most `max_addresses` addresses (the oldest go first).
class GuessLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  GuessLimiter(int burst = 20, Clock::duration refill = std::chrono::milliseconds(500),
               std::size_t max_addresses = 4096);
  // How long until `address` may guess again; zero when it may now.
  Clock::duration wait(const std::string& address, Clock::time_point now);
  // Counts one wrong guess from `address`.
  void wrong(const std::string& address, Clock::time_point now);

 private:
  struct Allowance {
    double left;
    Clock::time_point at;
  };
  void refill(Allowance& allowance, Clock::time_point now) const;
  int burst_;
  Clock::duration refill_;
  std::size_t max_addresses_;
  std::mutex mutex_;
  std::unordered_map<std::string, Allowance> allowances_;
};

// The Set-Cookie values of a signed-in browser: kSessionCookie = `session` (HttpOnly: no script
// reads it) and kCsrfCookie = `csrf` (read by the page, echoed in X-CSRF-Token on writes), both
// SameSite=Strict and Path=/, Secure when the client came over TLS (`secure`). With `max_age`
// the browser keeps them that long (0: forgets them now); without, until it closes.
std::vector<std::string> session_cookies(std::string_view session, std::string_view csrf,
                                         bool secure,
                                         std::optional<std::chrono::seconds> max_age = {});

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or empty.
std::string cookie_value(std::string_view header, std::string_view name);

// Who sent a request: their address (for the wrong-token limit and the access log), and
// whether the request reached mitra, or the proxy in front of it, over TLS.
struct Client {
  std::string address;
  bool secure = false;
};

// The client of a request that came over a connection from `peer` (TLS or not, `tls`). Only when
// `peer` is `proxy` (the address given with --behind-proxy; empty: none) are its forwarding
// headers believed, and then only their last entry, the one the proxy itself added:
// `forwarded_for` (every X-Forwarded-For value, joined by commas) names the client when it is an
// IP address, and `forwarded_proto` "https" means TLS. Anyone else's are ignored.
Client client_of(std::string_view peer, bool tls, std::string_view proxy,
                 std::string_view forwarded_for, std::string_view forwarded_proto);

// Whether `a` and `b` are the same IP address, an IPv4-mapped IPv6 address (::ffff:10.0.0.2, as
// a dual-stack socket reports an IPv4 peer) being its IPv4 address. False for a non-address.
bool same_address(std::string_view a, std::string_view b);

// Sent on every answer over TLS (directly, or as the trusted proxy reports): a year, no
// subdomains (mitra does not know what else runs under its name).
inline constexpr const char* kStrictTransportSecurity = "max-age=31536000";

inline constexpr const char* kSessionCookie = "mitra_session";
inline constexpr const char* kCsrfCookie = "mitra_csrf";

// Strict: nothing inline, nothing from elsewhere, no framing.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// Content-Security-Policy, nosniff, no-store, no referrer, no framing. No CORS headers.
const std::vector<std::pair<std::string, std::string>>& security_headers();

// Whether a header of security_headers() acts on a file a page loads (a script, a style sheet,
// data): nosniff, Cross-Origin-Resource-Policy and Cache-Control do; the document policies
// (CSP, framing, referrer, opener) act only on pages and workers (Response::document).
bool acts_on_subresources(std::string_view header);

}  // namespace mitra::server
