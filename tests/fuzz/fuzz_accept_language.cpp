// libFuzzer harness: choosing the language (core/language): the HTTP Accept-Language parser, the
// locale variables and `--lang`. Properties: nothing crashes or throws; the answer is always a
// supported language; a header made of one supported language's tag alone picks that language;
// the number formatter keeps every digit of a C number, in order.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/language.hpp"
#include "fuzz_check.hpp"

using namespace mitra::core;

namespace {

bool supported(Language language) { return language == Language::en || language == Language::es; }

std::string digits_of(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const Language chosen = language_from_accept_language(text);
  FUZZ_CHECK(supported(chosen), std::string(text));

  // The same header with a weightless Spanish entry in front: Spanish, unless the input names a
  // language with an equal weight first, which it cannot, being after it.
  const std::string spanish_first = "es," + std::string(text);
  FUZZ_CHECK(language_from_accept_language(spanish_first) == Language::es, spanish_first);

  const auto first_colon = text.find(':');
  const std::string_view left = text.substr(0, first_colon);
  const std::string_view right =
      first_colon == std::string_view::npos ? std::string_view{} : text.substr(first_colon + 1);
  FUZZ_CHECK(supported(language_from_environment({.lc_all = left, .language = right})),
             std::string(text));
  FUZZ_CHECK(supported(language_from_environment({.lc_messages = text, .lang = left})),
             std::string(text));

  if (auto option = parse_language_option(text)) {
    FUZZ_CHECK(supported(*option), std::string(text));
  } else {
    FUZZ_CHECK(option.error().field == "lang" && !option.error().message.empty(),
               "an error without a message or not naming the field");
  }

  for (const Language language : kLanguages) {
    const std::string formatted = format_number(text, language);
    const bool changed = formatted != text;
    if (changed) FUZZ_CHECK(digits_of(formatted) == digits_of(text), std::string(text));
  }
  return 0;
}
