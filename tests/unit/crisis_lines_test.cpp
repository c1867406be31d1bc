// Issue 13, item 8: every help screen of the command line, at every level, ends with the four
// crisis lines (911, 988, Poison Help, SAMHSA), and so does every text screen's last line.

#include <cstdlib>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace mitra::testing {
namespace {

void expect_crisis_lines(const std::string& text, const std::string& where) {
  for (const char* line :
       {"911", "988", "Poison Help", "1-800-222-1222", "SAMHSA", "1-800-662-4357"}) {
    EXPECT_NE(text.find(line), std::string::npos) << where << " lacks " << line << ":\n" << text;
  }
}

TEST(CrisisLines, EveryHelpFooterHasAllFour) {
  TempDir dir;
  for (const char* command :
       {"",           "status",     "log",         "use",         "list",     "edit",
        "delete",     "undo",       "pattern",     "product",     "export",   "import",
        "backup",     "history",    "setup",       "plan",        "plan new", "plan show",
        "plan today", "plan hold",  "plan resume", "plan adjust", "plan ics", "reflect",
        "checkin",    "withdrawal", "safety",      "profile",     "learn",    "help-now",
        "serve"}) {
    const auto r = run_shell("'" + std::string(MITRA_BINARY) + "' " + command + " --help", dir);
    EXPECT_EQ(r.exit_code, 0) << command;
    expect_crisis_lines(r.out, std::string("mitra ") + command + " --help");
  }
}

// Issue 18, item 6: the same in Spanish, and the Spanish footer says SAMHSA answers in Spanish.
TEST(CrisisLines, EveryHelpFooterHasAllFourInSpanish) {
  TempDir dir;
  for (const char* command : {"", "status", "log", "plan new", "withdrawal", "help-now"}) {
    const auto r = run_shell("env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=es_ES.UTF-8 '" +
                                 std::string(MITRA_BINARY) + "' " + command + " --help",
                             dir);
    EXPECT_EQ(r.exit_code, 0) << command;
    expect_crisis_lines(r.out, std::string("LANG=es_ES.UTF-8 mitra ") + command + " --help");
    EXPECT_NE(r.out.find("¿Necesita ayuda ahora?"), std::string::npos) << command << r.out;
    EXPECT_NE(r.out.find("en inglés y en español"), std::string::npos) << command << r.out;
  }
}

// The tests' commands inherited the machine's locale: on a machine whose LANG is Spanish, every
// test that reads the CLI's English failed. run_shell now runs them in English unless the
// command asks for another language itself.
TEST(CrisisLines, BugTestsRanTheCliInTheMachinesLanguage) {
  TempDir dir;
  const char* before = std::getenv("LANG");
  const std::string saved = before ? before : "";
  ::setenv("LANG", "es_ES.UTF-8", 1);
  const auto r = run_shell("'" + std::string(MITRA_BINARY) + "' help-now --help", dir);
  if (before) {
    ::setenv("LANG", saved.c_str(), 1);
  } else {
    ::unsetenv("LANG");
  }
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.find("¿Necesita ayuda ahora?"), std::string::npos) << r.out;
  expect_crisis_lines(r.out, "mitra help-now --help under LANG=es_ES.UTF-8");
}

TEST(CrisisLines, EveryTextScreenEndsWithAllFour) {
  TempDir dir;
  const std::string mitra = "MITRA_DB= '" + std::string(MITRA_BINARY) + "' --db '" +
                            dir.file("j.db") + "' --tz UTC --now 2026-01-10T12:00:00Z ";
  ASSERT_EQ(run_shell(mitra + "log 2g --at 2026-01-10T08:00:00Z", dir).exit_code, 0);
  for (const char* command : {"status", "safety", "withdrawal", "pattern"}) {
    const auto r = run_shell(mitra + command, dir);
    EXPECT_EQ(r.exit_code, 0) << command << r.err;
    const auto last_line = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
    expect_crisis_lines(last_line, std::string("mitra ") + command);
  }
}

}  // namespace
}  // namespace mitra::testing
