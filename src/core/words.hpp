#pragma once
// How mitra writes numbers, times and names for people to read: one formatter for each kind,
// used by every view (CLI text, API texts such as safety's "why shown", the web app's copies in
// web/src/lib/dom.js follow the same rules). Raw keys ("relapse_after_quitting", "leaf_powder")
// and UTC stamps are for JSON fields and files, never for sentences (issue 14, item 11).
// Pure; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "core/journal.hpp"
#include "core/language.hpp"
#include "core/pattern.hpp"
#include "core/time.hpp"

namespace mitra::core {

// A product form in words: "leaf powder", "capsules", "extract", "7-OH product", "liquid shot",
// "other form".
std::string form_words(Form form);
// The same in `language` ("polvo de hoja").
std::string form_words(Form form, Language language);
// A dose of that form, with its article: "a leaf powder dose", "an extract dose", "a 7-OH
// product dose", "a dose of another form".
std::string dose_of_form_words(Form form);
// A strength group in words: "leaf", "extract", "7-OH", "liquid shots", "other products".
// In Spanish: "hoja", "extracto", "7-OH", "shots líquidos", "otros productos" (po/es.po).
std::string strength_group_words(StrengthGroup group, Language language = kDefaultLanguage);
// Amounts of each strength group, never added together: "12.5 g" for one group (in its unit:
// "45 mg" of 7-OH), "12.5 g of leaf and 45 mg of 7-OH" for several. `per_day` picks each group's
// amount a day rather than its total. A total as the journal holds it (to the millionth:
// "0.0004 g"), an amount a day to two decimals at most, written for `language` ("12,5 g de hoja
// y 45 mg de 7-OH").
std::string form_amounts_words(const std::vector<FormAmount>& amounts, bool per_day,
                               Language language = kDefaultLanguage);
// Another substance with its article where English needs one: "alcohol", "an opioid",
// "a benzodiazepine", "another sedative", "methadone", "another substance".
std::string substance_words(Substance substance);
// A profile answer that set off an advisory, as the person gave it: "you have used
// prescription opioids", "an earlier attempt to quit ended with going back to kratom". Unknown
// flags come back as they are (a programmer's error caught by tests).
std::string profile_flag_words(std::string_view flag);

// A moment in the zone the person sees times in: "20:30 on Sun 2026-11-29" (UTC when `zone` is
// null). The same words the CLI uses for a logged dose.
std::string format_moment(Instant t, const TimeZone* zone);
// The same in `language`: "20:30 del dom 2026-11-29".
std::string format_moment(Instant t, const TimeZone* zone, Language language);
// An amount for people in `language`: "2.5 g" / "2,5 g" (core::format_amount, localized).
std::string format_amount(const Amount& amount, Language language);
// A weekday and a time of day in `zone`: "Wed 08:30" / "mié 08:30".
std::string format_weekday_time(Instant t, const TimeZone* zone, Language language);

// Doses a day (an average): always one decimal, "5.6", "6.0" ("5,6" in Spanish).
std::string format_per_day(double doses_per_day, Language language = kDefaultLanguage);

}  // namespace mitra::core
