#include "server/security.hpp"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <optional>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>

namespace mitra::server {

std::string random_token() {
  std::array<unsigned char, 32> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const auto got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("The kernel gave no random bytes for the access token.");
    }
    filled += static_cast<std::size_t>(got);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0F];
  }
  return out;
}

bool same_token(std::string_view given, std::string_view secret) {
  // Every byte of the secret is compared, whatever was given; a length difference counts as a
  // difference without ending the loop early.
  std::size_t difference = given.size() ^ secret.size();
  for (std::size_t i = 0; i < secret.size(); ++i) {
    const auto g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0U;
    difference |= g ^ static_cast<unsigned char>(secret[i]);
  }
  return difference == 0 && !secret.empty();
}

core::Sentence weak_token_reason(std::string_view token) {
  // The command is a value: it is typed as it is in every language.
  static constexpr const char* kCommand = "head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n'";
  if (token.size() < 32) {
    return core::sentence(
        "MITRA_TOKEN must hold at least 32 characters (it holds {count}). Unset "
        "it for a random token, or make one with: {command}",
        {{"count", std::to_string(token.size())}, {"command", kCommand}});
  }
  std::array<std::size_t, 256> counts{};
  for (char c : token) ++counts[static_cast<unsigned char>(c)];
  std::size_t distinct = 0;
  double bits = 0;
  const auto n = static_cast<double>(token.size());
  for (auto count : counts) {
    if (count == 0) continue;
    ++distinct;
    const double p = static_cast<double>(count) / n;
    bits -= static_cast<double>(count) * std::log2(p);
  }
  if (distinct < 10 || bits < 96) {
    return core::sentence(
        "MITRA_TOKEN does not look random (too few different characters, or too "
        "many repeats); it must be at least 128 bits of random input. Unset it "
        "for a random token, or make one with: {command}",
        {{"command", kCommand}});
  }
  return {};
}

bool host_allowed(std::string_view host, unsigned short port,
                  const std::vector<std::string>& names) {
  std::string_view name = host;
  std::string_view port_text;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    name = host.substr(0, close + 1);
    const auto rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port_text = rest.substr(1);
    }
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    name = host.substr(0, colon);
    port_text = host.substr(colon + 1);
  }
  unsigned given_port = 80;
  if (!port_text.empty() || host.find(':') != std::string_view::npos) {
    if (port_text.empty() || port_text.size() > 5) return false;
    given_port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return false;
      given_port = given_port * 10 + static_cast<unsigned>(c - '0');
    }
  }
  if (name.empty()) return false;
  const auto lowered = [](std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string lower = lowered(name);
  // A name the operator gave stands for any port (the public one of a proxy in front: 443, or
  // none at all), unless given with one: a rebinding page cannot make a browser send it.
  for (const auto& allowed : names) {
    const auto colon = allowed.rfind(':');
    const bool with_port = colon != std::string::npos && allowed.find(']') == std::string::npos;
    if (!with_port && lowered(allowed) == lower) return true;
    if (with_port && lowered(std::string_view(allowed).substr(0, colon)) == lower &&
        allowed.substr(colon + 1) == std::to_string(given_port)) {
      return true;
    }
  }
  if (given_port != port) return false;
  if (lower == "localhost") return true;
  // An IP literal: a.b.c.d, or [v6].
  boost::system::error_code ec;
  if (lower.front() == '[' && lower.back() == ']') {
    boost::asio::ip::make_address_v6(lower.substr(1, lower.size() - 2), ec);
    return !ec;
  }
  boost::asio::ip::make_address_v4(lower, ec);
  return !ec;
}

GuessLimiter::GuessLimiter(int burst, Clock::duration refill, std::size_t max_addresses)
    : burst_(burst), refill_(refill), max_addresses_(max_addresses) {}

void GuessLimiter::refill(Allowance& allowance, Clock::time_point now) const {
  if (now <= allowance.at) return;
  const double earned = std::chrono::duration<double>(now - allowance.at).count() /
                        std::chrono::duration<double>(refill_).count();
  allowance.left = std::min(static_cast<double>(burst_), allowance.left + earned);
  allowance.at = now;
}

GuessLimiter::Clock::duration GuessLimiter::wait(const std::string& address,
                                                 Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  const auto it = allowances_.find(address);
  if (it == allowances_.end()) return Clock::duration::zero();
  refill(it->second, now);
  if (it->second.left >= 1) return Clock::duration::zero();
  const double missing = 1 - it->second.left;
  return std::chrono::duration_cast<Clock::duration>(missing * refill_);
}

void GuessLimiter::wrong(const std::string& address, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  auto it = allowances_.find(address);
  if (it == allowances_.end()) {
    if (allowances_.size() >= max_addresses_) {
      // Forget the address seen longest ago.
      auto oldest = allowances_.begin();
      for (auto i = allowances_.begin(); i != allowances_.end(); ++i) {
        if (i->second.at < oldest->second.at) oldest = i;
      }
      allowances_.erase(oldest);
    }
    it = allowances_.emplace(address, Allowance{static_cast<double>(burst_), now}).first;
  }
  refill(it->second, now);
  it->second.left = std::max(0.0, it->second.left - 1);
}

std::vector<std::string> session_cookies(std::string_view session, std::string_view csrf,
                                         bool secure, std::optional<std::chrono::seconds> max_age) {
  // Over TLS (directly or at the proxy) the cookies never go out over plain HTTP.
  std::string tail = secure ? "; SameSite=Strict; Secure" : "; SameSite=Strict";
  if (max_age) tail += "; Max-Age=" + std::to_string(max_age->count());
  return {std::string(kSessionCookie) + "=" + std::string(session) + "; Path=/; HttpOnly" + tail,
          std::string(kCsrfCookie) + "=" + std::string(csrf) + "; Path=/" + tail};
}

std::string cookie_value(std::string_view header, std::string_view name) {
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(';', start);
    if (end == std::string_view::npos) end = header.size();
    auto pair = header.substr(start, end - start);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    start = end + 1;
  }
  return {};
}

const std::vector<std::pair<std::string, std::string>>& security_headers() {
  static const std::vector<std::pair<std::string, std::string>> kHeaders{
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
  };
  return kHeaders;
}

bool acts_on_subresources(std::string_view header) {
  return header == "X-Content-Type-Options" || header == "Cross-Origin-Resource-Policy" ||
         header == "Cache-Control";
}

namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The entry after the last comma: what the nearest proxy added.
std::string_view last_entry(std::string_view list) {
  const auto comma = list.rfind(',');
  return trimmed(comma == std::string_view::npos ? list : list.substr(comma + 1));
}

std::optional<boost::asio::ip::address> address_of(std::string_view text) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::address(
        boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6()));
  }
  return address;
}

}  // namespace

bool same_address(std::string_view a, std::string_view b) {
  const auto first = address_of(a);
  const auto second = address_of(b);
  return first && second && *first == *second;
}

Client client_of(std::string_view peer, bool tls, std::string_view proxy,
                 std::string_view forwarded_for, std::string_view forwarded_proto) {
  Client client{std::string(peer), tls};
  if (proxy.empty() || !same_address(peer, proxy)) return client;
  if (const auto named = address_of(last_entry(forwarded_for))) client.address = named->to_string();
  std::string proto(last_entry(forwarded_proto));
  for (auto& c : proto) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (proto == "https") client.secure = true;
  return client;
}

}  // namespace mitra::server
