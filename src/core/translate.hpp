#pragma once
// Program text in the language a person reads (docs/languages.md, "Program text"). The texts are
// written in English in the code, marked with tr() or trn(), extracted by xgettext into
// po/mitra.pot, translated in po/<code>.po, compiled by msgfmt at build time and embedded
// (data::find("messages/es.mo")). Nothing depends on the machine's installed locales.
//
// English never touches a catalog: tr(Language::en, text) is `text`. A language's catalog is
// parsed on its first use and kept for the program (thread-safe); a message it lacks comes back
// in English (tests/i18n/catalog_test.sh fails the build's tests when one is missing).

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"
#include "core/language.hpp"

namespace mitra::core {

// A GNU gettext message catalog (.mo): msgid → msgstr. The strings are views into the bytes
// given to parse(), which must outlive the catalog (the embedded catalogs live for the program).
class MessageCatalog {
 public:
  // Reads a .mo file of either byte order. Errors (field "catalog"): too short, a bad magic
  // number, a table or string outside the file.
  static Result<MessageCatalog> parse(std::string_view bytes);

  // The translation of `msgid`, or nullopt when there is none (or it is empty).
  std::optional<std::string_view> find(std::string_view msgid) const;
  // The translation of a plural message, form `index` (0 singular, 1 plural for en and es).
  std::optional<std::string_view> find_plural(std::string_view singular, std::size_t index) const;
  // The catalog's header (the translation of ""), with Language and Plural-Forms.
  std::string_view header() const { return header_; }
  std::size_t size() const { return messages_.size(); }

 private:
  // Key: the msgid (of a plural message, the singular); value: the msgstr, plural forms
  // separated by '\0'.
  std::unordered_map<std::string_view, std::string_view> messages_;
  std::string_view header_;
};

// `english` in `language`. Mark the literal for xgettext: `tr(language, "Last dose")`.
std::string_view tr(Language language, std::string_view english);
// The singular or plural of a message for `count` (both languages: singular for 1 only).
// Mark: `trn(language, "{count} dose", "{count} doses", n)`.
std::string_view trn(Language language, std::string_view singular, std::string_view plural,
                     unsigned long count);
// Marks a literal for extraction where it is stored and translated later with tr(): the command
// table's summaries.
constexpr const char* noop_tr(const char* english) { return english; }

// Replaces each {name} in `pattern` by its value: fill("{n} doses", {{"n", "3"}}). Placeholders
// keep word order free for translators. A name not given stays as it is.
std::string fill(std::string_view pattern,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values);

// A sentence (core/error.hpp) in `language`: its pattern translated, then filled with its
// values, each value that is a sentence translated in turn. In English it is `english()`.
std::string fill_sentence(const Sentence& sentence, Language language);

// What `error` says in `language`: its sentence there, or `message` when it has none. The
// adapters show errors with it (the CLI's error printer, the server's error mapper).
std::string message_in(const Error& error, Language language);

// `error` with `message` in `language` (its sentence and field kept), for a layer that hands
// the error on to a mapper that shows `message` (the server's write path).
Error in_language(Error error, Language language);

}  // namespace mitra::core
