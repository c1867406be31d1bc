// Manual pages and shell completions are made from the command tree that parses the command
// line: every command has a page that man renders without a warning, and bash completes
// commands, options and fixed values.

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace mitra::testing {
namespace {

class Reference : public ::testing::Test {
 protected:
  RunResult shell(const std::string& line) { return run_shell(line, dir_); }
  std::string mitra() const { return "MITRA_DB= '" + std::string(MITRA_BINARY) + "'"; }
  TempDir dir_;
};

TEST_F(Reference, EveryCommandHasAManualPageThatManRendersWithoutWarnings) {
  const auto folder = dir_.file("man");
  const auto made = shell(mitra() + " manual '" + folder + "'");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  // The commands `mitra --help` lists, and plan's and clinic's.
  std::set<std::string> expected{"mitra.1"};
  const auto help = shell(mitra() + " --help").out;
  const std::regex line(R"(^  ([a-z][a-z-]*) {2,}\S)");
  bool listing = false;
  std::istringstream lines(help);
  for (std::string text; std::getline(lines, text);) {
    if (text.rfind("Subcommands:", 0) == 0) listing = true;
    std::smatch m;
    if (listing && std::regex_search(text, m, line)) expected.insert("mitra-" + m[1].str() + ".1");
  }
  ASSERT_GT(expected.size(), 20u) << help;
  for (const char* sub : {"new", "show", "today", "hold", "resume", "adjust", "ics"}) {
    expected.insert("mitra-plan-" + std::string(sub) + ".1");
  }
  for (const char* sub : {"invite", "sessions"}) {
    expected.insert("mitra-clinic-" + std::string(sub) + ".1");
  }
  std::set<std::string> written;
  for (const auto& file : std::filesystem::directory_iterator(folder)) {
    written.insert(file.path().filename().string());
  }
  EXPECT_EQ(written, expected);
  for (const auto& name : written) {
    const auto page = folder + "/" + name;
    const auto rendered = shell("LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -l '" + page +
                                "' 2>'" + dir_.file("warnings.txt") + "'");
    EXPECT_EQ(rendered.exit_code, 0) << name;
    EXPECT_EQ(read_file(dir_.file("warnings.txt")), "") << name << " has warnings";
    const auto& text = rendered.out;
    for (const char* section : {"NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "SEE ALSO",
                                "HELP NOW", "988", "1-800-222-1222"}) {
      EXPECT_NE(text.find(section), std::string::npos) << name << " lacks " << section;
    }
  }
  const auto log = shell("LC_ALL=C.UTF-8 MANWIDTH=200 man -l '" + folder + "/mitra-log.1'").out;
  EXPECT_NE(log.find("mitra log 3g --at 08:30 --trigger stress"), std::string::npos) << log;
  EXPECT_NE(log.find("--form TEXT"), std::string::npos) << log;
}

TEST_F(Reference, SpanishManualPagesAreInSpanishAndRenderWithoutWarnings) {
  const auto english = dir_.file("man");
  const auto spanish = dir_.file("man-es");
  ASSERT_EQ(shell(mitra() + " --lang en manual '" + english + "'").exit_code, 0);
  const auto made = shell(mitra() + " --lang es manual '" + spanish + "'");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(made.out, "Se escribieron 38 páginas del manual en " + spanish + ".\n");
  std::set<std::string> english_pages, spanish_pages;
  for (const auto& file : std::filesystem::directory_iterator(english)) {
    english_pages.insert(file.path().filename().string());
  }
  for (const auto& file : std::filesystem::directory_iterator(spanish)) {
    spanish_pages.insert(file.path().filename().string());
  }
  EXPECT_EQ(spanish_pages, english_pages);
  for (const auto& name : spanish_pages) {
    const auto rendered = shell("LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -l '" + spanish +
                                "/" + name + "' 2>'" + dir_.file("warnings.txt") + "'");
    EXPECT_EQ(rendered.exit_code, 0) << name;
    EXPECT_EQ(read_file(dir_.file("warnings.txt")), "") << name << " has warnings";
    for (const char* section : {"NOMBRE", "SINOPSIS", "DESCRIPCIÓN", "ESTADO DE SALIDA",
                                "AYUDA INMEDIATA", "VÉASE TAMBIÉN", "988", "1-800-222-1222"}) {
      EXPECT_NE(rendered.out.find(section), std::string::npos) << name << " lacks " << section;
    }
    for (const char* english_words :
         {"NAME", "SYNOPSIS", "EXIT STATUS", "Need help now?", "Examples:"}) {
      EXPECT_EQ(rendered.out.find(english_words), std::string::npos)
          << name << " still says " << english_words;
    }
  }
  const auto log = shell("LC_ALL=C.UTF-8 MANWIDTH=200 man -l '" + spanish + "/mitra-log.1'").out;
  EXPECT_NE(log.find("EJEMPLOS"), std::string::npos) << log;
  EXPECT_NE(log.find("mitra log 3g --at 08:30 --trigger stress"), std::string::npos) << log;
  EXPECT_NE(log.find("Cuánto: 2.5g"), std::string::npos) << log;
}

TEST_F(Reference, BashCompletesCommandsOptionsAndFixedValues) {
  ASSERT_EQ(shell(mitra() + " completions bash > '" + dir_.file("mitra.bash") + "'").exit_code, 0);
  const auto complete = [&](const std::string& words) {
    write_file(dir_.file("complete.sh"),
               "source '" + dir_.file("mitra.bash") + "'\nCOMP_WORDS=(" + words +
                   ")\nCOMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n_mitra\necho \"${COMPREPLY[*]}\"\n");
    const auto r = shell("bash '" + dir_.file("complete.sh") + "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  };
  EXPECT_EQ(complete("mitra pl"), "plan");
  EXPECT_EQ(complete("mitra plan ''"), "new show today hold resume adjust ics");
  EXPECT_EQ(complete("mitra plan new --pace ''"), "slow gentle steady brisk");
  EXPECT_EQ(complete("mitra log 2g --form ca"), "capsules");
  EXPECT_EQ(complete("mitra use be"), "benzodiazepine");
  EXPECT_EQ(complete("mitra --db x.db st"), "status");
  EXPECT_EQ(complete("mitra checkin --scale ''"), "sows daily cows");
  EXPECT_NE(complete("mitra --tz Europe/Be").find("Europe/Berlin"), std::string::npos);
  EXPECT_NE(complete("mitra backup --").find("--encrypt"), std::string::npos);
}

TEST_F(Reference, ZshAndFishScriptsAreMadeAndAnUnknownShellIsRefused) {
  const auto zsh = shell(mitra() + " completions zsh");
  EXPECT_EQ(zsh.exit_code, 0);
  EXPECT_EQ(zsh.out.rfind("#compdef mitra", 0), 0u);
  const auto fish = shell(mitra() + " completions fish");
  EXPECT_EQ(fish.exit_code, 0);
  EXPECT_NE(fish.out.find("-a 'slow gentle steady brisk'"), std::string::npos);
  EXPECT_NE(fish.out.find("Today\\'s"), std::string::npos) << "quotes escaped for fish";
  const auto refused = shell(mitra() + " completions tcsh");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("tcsh"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace mitra::testing
