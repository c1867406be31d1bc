#pragma once
// Clinical content by language (docs/languages.md). English files live in data/
// ("advisories.json"); a translation lives under data/<code>/ with the same name
// ("es/advisories.json") and exactly the same shape, ids and sources
// (tests/unit/translation_test.cpp checks every file). A file that has no translation is served in
// English, and the answer says so, so that a caller can tell the person the text is in English.

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/language.hpp"

namespace mitra::data {

struct LocalizedFile {
  std::string_view content;  // The embedded bytes; they live as long as the program.
  core::Language language;   // The language the content is in (English after a fallback).
};

// The embedded file `path` (relative to data/, e.g. "evidence/facts.json") in `language`, or its
// English original when there is no translation; nullopt if not even the English file exists.
std::optional<LocalizedFile> find_localized(std::string_view path, core::Language language);

// The language `path` is served in when `language` is asked for: `language` when the translation
// exists, else English (the fallback of find_localized).
core::Language content_language(std::string_view path, core::Language language);

// What `load(language)` returns, made once per language on first use and kept for the program
// (thread-safe). Each call site passes its own lambda, so each has its own cache; English is
// parsed only when English is asked for, Spanish only when Spanish is.
template <typename Load>
const std::invoke_result_t<Load, core::Language>& once_per_language(core::Language language,
                                                                    Load load) {
  using Value = std::invoke_result_t<Load, core::Language>;
  static std::array<std::once_flag, core::kLanguages.size()> flags;
  static std::array<std::optional<Value>, core::kLanguages.size()> values;
  const auto index = static_cast<std::size_t>(language);
  std::call_once(flags.at(index), [&] { values.at(index).emplace(load(language)); });
  return *values.at(index);
}

// Where the translation of `path` into `language` is embedded: "es/evidence/facts.json"; for
// English, `path` itself.
std::string localized_path(std::string_view path, core::Language language);

// The embedded English files that a translation mirrors: every data/*.json and data/*/*.json
// except references.json, manifest.json and the translations themselves.
std::vector<std::string_view> translatable_files();

}  // namespace mitra::data
