// Golden CLI tests: each tests/golden/NAME.case runs mitra commands against a fresh journal
// with the zone and the clock pinned, and compares the last command's JSON with NAME.json.
//
// A case file holds lines of the form
//   tz: Europe/Berlin                     (default Europe/Berlin)
//   now: 2026-01-10T12:00:00Z             (default 2026-01-10T12:00:00Z)
//   setup: log 2.5g --at 08:00            (any number; each must succeed)
//   run: pattern --days 7                 (exactly one: the command under test)
//   exit: 0                               (default 0)
//   lang: es_ES.UTF-8                     (LANG for every command; default C. LC_ALL,
//                                          LC_MESSAGES and LANGUAGE are always unset)
//   output: text                          (compare the text, NAME.txt, not the JSON)
// On success the JSON on stdout is compared; on failure the JSON error on stderr is. With
// `output: text` the commands run without --json and stdout (or, on failure, stderr) is compared
// with NAME.txt byte for byte.
// Values of "id", "plan_id", "record_id" and "deleted" are replaced by "<id>" before comparing,
// since ids are random; in a text output (`output: text`), every word of eight or more hex
// digits (a record id, whole or shortened as `mitra list` shows it) is.
// Set MITRA_UPDATE_GOLDEN=1 to write the expected files instead (then read the diff!).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>

#include "test_support.hpp"

namespace mitra::testing {
namespace {

namespace fs = std::filesystem;

void redact_ids(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto& [key, value] : j.items()) {
      if ((key == "id" || key == "plan_id" || key == "record_id" || key == "deleted") &&
          value.is_string()) {
        value = "<id>";
      } else {
        redact_ids(value);
      }
    }
  } else if (j.is_array()) {
    for (auto& v : j) redact_ids(v);
  }
}

struct Case {
  std::string tz = "Europe/Berlin";
  std::string now = "2026-01-10T12:00:00Z";
  std::vector<std::string> setup;
  std::string run;
  int exit = 0;
  std::string lang = "C";
  bool text = false;
};

// `text` with each word of 8 or more lowercase hex digits replaced by "<id>". Ids come last in
// a table row (no padding follows them), so the rest of the text keeps its layout.
std::string redact_text_ids(const std::string& text) {
  static const std::regex kId("(^|[^0-9A-Za-z])[0-9a-f]{8,}(?=[^0-9A-Za-z]|$)");
  return std::regex_replace(text, kId, "$1<id>");
}

Case read_case(const std::string& path) {
  Case c;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    const std::string key = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (key == "tz") c.tz = value;
    if (key == "now") c.now = value;
    if (key == "setup") c.setup.push_back(value);
    if (key == "run") c.run = value;
    if (key == "exit") c.exit = std::stoi(value);
    if (key == "lang") c.lang = value;
    if (key == "output") c.text = value == "text";
  }
  return c;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry :
       fs::directory_iterator(std::string(MITRA_SOURCE_DIR) + "/tests/golden")) {
    if (entry.path().extension() == ".case") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesExpectedJson) {
  const std::string base = std::string(MITRA_SOURCE_DIR) + "/tests/golden/" + GetParam();
  const Case c = read_case(base + ".case");
  ASSERT_FALSE(c.run.empty()) << "the case has no run: line";
  TempDir dir;
  // The language comes from the case alone, never from the machine running the tests.
  const std::string prefix =
      "cd '" + dir.path().string() + "' && env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG='" +
      c.lang + "' MITRA_DB= '" + MITRA_BINARY + "' --db '" + dir.file("journal.db") + "' --tz '" +
      c.tz + "' --now '" + c.now + "' " + (c.text ? "" : "--json ");
  for (const auto& step : c.setup) {
    const auto result = run_shell(prefix + step, dir);
    ASSERT_EQ(result.exit_code, 0) << "setup failed: " << step << "\n" << result.err;
  }
  const auto result = run_shell(prefix + c.run, dir);
  EXPECT_EQ(result.exit_code, c.exit) << result.err;
  const std::string& document = result.exit_code == 0 ? result.out : result.err;
  if (c.text) {
    const std::string text = redact_text_ids(document);
    const std::string expected_path = base + ".txt";
    if (const char* update = std::getenv("MITRA_UPDATE_GOLDEN"); update && *update == '1') {
      write_file(expected_path, text);
      return;
    }
    EXPECT_EQ(text, read_file(expected_path)) << "text differs from " << expected_path;
    return;
  }
  auto actual = nlohmann::json::parse(document, nullptr, false);
  ASSERT_FALSE(actual.is_discarded()) << "not JSON:\n" << document;
  redact_ids(actual);
  const std::string expected_path = base + ".json";
  if (const char* update = std::getenv("MITRA_UPDATE_GOLDEN"); update && *update == '1') {
    write_file(expected_path, actual.dump(2) + "\n");
    return;
  }
  auto expected = nlohmann::json::parse(read_file(expected_path), nullptr, false);
  ASSERT_FALSE(expected.is_discarded()) << "missing or broken " << expected_path;
  EXPECT_EQ(actual, expected) << "diff (expected → actual):\n"
                              << nlohmann::json::diff(expected, actual).dump(2);
}

INSTANTIATE_TEST_SUITE_P(Cli, Golden, ::testing::ValuesIn(case_names()),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace mitra::testing
