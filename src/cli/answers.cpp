#include "cli/answers.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "core/evidence.hpp"
#include "core/text.hpp"
#include "core/translate.hpp"

namespace mitra::cli {

core::Result<nlohmann::json> read_json_input(const std::string& path, const std::string& field,
                                             core::Language language) {
  std::string text;
  const auto first = path.find_first_not_of(" \t\n");
  if (first != std::string::npos && (path[first] == '{' || path[first] == '[')) {
    text = path;  // Inline JSON, handy in scripts and tests.
  } else if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return core::invalid(field, core::fill(core::tr(language,
                                                      "Cannot read the file \"{file}\"; give a "
                                                      "readable JSON file, or - for stdin."),
                                             {{"file", path}}));
    }
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (text.size() > kMaxAnswersBytes) {
    return core::invalid(field, core::fill(core::tr(language,
                                                    "The {field} document is larger than 64 KB; "
                                                    "it should be a small JSON object."),
                                           {{"field", field}}));
  }
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    return core::invalid(field, core::fill(core::tr(language,
                                                    "The {field} document is not valid JSON; give "
                                                    "an object like {\"answers\": [...]}."),
                                           {{"field", field}}));
  }
  return doc;
}

namespace {

// "s", "si" or "sí" in Spanish ("y" and "yes" are a yes in every language).
bool is_spanish_yes(std::string_view reply, core::Language language) {
  return language == core::Language::es && (reply == "s" || reply == "si" || reply == "sí");
}

}  // namespace

core::Result<nlohmann::json> ask_answers(const core::Instrument& in, core::Language language) {
  std::cout << in.title << "\n";
  // The questions stay in English where no validated translation is cited: say so first.
  if (!in.language_note.empty()) std::cout << wrap(in.language_note, 0) << "\n";
  std::cout << wrap(in.prompt, 0) << "\n\n";
  // TRANSLATORS: the letters for yes and no a person types, as "y/n".
  const std::string yes_no(core::tr(language, "y/n"));
  nlohmann::json answers = nlohmann::json::array();
  for (std::size_t i = 0; i < in.items.size(); ++i) {
    const auto& item = in.items[i];
    std::string choices;
    if (in.kind == core::ResponseKind::yes_no) {
      choices = yes_no;
    } else {
      for (const auto& c : item.choices) {
        choices += (choices.empty() ? "" : ", ") + std::to_string(c.score);
        if (c.label != std::to_string(c.score)) choices += " " + c.label;
      }
    }
    for (;;) {
      std::cout << i + 1 << "/" << in.items.size() << "  " << item.text << "\n    [" << choices
                << "] > " << std::flush;
      std::string line;
      if (!std::getline(std::cin, line)) {
        return core::invalid("answers", std::string(core::tr(language,
                                                             "The questions were not all "
                                                             "answered; nothing was saved.")));
      }
      const std::string reply = core::ascii_lower(core::trim(line));
      if (in.kind == core::ResponseKind::yes_no) {
        if (reply == "y" || reply == "yes" || is_spanish_yes(reply, language)) {
          answers.push_back(true);
          break;
        }
        if (reply == "n" || reply == "no") {
          answers.push_back(false);
          break;
        }
      } else {
        try {
          std::size_t used = 0;
          const int value = std::stoi(reply, &used);
          bool allowed = used == reply.size();
          bool found = false;
          for (const auto& c : item.choices) found = found || c.score == value;
          if (allowed && found) {
            answers.push_back(value);
            break;
          }
        } catch (const std::exception&) {
          // Not a number: ask again.
        }
      }
      std::cout << "    "
                << core::fill(core::tr(language, "Please answer with one of: {choices}"),
                              {{"choices", choices}})
                << "\n";
    }
  }
  return nlohmann::json{{"instrument", in.id}, {"answers", answers}};
}

std::string source_keys(const std::vector<std::string>& keys) {
  std::string out = "[";
  for (std::size_t i = 0; i < keys.size(); ++i) out += (i ? ", " : "") + keys[i];
  return out + "]";
}

std::string wrap(const std::string& text, int indent) {
  std::istringstream words(text);
  std::string word, line, out;
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > 88 - static_cast<std::size_t>(indent)) {
      out += pad + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += pad + line + "\n";
  return out;
}

}  // namespace mitra::cli
