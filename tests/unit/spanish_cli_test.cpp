// The CLI in Spanish (issue 18, item 6): what `mitra log`, `list`, `undo`, `use`, `edit`,
// `delete`, `product`, `setup`, `profile`, `restore` and a refused command line print when LANG
// asks for Spanish, with its words, weekdays and decimal commas; and every command's help
// screen with no English sentence left. (The golden files cover `status`, `pattern`,
// `withdrawal`, `help-now`, `checkin`, `backup`, `import` and `log --help`, whose output holds
// no random ids.)

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace mitra {
namespace {

using testing::run_shell;
using testing::TempDir;

std::string in_language(const std::string& lang, const TempDir& dir, const std::string& args) {
  return "env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=" + lang + " MITRA_DB='" +
         dir.file("m.db") + "' '" + std::string(MITRA_BINARY) + "' --tz UTC " + args;
}

std::string spanish(const TempDir& dir, const std::string& args) {
  return in_language("es_ES.UTF-8", dir, args);
}

std::string english(const TempDir& dir, const std::string& args) {
  return in_language("C", dir, args);
}

// A help screen without its crisis lines (their Spanish is tested in crisis_lines_test.cpp).
std::string before_crisis_lines(const std::string& help) {
  for (const char* start : {"Need help now?", "¿Necesita ayuda ahora?"}) {
    const auto at = help.find(start);
    if (at != std::string::npos) return help.substr(0, at);
  }
  return help;
}

// The sentences of an English help screen: its columns (split at two spaces or more) that hold
// words, leaving out option and positional names ("--at TEXT", "topic TEXT") and example
// command lines ("mitra log 2.5g").
std::vector<std::string> english_phrases(const std::string& help) {
  std::vector<std::string> phrases;
  std::istringstream lines(before_crisis_lines(help));
  const std::regex gap(" {2,}");
  for (std::string line; std::getline(lines, line);) {
    for (std::sregex_token_iterator it(line.begin(), line.end(), gap, -1), end; it != end; ++it) {
      const std::string chunk = *it;
      if (chunk.empty() || chunk[0] == '-' || chunk.rfind("mitra ", 0) == 0 ||
          chunk.rfind("source ", 0) == 0 || chunk.rfind("echo ", 0) == 0 ||
          chunk.find(' ') == std::string::npos ||
          std::regex_match(chunk, std::regex("[a-z][a-z_-]* [A-Z: {},]+")) ||
          !std::regex_search(chunk, std::regex("[a-z]{3}"))) {
        continue;
      }
      phrases.push_back(chunk);
    }
  }
  return phrases;
}

// The commands `mitra --help` lists, with plan's and clinic's.
std::vector<std::string> every_command(const TempDir& dir) {
  std::vector<std::string> commands;
  const auto help = run_shell(english(dir, "--help"), dir).out;
  const std::regex listed(R"(^  ([a-z][a-z-]*) {2,}\S)");
  bool listing = false;
  std::istringstream lines(help);
  for (std::string text; std::getline(lines, text);) {
    if (text.rfind("Subcommands:", 0) == 0) listing = true;
    std::smatch m;
    if (listing && std::regex_search(text, m, listed)) commands.push_back(m[1].str());
  }
  for (const char* sub : {"new", "show", "today", "hold", "resume", "adjust", "ics"}) {
    commands.push_back(std::string("plan ") + sub);
  }
  for (const char* sub : {"invite", "sessions"}) commands.push_back(std::string("clinic ") + sub);
  return commands;
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

TEST(SpanishCli, EveryHelpScreenSaysItsOptionsAndNotesInSpanish) {
  TempDir dir;
  const auto commands = every_command(dir);
  ASSERT_GT(commands.size(), 30u);
  std::size_t checked = 0;
  for (const auto& command : commands) {
    const auto english_help = run_shell(english(dir, command + " --help"), dir);
    const auto spanish_help = run_shell(spanish(dir, command + " --help"), dir);
    ASSERT_EQ(english_help.exit_code, 0) << command << "\n" << english_help.err;
    ASSERT_EQ(spanish_help.exit_code, 0) << command << "\n" << spanish_help.err;
    EXPECT_NE(spanish_help.out.find("Opciones:"), std::string::npos) << command;
    for (const auto& phrase : english_phrases(english_help.out)) {
      ++checked;
      EXPECT_EQ(spanish_help.out.find(phrase), std::string::npos)
          << "`mitra " << command << " --help` in Spanish still says \"" << phrase << "\"\n"
          << spanish_help.out;
    }
  }
  // Summaries, option descriptions and footer notes: a few hundred.
  EXPECT_GT(checked, 150u);
}

TEST(SpanishCli, LogHelpHasItsExamplesUnderASpanishHeading) {
  TempDir dir;
  const auto help = run_shell(spanish(dir, "log --help"), dir);
  ASSERT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("Ejemplos:\n  mitra log 2.5g\n"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("Cuánto: 2.5g, 500mg"), std::string::npos) << help.out;
  EXPECT_EQ(help.out.find("Examples:"), std::string::npos) << help.out;
}

TEST(SpanishCli, UseEditDeleteAndProductSpeakSpanish) {
  TempDir dir;
  const auto used = run_shell(spanish(dir, "use opioid --at 2026-01-09T21:00:00Z"), dir);
  ASSERT_EQ(used.exit_code, 0) << used.err;
  EXPECT_EQ(used.out.rfind("Anotado: un opioide, a las 21:00 del vie 2026-01-09.\n", 0), 0u)
      << used.out;
  EXPECT_NE(used.out.find("`mitra safety` explica más."), std::string::npos) << used.out;
  const auto logged =
      run_shell(spanish(dir, "--json log 2.5g --at 2026-01-09T08:00:00Z --product Verde"), dir);
  ASSERT_EQ(logged.exit_code, 0) << logged.err;
  const auto id = nlohmann::json::parse(logged.out)["id"].get<std::string>();
  const auto edited = run_shell(spanish(dir, "edit " + id + " --amount 2g"), dir);
  ASSERT_EQ(edited.exit_code, 0) << edited.err;
  EXPECT_EQ(edited.out,
            "Cambiado: 2 g de polvo de hoja (Verde), a las 08:00 del vie 2026-01-09.\n"
            "`mitra undo` lo deja como estaba.\n");
  const auto same = run_shell(spanish(dir, "edit " + id + " --amount 2g"), dir);
  EXPECT_EQ(same.out.rfind("No cambió nada: 2 g de polvo de hoja (Verde)", 0), 0u) << same.out;
  const auto deleted = run_shell(spanish(dir, "delete " + id), dir);
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.out.rfind("Hecho: ", 0), 0u) << deleted.out;
  EXPECT_NE(deleted.out.find("`mitra undo` lo recupera."), std::string::npos) << deleted.out;
  const auto product = run_shell(spanish(dir, "product Verde --teaspoon-weight 2.5g"), dir);
  EXPECT_EQ(product.out,
            "Producto \"Verde\" guardado. Sus cápsulas y cucharaditas ahora cuentan en gramos.\n");
}

// Issue 18: `mitra history` names a total's band in Spanish ("moderada"), as `mitra checkin`
// does; English shows the band's id, as before.
TEST(SpanishCli, HistoryNamesTheBandsInSpanish) {
  TempDir dir;
  const std::string answers = "'{\"answers\": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}'";
  ASSERT_EQ(run_shell(english(dir, "checkin --answers " + answers), dir).exit_code, 0);
  const auto spanish_history = run_shell(spanish(dir, "history"), dir);
  ASSERT_EQ(spanish_history.exit_code, 0) << spanish_history.err;
  EXPECT_NE(spanish_history.out.find("  16     moderada\n"), std::string::npos)
      << spanish_history.out;
  const auto english_history = run_shell(english(dir, "history"), dir);
  EXPECT_NE(english_history.out.find("  16     moderate\n"), std::string::npos)
      << english_history.out;
}

TEST(SpanishCli, SetupProfileAndRestoreSpeakSpanish) {
  TempDir dir;
  const auto saved =
      run_shell(spanish(dir, "setup --zone America/Mexico_City --day-start 05:00"), dir);
  EXPECT_EQ(saved.out, "Guardado: zona America/Mexico_City; el día empieza a las 05:00.\n");
  const auto shown = run_shell(spanish(dir, "setup --show"), dir);
  EXPECT_EQ(shown.out, "Zona America/Mexico_City; el día empieza a las 05:00.\n");
  const auto profile = run_shell(
      "echo '{\"reasons\": [\"pain\", \"low_mood\"], \"pregnant\": false, "
      "\"years_of_use\": 2.5}' | " +
          spanish(dir, "profile --set -"),
      dir);
  ASSERT_EQ(profile.exit_code, 0) << profile.err;
  // Each reason as typed (`--ask` takes the code) with its Spanish name; English shows the codes.
  for (const char* words :
       {"Perfil guardado.", "Pregunta", "Respuesta", "Embarazo", "no", "sin responder", "2,5",
        "Motivos: pain (dolor), low_mood (ánimo bajo)\n"}) {
    EXPECT_NE(profile.out.find(words), std::string::npos) << words << "\n" << profile.out;
  }
  for (const char* english_words : {"Profile saved", "not answered", "Question", "Reasons:"}) {
    EXPECT_EQ(profile.out.find(english_words), std::string::npos) << english_words << "\n"
                                                                  << profile.out;
  }
  EXPECT_NE(run_shell(english(dir, "profile"), dir).out.find("Reasons: pain low_mood\n"),
            std::string::npos);
  ASSERT_EQ(run_shell(spanish(dir, "log 2g --at 2026-01-09T08:00:00Z"), dir).exit_code, 0);
  ASSERT_EQ(run_shell(spanish(dir, "backup '" + dir.file("copia.db") + "'"), dir).exit_code, 0);
  const auto restored =
      run_shell(spanish(dir, "restore --replace --yes '" + dir.file("copia.db") + "'"), dir);
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(restored.out, "Se recuperó 1 registro de " + dir.file("copia.db") +
                              " (se reemplazaron los 1 del diario).\n");
  const auto refused = run_shell(spanish(dir, "restore --yes '" + dir.file("copia.db") + "'"), dir);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err, "mitra: --yes solo se usa junto con --replace\n");
}

TEST(SpanishCli, ARefusedCommandLineIsExplainedInSpanishNamingTheOption) {
  TempDir dir;
  const auto unknown = run_shell(spanish(dir, "log 2g --amout 3g 4"), dir);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("No se esperaban estas palabras: "), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("--amout"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("Ejecute con --help para obtener más información."), std::string::npos)
      << unknown.err;
  const auto missing = run_shell(spanish(dir, "--json clinic invite"), dir);
  EXPECT_EQ(missing.exit_code, 2);
  const auto error = nlohmann::json::parse(missing.err, nullptr, false);
  ASSERT_FALSE(error.is_discarded()) << missing.err;
  EXPECT_EQ(error["error"]["field"], "role");
  EXPECT_EQ(error["error"]["message"], "Falta --role, que es obligatorio.");
  const auto no_value = run_shell(spanish(dir, "log 2g --at"), dir);
  EXPECT_EQ(no_value.err,
            "--at necesita un valor.\nEjecute con --help para obtener más "
            "información.\n");
  // English keeps CLI11's words.
  const auto english_refusal = run_shell(english(dir, "log 2g --at"), dir);
  EXPECT_EQ(english_refusal.err,
            "--at: 1 required TEXT missing\nRun with --help for more "
            "information.\n");
}

TEST(SpanishCli, TheCliOwnFileRefusalsAreInSpanish) {
  TempDir dir;
  const auto not_json = run_shell(spanish(dir, "reflect --answers '{bad'"), dir);
  EXPECT_EQ(not_json.exit_code, 2);
  EXPECT_EQ(not_json.err,
            "mitra: El documento answers no es JSON válido; indique un objeto como "
            "{\"answers\": [...]}.\n");
  const auto folder = run_shell(spanish(dir, "report -o '" + dir.path().string() + "'"), dir);
  EXPECT_EQ(folder.exit_code, 2);
  EXPECT_EQ(folder.err.rfind("mitra: no se puede escribir \"", 0), 0u) << folder.err;
}

}  // namespace
}  // namespace mitra
