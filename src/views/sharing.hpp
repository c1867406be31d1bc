#pragma once
// The documents of clinic mode's sharing (docs/clinic.md, docs/openapi.yaml): shares, the audit
// of others' reads, the people a specialist sees with their flags, and contact requests.

#include <vector>

#include <nlohmann/json.hpp>

#include "app/sharing.hpp"  // With the records of store/clinic.hpp.

namespace mitra::views {

// {"id","person","specialist","scopes":[…],"created_at","revoked_at"|null,"live"}.
nlohmann::json share_json(const store::Share& share);
// {"shares": [...]}.
nlohmann::json shares_json(const std::vector<store::Share>& shares);
// {"entries": [{"at","reader","reader_role"|null,"scopes":[…],"resource"}]}.
nlohmann::json audit_json(const std::vector<store::AuditEntry>& entries);
// {"id","username","scopes":[…],"shared_at","flags":[{"id","scope","text"}]}.
nlohmann::json person_json(const store::SharedJournal& person, const std::vector<app::Flag>& flags);
// {"id","person","how","when","note","created_at","handled_at"|null,"handled_by"|null,"state"}.
nlohmann::json contact_request_json(const store::ContactRequest& request);
// {"requests": [...]}.
nlohmann::json contact_requests_json(const std::vector<store::ContactRequest>& requests);

}  // namespace mitra::views
