#include "core/language.hpp"

#include <cctype>
#include <cstddef>
#include <cstdint>

#include "core/text.hpp"
#include "core/translate.hpp"

namespace mitra::core {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The primary subtag of a language tag or locale name: the letters before the first '-', '_',
// '.' or '@'.
std::string primary_subtag(std::string_view tag) {
  std::string out;
  for (const char c : tag) {
    if (c == '-' || c == '_' || c == '.' || c == '@') break;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// RFC 9110 language-range: "*" or 1*8ALPHA *("-" 1*8alphanum).
bool is_language_range(std::string_view range) {
  if (range == "*") return true;
  std::size_t part = 0;
  bool first = true;
  for (std::size_t i = 0; i <= range.size(); ++i) {
    if (i == range.size() || range[i] == '-') {
      if (part == 0 || part > 8) return false;
      part = 0;
      first = false;
      continue;
    }
    const char c = range[i];
    if (!(is_alpha(c) || (!first && is_digit(c)))) return false;
    ++part;
  }
  return true;
}

// RFC 9110 qvalue, in thousandths: "0", "0.5", "1", "1.000" (at most three decimals).
std::optional<int> parse_qvalue(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  if (text[0] != '0' && text[0] != '1') return std::nullopt;
  int value = (text[0] - '0') * 1000;
  if (text.size() == 1) return value;
  if (text[1] != '.') return std::nullopt;
  int scale = 100;
  for (std::size_t i = 2; i < text.size(); ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    value += (text[i] - '0') * scale;
    scale /= 10;
  }
  if (value > 1000) return std::nullopt;
  return value;
}

// Splits `text` at `separator`, calling `visit` for each piece (empty pieces included).
template <typename Visit>
void split(std::string_view text, char separator, Visit&& visit) {
  while (true) {
    const auto at = text.find(separator);
    visit(text.substr(0, at));
    if (at == std::string_view::npos) return;
    text.remove_prefix(at + 1);
  }
}

constexpr std::array<std::string_view, 12> kMonthsEn{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 12> kMonthsEs{
    "enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
    "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
// date::weekday's c_encoding: 0 is Sunday.
constexpr std::array<std::string_view, 7> kWeekdaysEn{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                      "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 7> kWeekdaysEs{"domingo", "lunes",   "martes", "miércoles",
                                                      "jueves",  "viernes", "sábado"};
// The abbreviations the RAE lists (without the period, as in tables).
constexpr std::array<std::string_view, 7> kShortWeekdaysEs{"dom", "lun", "mar", "mié",
                                                           "jue", "vie", "sáb"};

}  // namespace

std::string_view language_code(Language language) {
  switch (language) {
    case Language::en:
      return "en";
    case Language::es:
      return "es";
  }
  return "en";
}

std::optional<Language> match_language(std::string_view tag) {
  const std::string primary = primary_subtag(tag);
  for (const Language language : kLanguages) {
    if (primary == language_code(language)) return language;
  }
  return std::nullopt;
}

Result<Language> parse_language_option(std::string_view text, std::string_view field) {
  const auto trimmed = trim_spaces(text);
  if (!trimmed.empty() && trimmed.size() <= 64) {
    if (auto language = match_language(trimmed)) return *language;
  }
  std::string shown(trimmed.substr(0, 64));
  if (!is_valid_utf8(shown)) shown = "(not UTF-8)";
  return invalid(std::string(field),
                 sentence("Unknown language \"{value}\"; choose en (English) or es (español).",
                          {{"value", shown}}));
}

Language language_from_environment(const LocaleEnvironment& environment) {
  const auto set = [](const std::optional<std::string_view>& v) { return v && !v->empty(); };
  std::string_view locale;
  if (set(environment.lc_all)) {
    locale = *environment.lc_all;
  } else if (set(environment.lc_messages)) {
    locale = *environment.lc_messages;
  } else if (set(environment.lang)) {
    locale = *environment.lang;
  }
  // gettext ignores LANGUAGE when the locale is C or POSIX (or unset, which means C).
  const std::string_view base = locale.substr(0, locale.find_first_of(".@"));
  const bool c_locale = base.empty() || base == "C" || base == "POSIX";
  if (!c_locale && set(environment.language)) {
    std::optional<Language> chosen;
    split(*environment.language, ':', [&](std::string_view entry) {
      if (!chosen && !entry.empty()) chosen = match_language(entry);
    });
    if (chosen) return *chosen;
  }
  if (c_locale) return kDefaultLanguage;
  return match_language(locale).value_or(kDefaultLanguage);
}

Language language_from_accept_language(std::string_view header) {
  // Weight in thousandths per supported language; -1 = not named. The wildcard's weight applies
  // to languages not named.
  std::array<int, kLanguages.size()> weight{};
  std::array<std::size_t, kLanguages.size()> position{};
  weight.fill(-1);
  int wildcard = -1;
  std::size_t wildcard_position = 0;
  std::size_t index = 0;
  split(header, ',', [&](std::string_view entry) {
    ++index;
    std::string_view range;
    int q = 1000;
    bool well_formed = true;
    bool first = true;
    split(entry, ';', [&](std::string_view part) {
      part = trim_spaces(part);
      if (first) {
        range = part;
        first = false;
        return;
      }
      if (!well_formed) return;
      // A weight is "q=" (case-insensitive); any other parameter makes the entry malformed.
      const bool has_weight =
          part.size() >= 2 && (part[0] == 'q' || part[0] == 'Q') && part[1] == '=';
      const auto parsed = has_weight ? parse_qvalue(part.substr(2)) : std::nullopt;
      well_formed = parsed.has_value();
      q = parsed.value_or(0);
    });
    if (range.empty() || !well_formed || !is_language_range(range)) return;
    if (range == "*") {
      if (wildcard < 0) {
        wildcard = q;
        wildcard_position = index;
      }
      return;
    }
    const auto language = match_language(range);
    if (!language) return;
    const auto i = static_cast<std::size_t>(*language);
    // Several ranges may name one language ("es-MX, es;q=0.8"): mitra serves one Spanish, so
    // the highest weight any of them gives counts.
    if (q > weight[i]) {
      weight[i] = q;
      position[i] = index;
    }
  });
  std::optional<Language> best;
  int best_weight = 0;
  std::size_t best_position = 0;
  for (const Language language : kLanguages) {
    const auto i = static_cast<std::size_t>(language);
    int w = weight[i];
    std::size_t p = position[i];
    if (w < 0) {
      w = wildcard;
      p = wildcard_position;
    }
    if (w <= 0) continue;
    if (!best || w > best_weight || (w == best_weight && p < best_position)) {
      best = language;
      best_weight = w;
      best_position = p;
    }
  }
  return best.value_or(kDefaultLanguage);
}

std::string format_number(std::string_view c_number, Language language) {
  std::string_view sign;
  std::string_view rest = c_number;
  if (!rest.empty() && rest.front() == '-') {
    sign = "-";
    rest.remove_prefix(1);
  }
  const auto dot = rest.find('.');
  const std::string_view integer = rest.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  const auto all_digits = [](std::string_view s) {
    for (const char c : s) {
      if (!is_digit(c)) return false;
    }
    return true;
  };
  if (integer.empty() || !all_digits(integer) || !all_digits(fraction) ||
      (dot != std::string_view::npos && fraction.empty())) {
    return std::string(c_number);
  }
  const bool spanish = language == Language::es;
  const std::string_view group = spanish ? "\u00a0" : ",";
  const bool grouped = integer.size() >= (spanish ? 5u : 4u);
  std::string out(sign);
  for (std::size_t i = 0; i < integer.size(); ++i) {
    if (grouped && i > 0 && (integer.size() - i) % 3 == 0) out += group;
    out += integer[i];
  }
  if (dot != std::string_view::npos) {
    out += spanish ? ',' : '.';
    out += fraction;
  }
  return out;
}

std::string format_duration(std::chrono::seconds duration, Language language) {
  if (language == Language::en) return core::format_duration(duration);
  const bool negative = duration.count() < 0;
  if (negative) duration = -duration;
  const auto total_minutes = std::chrono::duration_cast<std::chrono::minutes>(duration).count();
  const long long d = total_minutes / (24 * 60);
  const long long h = (total_minutes / 60) % 24;
  const long long m = total_minutes % 60;
  std::string out;
  if (d > 0) {
    out += fill(trn(language, "{count} day", "{count} days", static_cast<unsigned long>(d)),
                {{"count", std::to_string(d)}}) +
           " ";
  }
  if (d > 0 || h > 0) out += std::to_string(h) + " h";
  if (d == 0) {
    if (!out.empty()) out += " ";
    out += std::to_string(m) + " min";
  }
  return (negative ? "-" : "") + out;
}

std::string format_short_day(Day day, Language language) {
  if (language == Language::en) return date::format("%a %m-%d", day);
  const auto c = date::weekday{day}.c_encoding();
  return std::string(kShortWeekdaysEs.at(c)) + " " + date::format("%d/%m", day);
}

std::string format_long_date(Day day, Language language) {
  const date::year_month_day ymd{day};
  const auto month = static_cast<unsigned>(ymd.month()) - 1;
  const auto d = std::to_string(static_cast<unsigned>(ymd.day()));
  const auto y = std::to_string(static_cast<int>(ymd.year()));
  if (!ymd.ok()) return format_date(day);
  if (language == Language::es) {
    return d + " de " + std::string(kMonthsEs[month]) + " de " + y;
  }
  return std::string(kMonthsEn[month]) + " " + d + ", " + y;
}

std::string format_long_date_with_weekday(Day day, Language language) {
  const auto c = date::weekday{day}.c_encoding();
  const auto& names = language == Language::es ? kWeekdaysEs : kWeekdaysEn;
  return std::string(names[c % 7]) + ", " + format_long_date(day, language);
}

std::string format_time_of_day(std::chrono::minutes minutes, Language /*language*/) {
  // Both languages use the 24-hour clock, as mitra always has; the parameter keeps call sites
  // ready for a language that writes times otherwise.
  return format_time_of_day(minutes);
}

std::string format_date_time(Instant t, const TimeZone* zone, Language language) {
  const auto local = zone->to_local(t);
  const auto day = date::floor<date::days>(local);
  const Day civil{day.time_since_epoch()};
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(local - day);
  return format_long_date(civil, language) + ", " + format_time_of_day(minutes, language);
}

}  // namespace mitra::core
