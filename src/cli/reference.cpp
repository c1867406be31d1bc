#include "cli/reference.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include <filesystem>

#include "cli/files.hpp"
#include "core/journal.hpp"
#include "core/translate.hpp"

namespace mitra::cli {

namespace {

using core::Language;
using core::tr;

std::string said(Language language, const char* english) {
  return std::string(tr(language, english));
}

// --- The command tree, flattened ------------------------------------------------------------

struct OptionInfo {
  std::vector<std::string> names;  // "--at", "-o", in that order; empty for a positional.
  std::string positional;          // The positional's name.
  std::string value;               // "TEXT", "INT"…; empty for a flag.
  std::string description;
  std::vector<std::string> choices;  // Values completion offers.
  bool required = false;
};

struct CommandInfo {
  std::vector<std::string> path;  // {"plan", "new"}
  std::string summary;
  std::string footer;
  std::vector<OptionInfo> options;
  std::vector<std::string> subcommands;
};

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    if (c == ',' || c == ' ' || c == '{' || c == '}') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

template <typename Enum>
std::vector<std::string> enum_names(Enum last) {
  std::vector<std::string> names;
  for (int i = 0; i <= static_cast<int>(last); ++i) names.emplace_back(core::to_string(Enum(i)));
  return names;
}

// Values with a fixed list, for options whose check does not already list them. Zones are
// completed by the shell scripts from the system's zone table.
std::vector<std::string> known_choices(const std::string& name) {
  static const std::map<std::string, std::vector<std::string>> kChoices{
      {"--form", enum_names(core::Form::other)},
      {"substance", enum_names(core::Substance::other)},
      {"--pace", {"slow", "gentle", "steady", "brisk"}},
      {"--goal", {"stop", "reduce"}},
      {"--trigger", {"stress", "pain", "tiredness", "boredom", "social", "habit"}},
      {"--on-conflict", {"fail", "skip", "replace"}},
      {"--format", {"json", "csv"}},
      {"--wording", {"discreet", "descriptive"}},
      {"--instrument", {"sows", "cows", "checkin", "dsm5", "reflection"}},
  };
  const auto found = kChoices.find(name);
  return found == kChoices.end() ? std::vector<std::string>{} : found->second;
}

OptionInfo describe(const CLI::Option& option) {
  OptionInfo info;
  for (const auto& s : option.get_snames()) info.names.push_back("-" + s);
  for (const auto& l : option.get_lnames()) info.names.insert(info.names.begin(), "--" + l);
  if (info.names.empty()) info.positional = option.get_name();
  info.description = option.get_description();
  info.required = option.get_required();
  if (option.get_type_size_max() > 0 || !option.nonpositional()) {
    std::string type = option.get_type_name();
    const auto brace = type.find(":{");
    if (brace != std::string::npos) {
      info.choices = split_words(type.substr(brace + 1));
      type = type.substr(0, brace);
    }
    info.value = type.empty() ? "VALUE" : type;
  }
  if (info.choices.empty()) {
    info.choices = known_choices(info.names.empty() ? info.positional : info.names.front());
  }
  return info;
}

void collect(const CLI::App& app, std::vector<std::string> path, std::vector<CommandInfo>& out) {
  CommandInfo command;
  command.path = path;
  command.summary = app.get_description();
  command.footer = app.get_footer();
  for (const CLI::Option* option : app.get_options()) {
    if (option == app.get_help_ptr()) continue;
    command.options.push_back(describe(*option));
  }
  const auto subs =
      app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
  for (const CLI::App* sub : subs) command.subcommands.push_back(sub->get_name());
  out.push_back(std::move(command));
  for (const CLI::App* sub : subs) {
    auto child = path;
    child.push_back(sub->get_name());
    collect(*sub, child, out);
  }
}

std::vector<CommandInfo> flatten(const CLI::App& root) {
  std::vector<CommandInfo> all;
  collect(root, {}, all);
  return all;
}

std::string joined(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : std::string(separator)) + w;
  return out;
}

// --- Manual pages -------------------------------------------------------------------------------

// Text safe in roff: backslashes doubled, a line never starting with a control character, and
// hyphens written as minus signs so that options can be searched and copied.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (const char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// The crisis lines every help screen ends with, for the HELP NOW section, in `language`.
std::string examples_of_crisis(Language language) {
  std::string text = said(language, kCrisisLines);
  while (!text.empty() && text.front() == '\n') text.erase(text.begin());
  return text;
}

// The examples part of a footer: what comes before the crisis lines, which get their own section.
std::string examples_of(const std::string& footer, Language language) {
  auto text = footer;
  const auto crisis = text.find(examples_of_crisis(language).substr(0, 10));
  if (crisis != std::string::npos) text = text.substr(0, crisis);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  while (!text.empty() && text.front() == '\n') text.erase(text.begin());
  for (const auto& heading : {said(language, core::noop_tr("Examples:")) + "\n",
                              said(language, core::noop_tr("Example:")) + "\n"}) {
    if (text.rfind(heading, 0) == 0) text.erase(0, heading.size());
  }
  return text;
}

std::string page(const CommandInfo& command, const std::vector<CommandInfo>& all,
                 const std::string& version, Language language) {
  // The section names and the fixed texts of every page, in `language`.
  const auto section = [language](const char* name) {
    return ".SH " + said(language, name) + "\n";
  };
  const std::string name = command.path.empty() ? "mitra" : "mitra-" + joined(command.path, "-");
  const std::string invocation =
      command.path.empty() ? "mitra" : "mitra " + joined(command.path, " ");
  std::ostringstream out;
  out << ".TH " << upper(name) << " 1 \"\" \"" << roff(version) << "\" \""
      << said(language, core::noop_tr("mitra manual")) << "\"\n";
  std::string summary = command.summary.substr(0, command.summary.find('\n'));
  if (summary.rfind("mitra — ", 0) == 0) summary.erase(0, std::string("mitra — ").size());
  out << section(core::noop_tr("NAME")) << roff(name) << " \\- " << roff(summary) << "\n";
  out << section(core::noop_tr("SYNOPSIS")) << ".B " << roff(invocation) << "\n";
  if (!command.path.empty())
    out << "[\\fI" << said(language, core::noop_tr("GLOBAL OPTIONS")) << "\\fR] ";
  out << "[\\fI" << said(language, core::noop_tr("OPTIONS")) << "\\fR]";
  for (const auto& option : command.options) {
    if (!option.positional.empty()) {
      out << (option.required ? " \\fI" : " [\\fI") << roff(option.positional)
          << (option.required ? "\\fR" : "\\fR]");
    }
  }
  if (!command.subcommands.empty())
    out << " \\fI" << said(language, core::noop_tr("COMMAND")) << "\\fR";
  out << "\n" << section(core::noop_tr("DESCRIPTION")) << roff(command.summary) << "\n";
  if (command.path.empty()) {
    out << ".PP\n"
        << roff(said(
               language,
               core::noop_tr(
                   "mitra keeps a private journal of kratom doses on this machine and helps "
                   "with what comes next: the pattern of use, a self-reflection that is never a "
                   "diagnosis, the withdrawal timeline, a taper plan that stretches the time "
                   "between doses before it trims them, safety advisories and where to find "
                   "help. Nothing is sent anywhere.")))
        << "\n";
  }
  if (!command.options.empty()) {
    out << section(core::noop_tr("OPTIONS"));
    for (const auto& option : command.options) {
      out << ".TP\n";
      if (option.positional.empty()) {
        std::string names;
        for (const auto& n : option.names) names += (names.empty() ? "" : ", ") + roff(n);
        if (option.value.empty()) {
          out << ".B " << names << "\n";
        } else {
          out << ".BI \"" << names << " \" \"" << roff(option.value) << "\"\n";
        }
      } else {
        out << ".I " << roff(option.positional) << "\n";
      }
      out << roff(option.description);
      if (!option.choices.empty() &&
          option.description.find(option.choices.front()) == std::string::npos) {
        out << " (" << said(language, core::noop_tr("one of:")) << " "
            << roff(joined(option.choices, ", ")) << ")";
      }
      out << "\n";
    }
  }
  if (!command.subcommands.empty()) {
    out << section(core::noop_tr("COMMANDS"));
    for (const auto& sub : command.subcommands) {
      auto path = command.path;
      path.push_back(sub);
      for (const auto& other : all) {
        if (other.path == path) {
          out << ".TP\n.B " << roff(sub) << "\n"
              << roff(other.summary) << " " << said(language, core::noop_tr("See"))
              << " \\fBmitra\\-" << roff(joined(path, "-")) << "\\fR(1).\n";
        }
      }
    }
  }
  if (const auto examples = examples_of(command.footer, language); !examples.empty()) {
    out << section(core::noop_tr("EXAMPLES")) << ".nf\n" << roff(examples) << "\n.fi\n";
  }
  // TRANSLATORS: roff: \\- is a hyphen, \\fB…\\fR bold; keep them.
  out << section(core::noop_tr("ENVIRONMENT")) << ".TP\n.B MITRA_DB\n"
      << said(language,
              core::noop_tr(
                  "The journal (default ~/.local/share/mitra/mitra.db); \\-\\-db overrides it."))
      << "\n.TP\n.B TZ\n"
      << said(language,
              core::noop_tr("The time zone used before one is saved with \\fBmitra setup\\fR."))
      << "\n";
  out << section(core::noop_tr("FILES")) << ".TP\n.I ~/.local/share/mitra/mitra.db\n"
      << said(
             language,
             core::noop_tr("The journal (SQLite). Copy it with \\fBmitra backup\\fR, not with cp."))
      << "\n";
  out << section(core::noop_tr("EXIT STATUS"))
      << said(language,
              core::noop_tr(
                  "0 done; 2 bad input or usage (the message names the field); 3 not found; 4 a "
                  "conflict with what is stored; 5 forbidden; 6 the journal is unavailable; 70 an "
                  "internal error."))
      << "\n";
  out << section(core::noop_tr("HELP NOW")) << roff(examples_of_crisis(language)) << "\n";
  out << section(core::noop_tr("SEE ALSO"));
  if (command.path.empty()) {
    std::string pages;
    for (const auto& other : all) {
      if (other.path.size() == 1) {
        pages += (pages.empty() ? "" : ",\n") + std::string("\\fBmitra\\-") +
                 roff(other.path.front()) + "\\fR(1)";
      }
    }
    out << pages << "\n";
  } else {
    out << "\\fBmitra\\fR(1)\n";
  }
  return out.str();
}

// --- Completions --------------------------------------------------------------------------------

// Each command path ("", "plan", "plan new") with its words: subcommands and options.
struct Completion {
  std::string path;
  std::vector<std::string> words;
};

std::vector<Completion> completions(const std::vector<CommandInfo>& all) {
  std::vector<Completion> out;
  for (const auto& command : all) {
    Completion c{joined(command.path, " "), command.subcommands};
    for (const auto& option : command.options) {
      for (const auto& name : option.names) c.words.push_back(name);
    }
    out.push_back(std::move(c));
  }
  return out;
}

// Option (or positional) → its values, over the whole tree ("--tz" is the zone list).
std::map<std::string, std::vector<std::string>> values(const std::vector<CommandInfo>& all) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& command : all) {
    for (const auto& option : command.options) {
      if (option.choices.empty()) continue;
      for (const auto& name : option.names) out[name] = option.choices;
      if (!option.positional.empty()) out[option.positional] = option.choices;
    }
  }
  return out;
}

// Options that take a value (so the next word is a value, not a command).
std::vector<std::string> valued(const std::vector<CommandInfo>& all) {
  std::vector<std::string> out;
  for (const auto& command : all) {
    for (const auto& option : command.options) {
      if (option.value.empty() || !option.positional.empty()) continue;
      for (const auto& name : option.names) {
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
      }
    }
  }
  return out;
}

constexpr std::string_view kZones =
    "awk '!/^#/ {print $3}' /usr/share/zoneinfo/zone1970.tab 2>/dev/null; echo UTC";

std::string bash(const std::vector<CommandInfo>& all) {
  std::ostringstream out;
  out << "# bash completion for mitra (made by `mitra completions bash`)\n"
         "_mitra() {\n"
         "  local cur prev path word i\n"
         "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
         "  prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
         "  path=\"\"\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    word=\"${COMP_WORDS[i]}\"\n"
         "    case \"$word\" in\n"
         "      -*) ;;\n"
         "      *)\n"
         "        case \" $(_mitra_valued) \" in *\" ${COMP_WORDS[i-1]} \"*) continue ;; esac\n"
         "        case \" $(_mitra_words \"$path\") \" in\n"
         "          *\" $word \"*) path=\"${path:+$path }$word\" ;;\n"
         "        esac ;;\n"
         "    esac\n"
         "  done\n"
         "  case \"$prev\" in\n"
         "    --tz|--zone) COMPREPLY=($(compgen -W \"$("
      << kZones << ")\" -- \"$cur\")); return ;;\n";
  for (const auto& [name, choices] : values(all)) {
    if (name.rfind("-", 0) != 0) continue;
    out << "    " << name << ") COMPREPLY=($(compgen -W \"" << joined(choices, " ")
        << "\" -- \"$cur\")); return ;;\n";
  }
  out << "  esac\n"
         "  case \"$path\" in\n"
         "    use) if [[ \"$cur\" != -* ]]; then COMPREPLY=($(compgen -W \""
      << joined(known_choices("substance"), " ") << "\" -- \"$cur\")); return; fi ;;\n"
      << "  esac\n"
         "  COMPREPLY=($(compgen -W \"$(_mitra_words \"$path\")\" -- \"$cur\"))\n"
         "}\n"
         "_mitra_valued() { echo \""
      << joined(valued(all), " ")
      << "\"; }\n"
         "_mitra_words() {\n"
         "  case \"$1\" in\n";
  for (const auto& c : completions(all)) {
    out << "    \"" << c.path << "\") echo \"" << joined(c.words, " ") << "\" ;;\n";
  }
  out << "  esac\n"
         "}\n"
         "complete -F _mitra mitra\n";
  return out.str();
}

std::string zsh(const std::vector<CommandInfo>& all) {
  // zsh runs bash completion functions through bashcompinit: one script, the same behaviour.
  return "#compdef mitra\n# zsh completion for mitra (made by `mitra completions zsh`)\n"
         "autoload -U +X bashcompinit && bashcompinit\n" +
         bash(all);
}

// Text inside fish's single quotes: backslashes and quotes escaped.
std::string fish_quoted(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out;
}

std::string fish(const std::vector<CommandInfo>& all) {
  std::ostringstream out;
  out << "# fish completion for mitra (made by `mitra completions fish`)\ncomplete -c mitra -f\n";
  const auto top = all.front();
  for (const auto& command : all) {
    if (command.path.empty()) continue;
    const std::string condition = command.path.size() == 1
                                      ? "__fish_use_subcommand"
                                      : "__fish_seen_subcommand_from " + command.path.front();
    if (command.path.size() <= 2) {
      out << "complete -c mitra -n '" << condition << "' -a " << command.path.back() << " -d '"
          << fish_quoted(command.summary.substr(0, command.summary.find('\n'))) << "'\n";
    }
    for (const auto& option : command.options) {
      for (const auto& name : option.names) {
        if (name.rfind("--", 0) != 0) continue;
        out << "complete -c mitra -n '__fish_seen_subcommand_from " << command.path.back()
            << "' -l " << name.substr(2);
        if (!option.value.empty()) out << " -r";
        if (!option.choices.empty()) out << " -a '" << joined(option.choices, " ") << "'";
        out << "\n";
      }
    }
  }
  for (const auto& option : top.options) {
    for (const auto& name : option.names) {
      if (name.rfind("--", 0) != 0) continue;
      out << "complete -c mitra -l " << name.substr(2) << (option.value.empty() ? "" : " -r");
      if (name == "--tz") out << " -a '(" << kZones << ")'";
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace

std::vector<ManPage> man_pages(const CLI::App& root, Language language) {
  const auto all = flatten(root);
  const std::string version = root.get_version_ptr() ? "mitra 0.1.0" : "mitra";
  std::vector<ManPage> pages;
  for (const auto& command : all) {
    const std::string name = command.path.empty() ? "mitra" : "mitra-" + joined(command.path, "-");
    pages.push_back({name + ".1", page(command, all, version, language)});
  }
  return pages;
}

core::Result<Reply> write_man_pages(const CLI::App& root, const std::string& folder,
                                    Language language) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return core::invalid("folder", "cannot create \"" + folder + "\": " + ec.message());
  Reply reply;
  reply.json["pages"] = nlohmann::json::array();
  for (const auto& page : man_pages(root, language)) {
    const auto path = (std::filesystem::path(folder) / page.file).string();
    if (auto written = write_file_atomically(path, page.text, "folder", Existing::replace);
        !written) {
      return tl::unexpected(written.error());
    }
    reply.json["pages"].push_back(page.file);
  }
  reply.text =
      core::fill(tr(language, "Wrote {count} manual pages to {folder}."),
                 {{"count", std::to_string(reply.json["pages"].size())}, {"folder", folder}}) +
      "\n";
  return reply;
}

std::string completion_script(const CLI::App& root, std::string_view shell) {
  const auto all = flatten(root);
  if (shell == "bash") return bash(all);
  if (shell == "zsh") return zsh(all);
  if (shell == "fish") return fish(all);
  return {};
}

}  // namespace mitra::cli
