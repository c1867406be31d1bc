// Errors as sentences (core/error.hpp, docs/languages.md "Program text"): a message made in core,
// app or the store carries its English template and values; `message` stays the English, and
// the adapters translate with message_in().

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/amount.hpp"
#include "core/error.hpp"
#include "core/journal.hpp"
#include "core/system_reason.hpp"
#include "core/time.hpp"
#include "core/translate.hpp"
#include "formats/journal_export.hpp"

namespace mitra::core {
namespace {

TEST(ErrorSentence, FillsItsEnglishTemplateWithItsValues) {
  const auto s =
      sentence("{field} \"{value}\" is not a number", {{"field", "amount"}, {"value", "x"}});
  EXPECT_EQ(s.pattern, "{field} \"{value}\" is not a number");
  EXPECT_EQ(s.english(), "amount \"x\" is not a number");
  // A placeholder without a value stays as it is, as fill() leaves it.
  EXPECT_EQ(sentence("{a} and {b}", {{"a", "1"}}).english(), "1 and {b}");
}

// The system's reason in a message: in English the C library's words, as the messages held
// before (strerror); in Spanish translated for the common reasons; any other as the C library
// says it, in both.
TEST(ErrorSentence, TheSystemsReasonIsStrerrorInEnglishAndTranslatedForTheCommonOnes) {
  for (const int error : {ENOENT, EACCES, EPERM, EISDIR, ENOTDIR, ENOSPC, EDQUOT, EROFS, EEXIST,
                          EIO, EMFILE, ENAMETOOLONG, ELOOP}) {
    const auto reason = system_reason(error);
    EXPECT_EQ(reason.english(), std::strerror(error)) << error;
    EXPECT_NE(fill_sentence(reason, Language::es), std::strerror(error)) << error;
  }
  EXPECT_EQ(fill_sentence(system_reason(ENOENT), Language::es),
            "No existe el archivo o la carpeta");
  EXPECT_EQ(system_reason(EBADF).english(), std::strerror(EBADF));
  EXPECT_EQ(fill_sentence(system_reason(EBADF), Language::es), std::strerror(EBADF));
  const auto message = sentence("cannot write \"{file}\": {reason}", {{"file", "a.csv"}})
                           .with("reason", system_reason(EISDIR));
  EXPECT_EQ(message.english(), "cannot write \"a.csv\": Is a directory");
  EXPECT_EQ(fill_sentence(message, Language::es), "no se puede escribir \"a.csv\": Es una carpeta");
}

TEST(ErrorSentence, AFailureKeepsTheEnglishMessageAndTheSentence) {
  const Error error =
      fail(ErrorKind::invalid_input, sentence("{field} is empty", {{"field", "note"}}), "note")
          .value();
  EXPECT_EQ(error.message, "note is empty");
  EXPECT_EQ(error.field, "note");
  EXPECT_EQ(error.text.pattern, "{field} is empty");
  EXPECT_EQ(message_in(error, Language::en), "note is empty");
  EXPECT_EQ(message_in(error, Language::es), "note está vacío");
}

// The English of every converted message is what it was before: the goldens and the tests that
// assert messages verbatim pin most of them; these pin a few by hand.
TEST(ErrorSentence, TheEnglishOfAConvertedMessageIsUnchanged) {
  EXPECT_EQ(parse_amount("2,500g", "amount").error().message,
            "amount \"2,500\" has a comma that could separate thousands or decimals; write the "
            "number without a thousands separator and with a decimal point, e.g. 1000mg or 2.5g");
  EXPECT_EQ(parse_form("tea", "form").error().message,
            "form \"tea\" is not known; use one of leaf_powder, capsules, extract, seven_oh (7-OH "
            "product), liquid_shot or other");
  const auto time = parse_time("soon", Instant{}, nullptr, "at").error();
  EXPECT_EQ(time.message,
            "at \"soon\" is not a time I can read; use ISO 8601 (2026-01-09T08:00:00Z, "
            "2026-01-09T09:00+01:00, 2026-01-09 09:00), \"now\", \"08:30\", \"yesterday 22:00\" "
            "or \"2h ago\"");
}

TEST(ErrorSentence, TranslatesTheTemplateAndEachSentenceInsideIt) {
  const auto error = parse_form("tea", "form").error();
  EXPECT_EQ(error.field, "form");
  EXPECT_EQ(message_in(error, Language::es),
            "form \"tea\" no se reconoce; use uno de estos: leaf_powder, capsules, extract, "
            "seven_oh (producto de 7-OH), liquid_shot o other");
  const auto time = parse_time("soon", Instant{}, nullptr, "at").error();
  EXPECT_EQ(message_in(time, Language::es),
            "at \"soon\" no es una hora que mitra pueda leer; use ISO 8601 "
            "(2026-01-09T08:00:00Z, 2026-01-09T09:00+01:00, 2026-01-09 09:00), \"now\", "
            "\"08:30\", \"yesterday 22:00\" o \"2h ago\" (en inglés)");
}

TEST(ErrorSentence, WithinPutsAnErrorInsideAnotherSentence) {
  const auto inner =
      fail(ErrorKind::invalid_input, sentence("{field} is empty", {{"field", "note"}}), "note")
          .value();
  const auto outer = within(inner, sentence("{origin}: {message}", {{"origin", "doses[2]"}}));
  EXPECT_EQ(outer.message, "doses[2]: note is empty");
  EXPECT_EQ(outer.field, "note");
  EXPECT_EQ(message_in(outer, Language::es), "doses[2]: note está vacío");
  // An error without a sentence goes in as its English.
  const Error plain{ErrorKind::internal, "disk I/O error", "db"};
  const auto wrapped = within(plain, sentence("{origin}: {message}", {{"origin", "line 3"}}));
  EXPECT_EQ(wrapped.message, "line 3: disk I/O error");
  EXPECT_EQ(message_in(wrapped, Language::es), "line 3: disk I/O error");
}

TEST(ErrorSentence, AnErrorWithoutASentenceIsShownAsItsMessage) {
  const Error error{ErrorKind::unavailable, "database is locked", ""};
  EXPECT_EQ(message_in(error, Language::es), "database is locked");
  EXPECT_EQ(in_language(error, Language::es).message, "database is locked");
}

TEST(ErrorSentence, InLanguageTranslatesTheMessageAndKeepsTheRest) {
  const auto error = parse_form("tea", "form").error();
  const auto spanish = in_language(error, Language::es);
  EXPECT_EQ(spanish.kind, ErrorKind::invalid_input);
  EXPECT_EQ(spanish.field, "form");
  EXPECT_EQ(spanish.message, message_in(error, Language::es));
  EXPECT_EQ(in_language(error, Language::en).message, error.message);
}

// Bug: a CSV error's "line N: " was added to the English message only, so a Spanish reader got
// the whole message in English.
TEST(ErrorSentence, BugACsvLinePrefixDroppedTheTranslation) {
  const auto parsed = formats::parse_csv(
      "record,id,taken_at,zone,amount,unit,form,substance,product,note,triggers\n"
      "dose,,2026-01-01T08:00:00Z,UTC,abc,g,leaf_powder,,,,\n");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, "line 2: amount \"abc\" is not a number");
  EXPECT_EQ(message_in(parsed.error(), Language::es), "línea 2: amount \"abc\" no es un número");
}

}  // namespace
}  // namespace mitra::core
