#pragma once
// What a person may share with a specialist in clinic mode (docs/clinic.md, "Sharing"): the
// scopes of a share, pure. Which routes each scope opens is the server's (server/sharing.cpp);
// what is kept is the store's (store/clinic.hpp).

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace mitra::core {

// Each names a part of the journal and what is computed from it.
enum class Scope {
  pattern,      // How often and how much: the pattern and its trend.
  journal,      // The doses and other substances, one by one; the withdrawal timeline.
  checkins,     // Symptom check-ins (SOWS, COWS, daily) and their scores.
  reflections,  // Self-reflection answers (worded as self-report, never a diagnosis).
  plan,         // The taper plan, its versions and plan versus actual.
  safety,       // The safety advisories that apply.
};
using Scopes = std::set<Scope>;

const char* to_string(Scope scope);
// Every scope, in the order above.
const std::vector<Scope>& all_scope_list();
Scopes all_scopes();
// "pattern", "journal" …; anything else is invalid input naming `field`.
Result<Scope> parse_scope(std::string_view text, std::string_view field = "scopes");
// Scopes as sent: at least one, each known, none twice (each refusal names `field`).
Result<Scopes> parse_scopes(const std::vector<std::string>& texts,
                            std::string_view field = "scopes");
// "pattern journal" (the order of all_scope_list), as kept in the database.
std::string join_scopes(const Scopes& scopes);
// The inverse of join_scopes; an unknown word is an error naming `field`.
Result<Scopes> split_scopes(std::string_view text, std::string_view field = "scopes");

}  // namespace mitra::core
