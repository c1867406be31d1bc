#include "core/language.hpp"
#include "app/zones.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#ifdef MITRA_HAVE_RAPIDCHECK
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#endif

namespace mitra::core {
namespace {

using std::chrono::minutes;

TEST(Language, CodesAndMatching) {
  EXPECT_EQ(language_code(Language::en), "en");
  EXPECT_EQ(language_code(Language::es), "es");
  for (const auto* tag : {"es", "ES", "es-419", "es-MX", "es_ES.UTF-8", "es_MX@euro", "Es-us"}) {
    EXPECT_EQ(match_language(tag), Language::es) << tag;
  }
  for (const auto* tag : {"en", "en-US", "en_GB.UTF-8", "EN"}) {
    EXPECT_EQ(match_language(tag), Language::en) << tag;
  }
  for (const auto* tag : {"fr", "fr_FR.UTF-8", "*", "C", "POSIX", "", "e", "esp", "-es"}) {
    EXPECT_EQ(match_language(tag), std::nullopt) << tag;
  }
}

TEST(Language, LangOptionAcceptsTheSupportedLanguagesAndNamesTheFieldOtherwise) {
  EXPECT_EQ(parse_language_option("es").value(), Language::es);
  EXPECT_EQ(parse_language_option(" en ").value(), Language::en);
  EXPECT_EQ(parse_language_option("es-MX").value(), Language::es);
  const auto bad = parse_language_option("fr");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(bad.error().field, "lang");
  EXPECT_EQ(bad.error().message, "Unknown language \"fr\"; choose en (English) or es (español).");
  const auto empty = parse_language_option("", "settings.language");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().field, "settings.language");
  EXPECT_EQ(empty.error().message, "Unknown language \"\"; choose en (English) or es (español).");
  const auto not_utf8 = parse_language_option("\xff\xfe");
  ASSERT_FALSE(not_utf8);
  EXPECT_EQ(not_utf8.error().message,
            "Unknown language \"(not UTF-8)\"; choose en (English) or es (español).");
}

TEST(Language, EnvironmentFollowsLcAllThenLcMessagesThenLang) {
  const auto pick = [](LocaleEnvironment e) { return language_from_environment(e); };
  EXPECT_EQ(pick({}), Language::en);
  EXPECT_EQ(pick({.lang = "es_ES.UTF-8"}), Language::es);
  EXPECT_EQ(pick({.lang = "es_MX"}), Language::es);
  EXPECT_EQ(pick({.lang = "C"}), Language::en);
  EXPECT_EQ(pick({.lang = "POSIX"}), Language::en);
  EXPECT_EQ(pick({.lang = "C.UTF-8"}), Language::en);
  EXPECT_EQ(pick({.lang = ""}), Language::en);
  EXPECT_EQ(pick({.lang = "fr_FR.UTF-8"}), Language::en);
  // LC_MESSAGES wins over LANG, LC_ALL over both; an empty one counts as unset.
  EXPECT_EQ(pick({.lc_messages = "es_ES.UTF-8", .lang = "en_US.UTF-8"}), Language::es);
  EXPECT_EQ(pick({.lc_messages = "en_US.UTF-8", .lang = "es_ES.UTF-8"}), Language::en);
  EXPECT_EQ(pick({.lc_all = "C", .lc_messages = "es_ES.UTF-8"}), Language::en);
  EXPECT_EQ(pick({.lc_all = "", .lc_messages = "es_ES.UTF-8"}), Language::es);
  // An unsupported locale means English; it does not fall through to LANG.
  EXPECT_EQ(pick({.lc_messages = "de_DE.UTF-8", .lang = "es_ES.UTF-8"}), Language::en);
}

TEST(Language, GnuLanguageListOverridesALocaleButNotC) {
  const auto pick = [](LocaleEnvironment e) { return language_from_environment(e); };
  EXPECT_EQ(pick({.lang = "en_US.UTF-8", .language = "es:en"}), Language::es);
  EXPECT_EQ(pick({.lang = "de_DE.UTF-8", .language = "fr:es_MX:en"}), Language::es);
  EXPECT_EQ(pick({.lang = "es_ES.UTF-8", .language = "fr:de"}), Language::es);
  EXPECT_EQ(pick({.lang = "C", .language = "es"}), Language::en);
  EXPECT_EQ(pick({.language = "es"}), Language::en);
}

TEST(Language, AcceptLanguagePicksTheHighestWeight) {
  const auto pick = language_from_accept_language;
  EXPECT_EQ(pick("es"), Language::es);
  EXPECT_EQ(pick("es-419"), Language::es);
  EXPECT_EQ(pick("es-MX,es;q=0.9,en;q=0.8"), Language::es);
  EXPECT_EQ(pick("en-US,en;q=0.9,es;q=0.8"), Language::en);
  EXPECT_EQ(pick("fr-FR, es;q=0.5, en;q=0.4"), Language::es);
  EXPECT_EQ(pick("en;q=0.3, es;q=0.7"), Language::es);
  EXPECT_EQ(pick("es;Q=1.000 , en;q=1"), Language::es);  // Equal weights: the first listed.
  EXPECT_EQ(pick("en, es"), Language::en);
  // The wildcard stands for the languages not named; q=0 excludes.
  EXPECT_EQ(pick("fr, *;q=0.5"), Language::en);
  EXPECT_EQ(pick("en;q=0, *"), Language::es);
  EXPECT_EQ(pick("es;q=0, en;q=0"), Language::en);
  // Of several ranges for one language the highest weight counts.
  EXPECT_EQ(pick("es-MX;q=0.1, en;q=0.5, es;q=0.9"), Language::es);
}

TEST(Language, AcceptLanguageThatIsEmptyMalformedOrUnsupportedMeansEnglish) {
  for (const auto* header : {"", " ", ",", ";", "fr", "de-DE,fr;q=0.8", "es;q=2", "es;q=0.5555",
                             "es;q=", "es;q=abc", "es;level=1", "e s", "es-", "-es", "123",
                             "es-toolongsubtag", "\xff\xfe", "q=0.9", ";q=1"}) {
    EXPECT_EQ(language_from_accept_language(header), Language::en) << header;
  }
  // A malformed entry is skipped, the rest still count.
  EXPECT_EQ(language_from_accept_language("es;q=x, es-MX;q=0.4, en;q=0.3"), Language::es);
  EXPECT_EQ(language_from_accept_language(";;;,es"), Language::es);
}

TEST(Language, NumbersUseTheLanguagesSeparators) {
  EXPECT_EQ(format_number("2.5", Language::en), "2.5");
  EXPECT_EQ(format_number("2.5", Language::es), "2,5");
  EXPECT_EQ(format_number("3434", Language::en), "3,434");
  EXPECT_EQ(format_number("3434", Language::es), "3434");
  EXPECT_EQ(format_number("12345.75", Language::es), "12\u00a0345,75");
  EXPECT_EQ(format_number("-1234567.5", Language::en), "-1,234,567.5");
  EXPECT_EQ(format_number("-1234567.5", Language::es), "-1\u00a0234\u00a0567,5");
  EXPECT_EQ(format_number("0", Language::es), "0");
  EXPECT_EQ(format_number("999", Language::en), "999");
  // Not a plain C number: unchanged.
  for (const auto* text : {"", "-", "2.", ".5", "1e3", "2.5.1", "abc", "1,5"}) {
    EXPECT_EQ(format_number(text, Language::es), text);
  }
}

TEST(Language, DatesAndTimes) {
  const Day day = date::sys_days{date::year{2026} / date::December / 2};
  EXPECT_EQ(format_long_date(day, Language::es), "2 de diciembre de 2026");
  EXPECT_EQ(format_long_date(day, Language::en), "December 2, 2026");
  EXPECT_EQ(format_long_date_with_weekday(day, Language::es), "miércoles, 2 de diciembre de 2026");
  EXPECT_EQ(format_long_date_with_weekday(day, Language::en), "Wednesday, December 2, 2026");
  EXPECT_EQ(format_time_of_day(minutes{8 * 60 + 5}, Language::es), "08:05");
  EXPECT_EQ(format_time_of_day(minutes{21 * 60 + 30}, Language::es), "21:30");
  EXPECT_EQ(format_time_of_day(minutes{21 * 60 + 30}, Language::en), "21:30");
  // 2026-01-01T04:30Z is still 31 December in New York.
  const Instant t = date::sys_days{date::year{2026} / 1 / 1} + std::chrono::hours{4} + minutes{30};
  const auto* ny = *find_zone(mitra::app::system_zones(), "America/New_York");
  EXPECT_EQ(format_date_time(t, ny, Language::es), "31 de diciembre de 2025, 23:30");
  EXPECT_EQ(format_date_time(t, ny, Language::en), "December 31, 2025, 23:30");
  const auto* madrid = *find_zone(mitra::app::system_zones(), "Europe/Madrid");
  EXPECT_EQ(format_date_time(t, madrid, Language::es), "1 de enero de 2026, 05:30");
}

// Random bytes, weighted towards the characters a header is made of: never a crash, always a
// supported language.
TEST(Language, AcceptLanguageOfRandomTextNeverFails) {
  std::mt19937 random(20261202);
  const std::string alphabet = "esenfrESq=0.1;,-*_ \t419MX\xff\x00\"";
  for (int round = 0; round < 20000; ++round) {
    std::string header;
    const int length = static_cast<int>(random() % 40);
    for (int i = 0; i < length; ++i) {
      header += random() % 8 == 0 ? static_cast<char>(random() % 256)
                                  : alphabet[random() % alphabet.size()];
    }
    const auto language = language_from_accept_language(header);
    EXPECT_TRUE(language == Language::en || language == Language::es) << header;
    (void)match_language(header);
    (void)parse_language_option(header);
    (void)language_from_environment({.lang = header, .language = header});
  }
}

// A model of the rules above over well-formed headers: the result is the supported language
// with the highest weight (a wildcard standing for those not named), the first listed on a tie,
// English when none is acceptable.
Language model(const std::vector<std::pair<std::string, int>>& entries) {
  int best_weight = 0;
  int best_position = 0;
  Language best = Language::en;
  for (const Language language : kLanguages) {
    int weight = -1;
    int position = 0;
    int wildcard = -1;
    int wildcard_position = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto& [range, q] = entries[i];
      if (range == "*") {
        if (wildcard < 0) {
          wildcard = q;
          wildcard_position = static_cast<int>(i);
        }
      } else if (match_language(range) == language && q > weight) {
        weight = q;
        position = static_cast<int>(i);
      }
    }
    if (weight < 0) {
      weight = wildcard;
      position = wildcard_position;
    }
    if (weight > best_weight || (weight == best_weight && weight > 0 && position < best_position)) {
      best = language;
      best_weight = weight;
      best_position = position;
    }
  }
  return best;
}

std::string header_of(const std::vector<std::pair<std::string, int>>& entries,
                      std::mt19937& random) {
  std::string out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) out += random() % 2 ? ", " : ",";
    out += entries[i].first;
    const int q = entries[i].second;
    if (q != 1000 || random() % 2) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, q == 1000 ? "1" : "0.%03d", q);
      out += random() % 2 ? ";q=" : " ; q=";
      out += buffer;
    }
  }
  return out;
}

TEST(Language, AcceptLanguageAgreesWithTheModel) {
  std::mt19937 random(42);
  const std::vector<std::string> ranges = {"en", "en-US", "es", "es-419",     "es-MX",
                                           "fr", "de-DE", "*",  "zh-Hant-TW", "pt-BR"};
  for (int round = 0; round < 5000; ++round) {
    std::vector<std::pair<std::string, int>> entries;
    const int count = static_cast<int>(random() % 6);
    for (int i = 0; i < count; ++i) {
      const int q = random() % 4 == 0 ? 1000 : static_cast<int>(random() % 1001);
      entries.emplace_back(ranges[random() % ranges.size()], q);
    }
    const std::string header = header_of(entries, random);
    EXPECT_EQ(language_from_accept_language(header), model(entries)) << header;
    // A malformed entry added anywhere changes nothing.
    EXPECT_EQ(language_from_accept_language(header + ", es;q=7"), model(entries)) << header;
    EXPECT_EQ(language_from_accept_language("@@," + header), model(entries)) << header;
  }
}

#ifdef MITRA_HAVE_RAPIDCHECK
RC_GTEST_PROP(LanguageProperty, AnyAcceptLanguageGivesASupportedLanguage, (std::string header)) {
  const auto language = language_from_accept_language(header);
  RC_ASSERT(language == Language::en || language == Language::es);
}

RC_GTEST_PROP(LanguageProperty, AnyLocaleGivesASupportedLanguage,
              (std::string all, std::string messages, std::string lang)) {
  const auto language = language_from_environment(
      {.lc_all = all, .lc_messages = messages, .lang = lang, .language = lang});
  RC_ASSERT(language == Language::en || language == Language::es);
}

RC_GTEST_PROP(LanguageProperty, FormatNumberKeepsEveryDigitInOrder, (std::int64_t units)) {
  const std::string plain =
      std::to_string(units / 100) + "." + std::to_string(100 + std::abs(units % 100)).substr(1);
  for (const Language language : kLanguages) {
    std::string digits;
    for (const char c : format_number(plain, language)) {
      if (c >= '0' && c <= '9') digits += c;
    }
    std::string expected;
    for (const char c : plain) {
      if (c >= '0' && c <= '9') expected += c;
    }
    RC_ASSERT(digits == expected);
  }
}
#endif

}  // namespace
}  // namespace mitra::core
