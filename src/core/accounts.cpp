#include "core/accounts.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <string>
#include <unordered_set>

#include "core/embedded.hpp"
#include "core/text.hpp"

namespace mitra::core {

namespace {

// Characters of valid UTF-8 text: every byte that does not continue a sequence starts one.
std::size_t characters(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// data/passwords/common.txt, lower-cased, read once.
const std::unordered_set<std::string>& common_passwords() {
  static const std::unordered_set<std::string> kCommon = [] {
    std::unordered_set<std::string> out;
    const auto text = data::find("passwords/common.txt").value_or("");
    std::size_t start = 0;
    while (start < text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      const auto line = trim(text.substr(start, end - start));
      if (!line.empty() && line.front() != '#') out.insert(ascii_lower(line));
      start = end + 1;
    }
    return out;
  }();
  return kCommon;
}

}  // namespace

const char* to_string(Role role) {
  switch (role) {
    case Role::person:
      return "person";
    case Role::specialist:
      return "specialist";
    case Role::admin:
      return "admin";
  }
  return "person";
}

Result<Role> parse_role(std::string_view text, std::string_view field) {
  for (const auto role : {Role::person, Role::specialist, Role::admin}) {
    if (text == to_string(role)) return role;
  }
  return invalid(std::string(field),
                 sentence("{field} must be person, specialist or admin, not \"{text}\".",
                          {{"field", std::string(field)}, {"text", std::string(text)}}));
}

Result<void> check_username(std::string_view username, std::string_view field) {
  const bool allowed = std::all_of(username.begin(), username.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
  if (username.size() < 3 || username.size() > 32 || !allowed) {
    return invalid(std::string(field),
                   sentence("{field} must be 3 to 32 characters of a-z, 0-9, underscore, dot or "
                            "hyphen (lower case, no spaces).",
                            {{"field", std::string(field)}}));
  }
  return {};
}

bool is_common_password(std::string_view password) {
  return common_passwords().contains(ascii_lower(password));
}

Result<void> check_password(std::string_view password, std::string_view username) {
  if (!is_valid_utf8(password)) {
    return invalid("password", sentence("password is not valid UTF-8 text."));
  }
  const auto length = characters(password);
  if (length < kPasswordMinCharacters) {
    return invalid("password", sentence("password must be at least 8 characters long; a few words "
                                        "together make a long one that is easy to remember."));
  }
  if (length > kPasswordMaxCharacters) {
    return invalid("password", sentence("password must be at most 128 characters long."));
  }
  if (is_common_password(password)) {
    return invalid("password", sentence("password is one of the most common passwords, which are "
                                        "guessed first; choose another."));
  }
  if (ascii_lower(password) == ascii_lower(username)) {
    return invalid("password", sentence("password must not be the username."));
  }
  return {};
}

bool session_alive(Instant created, Instant last_seen, Instant now) {
  return now < created + kSessionLifetime && now < last_seen + kSessionIdle;
}

Result<std::chrono::seconds> parse_lifetime(std::string_view text, std::string_view field) {
  const auto refuse = [&] {
    return invalid(std::string(field),
                   sentence("{field} must be a number with m, h or d (30m, 12h, 7d), from 1 minute "
                            "to 90 days, not \"{text}\".",
                            {{"field", std::string(field)}, {"text", std::string(text)}}));
  };
  if (text.size() < 2) return refuse();
  long long count = 0;
  const auto* end = text.data() + text.size() - 1;
  const auto [at, error] = std::from_chars(text.data(), end, count);
  if (error != std::errc() || at != end || count < 1) return refuse();
  std::chrono::seconds unit{0};
  switch (text.back()) {
    case 'm':
      unit = std::chrono::minutes{1};
      break;
    case 'h':
      unit = std::chrono::hours{1};
      break;
    case 'd':
      unit = std::chrono::hours{24};
      break;
    default:
      return refuse();
  }
  if (count > std::chrono::seconds(kInviteLifetimeMax).count() / unit.count()) return refuse();
  return unit * count;
}

std::chrono::seconds login_wait(const LoginFailures& failures, Instant now) {
  if (failures.count < kLoginFailures || !failures.limiting) return std::chrono::seconds{0};
  const auto until = *failures.limiting + kLoginWindow;
  return until > now ? std::chrono::duration_cast<std::chrono::seconds>(until - now)
                     : std::chrono::seconds{0};
}

}  // namespace mitra::core
