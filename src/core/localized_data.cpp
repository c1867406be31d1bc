#include "core/localized_data.hpp"

#include "core/embedded.hpp"

namespace mitra::data {
namespace {

// A top-level folder named after a supported language (other than English) holds translations.
bool is_translation(std::string_view path) {
  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return false;
  const auto folder = path.substr(0, slash);
  for (const auto language : core::kLanguages) {
    if (language != core::Language::en && folder == core::language_code(language)) return true;
  }
  return false;
}

}  // namespace

std::string localized_path(std::string_view path, core::Language language) {
  if (language == core::Language::en) return std::string(path);
  std::string out(core::language_code(language));
  out += '/';
  out += path;
  return out;
}

std::optional<LocalizedFile> find_localized(std::string_view path, core::Language language) {
  if (language != core::Language::en) {
    if (const auto translated = find(localized_path(path, language))) {
      return LocalizedFile{*translated, language};
    }
  }
  if (const auto english = find(path)) return LocalizedFile{*english, core::Language::en};
  return std::nullopt;
}

core::Language content_language(std::string_view path, core::Language language) {
  const auto file = find_localized(path, language);
  return file ? file->language : core::Language::en;
}

std::vector<std::string_view> translatable_files() {
  std::vector<std::string_view> out;
  for (const auto path : list()) {
    // references.json holds citations (titles stay as published); manifest.json is a placeholder.
    if (path == "references.json" || path == "manifest.json" || is_translation(path)) continue;
    if (!path.ends_with(".json")) continue;
    out.push_back(path);
  }
  return out;
}

}  // namespace mitra::data
