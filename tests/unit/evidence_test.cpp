#include "core/evidence.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <regex>
#include <set>

#include "core/embedded.hpp"
#include "core/instruments.hpp"
#include "core/profile.hpp"
#include "core/safety.hpp"
#include "core/taper.hpp"
#include "core/text.hpp"
#include "core/withdrawal.hpp"
#include "views/learn.hpp"

namespace mitra::core {
namespace {

using nlohmann::json;

// The embedded files this part of mitra owns: everything a person may read here.
bool is_understanding_file(std::string_view path) {
  return path.starts_with("instruments/") || path.starts_with("evidence/") ||
         path == "advisories.json" || path == "help.json" || path == "pathways.json" ||
         path == "taper.json";
}

// Every source list a person can see, labelled by where it comes from.
std::vector<std::pair<std::string, std::vector<std::string>>> all_source_lists() {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& f : facts()) out.emplace_back("fact " + f.id, f.sources);
  for (const auto& e : faq()) out.emplace_back("faq " + e.id, e.sources);
  for (const auto& c : charts()) out.emplace_back("chart " + c.id, c.sources);
  for (const auto& h : help_resources()) out.emplace_back("help " + h.id, h.sources);
  for (const auto& r : advisory_rules()) out.emplace_back("advisory " + r.id, r.sources);
  for (const auto& p : pathways()) out.emplace_back("pathway " + p.id, p.sources);
  for (const auto& i : instruments()) out.emplace_back("instrument " + i.id, i.sources);
  for (int i = 0; i <= static_cast<int>(WithdrawalPhase::resolved); ++i) {
    const auto& g = phase_guide(static_cast<WithdrawalPhase>(i));
    out.emplace_back(std::string("phase ") + to_string(g.phase), g.sources);
  }
  for (const auto& f : withdrawal_red_flags()) out.emplace_back("red flag " + f.id, f.sources);
  out.emplace_back("harder course", harder_course_note().sources);
  out.emplace_back("occasional use", occasional_use_note().sources);
  out.emplace_back("sows comparison", comparison_text(Comparison::in_line).sources);
  for (const auto pace : {Pace::slow, Pace::gentle, Pace::steady, Pace::brisk}) {
    out.emplace_back(std::string("pace ") + to_string(pace), pace_text(pace).sources);
  }
  out.emplace_back("plan not advice", plan_not_advice().sources);
  out.emplace_back("plan how it works", plan_how_it_works().sources);
  out.emplace_back("plan own choices", plan_own_choices().sources);
  out.emplace_back("long-term use", long_term_use_note().sources);
  Profile both;
  both.pregnant = true;
  both.on_opioid_treatment = true;
  for (const auto& note : involve_provider_notes(both)) {
    out.emplace_back("involve provider", note.sources);
  }
  return out;
}

TEST(Evidence, EveryTextResolvesToAtLeastOneReference) {
  for (const auto& [what, sources] : all_source_lists()) {
    EXPECT_FALSE(sources.empty()) << what;
    for (const auto& key : sources) EXPECT_NE(find_reference(key), nullptr) << what << ": " << key;
  }
}

TEST(Evidence, EveryReferenceIsUsedAndKeysAreUnique) {
  std::set<std::string> used;
  for (const auto& [what, sources] : all_source_lists())
    used.insert(sources.begin(), sources.end());
  std::set<std::string> keys;
  for (const auto& r : references()) {
    EXPECT_TRUE(keys.insert(r.key).second) << "duplicate " << r.key;
    EXPECT_TRUE(used.count(r.key)) << r.key << " is never cited";
    EXPECT_FALSE(r.title.empty()) << r.key;
  }
}

TEST(Evidence, TheArticlesTwentyFourReferencesAreAllThere) {
  // A19 is the PubMed record of the MMWR report A11: one paper, one key (issue 13, item 6).
  for (int i = 1; i <= 24; ++i) {
    if (i == 19) continue;
    EXPECT_NE(find_reference("A" + std::to_string(i)), nullptr) << i;
  }
  EXPECT_EQ(find_reference("A19"), nullptr);
  EXPECT_NE(find_reference("A11")->outlet.find("41886310"), std::string::npos);
  EXPECT_EQ(find_reference("A24")->url,
            "https://www.samhsa.gov/find-help/helplines/national-helpline");
}

// Issue 13, item 6: sources that support their claims.

TEST(Evidence, EveryReferenceHasAnOutletAndAUrlOrDoi) {
  for (const auto& r : references()) {
    EXPECT_FALSE(r.outlet.empty()) << r.key;
    EXPECT_TRUE(r.url.starts_with("https://") || r.url.starts_with("http://") || !r.doi.empty())
        << r.key << ": " << r.url;
    if (!r.doi.empty()) {
      EXPECT_TRUE(r.doi.starts_with("10.")) << r.key;
    }
  }
}

TEST(Evidence, OnePaperIsListedOnceUnderOneKey) {
  // The same address, PubMed id or DOI under two keys is the same paper twice.
  std::map<std::string, std::string> seen;
  for (const auto& r : references()) {
    std::vector<std::string> ids = {r.url};
    if (!r.doi.empty()) ids.push_back("doi:" + r.doi);
    for (const auto& id : ids) {
      const auto [it, fresh] = seen.emplace(id, r.key);
      EXPECT_TRUE(fresh) << r.key << " and " << it->second << " are the same paper: " << id;
    }
  }
  // The pairs the article and clinical-facts.md both listed now have one key each.
  for (const char* gone : {"S1", "S3", "S4", "S9", "A19", "S31b"}) {
    EXPECT_EQ(find_reference(gone), nullptr) << gone;
  }
}

TEST(Evidence, TheDeathFiguresCiteTheReportThatGivesThem) {
  // 233 / 184 / 49 come from the 2015-2025 poison-centre report (A11), not from the 2019 MMWR
  // report of 152 deaths (S21b).
  for (const auto& f : facts()) {
    if (f.text.find("233") == std::string::npos) continue;
    EXPECT_EQ(f.sources, std::vector<std::string>{"A11"}) << f.id;
  }
  for (const auto& c : charts()) {
    if (c.id == "deaths_other_substances") {
      EXPECT_EQ(c.sources, std::vector<std::string>{"A11"});
    }
  }
}

TEST(Evidence, DesignEstimatesAreLabelledAsMitrasOwn) {
  const auto& resolved = phase_guide(WithdrawalPhase::resolved);
  EXPECT_NE(resolved.timing.find("mitra's own estimate"), std::string::npos);
  EXPECT_NE(resolved.what_happens.find("mitra's own estimate"), std::string::npos);
  for (auto c : {Comparison::lower, Comparison::in_line, Comparison::higher}) {
    EXPECT_NE(comparison_text(c).text.find("mitra's own rough estimate"), std::string::npos);
  }
  for (const auto& r : advisory_rules()) {
    const bool has_window = std::any_of(r.when.begin(), r.when.end(), [](const auto& c) {
      return c.kind == "substance_near_dose";
    });
    EXPECT_EQ(has_window, !r.estimate.empty()) << r.id;
  }
}

// Every source key written in docs/, the web pages, data/*.md and the README resolves.
TEST(Evidence, EveryKeyCitedInDocsAndPagesResolves) {
  namespace fs = std::filesystem;
  const fs::path root = MITRA_SOURCE_DIR;
  static const std::regex kKey(R"(\b(A[0-9]{1,2}|S[0-9]{1,2}[a-z]?)\b)");
  std::vector<fs::path> files = {root / "README.md", root / "data" / "README.md"};
  for (const auto* dir : {"docs", "web/src"}) {
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      const auto ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".md" || ext == ".js" || ext == ".html")) {
        files.push_back(e.path());
      }
    }
  }
  int keys = 0;
  for (const auto& path : files) {
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::sregex_iterator it(text.begin(), text.end(), kKey), end; it != end; ++it) {
      ++keys;
      EXPECT_NE(find_reference(it->str()), nullptr)
          << fs::relative(path, root).string() << " cites " << it->str()
          << ", which is not in data/references.json";
    }
  }
  EXPECT_GT(keys, 50);
}

// Calls `visit(path, key, text)` for every string in a JSON document.
void walk(const json& j, const std::string& path,
          const std::function<void(const std::string&, const std::string&)>& visit) {
  if (j.is_string()) {
    visit(path, j.get<std::string>());
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) walk(value, path + "." + key, visit);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      walk(j[i], path + "[" + std::to_string(i) + "]", visit);
  }
}

TEST(Evidence, NoUserFacingTextClaimsADiagnosis) {
  int strings = 0;
  for (const auto path : data::list()) {
    if (!is_understanding_file(path)) continue;
    walk(json::parse(*data::find(path)), std::string(path),
         [&](const std::string& where, const std::string& text) {
           ++strings;
           std::string lower = ascii_lower(text);
           // Allowed: negations, and "dual diagnosis", the name of a kind of care.
           for (const char* allowed : {"not a diagnosis", "dual-diagnosis", "dual_diagnosis"}) {
             for (auto pos = lower.find(allowed); pos != std::string::npos;
                  pos = lower.find(allowed)) {
               lower.replace(pos, std::string_view(allowed).size(), "");
             }
           }
           EXPECT_EQ(lower.find("diagnos"), std::string::npos) << where << ": " << text;
           EXPECT_EQ(lower.find("you have"), std::string::npos) << where << ": " << text;
           EXPECT_EQ(lower.find("you are addicted"), std::string::npos) << where << ": " << text;
         });
  }
  EXPECT_GT(strings, 300);
}

TEST(Evidence, TheArticlesCommercialNumberNeverAppears) {
  for (const auto path : data::list()) {
    const std::string text(*data::find(path));
    EXPECT_EQ(text.find("844-347-0543"), std::string::npos) << path;
    EXPECT_EQ(text.find("8443470543"), std::string::npos) << path;
  }
}

TEST(Evidence, FactsByTopicAndAllFacts) {
  auto withdrawal = facts_for("withdrawal");
  ASSERT_TRUE(withdrawal);
  std::vector<std::string> ids;
  for (const auto& f : *withdrawal) ids.push_back(f.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"withdrawal_timeline", "withdrawal_symptoms",
                                           "withdrawal_not_dangerous", "withdrawal_harder_course",
                                           "withdrawal_evidence_thin"}));
  EXPECT_EQ(facts_for("").value().size(), facts().size());
  EXPECT_EQ(views::fact_json(withdrawal->front()).at("sources"), json::array({"A9", "A21"}));
}

TEST(Evidence, EveryTopicHasFactsAndEveryFactAKnownTopic) {
  std::map<std::string, int> count;
  for (const auto& f : facts()) ++count[f.topic];
  for (const auto& t : topics()) EXPECT_GT(count[t.id], 0) << t.id;
  EXPECT_EQ(count.size(), topics().size());
}

TEST(Evidence, UnknownTopicListsTheTopics) {
  auto r = facts_for("cats");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "topic");
  EXPECT_EQ(r.error().message,
            "Unknown topic \"cats\"; choose one of dependence, frequency, withdrawal, safety, "
            "treatment, harm_reduction, policy.");
}

TEST(Evidence, TheFaqAnswersTheArticlesSixQuestions) {
  std::vector<std::string> ids;
  for (const auto& e : faq()) ids.push_back(e.id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"physically_addictive", "withdrawal_duration", "taper_alone",
                                      "getting_off_opioids", "use_disorder_signs", "medication"}));
}

TEST(Evidence, ChartDataMatchesTheArticle) {
  std::map<std::string, json> got;
  for (const auto& c : charts()) {
    json points = json::object();
    for (const auto& p : c.points) points[p.label] = p.value;
    got[c.id] = points;
  }
  EXPECT_EQ(got.at("poison_center_reports"), (json{{"2015", 258}, {"2025", 3434}}));
  EXPECT_EQ(got.at("deaths_other_substances"),
            (json{{"with other substances", 184}, {"kratom alone", 49}}));
  EXPECT_EQ(got.at("survey_past_year_disorder"),
            (json{{"mild", 14.0}, {"moderate", 7.0}, {"severe", 8.5}, {"any (total)", 29.5}}));
  EXPECT_EQ(got.at("deaths_other_substances")["with other substances"].get<int>() +
                got.at("deaths_other_substances")["kratom alone"].get<int>(),
            233);
}

TEST(Evidence, HelpListsTheFourServicesAndEmergencyWithTheirNumbers) {
  std::map<std::string, std::string> contact;
  for (const auto& h : help_resources()) contact[h.id] = h.contact;
  EXPECT_EQ(contact, (std::map<std::string, std::string>{
                         {"emergency", "911"},
                         {"lifeline_988", "Call or text 988, or chat online"},
                         {"poison_help", "1-800-222-1222"},
                         {"samhsa_helpline", "1-800-662-4357 (1-800-662-HELP)"},
                         {"find_treatment", "https://findtreatment.gov"}}));
}

TEST(Evidence, IdsAreUniqueWithinEachList) {
  auto unique = [](const std::vector<std::string>& ids) {
    return std::set<std::string>(ids.begin(), ids.end()).size() == ids.size();
  };
  std::vector<std::string> f, q, a, p;
  for (const auto& x : facts()) f.push_back(x.id);
  for (const auto& x : faq()) q.push_back(x.id);
  for (const auto& x : advisory_rules()) a.push_back(x.id);
  for (const auto& x : pathways()) p.push_back(x.id);
  EXPECT_TRUE(unique(f));
  EXPECT_TRUE(unique(q));
  EXPECT_TRUE(unique(a));
  EXPECT_TRUE(unique(p));
}

}  // namespace
}  // namespace mitra::core
