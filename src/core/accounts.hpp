#pragma once
// The rules of clinic accounts (docs/clinic.md), pure: roles, usernames, passwords as NIST SP
// 800-63B asks (length and a blocklist of common passwords, no composition rules), how long a
// session and an invitation live, and when too many failed logins make a caller wait. Nothing
// here hashes, stores or reads a clock: the app does (app/clinic.hpp), with `now` given.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"

namespace mitra::core {

enum class Role { person, specialist, admin };

const char* to_string(Role role);
// "person", "specialist" or "admin"; anything else is invalid input naming `field`.
Result<Role> parse_role(std::string_view text, std::string_view field = "role");

// A username: 3 to 32 of a-z, 0-9, '_', '.', '-'. Refused otherwise, naming `field`.
Result<void> check_username(std::string_view username, std::string_view field = "username");

inline constexpr std::size_t kPasswordMinCharacters = 8;
inline constexpr std::size_t kPasswordMaxCharacters = 128;
// A password: 8 to 128 characters (Unicode code points of valid UTF-8), not one of the common
// passwords of data/passwords/common.txt (compared in lower case), and not the username. No
// rules on what kinds of characters it holds. The error names `password` and says why.
Result<void> check_password(std::string_view password, std::string_view username);
// Whether `password` is on the embedded list of common passwords.
bool is_common_password(std::string_view password);

// How long things live (docs/clinic.md, "Sessions").
inline constexpr std::chrono::hours kSessionIdle{12};          // Without a request.
inline constexpr std::chrono::hours kSessionLifetime{7 * 24};  // From sign-in, whatever happens.
inline constexpr std::chrono::hours kInviteLifetime{7 * 24};   // The default of `clinic invite`.
inline constexpr std::chrono::hours kInviteLifetimeMax{90 * 24};

// Whether a session made at `created` and last used at `last_seen` is still good at `now`.
bool session_alive(Instant created, Instant last_seen, Instant now);

// "7d", "12h", "30m": how long an invitation lasts, from 1 minute to 90 days. Invalid input
// naming `field` otherwise.
Result<std::chrono::seconds> parse_lifetime(std::string_view text,
                                            std::string_view field = "expires-in");

// Failed logins: at most kLoginFailures in kLoginWindow, counted per account and per address.
inline constexpr int kLoginFailures = 10;
inline constexpr std::chrono::minutes kLoginWindow{15};
// Failed logins of one account or one address within the window: how many, and the
// kLoginFailures-th newest of them (once it leaves the window, fewer than the limit remain).
struct LoginFailures {
  int count = 0;
  std::optional<Instant> limiting;
};
// How long the caller must wait before trying again (zero: it may try now): until the
// limiting failure leaves the window.
std::chrono::seconds login_wait(const LoginFailures& failures, Instant now);

}  // namespace mitra::core
