#pragma once
// Typed errors shared by every layer. A failure the caller can expect is a value
// (`Result<T>`); exceptions are kept for when an operation cannot go on at all.
// Kinds map to exit codes and HTTP statuses in exactly one place each
// (cli/exit_codes.cpp, and later the server's error mapper).
//
// A message is made where the failure is found, below the layers that know the reader's
// language, so it travels as a Sentence: its English template and the values of its
// placeholders. `Error::message` is the English, filled, for logs and for callers that want
// English; the CLI's error printer and the server's error mapper show
// `message_in(error, language)` (core/translate.hpp). English output is `message` exactly.

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace mitra::core {

enum class ErrorKind {
  invalid_input,  // The caller's input is wrong; the message says what would be accepted.
  not_found,      // A named record does not exist.
  conflict,       // The request clashes with stored state (e.g. a newer schema).
  forbidden,      // Not allowed for this caller.
  unavailable,    // A resource is busy or missing (locked database, read-only file).
  // Well-formed, but it contradicts an earlier request that used the same Idempotency-Key
  // (the same key with other content): HTTP 422, as the IETF Idempotency-Key draft says.
  unprocessable,
  internal,  // A bug or an unexpected failure underneath.
};

struct Sentence;

// The value of one {name} of a sentence: a text (a number, an id, what the person typed, a
// word that is data such as a form or a unit), or a sentence of its own, translated with it.
struct SentenceValue {
  std::string name;
  std::string text;
  std::shared_ptr<const Sentence> sentence;  // When set, it stands for {name} instead of `text`.
};

// A text for a person that is translated where the reader's language is known: `pattern` is
// the English, with {name} placeholders, written as one literal in a call of sentence() (which
// xgettext extracts: scripts/update-po.sh), and `values` fill the placeholders. An empty
// pattern is no sentence.
struct Sentence {
  std::string pattern;
  std::vector<SentenceValue> values;

  bool empty() const { return pattern.empty(); }
  // The English, filled: what the sentence says in English, byte for byte.
  std::string english() const;
  // The same sentence with one more value, for {name}, that is a sentence itself.
  Sentence with(std::string name, Sentence part) const;
};

// Marks `english` for translation and pairs it with its values:
// sentence("form \"{form}\" is not known.", {{"form", form}}). One literal per call, never a
// concatenation, so that xgettext sees it.
Sentence sentence(const char* english,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> values = {});

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;  // A full sentence for a person, in English.
  std::string field;    // The input field the error points at, or empty.
  // The message as a translatable sentence (its English is `message`); empty for a message
  // that is not translated (an engine's own words, a path the system reported).
  Sentence text{};
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorKind kind, std::string message, std::string field = {}) {
  return tl::unexpected<Error>(Error{kind, std::move(message), std::move(field)});
}

inline tl::unexpected<Error> fail(ErrorKind kind, Sentence message, std::string field = {}) {
  auto english = message.english();
  return tl::unexpected<Error>(
      Error{kind, std::move(english), std::move(field), std::move(message)});
}

inline tl::unexpected<Error> invalid(std::string field, std::string message) {
  return fail(ErrorKind::invalid_input, std::move(message), std::move(field));
}

inline tl::unexpected<Error> invalid(std::string field, Sentence message) {
  return fail(ErrorKind::invalid_input, std::move(message), std::move(field));
}

// An Error (not wrapped in unexpected) made of a sentence.
Error error_of(ErrorKind kind, Sentence message, std::string field = {});

// `error` with its message placed inside `outer`, whose {message} stands for it:
// within(error, sentence("line {line}: {message}", {{"line", "3"}})). An error without a
// sentence goes in as its English text.
Error within(Error error, Sentence outer);

const char* to_string(ErrorKind kind);

}  // namespace mitra::core
