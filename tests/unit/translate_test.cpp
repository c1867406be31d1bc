// Program text by language (core/translate.hpp): the .mo reader, tr/trn/fill, and clinical
// content loaded per language (docs/languages.md).

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/embedded.hpp"
#include "core/evidence.hpp"
#include "core/instruments.hpp"
#include "core/language.hpp"
#include "core/localized_data.hpp"
#include "core/safety.hpp"
#include "core/translate.hpp"
#include "core/withdrawal.hpp"

namespace mitra::core {
namespace {

using namespace std::chrono_literals;

// A .mo file with `messages` (msgid, msgstr), sorted as msgfmt writes them, in either byte order.
std::string make_mo(std::vector<std::pair<std::string, std::string>> messages, bool big_endian) {
  std::sort(messages.begin(), messages.end());
  std::string out;
  const auto put = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
      const int shift = big_endian ? (3 - i) * 8 : i * 8;
      out += static_cast<char>((v >> shift) & 0xff);
    }
  };
  const auto n = static_cast<std::uint32_t>(messages.size());
  const std::uint32_t originals = 28;
  const std::uint32_t translations = originals + n * 8;
  std::uint32_t strings = translations + n * 8;
  put(0x950412de);
  put(0);
  put(n);
  put(originals);
  put(translations);
  put(0);
  put(0);
  std::string pool;
  std::vector<std::uint32_t> table;
  for (const auto& [id, text] : messages) {
    table.push_back(static_cast<std::uint32_t>(id.size()));
    table.push_back(strings + static_cast<std::uint32_t>(pool.size()));
    pool += id + '\0';
  }
  for (const auto& [id, text] : messages) {
    table.push_back(static_cast<std::uint32_t>(text.size()));
    table.push_back(strings + static_cast<std::uint32_t>(pool.size()));
    pool += text + '\0';
  }
  for (const auto v : table) put(v);
  return out + pool;
}

TEST(MessageCatalog, ReadsBothByteOrders) {
  for (const bool big_endian : {false, true}) {
    const std::string bytes =
        make_mo({{"", "Language: es\n"}, {"Red flags:", "Señales de alarma:"}}, big_endian);
    const auto catalog = MessageCatalog::parse(bytes);
    ASSERT_TRUE(catalog) << catalog.error().message;
    EXPECT_EQ(catalog->find("Red flags:").value_or(""), "Señales de alarma:");
    EXPECT_EQ(catalog->header(), "Language: es\n");
    EXPECT_FALSE(catalog->find("Numbers"));
  }
}

TEST(MessageCatalog, FindsPluralFormsByTheSingular) {
  const std::string bytes = make_mo({{std::string("{count} day\0{count} days", 24),
                                      std::string("{count} día\0{count} días", 26)}},
                                    false);
  const auto catalog = MessageCatalog::parse(bytes);
  ASSERT_TRUE(catalog);
  EXPECT_EQ(catalog->find_plural("{count} day", 0).value_or(""), "{count} día");
  EXPECT_EQ(catalog->find_plural("{count} day", 1).value_or(""), "{count} días");
  EXPECT_FALSE(catalog->find_plural("{count} day", 2));
}

TEST(MessageCatalog, RefusesBytesThatAreNotACatalog) {
  EXPECT_EQ(MessageCatalog::parse("hello").error().field, "catalog");
  EXPECT_EQ(MessageCatalog::parse(std::string(40, 'x')).error().message,
            "the catalog does not start with the .mo magic number");
  // A string table that points past the end of the file.
  std::string bytes = make_mo({{"a", "b"}}, false);
  bytes.resize(bytes.size() - 3);
  EXPECT_EQ(MessageCatalog::parse(bytes).error().message, "message 0 lies outside the catalog");
}

TEST(Translate, EnglishIsTheTextItselfAndSpanishComesFromTheEmbeddedCatalog) {
  EXPECT_EQ(tr(Language::en, "Red flags:"), "Red flags:");
  EXPECT_EQ(tr(Language::es, "Red flags:"), "Señales de alarma:");
  // A text the catalog does not have comes back in English rather than empty.
  EXPECT_EQ(tr(Language::es, "not a message of mitra"), "not a message of mitra");
}

TEST(Translate, PluralPicksTheFormByCount) {
  EXPECT_EQ(trn(Language::es, "{count} day", "{count} days", 1), "{count} día");
  EXPECT_EQ(trn(Language::es, "{count} day", "{count} days", 2), "{count} días");
  EXPECT_EQ(trn(Language::es, "{count} day", "{count} days", 0), "{count} días");
  EXPECT_EQ(trn(Language::en, "{count} day", "{count} days", 1), "{count} day");
}

// trn() applies "singular for 1 only"; a catalog with another rule would be read wrongly.
TEST(Translate, EveryCatalogDeclaresThePluralRuleTrnApplies) {
  for (const auto path : data::list()) {
    if (!path.starts_with("messages/")) continue;
    const auto catalog = MessageCatalog::parse(*data::find(path));
    ASSERT_TRUE(catalog) << path;
    EXPECT_NE(catalog->header().find("Plural-Forms: nplurals=2; plural=(n != 1);"),
              std::string_view::npos)
        << path << ":\n"
        << catalog->header();
    EXPECT_GT(catalog->size(), 50u) << path;
  }
}

TEST(Translate, FillReplacesNamedPlaceholdersAndKeepsOthers) {
  EXPECT_EQ(fill("{a} de {b}", {{"a", "2,5 g"}, {"b", "hoja"}}), "2,5 g de hoja");
  EXPECT_EQ(fill("{unknown} {a}", {{"a", "x"}}), "{unknown} x");
  EXPECT_EQ(fill("{open", {{"open", "x"}}), "{open");
  EXPECT_EQ(fill("", {}), "");
}

TEST(Translate, DurationsInSpanish) {
  EXPECT_EQ(format_duration(std::chrono::seconds{45min}, Language::es), "45 min");
  EXPECT_EQ(format_duration(std::chrono::seconds{3h + 20min}, Language::es), "3 h 20 min");
  EXPECT_EQ(format_duration(std::chrono::seconds{24h + 3h}, Language::es), "1 día 3 h");
  EXPECT_EQ(format_duration(std::chrono::seconds{48h}, Language::es), "2 días 0 h");
  EXPECT_EQ(format_duration(std::chrono::seconds{48h}, Language::en), "2 days 0 h");
}

TEST(LocalizedContent, HelpResourcesInSpanishKeepIdsContactsAndSources) {
  const auto& en = help_resources(Language::en);
  const auto& es = help_resources(Language::es);
  ASSERT_EQ(en.size(), es.size());
  for (std::size_t i = 0; i < en.size(); ++i) {
    EXPECT_EQ(es[i].id, en[i].id);
    EXPECT_EQ(es[i].sources, en[i].sources);
    EXPECT_NE(es[i].for_what, en[i].for_what) << en[i].id;
  }
  const auto samhsa = std::find_if(es.begin(), es.end(),
                                   [](const HelpResource& r) { return r.id == "samhsa_helpline"; });
  ASSERT_NE(samhsa, es.end());
  EXPECT_NE(samhsa->for_what.find("español"), std::string::npos) << samhsa->for_what;
  EXPECT_EQ(samhsa->contact, "1-800-662-4357 (1-800-662-HELP)");
}

TEST(LocalizedContent, AdvisoriesWithdrawalAndFactsComeInTheLanguageAskedFor) {
  ASSERT_EQ(advisory_rules(Language::es).size(), advisory_rules(Language::en).size());
  EXPECT_NE(advisory_rules(Language::es).front().message,
            advisory_rules(Language::en).front().message);
  EXPECT_EQ(phase_guide(WithdrawalPhase::peak, Language::es).sources,
            phase_guide(WithdrawalPhase::peak, Language::en).sources);
  EXPECT_NE(phase_guide(WithdrawalPhase::peak, Language::es).title,
            phase_guide(WithdrawalPhase::peak, Language::en).title);
  EXPECT_EQ(facts(Language::es).size(), facts(Language::en).size());
  EXPECT_EQ(data::content_language("help.json", Language::es), Language::es);
  // A file without a translation is served in English, and says so.
  EXPECT_EQ(data::content_language("references.json", Language::es), Language::en);
}

TEST(LocalizedContent, PublishedQuestionnairesKeepEnglishItemsWithASpanishNote) {
  const auto sows_es = find_instrument("sows", Language::es);
  const auto sows_en = find_instrument("sows", Language::en);
  ASSERT_TRUE(sows_es && sows_en);
  EXPECT_FALSE((*sows_es)->language_note.empty());
  EXPECT_TRUE((*sows_en)->language_note.empty());
  ASSERT_EQ((*sows_es)->items.size(), (*sows_en)->items.size());
  EXPECT_EQ((*sows_es)->items.front().text, (*sows_en)->items.front().text);
  // mitra's own check-in is translated in full and needs no note.
  const auto checkin = find_instrument("checkin", Language::es);
  ASSERT_TRUE(checkin);
  EXPECT_TRUE((*checkin)->language_note.empty());
}

}  // namespace
}  // namespace mitra::core
