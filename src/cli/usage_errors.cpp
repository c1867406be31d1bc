#include "cli/usage_errors.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "core/translate.hpp"

namespace mitra::cli {

namespace {

using core::fill;
using core::Language;
using core::tr;

// "--days" → "days"; "amount" stays.
std::string field_of(std::string_view option) {
  while (!option.empty() && option.front() == '-') option.remove_prefix(1);
  return std::string(option);
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The option a message starts with, as in "--days: …"; empty when it does not start with one.
std::string_view leading_option(std::string_view message) {
  const auto colon = message.find(": ");
  if (colon == std::string_view::npos) return {};
  const auto name = message.substr(0, colon);
  if (name.empty() || name.find(' ') != std::string_view::npos) return {};
  return name;
}

// A validator's words about a value (CLI::Range, CLI::IsMember), in `language`; nullopt for
// words it does not know.
std::optional<std::string> validation(std::string_view option, std::string_view detail,
                                      Language language) {
  // CLI::Range: "Value 5000 not in range 1 to 1000".
  constexpr std::string_view kRange = " not in range ";
  const auto in_range = detail.find(kRange);
  if (starts_with(detail, "Value ") && in_range != std::string_view::npos) {
    const auto to = detail.find(" to ", in_range);
    if (to != std::string_view::npos) {
      const auto value = detail.substr(6, in_range - 6);
      const auto low_start = in_range + kRange.size();
      return fill(tr(language, "{option}: {value} is not from {min} to {max}."),
                  {{"option", option},
                   {"value", value},
                   {"min", detail.substr(low_start, to - low_start)},
                   {"max", detail.substr(to + 4)}});
    }
  }
  // CLI::IsMember: "smoke not in {sows,daily,cows}".
  const auto member = detail.find(" not in {");
  if (member != std::string_view::npos && ends_with(detail, "}")) {
    const auto value = detail.substr(0, member);
    const auto start = member + std::string_view(" not in {").size();
    std::string choices(detail.substr(start, detail.size() - 1 - start));
    for (std::size_t at = choices.find(','); at != std::string::npos;
         at = choices.find(',', at + 2)) {
      choices.replace(at, 1, ", ");
    }
    return fill(tr(language, "{option}: {value} is not one of {choices}."),
                {{"option", option}, {"value", value}, {"choices", choices}});
  }
  return std::nullopt;
}

// Letters to add, drop or change to make `a` into `b`, ignoring case.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      const std::size_t next = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = row[j];
      row[j] = next;
    }
  }
  return row[b.size()];
}

// The one command `word` plainly means, or nothing when none or several fit.
std::optional<std::string> meant_command(std::string_view word,
                                         const std::vector<std::string>& commands) {
  if (word.empty()) return std::nullopt;
  // An amount without its command: "mitra 2g" is "mitra log 2g".
  if (std::isdigit(static_cast<unsigned char>(word.front())) != 0 &&
      std::find(commands.begin(), commands.end(), "log") != commands.end()) {
    return "log " + std::string(word);
  }
  std::vector<std::string_view> begun;
  for (const auto& command : commands) {
    if (word.size() >= 2 && starts_with(command, word)) begun.push_back(command);
  }
  if (begun.size() == 1) return std::string(begun.front());
  if (!begun.empty()) return std::nullopt;
  const std::size_t allowed = word.size() <= 4 ? 1 : 2;
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  bool tied = false;
  for (const auto& command : commands) {
    const auto distance = edit_distance(word, command);
    if (distance < best_distance) {
      best = command;
      best_distance = distance;
      tied = false;
    } else if (distance == best_distance) {
      tied = true;
    }
  }
  if (tied) return std::nullopt;
  return best;
}

}  // namespace

UsageError unknown_command(std::string_view word, const std::vector<std::string>& commands,
                           Language language) {
  const auto meant = meant_command(word, commands);
  UsageError out{meant ? fill(tr(language,
                                 "\"{word}\" is not a mitra command. Did you mean "
                                 "`mitra {command}`?"),
                              {{"word", word}, {"command", *meant}})
                       : fill(tr(language, "\"{word}\" is not a mitra command."), {{"word", word}}),
                 "command"};
  return out;
}

UsageError usage_error(const CLI::ParseError& error, Language language) {
  const std::string_view what = error.what();
  UsageError out{std::string(what), ""};
  const auto said = [&](std::string message) {
    if (language != Language::en) out.message = std::move(message);
  };

  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    // "The following argument was not expected: --amout" (or "arguments were …: a b").
    const auto colon = what.find(": ");
    const auto words = colon == std::string_view::npos ? what : what.substr(colon + 2);
    said(fill(what.find("arguments were") != std::string_view::npos
                  ? tr(language,
                       "These words were not expected: {words}. `mitra COMMAND "
                       "--help` lists what a command takes.")
                  : tr(language,
                       "This word was not expected: {words}. `mitra COMMAND "
                       "--help` lists what a command takes."),
              {{"words", words}}));
    return out;
  }
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    if (ends_with(what, " is required")) {
      const auto name = what.substr(0, what.size() - std::string_view(" is required").size());
      if (name == "A subcommand") {
        said(std::string(tr(language, "A command is required; `mitra --help` lists them.")));
        return out;
      }
      out.field = field_of(name);
      said(fill(tr(language, "{option} is required."), {{"option", name}}));
    }
    return out;
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&error) != nullptr) {
    // "--quiet excludes --access-log".
    const auto at = what.find(" excludes ");
    if (at != std::string_view::npos) {
      const auto option = what.substr(0, at);
      out.field = field_of(option);
      said(fill(tr(language, "{option} cannot go with {other}."),
                {{"option", option}, {"other", what.substr(at + 10)}}));
    }
    return out;
  }
  if (dynamic_cast<const CLI::RequiresError*>(&error) != nullptr) {
    const auto at = what.find(" requires ");
    if (at != std::string_view::npos) {
      const auto option = what.substr(0, at);
      out.field = field_of(option);
      said(fill(tr(language, "{option} needs {other}."),
                {{"option", option}, {"other", what.substr(at + 10)}}));
    }
    return out;
  }
  if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
    // "Could not convert: --days = week".
    constexpr std::string_view kPrefix = "Could not convert: ";
    const auto equals = what.find(" = ");
    if (starts_with(what, kPrefix) && equals != std::string_view::npos) {
      const auto option = what.substr(kPrefix.size(), equals - kPrefix.size());
      out.field = field_of(option);
      said(fill(tr(language, "{option}: \"{value}\" is not a value it takes."),
                {{"option", option}, {"value", what.substr(equals + 3)}}));
      return out;
    }
  }
  const auto option = leading_option(what);
  if (option.empty()) {
    said(fill(tr(language, "The command line is not valid: {reason}"), {{"reason", what}}));
    return out;
  }
  out.field = field_of(option);
  const auto detail = what.substr(option.size() + 2);
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr &&
      ends_with(detail, " missing")) {
    // "--tz: 1 required TEXT missing".
    said(fill(tr(language, "{option} needs a value."), {{"option", option}}));
    return out;
  }
  if (auto said_here = validation(option, detail, language)) {
    said(std::move(*said_here));
    return out;
  }
  said(fill(tr(language, "{option}: the value is not valid ({reason})."),
            {{"option", option}, {"reason", detail}}));
  return out;
}

std::string usage_hint(Language language) {
  return std::string(tr(language, "Run with --help for more information."));
}

}  // namespace mitra::cli
