#include "views/sharing.hpp"

namespace mitra::views {

namespace {

using nlohmann::json;

json scopes_json(const core::Scopes& scopes) {
  json list = json::array();
  for (const auto scope : core::all_scope_list()) {
    if (scopes.contains(scope)) list.push_back(core::to_string(scope));
  }
  return list;
}

json instant_or_null(const std::optional<core::Instant>& at) {
  return at ? json(core::format_utc(*at)) : json(nullptr);
}

}  // namespace

json share_json(const store::Share& share) {
  return {{"id", share.id},
          {"person", share.person_username},
          {"specialist", share.specialist_username},
          {"scopes", scopes_json(share.scopes)},
          {"created_at", core::format_utc(share.created_at)},
          {"revoked_at", instant_or_null(share.revoked_at)},
          {"live", !share.revoked_at.has_value()}};
}

json shares_json(const std::vector<store::Share>& shares) {
  json list = json::array();
  for (const auto& share : shares) list.push_back(share_json(share));
  return {{"shares", std::move(list)}};
}

json audit_json(const std::vector<store::AuditEntry>& entries) {
  json list = json::array();
  for (const auto& entry : entries) {
    list.push_back({{"at", core::format_utc(entry.at)},
                    {"reader", entry.reader_username},
                    {"reader_role",
                     entry.reader_role ? json(core::to_string(*entry.reader_role)) : json(nullptr)},
                    {"scopes", scopes_json(entry.scopes)},
                    {"resource", entry.resource}});
  }
  return {{"entries", std::move(list)}};
}

json person_json(const store::SharedJournal& person, const std::vector<app::Flag>& flags) {
  json list = json::array();
  for (const auto& flag : flags) {
    list.push_back({{"id", flag.id}, {"scope", core::to_string(flag.scope)}, {"text", flag.text}});
  }
  return {{"id", person.person_id},
          {"username", person.person_username},
          {"scopes", scopes_json(person.scopes)},
          {"shared_at", core::format_utc(person.shared_at)},
          {"flags", std::move(list)}};
}

json contact_request_json(const store::ContactRequest& request) {
  return {{"id", request.id},
          {"person", request.person_username},
          {"how", request.how},
          {"when", request.when},
          {"note", request.note},
          {"created_at", core::format_utc(request.created_at)},
          {"handled_at", instant_or_null(request.handled_at)},
          {"handled_by", request.handled_by.empty() ? json(nullptr) : json(request.handled_by)},
          {"state", request.handled_at ? "handled" : "waiting"}};
}

json contact_requests_json(const std::vector<store::ContactRequest>& requests) {
  json list = json::array();
  for (const auto& request : requests) list.push_back(contact_request_json(request));
  return {{"requests", std::move(list)}};
}

}  // namespace mitra::views
