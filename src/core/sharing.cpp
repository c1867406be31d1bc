#include "core/sharing.hpp"

#include <array>
#include <utility>

namespace mitra::core {

namespace {

constexpr std::array<std::pair<Scope, const char*>, 6> kScopeNames{{
    {Scope::pattern, "pattern"},
    {Scope::journal, "journal"},
    {Scope::checkins, "checkins"},
    {Scope::reflections, "reflections"},
    {Scope::plan, "plan"},
    {Scope::safety, "safety"},
}};

std::string accepted() {
  std::string list;
  for (const auto& [scope, name] : kScopeNames) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

}  // namespace

const char* to_string(Scope scope) {
  for (const auto& [known, name] : kScopeNames) {
    if (known == scope) return name;
  }
  return "pattern";
}

const std::vector<Scope>& all_scope_list() {
  static const std::vector<Scope> list = [] {
    std::vector<Scope> scopes;
    for (const auto& [scope, name] : kScopeNames) scopes.push_back(scope);
    return scopes;
  }();
  return list;
}

Scopes all_scopes() {
  const auto& list = all_scope_list();
  return {list.begin(), list.end()};
}

Result<Scope> parse_scope(std::string_view text, std::string_view field) {
  for (const auto& [scope, name] : kScopeNames) {
    if (text == name) return scope;
  }
  return invalid(std::string(field),
                 sentence("{field} may hold {accepted}, not \"{value}\".",
                          {{"field", field}, {"accepted", accepted()}, {"value", text}}));
}

Result<Scopes> parse_scopes(const std::vector<std::string>& texts, std::string_view field) {
  if (texts.empty()) {
    return invalid(std::string(field), sentence("{field} must name at least one of {accepted}.",
                                                {{"field", field}, {"accepted", accepted()}}));
  }
  Scopes scopes;
  for (const auto& text : texts) {
    auto scope = parse_scope(text, field);
    if (!scope) return tl::unexpected(scope.error());
    if (!scopes.insert(*scope).second) {
      return invalid(std::string(field),
                     sentence("{field} names {scope} twice; name each scope once.",
                              {{"field", field}, {"scope", text}}));
    }
  }
  return scopes;
}

std::string join_scopes(const Scopes& scopes) {
  std::string text;
  for (const auto& [scope, name] : kScopeNames) {
    if (!scopes.contains(scope)) continue;
    if (!text.empty()) text += ' ';
    text += name;
  }
  return text;
}

Result<Scopes> split_scopes(std::string_view text, std::string_view field) {
  Scopes scopes;
  while (!text.empty()) {
    const auto space = text.find(' ');
    const auto word = text.substr(0, space);
    if (!word.empty()) {
      auto scope = parse_scope(word, field);
      if (!scope) return tl::unexpected(scope.error());
      scopes.insert(*scope);
    }
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return scopes;
}

}  // namespace mitra::core
