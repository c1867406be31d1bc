#pragma once
// The language a person reads mitra in, and how numbers, dates and times are written in it.
// Pure: every input (an option, the locale variables, an HTTP header) is passed in as text;
// nothing here reads the environment or the clock. docs/languages.md describes the rules.
//
// Choosing a language never fails for the environment or a browser header: anything unknown,
// unsupported or malformed means English. Only an explicit `--lang` that mitra cannot honour is
// an error, because the person asked for it by name.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"

namespace mitra::core {

enum class Language { en, es };

// Every supported language, English (the source language and the fallback) first.
inline constexpr std::array<Language, 2> kLanguages{Language::en, Language::es};
inline constexpr Language kDefaultLanguage = Language::en;

// "en", "es".
std::string_view language_code(Language language);

// A language tag or locale name to a supported language, by its primary subtag, ignoring case:
// "es", "ES", "es-419", "es_MX", "es_ES.UTF-8", "en-US" and "en_GB@euro" all match; "fr", "*",
// "C" and "" do not (nullopt).
std::optional<Language> match_language(std::string_view tag);

// The value of `--lang` (or a saved setting). The error names `field` and lists the languages.
Result<Language> parse_language_option(std::string_view text, std::string_view field = "lang");

// The locale variables as the process received them; an unset variable is nullopt (set but
// empty counts as unset, as POSIX says).
struct LocaleEnvironment {
  std::optional<std::string_view> lc_all{};
  std::optional<std::string_view> lc_messages{};
  std::optional<std::string_view> lang{};
  std::optional<std::string_view> language{};  // GNU LANGUAGE: "es:en", a list of preferences.
};

// The language for messages, as gettext would pick it: the first non-empty of LC_ALL,
// LC_MESSAGES and LANG names the locale; "C", "POSIX", unset or unknown means English. Unless
// the locale is C or POSIX, GNU LANGUAGE (a colon-separated list) overrides it with its first
// supported entry.
Language language_from_environment(const LocaleEnvironment& environment);

// The language an HTTP `Accept-Language` header (RFC 9110 section 12.5.4) prefers: the
// supported language with the highest weight; on equal weights the one listed first; `*`
// stands for every supported language not named; q=0 excludes. Ranges match by their primary
// subtag ("es-419" and "es-MX" mean Spanish); of several ranges naming one language, the
// highest weight counts. Entries that do not parse (a bad range or weight)
// are skipped; an empty, malformed or fully unsupported header gives English. Never throws.
Language language_from_accept_language(std::string_view header);

// Localizes a number written the C way ("-1234.5", digits with an optional '-' and one '.'):
// English groups thousands with ',' ("-1,234.5"); Spanish writes a decimal comma and, as the
// RAE and ISO 80000 recommend, groups with a no-break space (U+00A0) only from five integer
// digits ("1234,5", "12 345,5"). Text that is not such a number comes back unchanged.
std::string format_number(std::string_view c_number, Language language);

// A duration for people: "2 days 3 h", "3 h 20 min", "45 min" / "2 días 3 h", "3 h 20 min".
std::string format_duration(std::chrono::seconds duration, Language language);
// An abbreviated weekday and the day: "Mon 01-05" / "lun 05/01" (the doses chart).
std::string format_short_day(Day day, Language language);

// "December 2, 2026" / "2 de diciembre de 2026".
std::string format_long_date(Day day, Language language);
// "Wednesday, December 2, 2026" / "miércoles, 2 de diciembre de 2026".
std::string format_long_date_with_weekday(Day day, Language language);
// A time of day, minutes after midnight, on the 24-hour clock in both languages: "08:30".
std::string format_time_of_day(std::chrono::minutes minutes, Language language);
// "December 2, 2026, 08:30" / "2 de diciembre de 2026, 08:30": the wall time in `zone`.
std::string format_date_time(Instant t, const TimeZone* zone, Language language);

}  // namespace mitra::core
