// The clinician report and the FHIR export against a real SQLite store: four weeks of journal
// (four doses a day, then three in the last week), an alcohol use, a SOWS check-in, a DSM-5
// self-reflection and a taper plan. Each part appears for one's own journal, and a scope that is
// not shared leaves its part out of the report's document, its page and the FHIR Bundle.
#include "app/report.hpp"
#include "app/zones.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>

#include "app/journal.hpp"
#include "app/plan.hpp"
#include "app/understanding.hpp"
#include "core/evidence.hpp"
#include "formats/fhir.hpp"
#include "formats/report_html.hpp"
#include "store/store.hpp"
#include "test_support.hpp"
#include "views/report.hpp"

namespace mitra::app {
namespace {

using nlohmann::json;

core::Instant at(const std::string& text) {
  return core::parse_time(text, core::Instant{}, mitra::app::system_zones().locate("UTC"), "at")
      .value();
}

std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store(dir_.file("mitra.db"), store::OpenMode::create_if_missing).value();
    context_.emplace(
        make_context(*store_, at("2026-03-19T23:30:00+01:00"), "Europe/Berlin", "UTC").value());
    // 21 February to 13 March: four doses a day; 14 to 19 March: three.
    for (int i = 0; i < 27; ++i) {
      const auto day =
          date::year_month_day{core::Day{date::year{2026} / date::February / 21} + date::days{i}};
      const std::string date = "2026-" + two(static_cast<int>(unsigned(day.month()))) + "-" +
                               two(static_cast<int>(unsigned(day.day())));
      const bool last_week = i >= 21;
      for (const char* hour : last_week ? std::vector<const char*>{"07", "13", "19"}
                                        : std::vector<const char*>{"07", "11", "15", "19"}) {
        DoseInput input;
        input.amount = "2.5g";
        input.at = date + "T" + hour + ":00:00+01:00";
        ASSERT_TRUE(log_dose(*context_, input)) << input.at;
      }
    }
    SubstanceUseInput beer;
    beer.substance = "alcohol";
    beer.at = "2026-03-18T20:00:00+01:00";
    ASSERT_TRUE(log_substance_use(*context_, beer));
    ASSERT_TRUE(assess(*context_, "sows",
                       json::parse(R"({"answers": [2,1,0,3,1,2,0,1,2,1,0,1,2,1,0,1]})")));
    ASSERT_TRUE(assess(*context_, "dsm5", json::parse(R"({"answers": [true,true,false,true,
        false,false,true,false,false,true,false]})")));
    ASSERT_TRUE(new_plan(*context_, NewPlanRequest{}));
    context_->now = at("2026-03-20T08:00:00+01:00");
  }

  json document(const core::Scopes& scopes) {
    auto gathered = report(*context_, scopes);
    EXPECT_TRUE(gathered) << gathered.error().message;
    return views::report_json(*context_, *gathered);
  }

  // Resource type → how many of it the Bundle holds.
  static std::map<std::string, int> kinds(const json& bundle) {
    std::map<std::string, int> out;
    for (const auto& entry : bundle["entry"]) ++out[entry["resource"]["resourceType"]];
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::optional<Context> context_;
};

TEST_F(ReportTest, OnesOwnJournalShowsEveryPart) {
  auto gathered = report(*context_, core::all_scopes());
  ASSERT_TRUE(gathered) << gathered.error().message;
  EXPECT_EQ(core::format_date(gathered->from), "2026-02-21");
  EXPECT_EQ(core::format_date(gathered->to), "2026-03-20");
  ASSERT_TRUE(gathered->pattern);
  EXPECT_EQ(gathered->pattern->dose_count, 21 * 4 + 6 * 3);
  ASSERT_EQ(gathered->weeks.size(), 4u);
  EXPECT_EQ(core::format_date(gathered->weeks[0].pattern.first_day), "2026-02-21");
  EXPECT_EQ(gathered->weeks[0].pattern.dose_count, 28);
  EXPECT_EQ(core::format_date(gathered->weeks[3].pattern.last_day), "2026-03-20");
  EXPECT_EQ(gathered->weeks[3].pattern.dose_count, 18);
  ASSERT_TRUE(gathered->last_dose);
  EXPECT_EQ(gathered->last_dose->taken_at, at("2026-03-19T19:00:00+01:00"));
  ASSERT_TRUE(gathered->withdrawal);
  EXPECT_EQ(gathered->substance_uses.size(), 1u);
  ASSERT_EQ(gathered->checkins.size(), 1u);
  EXPECT_EQ(gathered->checkins[0].instrument, "sows");
  ASSERT_EQ(gathered->reflections.size(), 1u);
  EXPECT_EQ(gathered->reflections[0].instrument, "dsm5");
  ASSERT_TRUE(gathered->plan);
  EXPECT_EQ(gathered->plan->days.size(), 7u);
  EXPECT_FALSE(gathered->advisories.empty());  // Alcohol within hours of a dose, at least.

  const json d = views::report_json(*context_, *gathered);
  EXPECT_EQ(d["scopes"], json({"pattern", "journal", "checkins", "reflections", "plan", "safety"}));
  EXPECT_EQ(d["pattern"]["weeks"][0]["doses_per_day"], 4.0);
  EXPECT_EQ(d["pattern"]["weeks"][3]["doses_per_day"], 2.6);  // 18 doses in 7 days.
  EXPECT_EQ(d["pattern"]["statement"]["sources"], json({"A4"}));
  EXPECT_EQ(d["journal"]["other_substances"][0]["substance"], "alcohol");
  EXPECT_EQ(d["checkins"][0]["entries"][0]["total"], 18);
  EXPECT_EQ(d["checkins"][0]["entries"][0]["band"], "moderate");
  EXPECT_EQ(d["help"].size(), core::help_resources().size());
}

TEST_F(ReportTest, ReflectionsAreWordedAsSelfReportNeverADiagnosis) {
  const json d = document(core::all_scopes());
  const auto& entry = d["reflections"][0]["entries"][0];
  EXPECT_EQ(entry["total"], 5);
  EXPECT_EQ(entry["text"],
            "Self-reported: 5 of 11 answered yes (moderate band). A self-check, not a diagnosis.");
  EXPECT_NE(formats::report_html(d).find("A self-check, not a diagnosis."), std::string::npos);
}

TEST_F(ReportTest, EveryCitedSourceResolvesInTheReferences) {
  const json d = document(core::all_scopes());
  std::vector<std::string> cited;
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_object()) {
      for (const auto& [key, value] : j.items()) {
        if (key == "sources" && value.is_array()) {
          for (const auto& k : value) cited.push_back(k.get<std::string>());
        } else if (key != "references") {
          walk(value);
        }
      }
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  walk(d);
  ASSERT_FALSE(cited.empty());
  for (const auto& key : cited) EXPECT_TRUE(d["references"].contains(key)) << key;
}

TEST_F(ReportTest, ScopesLeaveOutWhatTheyDoNotCover) {
  // Given a specialist with the check-ins only, expect nothing of the pattern, journal,
  // reflections, plan or safety in the document or on the page.
  const json d = document({core::Scope::checkins});
  EXPECT_EQ(d["scopes"], json({"checkins"}));
  for (const char* part : {"pattern", "journal", "reflections", "plan", "advisories"}) {
    EXPECT_TRUE(d[part].is_null()) << part;
  }
  EXPECT_EQ(d["checkins"][0]["instrument"], "sows");
  const std::string html = formats::report_html(d);
  EXPECT_NE(html.find("The pattern: not shared with this reader."), std::string::npos);
  EXPECT_EQ(html.find("Self-reported:"), std::string::npos);
  EXPECT_EQ(html.find("alcohol"), std::string::npos);
  // The crisis lines are on every report.
  EXPECT_NE(html.find("988"), std::string::npos);

  const json plan_only = document({core::Scope::plan});
  EXPECT_TRUE(plan_only["checkins"].is_null());
  EXPECT_EQ(plan_only["plan"]["days"].size(), 7u);
}

TEST_F(ReportTest, PageEscapesEveryTextAndHasNoScriptOrProductNameInItsTitle) {
  json d = document(core::all_scopes());
  d["journal"]["other_substances"][0]["substance"] = "<script>alert('x')</script>";
  const std::string html = formats::report_html(d);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  const auto title =
      html.substr(html.find("<title>"), html.find("</title>") - html.find("<title>"));
  EXPECT_EQ(title, "<title>Clinician report 2026-02-21 to 2026-03-20");
  EXPECT_EQ(formats::escape_html("a&b\"c'<>"), "a&amp;b&quot;c&#39;&lt;&gt;");
  // The page's policy allows its own inline style by hash, and nothing else.
  const auto& policy = formats::report_content_security_policy();
  EXPECT_EQ(policy.rfind("default-src 'none'; style-src 'sha256-", 0), 0u) << policy;
  EXPECT_EQ(policy.find("script"), std::string::npos);
}

TEST_F(ReportTest, FhirBundleHoldsEveryResourceKindForOnesOwnJournal) {
  auto bundle = fhir_export(*context_, core::all_scopes());
  ASSERT_TRUE(bundle) << bundle.error().message;
  EXPECT_EQ((*bundle)["resourceType"], "Bundle");
  EXPECT_EQ((*bundle)["type"], "collection");
  EXPECT_EQ(kinds(*bundle), (std::map<std::string, int>{{"Patient", 1},
                                                        {"Questionnaire", 5},
                                                        {"QuestionnaireResponse", 2},
                                                        {"Observation", 2 + 4},
                                                        {"MedicationStatement", 1}}));
  const auto& patient = (*bundle)["entry"][0]["resource"];
  EXPECT_FALSE(patient.contains("name"));
  EXPECT_EQ(patient["identifier"][0]["value"], "self");
  std::map<std::string, int> categories;
  for (const auto& entry : (*bundle)["entry"]) {
    const auto& r = entry["resource"];
    EXPECT_EQ(entry["fullUrl"], "urn:uuid:" + r["id"].get<std::string>());
    if (r["resourceType"] == "Observation") {
      ++categories[r["category"][0]["coding"][0]["code"]];
    }
    if (r["resourceType"] == "MedicationStatement") {
      EXPECT_EQ(r["status"], "active");
      EXPECT_EQ(r["effectivePeriod"]["end"], "2026-03-19T18:00:00Z");
      EXPECT_EQ(r["dosage"][0]["timing"]["repeat"]["frequency"], 4);  // 3.6 a day, rounded.
      EXPECT_EQ(r["note"][0]["text"], "Other substances logged in the period: alcohol: 1.");
    }
  }
  EXPECT_EQ(categories, (std::map<std::string, int>{{"social-history", 4}, {"survey", 2}}));
}

TEST_F(ReportTest, FhirBundleLeavesOutWhatTheScopesDoNotCover) {
  auto reflections = fhir_export(*context_, {core::Scope::reflections}, "person-7");
  ASSERT_TRUE(reflections) << reflections.error().message;
  EXPECT_EQ(
      kinds(*reflections),
      (std::map<std::string, int>{
          {"Patient", 1}, {"Questionnaire", 2}, {"QuestionnaireResponse", 1}, {"Observation", 1}}));
  EXPECT_EQ((*reflections)["entry"][0]["resource"]["identifier"][0]["value"], "person-7");

  auto pattern = fhir_export(*context_, {core::Scope::pattern});
  ASSERT_TRUE(pattern) << pattern.error().message;
  EXPECT_EQ(kinds(*pattern), (std::map<std::string, int>{
                                 {"Patient", 1}, {"Observation", 4}, {"MedicationStatement", 1}}));
  // Without the journal the statement has the period's days, not the doses' times, and no
  // other substances.
  const auto& statement = pattern->at("entry").back()["resource"];
  EXPECT_EQ(statement["effectivePeriod"]["start"], "2026-02-21T03:00:00Z");
  EXPECT_FALSE(statement.contains("note"));
}

TEST(Fhir, AddressesAreStableUuidsOfTheRecord) {
  const std::string address = formats::fhir_address("QuestionnaireResponse", "abc");
  EXPECT_EQ(address, formats::fhir_address("QuestionnaireResponse", "abc"));
  EXPECT_NE(address, formats::fhir_address("Observation", "abc"));
  EXPECT_TRUE(std::regex_match(
      address, std::regex("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                          "[0-9a-f]{12}")))
      << address;
}

}  // namespace
}  // namespace mitra::app
