// Issue 13, item 7: every sentence a person reads is mitra's own. No run of eight or more
// consecutive words from the source article (../shared/seed/, beside the repository) may appear
// in data/, web/src/, the CLI's help and output (src/), or docs/. Reference titles are the one
// exception: the article's reference list is left out of the comparison, and so are the titles
// in data/references.json. Facts and figures carry over; wording does not.
//
// The article is not part of the repository. When ../shared/seed/ is absent the test is
// skipped and says so.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

namespace mitra::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kRun = 8;  // Words in a row that count as copied.

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Lower-case words: letters and digits, with typographic apostrophes made plain and every other
// character (hyphens, dashes, punctuation, markup) a separator.
std::vector<std::string> words_of(std::string text) {
  for (const std::string& curly : std::vector<std::string>{"\u2019", "\u2018"}) {
    for (auto pos = text.find(curly); pos != std::string::npos; pos = text.find(curly)) {
      text.replace(pos, curly.size(), "'");
    }
  }
  std::vector<std::string> out;
  std::string word;
  const auto flush = [&] {
    while (!word.empty() && word.back() == '\'') word.pop_back();
    while (!word.empty() && word.front() == '\'') word.erase(word.begin());
    if (!word.empty()) out.push_back(word);
    word.clear();
  };
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '\'') {
      word += static_cast<char>(std::tolower(c));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

std::string join(const std::vector<std::string>& words, std::size_t from, std::size_t count) {
  std::string out;
  for (std::size_t i = from; i < from + count; ++i) out += (i > from ? " " : "") + words[i];
  return out;
}

// The article's runs of eight words, its reference list left out (a numbered line with an
// address: "  9. Kratom Withdrawal: A Systematic Review with Case Series. https://…").
std::unordered_set<std::string> article_runs(const fs::path& seed_dir) {
  static const std::regex kReferenceLine(R"(^\s*\d+\.\s.*https?://\S+\s*$)");
  std::unordered_set<std::string> runs;
  for (const auto& entry : fs::directory_iterator(seed_dir)) {
    if (!entry.is_regular_file()) continue;
    std::istringstream in(read_all(entry.path()));
    std::string body;
    for (std::string line; std::getline(in, line);) {
      if (!std::regex_match(line, kReferenceLine)) body += line + "\n";
    }
    const auto words = words_of(body);
    for (std::size_t i = 0; i + kRun <= words.size(); ++i) runs.insert(join(words, i, kRun));
  }
  return runs;
}

struct Hit {
  std::string where;
  std::string run;
};

void scan(const std::string& where, const std::string& text,
          const std::unordered_set<std::string>& runs, std::vector<Hit>& hits) {
  const auto words = words_of(text);
  for (std::size_t i = 0; i + kRun <= words.size(); ++i) {
    auto run = join(words, i, kRun);
    if (runs.count(run)) {
      hits.push_back({where, std::move(run)});
      return;  // One hit per text is enough to find it.
    }
  }
}

// Every string of a JSON document, each scanned on its own; `skip_key` names an object key
// whose strings are left out (reference titles).
void scan_json(const std::string& where, const nlohmann::json& j, const std::string& skip_key,
               const std::unordered_set<std::string>& runs, std::vector<Hit>& hits) {
  if (j.is_string()) {
    scan(where, j.get<std::string>(), runs, hits);
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key == skip_key) continue;
      scan_json(where + "." + key, value, skip_key, runs, hits);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      scan_json(where + "[" + std::to_string(i) + "]", j[i], skip_key, runs, hits);
    }
  }
}

bool has_extension(const fs::path& path, const std::vector<std::string>& extensions) {
  return std::find(extensions.begin(), extensions.end(), path.extension().string()) !=
         extensions.end();
}

std::vector<fs::path> files_under(const fs::path& dir, const std::vector<std::string>& extensions) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && has_extension(entry.path(), extensions)) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(OwnWords, NoRunOfEightWordsFromTheSourceArticle) {
  const fs::path source_dir = MITRA_SOURCE_DIR;
  const fs::path seed_dir = source_dir.parent_path() / "shared" / "seed";
  if (!fs::is_directory(seed_dir)) {
    GTEST_SKIP() << "the source article is not at " << seed_dir.string()
                 << " (../shared/seed beside the repository), so the copied-words check "
                    "cannot run here";
  }
  const auto runs = article_runs(seed_dir);
  ASSERT_GT(runs.size(), 1000u) << "the article at " << seed_dir.string() << " looks empty";

  std::vector<Hit> hits;
  std::size_t files = 0;
  for (const auto& path : files_under(source_dir / "data", {".json"})) {
    ++files;
    const auto rel = fs::relative(path, source_dir).string();
    const auto skip = path.filename() == "references.json" ? "title" : "";
    scan_json(rel, nlohmann::json::parse(read_all(path)), skip, runs, hits);
  }
  const std::vector<std::pair<std::string, std::vector<std::string>>> trees = {
      {"web/src", {".js", ".html", ".css", ".webmanifest"}},
      {"src", {".cpp", ".hpp"}},
      {"docs", {".md", ".yaml"}},
      {"data", {".md"}}};
  for (const auto& [dir, extensions] : trees) {
    for (const auto& path : files_under(source_dir / dir, extensions)) {
      ++files;
      scan(fs::relative(path, source_dir).string(), read_all(path), runs, hits);
    }
  }
  for (const char* top : {"README.md"}) {
    ++files;
    scan(top, read_all(source_dir / top), runs, hits);
  }
  EXPECT_GT(files, 50u);
  for (const auto& hit : hits) {
    ADD_FAILURE() << hit.where << " repeats the article's words: \"" << hit.run << "\"";
  }
}

TEST(OwnWords, TheCheckFindsACopiedRun) {
  // The scanner itself: a sentence with eight of the article's words in a row is caught, one
  // with seven is not, and apostrophes, case and punctuation do not hide a copy.
  const std::unordered_set<std::string> runs = {"a b c d e f g h"};
  std::vector<Hit> hits;
  scan("eight", "x A, b - c: d e F g h y", runs, hits);
  scan("seven", "a b c d e f g", runs, hits);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].where, "eight");
  EXPECT_EQ(words_of("Kratom\u2019s \u2018partial\u2019 action"),
            (std::vector<std::string>{"kratom's", "partial", "action"}));
}

}  // namespace
}  // namespace mitra::testing
