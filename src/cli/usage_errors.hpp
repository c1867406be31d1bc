#pragma once
// CLI11's refusals of a command line (an unexpected word, a missing option or value, a value
// out of range or of the wrong kind) as mitra reports them: the message in the person's
// language, and the option it is about as the error's field (for --json).

#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/language.hpp"

namespace mitra::cli {

struct UsageError {
  // English: CLI11's own words, unchanged ("--limit: Value 5000 not in range 1 to 1000"). Other
  // languages: the same facts in that language, the option, values and choices as typed.
  std::string message;
  // The option or positional without its dashes ("days", "amount"); empty when the refusal is
  // not about one option (an unexpected word, a missing command).
  std::string field;
};

// Reads the refusal from CLI11's error (its type and its English message, which is all CLI11
// gives). Never throws; a refusal it does not know is reported with CLI11's words.
UsageError usage_error(const CLI::ParseError& error, core::Language language);

// A command line whose command word names no command ("mitra lst", "mitra 2g"): the message
// names the word and, when one command is plainly what was meant, suggests it (a command the
// word begins, or one a letter or two away; "log 2g" for an amount); the field is "command".
// `commands` are the names to suggest from.
UsageError unknown_command(std::string_view word, const std::vector<std::string>& commands,
                           core::Language language);

// "Run with --help for more information.", in `language`.
std::string usage_hint(core::Language language);

}  // namespace mitra::cli
