#pragma once
// The codes a person types and the CLI shows back (a form, a substance, a trigger, a reason
// for using kratom), and the bands of a questionnaire's total, as a screen shows them in the
// reader's language (docs/languages.md, "Program text"). English shows every code as it is,
// byte for byte. Pure; thread-safe.

#include <string>

#include "core/journal.hpp"
#include "core/language.hpp"
#include "core/profile.hpp"

namespace mitra::cli {

// A code a person may type back, as the Spanish help writes the codes it takes: the code, then
// its name in `language`, "leaf_powder (polvo de hoja)". The code alone in English, and where
// its name is the same word ("alcohol") or mitra has no name for it (a trigger of the person's
// own words).
std::string form_shown(core::Form form, core::Language language);
std::string substance_shown(core::Substance substance, core::Language language);
std::string trigger_shown(const std::string& trigger, core::Language language);
std::string reason_shown(core::Reason reason, core::Language language);

// A band of a questionnaire's total by its id ("severe"), a word in `language` ("grave"); the
// id itself in English, and for an id mitra does not know. Nobody types a band, so no code.
std::string band_words(const std::string& id, core::Language language);

}  // namespace mitra::cli
