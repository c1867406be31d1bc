#pragma once
// Clinic mode beyond accounts (docs/clinic.md): a person's shares with specialists, the audit of
// others' reads of their journal, what a specialist sees of the people who share with them (each
// with flags computed from what is shared only), and requests to be contacted. Who the caller
// is comes from the session (app/clinic.hpp); what is kept is the store's (store/clinic.hpp).

#include <string>
#include <vector>

#include "app/context.hpp"
#include "core/accounts.hpp"
#include "core/error.hpp"
#include "core/sharing.hpp"
#include "core/time.hpp"
#include "store/clinic.hpp"

namespace mitra::app {

using core::Result;

// POST /api/v1/shares {"specialist": "sam", "scopes": ["pattern", "checkins"]}.
struct ShareRequest {
  std::string specialist;
  std::vector<std::string> scopes;
};
// A share of `caller`'s journal. Only a person's account shares (forbidden otherwise); the
// specialist must be an account with that role (not found naming `specialist`).
Result<store::Share> share_journal(store::ClinicRecords& clinic, const store::Account& caller,
                                   const ShareRequest& request, core::Instant now);
// The shares `caller` gave or received, newest first.
Result<std::vector<store::Share>> list_shares(store::ClinicRecords& clinic,
                                              const store::Account& caller);
// Stops share `id`, which `caller` gave; not found naming `id` otherwise (also for a share
// someone else gave: that it exists is not the caller's to know).
Result<void> stop_sharing(store::ClinicRecords& clinic, const store::Account& caller,
                          const std::string& id, core::Instant now);
// Who read `caller`'s journal, newest first.
Result<std::vector<store::AuditEntry>> audit(store::ClinicRecords& clinic,
                                             const store::Account& caller);

// Forbidden unless `caller` is a specialist, saying what the route is for.
Result<void> require_specialist(const store::Account& caller, const core::Sentence& what);

// What a specialist should look at first, computed from the shared scopes only.
struct Flag {
  std::string id;     // "urgent_advisory", "sows_rising", "plan_slip", "substances_near_doses",
                      // "no_logging".
  core::Scope scope;  // The scope it is computed from.
  std::string text;   // A sentence for the specialist.
};
// "No logging for N days": N when the specialist does not say (GET /api/v1/people?quiet_days=N).
// mitra's own choice, not a clinical figure: the withdrawal timeline's onset is within a day or
// so, and two quiet days in a row are worth a look, not an alarm.
inline constexpr int kDefaultQuietDays = 3;
// `text` as a whole number of days from 1 to 90, naming `quiet_days`.
Result<int> parse_quiet_days(const std::string& text);
// The flags of the journal of `person` (its own context) that `scopes` allow, in a fixed order.
Result<std::vector<Flag>> person_flags(Context& person, const core::Scopes& scopes, int quiet_days);

// POST /api/v1/contact-requests {"how": "phone", "when": "weekday mornings", "note": "…"}.
struct ContactInput {
  std::string how;   // "phone", "message" or "in_person".
  std::string when;  // Free text, up to 200 characters; may be empty.
  std::string note;  // Free text, up to 2,000 characters; may be empty.
};
// Only a person's account asks (forbidden otherwise).
Result<store::ContactRequest> ask_for_contact(store::ClinicRecords& clinic,
                                              const store::Account& caller,
                                              const ContactInput& input, core::Instant now);
// A person's own requests; for a specialist or an admin, every person's (the program's queue).
Result<std::vector<store::ContactRequest>> contact_requests(store::ClinicRecords& clinic,
                                                            const store::Account& caller);
// A specialist marks request `id` handled (forbidden for others).
Result<store::ContactRequest> mark_contact_handled(store::ClinicRecords& clinic,
                                                   const store::Account& caller,
                                                   const std::string& id, core::Instant now);

// ---- Data rights ----

// DELETE /api/v1/me {"password"}: deletes `caller`'s account and everything of it
// (store::ClinicRecords::delete_account) once the password is the account's (invalid input
// naming `password` otherwise, and nothing is deleted).
Result<void> delete_account(store::ClinicRecords& clinic, const store::Account& caller,
                            const std::string& password);

}  // namespace mitra::app
