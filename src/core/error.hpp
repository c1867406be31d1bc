#pragma once
// Typed errors shared by every layer. A failure the caller can expect is a value
// (`Result<T>`); exceptions are kept for when an operation cannot go on at all.
// Kinds map to exit codes and HTTP statuses in exactly one place each
// (cli/exit_codes.cpp, and later the server's error mapper).

#include <string>
#include <utility>

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

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;  // A full sentence for a person.
  std::string field;    // The input field the error points at, or empty.
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(ErrorKind kind, std::string message, std::string field = {}) {
  return tl::unexpected<Error>(Error{kind, std::move(message), std::move(field)});
}

inline tl::unexpected<Error> invalid(std::string field, std::string message) {
  return fail(ErrorKind::invalid_input, std::move(message), std::move(field));
}

const char* to_string(ErrorKind kind);

}  // namespace mitra::core
