#include "core/safety.hpp"
#include "app/zones.hpp"

#include <gtest/gtest.h>

#include "core/profile.hpp"
#include "core/text.hpp"

#include "formats/profile_json.hpp"
#include "views/safety.hpp"

namespace mitra::core {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

const Instant kNow =
    parse_time("2026-01-20T12:00:00Z", Instant{std::chrono::seconds{2'000'000'000}},
               find_zone(mitra::app::system_zones(), "UTC").value())
        .value();

Dose dose(Instant at, Form form = Form::leaf_powder) {
  Dose d;
  d.id = "d";
  d.taken_at = at;
  d.zone = "UTC";
  d.amount = Amount{2'000'000, Unit::gram};
  d.form = form;
  return d;
}

SubstanceUse use(Substance substance, Instant at) {
  SubstanceUse u;
  u.id = "u";
  u.substance = substance;
  u.taken_at = at;
  u.zone = "UTC";
  return u;
}

std::vector<std::string> ids(const std::vector<Dose>& doses, const std::vector<SubstanceUse>& uses,
                             const Profile* profile = nullptr, Instant now = kNow) {
  std::vector<std::string> out;
  for (const auto& a : advisories_for(SafetyInput{doses, uses, profile, now})) out.push_back(a.id);
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

TEST(Safety, WithNoRecordsOnlyTheAlwaysShownCrisisAdvisoriesAppear) {
  EXPECT_EQ(ids({}, {}), (std::vector<std::string>{"emergency_signs", "suicidal_thoughts"}));
}

TEST(Safety, AKratomDoseAddsLiverSignsAndTheCyp3aNoteAfterTheUrgentOnes) {
  const auto advisories =
      advisories_for(SafetyInput{std::vector<Dose>{dose(kNow - hours{2})}, {}, nullptr, kNow});
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& a : advisories) got.emplace_back(a.id, to_string(a.level));
  EXPECT_EQ(got,
            (std::vector<std::pair<std::string, std::string>>{{"emergency_signs", "urgent"},
                                                              {"suicidal_thoughts", "urgent"},
                                                              {"liver_signs", "caution"},
                                                              {"cyp3a_interactions", "info"}}));
  EXPECT_EQ(views::advisory_json(advisories[3]).at("because"),
            json::array({"kratom use in the last 30 days"}));
}

TEST(Safety, EachSubstanceMixTriggersWithinTwentyFourHoursOfADose) {
  const std::vector<std::pair<Substance, std::string>> cases = {
      {Substance::opioid, "mix_opioid"},
      {Substance::benzodiazepine, "mix_benzodiazepine"},
      {Substance::alcohol, "mix_alcohol"},
      {Substance::stimulant, "mix_stimulant"},
      {Substance::gabapentinoid, "mix_gabapentinoid"},
      {Substance::other_sedative, "mix_other_sedative"}};
  const Instant d = kNow - hours{30};
  for (const auto& [substance, id] : cases) {
    // Triggered: exactly 24 h after, and 24 h before, a dose.
    EXPECT_TRUE(has(ids({dose(d)}, {use(substance, d + hours{24})}), id)) << id;
    EXPECT_TRUE(has(ids({dose(d)}, {use(substance, d - hours{24})}), id)) << id;
    // Not triggered: one minute outside the window, or no kratom dose at all.
    EXPECT_FALSE(has(ids({dose(d)}, {use(substance, d + hours{24} + minutes{1})}), id)) << id;
    EXPECT_FALSE(has(ids({}, {use(substance, d)}), id)) << id;
  }
}

TEST(Safety, OnlyTheMatchingSubstanceRuleFires) {
  const Instant d = kNow - hours{5};
  const auto got = ids({dose(d)}, {use(Substance::cannabis, d + hours{1})});
  for (const auto* id : {"mix_opioid", "mix_benzodiazepine", "mix_alcohol", "mix_stimulant",
                         "mix_gabapentinoid", "mix_other_sedative"}) {
    EXPECT_FALSE(has(got, id)) << id;
  }
}

TEST(Safety, MixSaysWhenAndIsForgottenAfterAWeek) {
  const Instant d = kNow - hours{5};
  const auto advisories = advisories_for(
      SafetyInput{std::vector<Dose>{dose(d)},
                  std::vector<SubstanceUse>{use(Substance::alcohol, d + hours{2})}, nullptr, kNow});
  const auto it = std::find_if(advisories.begin(), advisories.end(),
                               [](const Advisory& a) { return a.id == "mix_alcohol"; });
  ASSERT_NE(it, advisories.end());
  EXPECT_EQ(it->because, std::vector<std::string>{"alcohol at 09:00 on Tue 2026-01-20, 2 h after a "
                                                  "kratom dose at 07:00 on Tue 2026-01-20"});
  const Instant old = kNow - hours{24 * 8};
  EXPECT_FALSE(has(ids({dose(old)}, {use(Substance::alcohol, old)}), "mix_alcohol"));
}

TEST(Safety, MixNamesTheNearestDoseNotTheFirst) {
  const Instant d = kNow - hours{20};
  const auto advisories = advisories_for(SafetyInput{
      std::vector<Dose>{dose(d), dose(d + hours{4})},
      std::vector<SubstanceUse>{use(Substance::alcohol, d + hours{12})}, nullptr, kNow});
  const auto it = std::find_if(advisories.begin(), advisories.end(),
                               [](const Advisory& a) { return a.id == "mix_alcohol"; });
  ASSERT_NE(it, advisories.end());
  EXPECT_EQ(it->because, std::vector<std::string>{"alcohol at 04:00 on Tue 2026-01-20, 8 h after a "
                                                  "kratom dose at 20:00 on Mon 2026-01-19"});
}

TEST(Safety, UrgentMixesComeBeforeCautionOnes) {
  const Instant d = kNow - hours{3};
  const auto got = ids({dose(d)}, {use(Substance::alcohol, d), use(Substance::opioid, d)});
  EXPECT_EQ(got, (std::vector<std::string>{"emergency_signs", "suicidal_thoughts", "mix_opioid",
                                           "mix_alcohol", "liver_signs", "cyp3a_interactions"}));
}

TEST(Safety, SevenOhAndExtractDosesTriggerTheirPotencyAdvisories) {
  EXPECT_TRUE(has(ids({dose(kNow - hours{48}, Form::seven_oh)}, {}), "seven_oh_product"));
  EXPECT_FALSE(has(ids({dose(kNow - hours{48}, Form::seven_oh)}, {}), "extract_product"));
  EXPECT_TRUE(has(ids({dose(kNow - hours{48}, Form::extract)}, {}), "extract_product"));
  EXPECT_FALSE(has(ids({dose(kNow - hours{48}, Form::leaf_powder)}, {}), "seven_oh_product"));
  EXPECT_FALSE(has(ids({dose(kNow - hours{24 * 31}, Form::seven_oh)}, {}), "seven_oh_product"));
}

TEST(Safety, MedicalSupportForTwoDosesADayOrAHistoryInTheProfile) {
  std::vector<Dose> two_a_day;
  for (int i = 0; i < 14; ++i) two_a_day.push_back(dose(kNow - hours{12 * i + 1}));
  EXPECT_TRUE(has(ids(two_a_day, {}), "medical_support"));
  two_a_day.pop_back();  // 13 doses in 7 days: below 2 a day.
  EXPECT_FALSE(has(ids(two_a_day, {}), "medical_support"));

  for (auto flag : {&Profile::prescription_opioid_use, &Profile::benzodiazepine_use,
                    &Profile::relapse_after_quitting}) {
    Profile yes;
    yes.*flag = true;
    EXPECT_TRUE(has(ids({}, {}, &yes), "medical_support"));
    Profile no;
    no.*flag = false;
    EXPECT_FALSE(has(ids({}, {}, &no), "medical_support"));
  }
}

TEST(Safety, MedicalSupportSaysWhy) {
  Profile p;
  p.relapse_after_quitting = true;
  const auto all = advisories_for(SafetyInput{{}, {}, &p, kNow});
  const auto it = std::find_if(all.begin(), all.end(),
                               [](const Advisory& a) { return a.id == "medical_support"; });
  ASSERT_NE(it, all.end());
  EXPECT_EQ(it->because, std::vector<std::string>{
                             "in your profile, an earlier attempt to quit kratom ended with going "
                             "back to it"});
}

TEST(Safety, BuprenorphineOrMethadoneFromProfileOrJournalMeansTalkToThePrescriber) {
  Profile on;
  on.on_opioid_treatment = true;
  EXPECT_TRUE(has(ids({}, {}, &on), "opioid_treatment"));
  EXPECT_TRUE(
      has(ids({}, {use(Substance::buprenorphine, kNow - hours{24 * 3})}), "opioid_treatment"));
  EXPECT_TRUE(has(ids({}, {use(Substance::methadone, kNow - hours{24 * 29})}), "opioid_treatment"));
  EXPECT_FALSE(
      has(ids({}, {use(Substance::methadone, kNow - hours{24 * 31})}), "opioid_treatment"));
  Profile off;
  off.on_opioid_treatment = false;
  EXPECT_FALSE(has(ids({}, {}, &off), "opioid_treatment"));
}

TEST(Safety, PregnancyFromTheProfile) {
  Profile p;
  p.pregnant = true;
  EXPECT_TRUE(has(ids({}, {}, &p), "pregnancy"));
  p.pregnant = false;
  EXPECT_FALSE(has(ids({}, {}, &p), "pregnancy"));
  EXPECT_FALSE(has(ids({}, {}), "pregnancy"));
}

TEST(Safety, RecordsAfterNowAreIgnored) {
  EXPECT_FALSE(has(ids({dose(kNow + hours{1})}, {}), "liver_signs"));
}

TEST(Safety, JsonCarriesTheContractKeys) {
  const auto all = advisories_for(SafetyInput{{}, {}, nullptr, kNow});
  const auto j = views::advisory_json(all.front());
  EXPECT_EQ(j.at("id"), "emergency_signs");
  EXPECT_EQ(j.at("level"), "urgent");
  EXPECT_TRUE(j.at("message").is_string());
  EXPECT_TRUE(j.at("what_to_do").get<std::string>().find("911") != std::string::npos);
  EXPECT_TRUE(j.at("what_to_do").get<std::string>().find("1-800-222-1222") != std::string::npos);
  EXPECT_EQ(j.at("sources").at(0), "S41a");
  EXPECT_NE(views::advisory_json(all[1]).at("what_to_do").get<std::string>().find("988"),
            std::string::npos);
}

// Issue 13, item 1: sedatives, alcohol and opioid-treatment medicines near a dose are urgent.

std::optional<Advisory> find_advisory(const std::vector<Dose>& doses,
                                      const std::vector<SubstanceUse>& uses,
                                      const std::string& id) {
  for (const auto& a : advisories_for(SafetyInput{doses, uses, nullptr, kNow})) {
    if (a.id == id) return a;
  }
  return std::nullopt;
}

bool says(const std::string& text, const std::string& words) {
  return text.find(words) != std::string::npos;
}

// The rule for a prescribed medicine: never "avoid combining" or anything that reads as "stop
// your medicine"; always "do not stop or change it on your own", the prescriber, not alone,
// naloxone and 911.
void expect_prescribed_medicine_wording(const Advisory& a) {
  SCOPED_TRACE(a.id);
  EXPECT_EQ(a.level, AdvisoryLevel::urgent);
  const std::string all = a.message + " " + a.what_to_do;
  EXPECT_FALSE(says(ascii_lower(all), "avoid combining"));
  EXPECT_FALSE(says(ascii_lower(all), "stop taking"));
  EXPECT_TRUE(says(a.what_to_do, "on your own")) << a.what_to_do;
  EXPECT_TRUE(says(a.what_to_do, "do not stop") || says(a.what_to_do, "Do not stop"))
      << a.what_to_do;
  EXPECT_TRUE(says(a.what_to_do, "prescriber")) << a.what_to_do;
  EXPECT_TRUE(says(a.what_to_do, "not use alone")) << a.what_to_do;
  EXPECT_TRUE(says(a.what_to_do, "naloxone")) << a.what_to_do;
  EXPECT_TRUE(says(a.what_to_do, "911")) << a.what_to_do;
}

TEST(Safety, AlcoholNearADoseIsUrgentWith911) {
  const Instant d = kNow - hours{5};
  const auto a = find_advisory({dose(d)}, {use(Substance::alcohol, d + hours{1})}, "mix_alcohol");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->level, AdvisoryLevel::urgent);
  EXPECT_TRUE(says(a->what_to_do, "911"));
  EXPECT_TRUE(says(a->what_to_do, "do not use alone"));
}

TEST(Safety, GabapentinoidNearADoseIsUrgentAndSaysDoNotStopAPrescribedMedicineOnYourOwn) {
  const Instant d = kNow - hours{5};
  const auto a =
      find_advisory({dose(d)}, {use(Substance::gabapentinoid, d + hours{1})}, "mix_gabapentinoid");
  ASSERT_TRUE(a);
  expect_prescribed_medicine_wording(*a);
}

TEST(Safety, OtherSedativeNearADoseIsUrgentAndSaysDoNotStopAPrescribedMedicineOnYourOwn) {
  const Instant d = kNow - hours{5};
  const auto a = find_advisory({dose(d)}, {use(Substance::other_sedative, d - hours{3})},
                               "mix_other_sedative");
  ASSERT_TRUE(a);
  expect_prescribed_medicine_wording(*a);
}

TEST(Safety, MethadoneNearADoseIsUrgentAndSaysDoNotStopItOnYourOwn) {
  const Instant d = kNow - hours{5};
  const auto a =
      find_advisory({dose(d)}, {use(Substance::methadone, d + hours{2})}, "mix_opioid_treatment");
  ASSERT_TRUE(a);
  expect_prescribed_medicine_wording(*a);
  EXPECT_TRUE(says(a->message, "CYP3A"));
  EXPECT_EQ(a->because,
            std::vector<std::string>{"methadone at 09:00 on Tue 2026-01-20, 2 h after a "
                                     "kratom dose at 07:00 on Tue 2026-01-20"});
}

TEST(Safety, BuprenorphineNearADoseIsUrgentAndSaysDoNotStopItOnYourOwn) {
  const Instant d = kNow - hours{5};
  const auto a = find_advisory({dose(d)}, {use(Substance::buprenorphine, d - hours{20})},
                               "mix_opioid_treatment");
  ASSERT_TRUE(a);
  expect_prescribed_medicine_wording(*a);
  // Logged a week ago with no dose near it: only the caution about opioid treatment applies.
  EXPECT_FALSE(find_advisory({dose(d)}, {use(Substance::buprenorphine, d - hours{24 * 5})},
                             "mix_opioid_treatment"));
  EXPECT_TRUE(find_advisory({dose(d)}, {use(Substance::buprenorphine, d - hours{24 * 5})},
                            "opioid_treatment"));
}

TEST(Safety, BenzodiazepineNearADoseSaysStoppingOneSuddenlyCanBeDangerous) {
  const Instant d = kNow - hours{5};
  const auto a = find_advisory({dose(d)}, {use(Substance::benzodiazepine, d + hours{1})},
                               "mix_benzodiazepine");
  ASSERT_TRUE(a);
  expect_prescribed_medicine_wording(*a);
  EXPECT_TRUE(says(a->what_to_do, "stopping a benzodiazepine suddenly can itself be dangerous"));
}

TEST(Safety, OpioidNearADoseSaysDoNotStopAPrescribedOpioidOnYourOwn) {
  const Instant d = kNow - hours{5};
  const auto a = find_advisory({dose(d)}, {use(Substance::opioid, d + hours{1})}, "mix_opioid");
  ASSERT_TRUE(a);
  expect_prescribed_medicine_wording(*a);
}

TEST(Safety, NoAdvisoryTellsAnyoneToAvoidCombiningOrToStopTheirMedicine) {
  for (const auto& rule : advisory_rules()) {
    const auto text = ascii_lower(rule.message + " " + rule.what_to_do);
    EXPECT_FALSE(says(text, "avoid combining")) << rule.id;
    EXPECT_FALSE(says(text, "stop your medic")) << rule.id;
    EXPECT_FALSE(says(text, "stop taking")) << rule.id;
  }
}

TEST(Safety, EveryMixWithAnOpioidOrSedativeIsUrgent) {
  for (const auto* id : {"mix_opioid", "mix_opioid_treatment", "mix_benzodiazepine", "mix_alcohol",
                         "mix_gabapentinoid", "mix_other_sedative", "mix_seven_oh"}) {
    const auto it = std::find_if(advisory_rules().begin(), advisory_rules().end(),
                                 [&](const AdvisoryRule& r) { return r.id == id; });
    ASSERT_NE(it, advisory_rules().end()) << id;
    EXPECT_EQ(it->level, AdvisoryLevel::urgent) << id;
    EXPECT_EQ(it->estimate,
              "The 24-hour window is mitra's own choice, not a figure from the sources.")
        << id;
  }
}

// Issue 13, item 2.

TEST(Safety, SevenOhWithAnOpioidOrSedativeIsUrgentAndNamesOverdoseSignsNaloxoneAnd911) {
  const Instant d = kNow - hours{5};
  for (auto substance :
       {Substance::opioid, Substance::benzodiazepine, Substance::alcohol, Substance::gabapentinoid,
        Substance::other_sedative, Substance::buprenorphine, Substance::methadone}) {
    const auto a =
        find_advisory({dose(d, Form::seven_oh)}, {use(substance, d + hours{1})}, "mix_seven_oh");
    ASSERT_TRUE(a) << to_string(substance);
    EXPECT_EQ(a->level, AdvisoryLevel::urgent);
    EXPECT_TRUE(says(a->what_to_do, "slow or shallow breathing"));
    EXPECT_TRUE(says(a->what_to_do, "cannot be woken"));
    EXPECT_TRUE(says(a->what_to_do, "naloxone"));
    EXPECT_TRUE(says(a->what_to_do, "Call 911"));
  }
  // Leaf near alcohol is the alcohol advisory, not the 7-OH one; 7-OH near a stimulant is not
  // a sedative mix.
  EXPECT_FALSE(find_advisory({dose(d)}, {use(Substance::alcohol, d)}, "mix_seven_oh"));
  EXPECT_FALSE(
      find_advisory({dose(d, Form::seven_oh)}, {use(Substance::stimulant, d)}, "mix_seven_oh"));
  const auto leaf_and_7oh = find_advisory({dose(d), dose(d - hours{20}, Form::seven_oh)},
                                          {use(Substance::alcohol, d)}, "mix_seven_oh");
  ASSERT_TRUE(leaf_and_7oh);
  EXPECT_EQ(leaf_and_7oh->because,
            std::vector<std::string>{"alcohol at 07:00 on Tue 2026-01-20, 20 h after a 7-OH "
                                     "product dose at 11:00 on Mon 2026-01-19"});
}

TEST(Safety, LiquidShotsHaveTheirOwnAdvisory) {
  const auto a =
      find_advisory({dose(kNow - hours{48}, Form::liquid_shot)}, {}, "liquid_shot_product");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->level, AdvisoryLevel::caution);
  EXPECT_TRUE(says(a->message, "concentrated"));
  EXPECT_FALSE(find_advisory({dose(kNow - hours{48}, Form::extract)}, {}, "liquid_shot_product"));
}

TEST(Safety, LiverAdviceSaysSeeADoctorPromptlyAndAskHowToStopSafely) {
  const auto a = find_advisory({dose(kNow - hours{2})}, {}, "liver_signs");
  ASSERT_TRUE(a);
  EXPECT_TRUE(says(a->what_to_do, "see a doctor promptly"));
  EXPECT_TRUE(says(a->what_to_do, "how to stop safely rather than stopping abruptly"));
  EXPECT_FALSE(says(a->what_to_do, "stop and see"));
}

TEST(Safety, JsonListsUrgentAdvisoriesFirstEachWithLevelUrgent) {
  const Instant d = kNow - hours{3};
  const auto all = advisories_for(SafetyInput{
      std::vector<Dose>{dose(d), dose(d - hours{1}, Form::extract)},
      std::vector<SubstanceUse>{use(Substance::stimulant, d), use(Substance::gabapentinoid, d)},
      nullptr, kNow});
  std::vector<std::string> levels;
  for (const auto& a : all)
    levels.push_back(views::advisory_json(a).at("level").get<std::string>());
  EXPECT_EQ(levels, (std::vector<std::string>{"urgent", "urgent", "urgent", "caution", "caution",
                                              "caution", "info"}));
  EXPECT_EQ(views::advisory_json(all[2]).at("id"), "mix_gabapentinoid");
  EXPECT_EQ(views::advisory_json(all[2]).at("estimate"),
            "The 24-hour window is mitra's own choice, not a figure from the sources.");
  EXPECT_TRUE(views::advisory_json(all[0]).at("estimate").is_null());
}

TEST(Profile, RoundTripsThroughJsonAndOmitsUnanswered) {
  Profile p;
  p.prescription_opioid_use = true;
  p.pregnant = false;
  p.years_of_use = 2.5;
  p.reasons = {Reason::pain, Reason::other};
  p.other_reason = "sleep";
  const json j = formats::to_json(p);
  EXPECT_EQ(j, (json{{"prescription_opioid_use", true},
                     {"pregnant", false},
                     {"years_of_use", 2.5},
                     {"reasons", {"pain", "other"}},
                     {"other_reason", "sleep"}}));
  EXPECT_EQ(formats::profile_from_json(j).value(), p);
  EXPECT_EQ(formats::profile_from_json(json::object()).value(), Profile{});
}

TEST(Profile, RefusesBadFieldsNamingThem) {
  EXPECT_EQ(formats::profile_from_json(json{{"pregnant", "yes"}}).error().message,
            "profile.pregnant must be true, false or null (not answered).");
  EXPECT_EQ(formats::profile_from_json(json{{"years_of_use", -1}}).error().field,
            "profile.years_of_use");
  EXPECT_EQ(formats::profile_from_json(json{{"years_of_use", 81}}).error().message,
            "profile.years_of_use must be a number of years from 0 to 80, or null.");
  EXPECT_EQ(formats::profile_from_json(json{{"reasons", {"boredom"}}}).error().message,
            "Unknown reason \"boredom\"; use one of pain, anxiety, trauma, low_mood, "
            "getting_off_opioids_or_benzodiazepines, energy_for_work, other.");
  EXPECT_EQ(formats::profile_from_json(json{{"reasons", {"pain", "pain"}}}).error().message,
            "The reason \"pain\" is listed twice in profile.reasons; list each reason once.");
  EXPECT_EQ(formats::profile_from_json(json{{"age", 40}}).error().field, "profile.age");
  EXPECT_EQ(formats::profile_from_json(json::array()).error().field, "profile");
}

TEST(Profile, ReasonsAcceptDashesAndSpaces) {
  EXPECT_EQ(parse_reason("low-mood").value(), Reason::low_mood);
  EXPECT_EQ(parse_reason("Energy for work").value(), Reason::energy_for_work);
}

TEST(Pathways, EachReasonMapsToItsCarePathway) {
  const std::vector<std::pair<Reason, std::string>> cases = {
      {Reason::pain, "pain_specialist"},
      {Reason::anxiety, "therapy"},
      {Reason::trauma, "therapy"},
      {Reason::low_mood, "therapy"},
      {Reason::getting_off_opioids_or_benzodiazepines, "dual_diagnosis"},
      {Reason::energy_for_work, "general_support"},
      {Reason::other, "general_support"}};
  for (const auto& [reason, id] : cases) {
    Profile p;
    p.reasons = {reason};
    const auto got = pathways_for(p);
    ASSERT_EQ(got.size(), 1u) << to_string(reason);
    EXPECT_EQ(got[0].id, id);
  }
}

TEST(Pathways, ModerateOrSevereReflectionAddsTheBuprenorphineConversationOnce) {
  Profile p;
  p.reasons = {Reason::anxiety, Reason::trauma};
  std::vector<std::string> got;
  for (const auto& pathway : pathways_for(p, "severe")) got.push_back(pathway.id);
  EXPECT_EQ(got, (std::vector<std::string>{"therapy", "buprenorphine_prescriber"}));
  EXPECT_EQ(pathways_for(p, "mild").size(), 1u);
  EXPECT_EQ(pathways_for(Profile{}, "moderate").size(), 1u);
  EXPECT_TRUE(pathways_for(Profile{}).empty());
}

}  // namespace
}  // namespace mitra::core
