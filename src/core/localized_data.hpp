#pragma once
// Clinical content by language (docs/languages.md). English files live in data/ ("advisories.json");
// a translation lives under data/<code>/ with the same name ("es/advisories.json") and exactly the
// same shape, ids and sources (tests/unit/translation_test.cpp checks every file). A file that has
// no translation is served in English, and the answer says so, so that a caller can tell the
// person the text is in English.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/language.hpp"

namespace mitra::data {

struct LocalizedFile {
  std::string_view content;   // The embedded bytes; they live as long as the program.
  core::Language language;    // The language the content is in (English after a fallback).
};

// The embedded file `path` (relative to data/, e.g. "evidence/facts.json") in `language`, or its
// English original when there is no translation; nullopt if not even the English file exists.
std::optional<LocalizedFile> find_localized(std::string_view path, core::Language language);

// Where the translation of `path` into `language` is embedded: "es/evidence/facts.json"; for
// English, `path` itself.
std::string localized_path(std::string_view path, core::Language language);

// The embedded English files that a translation mirrors: every data/*.json and data/*/*.json
// except references.json, manifest.json and the translations themselves.
std::vector<std::string_view> translatable_files();

}  // namespace mitra::data
