#include "core/translate.hpp"

#include <array>
#include <cstring>
#include <stdexcept>

#include "core/embedded.hpp"
#include "core/localized_data.hpp"

namespace mitra::core {

namespace {

constexpr std::uint32_t kMagic = 0x950412de;
constexpr std::uint32_t kMagicSwapped = 0xde120495;

std::uint32_t read_u32(std::string_view bytes, std::size_t at, bool swapped) {
  std::uint32_t value = 0;
  std::memcpy(&value, bytes.data() + at, sizeof value);
  if (swapped) {
    value = ((value & 0xffU) << 24) | ((value & 0xff00U) << 8) | ((value >> 8) & 0xff00U) |
            (value >> 24);
  }
  return value;
}

// The catalog of `language`, parsed once; English has none (nullptr).
const MessageCatalog* catalog(Language language) {
  if (language == Language::en) return nullptr;
  const auto& loaded = data::once_per_language(language, [](Language lang) {
    const std::string path = "messages/" + std::string(language_code(lang)) + ".mo";
    const auto bytes = data::find(path);
    if (!bytes) throw std::logic_error("embedded catalog missing: " + path);
    auto parsed = MessageCatalog::parse(*bytes);
    // The build made this file with msgfmt --check; a broken one is a build defect.
    if (!parsed) throw std::logic_error(path + ": " + parsed.error().message);
    return std::move(*parsed);
  });
  return &loaded;
}

}  // namespace

Result<MessageCatalog> MessageCatalog::parse(std::string_view bytes) {
  if (bytes.size() < 28) return invalid("catalog", "the catalog is shorter than a .mo header");
  std::uint32_t magic = 0;
  std::memcpy(&magic, bytes.data(), sizeof magic);
  if (magic != kMagic && magic != kMagicSwapped) {
    return invalid("catalog", "the catalog does not start with the .mo magic number");
  }
  const bool swapped = magic == kMagicSwapped;
  const std::uint64_t count = read_u32(bytes, 8, swapped);
  const std::uint64_t originals = read_u32(bytes, 12, swapped);
  const std::uint64_t translations = read_u32(bytes, 16, swapped);
  if (originals + count * 8 > bytes.size() || translations + count * 8 > bytes.size()) {
    return invalid("catalog", "the catalog's string tables run past its end");
  }
  // A string is described by its length and offset; a NUL must follow it inside the file.
  const auto string_at = [&](std::uint64_t table,
                             std::uint64_t index) -> std::optional<std::string_view> {
    const std::uint64_t length = read_u32(bytes, table + index * 8, swapped);
    const std::uint64_t offset = read_u32(bytes, table + index * 8 + 4, swapped);
    if (offset + length >= bytes.size()) return std::nullopt;
    return bytes.substr(offset, length);
  };
  MessageCatalog out;
  out.messages_.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto original = string_at(originals, i);
    const auto translation = string_at(translations, i);
    if (!original || !translation) {
      return invalid("catalog", "message " + std::to_string(i) + " lies outside the catalog");
    }
    if (original->empty()) {
      out.header_ = *translation;
      continue;
    }
    // A plural message's msgid is "singular\0plural": it is found by its singular.
    const auto key = original->substr(0, original->find('\0'));
    if (!translation->empty()) out.messages_.emplace(key, *translation);
  }
  return out;
}

std::optional<std::string_view> MessageCatalog::find(std::string_view msgid) const {
  const auto it = messages_.find(msgid);
  if (it == messages_.end()) return std::nullopt;
  return it->second.substr(0, it->second.find('\0'));
}

std::optional<std::string_view> MessageCatalog::find_plural(std::string_view singular,
                                                            std::size_t index) const {
  const auto it = messages_.find(singular);
  if (it == messages_.end()) return std::nullopt;
  std::string_view forms = it->second;
  for (std::size_t i = 0; i < index; ++i) {
    const auto end = forms.find('\0');
    if (end == std::string_view::npos) return std::nullopt;
    forms.remove_prefix(end + 1);
  }
  const auto form = forms.substr(0, forms.find('\0'));
  if (form.empty()) return std::nullopt;
  return form;
}

std::string_view tr(Language language, std::string_view english) {
  const auto* messages = catalog(language);
  if (messages == nullptr) return english;
  return messages->find(english).value_or(english);
}

std::string_view trn(Language language, std::string_view singular, std::string_view plural,
                     unsigned long count) {
  // English and Spanish share the rule "nplurals=2; plural=(n != 1);" (checked against each
  // catalog's header by tests/unit/translate_test.cpp).
  const std::size_t index = count == 1 ? 0 : 1;
  const auto* messages = catalog(language);
  if (messages != nullptr) {
    if (const auto found = messages->find_plural(singular, index)) return *found;
  }
  return index == 0 ? singular : plural;
}

std::string fill(std::string_view pattern,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string out;
  out.reserve(pattern.size() + 16);
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      const auto close = pattern.find('}', i);
      if (close != std::string_view::npos) {
        const auto name = pattern.substr(i + 1, close - i - 1);
        bool replaced = false;
        for (const auto& [key, value] : values) {
          if (key == name) {
            out += value;
            replaced = true;
            break;
          }
        }
        if (replaced) {
          i = close + 1;
          continue;
        }
      }
    }
    out += pattern[i];
    ++i;
  }
  return out;
}

std::string fill_sentence(const Sentence& sentence, Language language) {
  const std::string_view pattern = tr(language, sentence.pattern);
  std::string out;
  out.reserve(pattern.size() + 16);
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      const auto close = pattern.find('}', i);
      if (close != std::string_view::npos) {
        const auto name = pattern.substr(i + 1, close - i - 1);
        const SentenceValue* found = nullptr;
        for (const auto& value : sentence.values) {
          if (value.name == name) {
            found = &value;
            break;
          }
        }
        if (found != nullptr) {
          out += found->sentence ? fill_sentence(*found->sentence, language) : found->text;
          i = close + 1;
          continue;
        }
      }
    }
    out += pattern[i];
    ++i;
  }
  return out;
}

std::string message_in(const Error& error, Language language) {
  if (error.text.empty() || language == Language::en) return error.message;
  return fill_sentence(error.text, language);
}

Error in_language(Error error, Language language) {
  error.message = message_in(error, language);
  return error;
}

}  // namespace mitra::core
