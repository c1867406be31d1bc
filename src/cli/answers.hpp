#pragma once
// Shared by the understanding commands (reflect, checkin, profile, learn …): reading an
// answers document from a file or stdin, asking questionnaire items at a terminal, and
// showing source keys with the references they resolve to.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/understanding.hpp"
#include "cli/session.hpp"
#include "core/error.hpp"
#include "core/instruments.hpp"

namespace mitra::cli {

inline constexpr std::size_t kMaxAnswersBytes = 64 * 1024;

// Reads a JSON document from `path`, stdin for "-", or `path` itself when it starts with
// `{` or `[` (inline JSON). Errors name `field`, in `language`.
core::Result<nlohmann::json> read_json_input(const std::string& path, const std::string& field,
                                             core::Language language = core::kDefaultLanguage);

// Asks each item of `instrument` on the terminal and returns {"answers": [...]}; an empty or
// unreadable reply is asked again, end of input is an error. The instrument's own texts are in
// the language it was found in; mitra's words, and the yes/no letters, in `language` (a Spanish
// "s" or "sí" is a yes, and "y" still is).
core::Result<nlohmann::json> ask_answers(const core::Instrument& instrument,
                                         core::Language language = core::kDefaultLanguage);

// A scored and stored questionnaire, with the reply its command starts from.
struct Assessed {
  app::AssessmentResult result;
  const core::Instrument* instrument = nullptr;
  Reply reply;
};

// "[A9, A21]".
std::string source_keys(const std::vector<std::string>& keys);

// Wraps `text` at 88 columns with `indent` spaces on every line.
std::string wrap(const std::string& text, int indent);

}  // namespace mitra::cli
