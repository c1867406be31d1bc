#include "core/ids.hpp"

#include <algorithm>

namespace mitra::core {

namespace {

std::size_t common_length(const std::string& a, const std::string& b) {
  const auto [left, right] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  (void)right;
  return static_cast<std::size_t>(left - a.begin());
}

}  // namespace

std::unordered_map<std::string, std::string> shortest_unique_prefixes(std::vector<std::string> ids,
                                                                      std::size_t minimum) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::unordered_map<std::string, std::string> shown;
  shown.reserve(ids.size());
  // In sorted order, the ids sharing the longest beginning with an id are its neighbours.
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::size_t shared = 0;
    if (i > 0) shared = std::max(shared, common_length(ids[i], ids[i - 1]));
    if (i + 1 < ids.size()) shared = std::max(shared, common_length(ids[i], ids[i + 1]));
    const std::size_t length = std::min(ids[i].size(), std::max(minimum, shared + 1));
    shown.emplace(ids[i], ids[i].substr(0, length));
  }
  return shown;
}

Result<std::string> match_id_prefix(const std::vector<std::string>& ids, const std::string& typed,
                                    const std::string& field) {
  if (std::find(ids.begin(), ids.end(), typed) != ids.end()) return typed;
  if (typed.empty()) {
    return invalid(field, sentence("{field} is empty; `mitra list` shows ids", {{"field", field}}));
  }
  std::vector<std::string> matches;
  for (const auto& id : ids) {
    if (id.size() > typed.size() && id.compare(0, typed.size(), typed) == 0) {
      matches.push_back(id);
    }
  }
  if (matches.empty()) {
    return fail(ErrorKind::not_found,
                sentence("no dose or substance use has an id starting with \"{id}\"; `mitra "
                         "list` shows ids",
                         {{"id", typed}}),
                field);
  }
  if (typed.size() < kShortestIdPrefix) {
    return invalid(field, sentence("\"{id}\" is too short to pick a record: type at least {count} "
                                   "characters of the id (`mitra list` shows them)",
                                   {{"id", typed}, {"count", std::to_string(kShortestIdPrefix)}}));
  }
  if (matches.size() > 1) {
    std::sort(matches.begin(), matches.end());
    std::string listed;
    for (std::size_t i = 0; i < matches.size() && i < 3; ++i) {
      listed += (i > 0 ? ", " : "") + matches[i];
    }
    if (matches.size() > 3) listed += ", …";
    return invalid(
        field,
        sentence("\"{id}\" begins {count} ids ({ids}); type more of the id",
                 {{"id", typed}, {"count", std::to_string(matches.size())}, {"ids", listed}}));
  }
  return matches.front();
}

Result<void> check_idempotency_key(std::string_view key, const std::string& field) {
  const std::string max = std::to_string(kMaxIdempotencyKeyLength);
  if (key.empty()) {
    return invalid(field, sentence("the idempotency key is empty; send 1 to {max} letters, digits "
                                   "or punctuation marks (ASCII, no spaces), such as a UUID, or "
                                   "leave the key out",
                                   {{"max", max}}));
  }
  if (key.size() > kMaxIdempotencyKeyLength) {
    return invalid(field, sentence("the idempotency key is {length} characters long; send at most "
                                   "{max} letters, digits or punctuation marks (ASCII, no "
                                   "spaces), such as a UUID",
                                   {{"length", std::to_string(key.size())}, {"max", max}}));
  }
  const bool visible = std::all_of(key.begin(), key.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F;
  });
  if (!visible) {
    return invalid(field, sentence("the idempotency key holds a space, a control character or a "
                                   "character outside ASCII; send 1 to {max} letters, digits or "
                                   "punctuation marks, such as a UUID",
                                   {{"max", max}}));
  }
  return {};
}

}  // namespace mitra::core
