#include "core/error.hpp"

#include "core/translate.hpp"

namespace mitra::core {

std::string Sentence::english() const { return fill_sentence(*this, Language::en); }

Sentence Sentence::with(std::string name, Sentence part) const {
  Sentence out = *this;
  out.values.push_back(
      SentenceValue{std::move(name), {}, std::make_shared<const Sentence>(std::move(part))});
  return out;
}

Sentence sentence(const char* english,
                  std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  Sentence out;
  out.pattern = english;
  out.values.reserve(values.size());
  for (const auto& [name, text] : values) {
    out.values.push_back(SentenceValue{std::string(name), std::string(text), nullptr});
  }
  return out;
}

Error error_of(ErrorKind kind, Sentence message, std::string field) {
  auto english = message.english();
  return Error{kind, std::move(english), std::move(field), std::move(message)};
}

Error within(Error error, Sentence outer) {
  if (error.text.empty()) {
    outer.values.push_back(SentenceValue{"message", error.message, nullptr});
  } else {
    outer = outer.with("message", std::move(error.text));
  }
  error.message = outer.english();
  error.text = std::move(outer);
  return error;
}

}  // namespace mitra::core
