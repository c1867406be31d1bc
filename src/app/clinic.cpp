#include "app/clinic.hpp"

#include <algorithm>
#include <utility>

#include "formats/secrets.hpp"

namespace mitra::app {

namespace {

using core::Instant;

// Random bytes in an invitation code (128 bits: never guessed) and a session token (256 bits).
constexpr std::size_t kInviteBytes = 16;
constexpr std::size_t kSessionBytes = 32;
// A session's last use is written at most this often: each request reads the session, and
// writing it back every time would double the work for no gain in precision that matters.
constexpr std::chrono::minutes kTouchEvery{1};

std::string account_key(std::string_view username) { return "account:" + std::string(username); }
std::string address_key(const std::string& address) { return "address:" + address; }

// A password hash to check a password against when the username is unknown, so that a wrong
// username takes as long as a wrong password and does not tell which names exist.
const std::string& stand_in_hash() {
  static const std::string kHash =
      formats::hash_password("mitra: no such account, checked for its timing").value_or("");
  return kHash;
}

}  // namespace

Result<Invitation> invite(store::ClinicRecords& clinic, std::string_view role,
                          std::string_view expires_in, Instant now) {
  auto parsed_role = core::parse_role(role, "role");
  if (!parsed_role) return tl::unexpected(parsed_role.error());
  std::chrono::seconds lifetime = core::kInviteLifetime;
  if (!expires_in.empty()) {
    auto parsed = core::parse_lifetime(expires_in, "expires-in");
    if (!parsed) return tl::unexpected(parsed.error());
    lifetime = *parsed;
  }
  auto code = formats::random_hex(kInviteBytes);
  if (!code) return tl::unexpected(code.error());
  Invitation invitation{*code, *parsed_role, now + lifetime};
  if (auto kept = clinic.add_invite(formats::secret_digest(invitation.code), invitation.role, now,
                                    invitation.expires_at);
      !kept) {
    return tl::unexpected(kept.error());
  }
  return invitation;
}

Result<store::Account> sign_up(store::ClinicRecords& clinic, const SignUpRequest& request,
                               Instant now) {
  if (auto checked = core::check_username(request.username); !checked) {
    return tl::unexpected(checked.error());
  }
  if (auto checked = core::check_password(request.password, request.username); !checked) {
    return tl::unexpected(checked.error());
  }
  auto hash = formats::hash_password(request.password);
  if (!hash) return tl::unexpected(hash.error());
  return clinic.sign_up(formats::secret_digest(request.invite), request.username, *hash, now);
}

Result<LogInOutcome> log_in(store::ClinicRecords& clinic, const LogInRequest& request,
                            const std::string& address, Instant now) {
  const auto since = now - core::kLoginWindow;
  std::chrono::seconds wait{0};
  for (const auto& key : {account_key(request.username), address_key(address)}) {
    auto failures = clinic.login_failures(key, since);
    if (!failures) return tl::unexpected(failures.error());
    wait = std::max(wait, core::login_wait(*failures, now));
  }
  if (wait > wait.zero()) return LogInOutcome{LogInOutcome::Kind::wait, std::nullopt, wait};
  auto account = clinic.find_account(request.username);
  if (!account) return tl::unexpected(account.error());
  const bool right =
      formats::password_matches(*account ? (*account)->password_hash : stand_in_hash(),
                                request.password) &&
      account->has_value();
  if (!right) {
    if (auto counted =
            clinic.add_login_failure(account_key(request.username), address_key(address), now);
        !counted) {
      return tl::unexpected(counted.error());
    }
    return LogInOutcome{};
  }
  if (auto forgotten = clinic.forget_login_failures(account_key(request.username)); !forgotten) {
    return tl::unexpected(forgotten.error());
  }
  auto token = formats::random_hex(kSessionBytes);
  if (!token) return tl::unexpected(token.error());
  if (auto kept = clinic.add_session(formats::secret_digest(*token), (*account)->id, now); !kept) {
    return tl::unexpected(kept.error());
  }
  LogInOutcome outcome;
  outcome.kind = LogInOutcome::Kind::signed_in;
  outcome.session = NewSession{*token, csrf_token_for(*token), std::move(**account)};
  return outcome;
}

Result<std::optional<store::Account>> session_account(store::ClinicRecords& clinic,
                                                      std::string_view token, Instant now) {
  const auto digest = formats::secret_digest(token);
  auto session = clinic.find_session(digest);
  if (!session) return tl::unexpected(session.error());
  if (!*session || (*session)->revoked ||
      !core::session_alive((*session)->created_at, (*session)->last_seen_at, now)) {
    return std::optional<store::Account>{};
  }
  if (now - (*session)->last_seen_at >= kTouchEvery) {
    if (auto touched = clinic.touch_session(digest, now); !touched) {
      return tl::unexpected(touched.error());
    }
  }
  return std::optional<store::Account>{std::move((*session)->account)};
}

std::string csrf_token_for(std::string_view session_token) {
  return formats::secret_digest("mitra csrf token of session " + std::string(session_token));
}

Result<void> log_out(store::ClinicRecords& clinic, std::string_view token, Instant now) {
  return clinic.end_session(formats::secret_digest(token), now);
}

Result<int> revoke_sessions(store::ClinicRecords& clinic, std::string_view username, Instant now) {
  return clinic.end_sessions_of(std::string(username), now);
}

}  // namespace mitra::app
