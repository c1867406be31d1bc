#include "app/sharing.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <utility>

#include "app/history.hpp"
#include "app/plan.hpp"
#include "app/understanding.hpp"
#include "core/safety.hpp"
#include "formats/secrets.hpp"

namespace mitra::app {

namespace {

using core::Instant;

// Free text a person types into a contact request, by field: how long it may be.
constexpr std::size_t kMaxWhen = 200;
constexpr std::size_t kMaxNote = 2000;
// SOWS check-ins looked at for a rise: the last three, within this many days.
constexpr int kSowsDays = 30;
constexpr std::size_t kSowsRising = 3;

Result<void> require_person(const store::Account& caller, const core::Sentence& what) {
  if (caller.role == core::Role::person) return {};
  return core::fail(core::ErrorKind::forbidden,
                    core::sentence("Only a person's account {what}; this is a {role}'s account.",
                                   {{"role", core::to_string(caller.role)}})
                        .with("what", what));
}

// The ids of the advisory rules that a substance used near a dose sets off, and of those that
// apply to everyone whatever they logged (the emergency numbers).
struct RuleKinds {
  std::set<std::string> near_dose;
  std::set<std::string> always;
};
const RuleKinds& rule_kinds() {
  static const RuleKinds kinds = [] {
    RuleKinds made;
    for (const auto& rule : core::advisory_rules()) {
      const bool always = std::all_of(rule.when.begin(), rule.when.end(),
                                      [](const auto& c) { return c.kind == "always"; });
      if (always) made.always.insert(rule.id);
      for (const auto& condition : rule.when) {
        if (condition.kind == "substance_near_dose") made.near_dose.insert(rule.id);
      }
    }
    return made;
  }();
  return kinds;
}

std::string joined(const std::vector<std::string>& words, std::string_view between) {
  std::string text;
  for (const auto& word : words) {
    if (!text.empty()) text += between;
    text += word;
  }
  return text;
}

}  // namespace

Result<store::Share> share_journal(store::ClinicRecords& clinic, const store::Account& caller,
                                   const ShareRequest& request, Instant now) {
  if (auto allowed = require_person(caller, core::sentence("shares its journal")); !allowed) {
    return tl::unexpected(allowed.error());
  }
  if (auto checked = core::check_username(request.specialist, "specialist"); !checked) {
    return tl::unexpected(checked.error());
  }
  auto scopes = core::parse_scopes(request.scopes);
  if (!scopes) return tl::unexpected(scopes.error());
  return clinic.add_share(caller, request.specialist, *scopes, now);
}

Result<std::vector<store::Share>> list_shares(store::ClinicRecords& clinic,
                                              const store::Account& caller) {
  return clinic.shares_of(caller.id);
}

Result<void> stop_sharing(store::ClinicRecords& clinic, const store::Account& caller,
                          const std::string& id, Instant now) {
  auto ended = clinic.end_share(id, caller.id, now);
  if (!ended) return tl::unexpected(ended.error());
  if (!*ended) {
    return core::fail(
        core::ErrorKind::not_found,
        core::sentence("You have no live share {id} (see GET /api/v1/shares).", {{"id", id}}),
        "id");
  }
  return {};
}

Result<std::vector<store::AuditEntry>> audit(store::ClinicRecords& clinic,
                                             const store::Account& caller) {
  return clinic.audit_of(caller.id);
}

Result<void> require_specialist(const store::Account& caller, const core::Sentence& what) {
  if (caller.role == core::Role::specialist) return {};
  return core::fail(
      core::ErrorKind::forbidden,
      core::sentence("Only a specialist's account {what}; this is a {role}'s account.",
                     {{"role", core::to_string(caller.role)}})
          .with("what", what));
}

Result<int> parse_quiet_days(const std::string& text) {
  int days = 0;
  const auto* end = text.data() + text.size();
  const auto [at, error] = std::from_chars(text.data(), end, days);
  if (text.empty() || error != std::errc{} || at != end || days < 1 || days > 90) {
    return core::invalid(
        "quiet_days",
        core::sentence("quiet_days must be a whole number of days from 1 to 90, not \"{text}\".",
                       {{"text", text}}));
  }
  return days;
}

Result<std::vector<Flag>> person_flags(Context& person, const core::Scopes& scopes,
                                       int quiet_days) {
  std::vector<Flag> flags;
  if (scopes.contains(core::Scope::safety) || scopes.contains(core::Scope::journal)) {
    auto advisories = safety(person);
    if (!advisories) return tl::unexpected(advisories.error());
    const auto& kinds = rule_kinds();
    std::vector<std::string> urgent;
    std::vector<std::string> near_dose;
    for (const auto& advisory : *advisories) {
      if (kinds.always.contains(advisory.id)) continue;
      if (advisory.level == core::AdvisoryLevel::urgent) urgent.push_back(advisory.id);
      if (kinds.near_dose.contains(advisory.id)) near_dose.push_back(advisory.id);
    }
    if (scopes.contains(core::Scope::safety) && !urgent.empty()) {
      flags.push_back({"urgent_advisory", core::Scope::safety,
                       "Urgent safety advice applies: " + joined(urgent, ", ") + "."});
    }
    if (scopes.contains(core::Scope::journal) && !near_dose.empty()) {
      flags.push_back({"substances_near_doses", core::Scope::journal,
                       "Another substance was logged near a kratom dose recently (" +
                           joined(near_dose, ", ") + ")."});
    }
  }
  if (scopes.contains(core::Scope::checkins)) {
    auto history = assessment_history(person, "sows", kSowsDays);
    if (!history) return tl::unexpected(history.error());
    if (!history->empty()) {
      const auto& entries = history->front().entries;
      if (entries.size() >= kSowsRising) {
        const auto last = entries.end() - static_cast<std::ptrdiff_t>(kSowsRising);
        bool rising = true;
        std::vector<std::string> totals;
        for (auto it = last; it != entries.end(); ++it) {
          if (it != last && it->total <= (it - 1)->total) rising = false;
          totals.push_back(std::to_string(it->total));
        }
        if (rising) {
          flags.push_back(
              {"sows_rising", core::Scope::checkins,
               "SOWS totals rose over the last three check-ins: " + joined(totals, " → ") + "."});
        }
      }
    }
  }
  if (scopes.contains(core::Scope::plan)) {
    auto status = plan_status(person);
    if (!status) return tl::unexpected(status.error());
    if (*status && ((*status)->today.over_plan || (*status)->yesterday.over_plan)) {
      const auto& day = (*status)->today.over_plan ? (*status)->today : (*status)->yesterday;
      flags.push_back({"plan_slip", core::Scope::plan,
                       "More than the plan allowed on " + core::format_date(day.day) + ": " +
                           std::to_string(day.actual_doses) + " doses against " +
                           std::to_string(day.planned_doses) + " planned."});
    }
  }
  if (scopes.contains(core::Scope::journal) || scopes.contains(core::Scope::pattern)) {
    auto last = last_dose_by_now(person);
    if (!last) return tl::unexpected(last.error());
    const auto quiet = std::chrono::days{quiet_days};
    const auto scope =
        scopes.contains(core::Scope::journal) ? core::Scope::journal : core::Scope::pattern;
    if (!*last) {
      flags.push_back({"no_logging", scope, "No dose logged yet."});
    } else if (person.now - (*last)->taken_at >= quiet) {
      const auto days =
          std::chrono::duration_cast<std::chrono::days>(person.now - (*last)->taken_at).count();
      flags.push_back({"no_logging", scope,
                       "No dose logged for " + std::to_string(days) + " days (since " +
                           core::format_date(core::journal_day((*last)->taken_at, person.zone,
                                                               person.settings.day_start)) +
                           ")."});
    }
  }
  return flags;
}

Result<store::ContactRequest> ask_for_contact(store::ClinicRecords& clinic,
                                              const store::Account& caller,
                                              const ContactInput& input, Instant now) {
  if (auto allowed = require_person(caller, core::sentence("asks to be contacted")); !allowed) {
    return tl::unexpected(allowed.error());
  }
  if (input.how != "phone" && input.how != "message" && input.how != "in_person") {
    return core::invalid("how",
                         core::sentence("how must be phone, message or in_person, not \"{how}\".",
                                        {{"how", input.how}}));
  }
  if (input.when.size() > kMaxWhen) {
    return core::invalid(
        "when", core::sentence("when must be at most 200 characters, e.g. \"weekday mornings\"."));
  }
  if (input.note.size() > kMaxNote) {
    return core::invalid("note", core::sentence("note must be at most 2,000 characters."));
  }
  return clinic.add_contact_request(caller, input.how, input.when, input.note, now);
}

Result<std::vector<store::ContactRequest>> contact_requests(store::ClinicRecords& clinic,
                                                            const store::Account& caller) {
  return clinic.contact_requests(caller.role == core::Role::person ? caller.id : "");
}

Result<store::ContactRequest> mark_contact_handled(store::ClinicRecords& clinic,
                                                   const store::Account& caller,
                                                   const std::string& id, Instant now) {
  if (auto allowed = require_specialist(caller, core::sentence("marks contact requests handled"));
      !allowed) {
    return tl::unexpected(allowed.error());
  }
  return clinic.handle_contact_request(id, caller, now);
}

Result<void> delete_account(store::ClinicRecords& clinic, const store::Account& caller,
                            const std::string& password) {
  // The stored hash, not the session's copy: a password changed since sign-in counts.
  auto account = clinic.find_account(caller.username);
  if (!account) return tl::unexpected(account.error());
  if (!*account || !formats::password_matches((*account)->password_hash, password)) {
    return core::invalid(
        "password",
        core::sentence("password is not this account's password; nothing was deleted."));
  }
  return clinic.delete_account(caller.id);
}

}  // namespace mitra::app
