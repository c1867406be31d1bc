// The journal's everyday commands in Spanish (issue 18, item 6): what `mitra log`, `list` and
// `undo` print when LANG asks for Spanish, with its words, weekdays and decimal commas. (The
// golden files cover `status`, `pattern`, `withdrawal` and `help-now`, whose output holds no
// random ids.)

#include <string>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace mitra {
namespace {

using testing::run_shell;
using testing::TempDir;

std::string spanish(const TempDir& dir, const std::string& args) {
  return "env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=es_ES.UTF-8 MITRA_DB='" + dir.file("m.db") +
         "' '" + std::string(MITRA_BINARY) + "' --tz UTC " + args;
}

TEST(SpanishCli, LogListAndUndoSpeakSpanish) {
  TempDir dir;
  const auto logged =
      run_shell(spanish(dir, "log 2.5g --at 2026-01-09T08:00:00Z --product Verde"), dir);
  ASSERT_EQ(logged.exit_code, 0) << logged.err;
  EXPECT_NE(
      logged.out.find("Anotado: 2,5 g de polvo de hoja (Verde), a las 08:00 del vie 2026-01-09."),
      std::string::npos)
      << logged.out;
  ASSERT_EQ(run_shell(spanish(dir, "use alcohol --at 2026-01-09T21:00:00Z"), dir).exit_code, 0);
  const auto list = run_shell(spanish(dir, "list --from 2026-01-01T00:00:00Z"), dir);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  for (const char* words : {"Cuándo", "Cantidad", "vie 2026-01-09 08:00", "2,5 g",
                            "Otras sustancias", "Sustancia", "Los ids se acortan"}) {
    EXPECT_NE(list.out.find(words), std::string::npos) << words << "\n" << list.out;
  }
  for (const char* english : {"When", "Amount", "Other substances", "Ids are shortened"}) {
    EXPECT_EQ(list.out.find(english), std::string::npos) << english << "\n" << list.out;
  }
  const auto undone = run_shell(spanish(dir, "undo"), dir);
  ASSERT_EQ(undone.exit_code, 0) << undone.err;
  EXPECT_EQ(undone.out.rfind("Deshecho: ", 0), 0u) << undone.out;
  const auto empty = run_shell(spanish(dir, "list --from 2027-01-01T00:00:00Z"), dir);
  EXPECT_NE(empty.out.find("No hay dosis anotadas en ese tiempo."), std::string::npos) << empty.out;
}

}  // namespace
}  // namespace mitra
