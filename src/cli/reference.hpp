#pragma once
// Manual pages and shell completions, made from the same command tree (CLI11) that parses the
// command line and prints --help: one source of truth for every command, option and choice.

#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/session.hpp"
#include "core/translate.hpp"

namespace mitra::cli {

// Every help screen, at every level (`mitra`, `mitra plan`, `mitra plan new`), ends with the four
// lines a person in trouble needs (issue 13, item 8); so does every manual page.
// Translated with core::tr (po/es.po).
inline constexpr const char* kCrisisLines = core::noop_tr(
    "\nNeed help now? Emergency: 911 (someone unresponsive or not breathing). Crisis: call or\n"
    "text 988. Poison Help: 1-800-222-1222. Treatment referrals: SAMHSA 1-800-662-4357 (free,\n"
    "confidential, 24/7). See `mitra help-now`.");

struct ManPage {
  std::string file;  // "mitra.1", "mitra-log.1", "mitra-plan-new.1"
  std::string text;  // roff
};

// `mitra.1` for the whole program and one page per command and nested command. The tree's texts
// are in the language it was built in (`mitra --lang es manual DIR`); the pages' own words
// (section names, the environment, files and exit status) in `language`.
std::vector<ManPage> man_pages(const CLI::App& root,
                               core::Language language = core::kDefaultLanguage);

// Writes man_pages(root, language) into `folder` (created if missing). Errors name "folder".
core::Result<Reply> write_man_pages(const CLI::App& root, const std::string& folder,
                                    core::Language language = core::kDefaultLanguage);

// The completion script for "bash", "zsh" or "fish"; empty for any other shell.
std::string completion_script(const CLI::App& root, std::string_view shell);

}  // namespace mitra::cli
