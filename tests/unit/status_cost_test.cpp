// What `status` reads: the last 7 journal days, the last dose, and for the urgent advisories
// only the doses next to recent substance uses; never the whole window of advisories as full
// records (a journal with 351,000 doses on one day made status take 2.9 s and 347 MB).
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "app/context.hpp"
#include "app/journal.hpp"
#include "app/pattern.hpp"
#include "app/status.hpp"
#include "app/understanding.hpp"
#include "app/zones.hpp"
#include "store/store.hpp"
#include "test_support.hpp"
#include "views/journal.hpp"

namespace mitra::app {
namespace {

using store::Store;

// Passes every call to a real journal's records and counts the doses it hands back.
class CountingStore final : public store::Records {
 public:
  explicit CountingStore(store::Records& real) : real_(real) {}
  using Records::add_dose;
  using Records::add_plan_version;
  using Records::add_substance_use;
  using Records::put_product;

  long doses_read = 0;       // Full records and brief ones.
  long full_doses_read = 0;  // Full records (with note and triggers) only.

  Result<core::Dose> add_dose(core::Dose d, const std::string& k, const std::string& f) override {
    return real_.add_dose(std::move(d), k, f);
  }
  Result<core::Dose> get_dose(const std::string& id) override { return count(real_.get_dose(id)); }
  Result<core::Dose> update_dose(const core::Dose& d) override { return real_.update_dose(d); }
  Result<core::Dose> delete_dose(const std::string& id) override { return real_.delete_dose(id); }
  Result<std::vector<core::Dose>> list_doses(const store::TimeRange& r) override {
    auto out = real_.list_doses(r);
    if (out) full_doses_read += static_cast<long>(out->size());
    if (out) doses_read += static_cast<long>(out->size());
    return out;
  }
  Result<std::optional<core::Dose>> last_dose() override { return count(real_.last_dose()); }
  Result<std::optional<core::Dose>> first_dose() override { return count(real_.first_dose()); }
  Result<std::vector<core::Dose>> list_doses_brief(const store::TimeRange& r, Order o,
                                                   int limit) override {
    auto out = real_.list_doses_brief(r, o, limit);
    if (out) doses_read += static_cast<long>(out->size());
    return out;
  }
  Result<std::vector<core::Amount>> list_dose_amounts(const store::TimeRange& r) override {
    auto out = real_.list_dose_amounts(r);
    if (out) doses_read += static_cast<long>(out->size());
    return out;
  }
  Result<core::SubstanceUse> add_substance_use(core::SubstanceUse u, const std::string& k,
                                               const std::string& f) override {
    return real_.add_substance_use(std::move(u), k, f);
  }
  Result<core::SubstanceUse> delete_substance_use(const std::string& id) override {
    return real_.delete_substance_use(id);
  }
  Result<std::vector<core::SubstanceUse>> list_substance_uses(const store::TimeRange& r) override {
    return real_.list_substance_uses(r);
  }
  Result<store::ImportOutcome> import_records(const store::ImportRecords& records,
                                              store::OnConflict c) override {
    return real_.import_records(records, c);
  }
  Result<store::UndoResult> undo_last_change() override { return real_.undo_last_change(); }
  Result<store::Assessment> add_assessment(store::Assessment a, const std::string& k) override {
    return real_.add_assessment(std::move(a), k);
  }
  Result<std::vector<store::Assessment>> list_assessments(const std::string& i,
                                                          const store::TimeRange& r) override {
    return real_.list_assessments(i, r);
  }
  Result<core::Product> put_product(const core::Product& p, const std::string& k) override {
    return real_.put_product(p, k);
  }
  Result<std::vector<core::Product>> list_products() override { return real_.list_products(); }
  Result<std::optional<std::string>> get_setting(const std::string& k) override {
    return real_.get_setting(k);
  }
  Result<void> put_setting(const std::string& k, const std::string& v) override {
    return real_.put_setting(k, v);
  }
  Result<store::PlanVersion> add_plan_version(store::PlanVersion v, const std::string& k) override {
    return real_.add_plan_version(std::move(v), k);
  }
  Result<std::optional<store::PlanVersion>> current_plan() override { return real_.current_plan(); }
  Result<std::vector<store::PlanVersion>> plan_history(const std::string& id) override {
    return real_.plan_history(id);
  }
  Result<std::vector<store::PlanVersion>> latest_plan_versions() override {
    return real_.latest_plan_versions();
  }

 private:
  template <typename T>
  T count(T result) {
    if (result) {
      ++doses_read;
      ++full_doses_read;
    }
    return result;
  }
  store::Records& real_;
};

core::Instant at(const std::string& text) {
  return core::parse_time(text, core::Instant{}, mitra::app::system_zones().locate("UTC"), "at")
      .value();
}

// Ten years of six doses a day (21,900), an opioid and an alcohol use in the last week, and a
// plan: status must read the last 8 or 9 days of doses and the two doses next to each use.
class StatusCost : public ::testing::Test {
 protected:
  void SetUp() override {
    real_ = store::open_store(dir_.file("mitra.db"), store::OpenMode::create_if_missing).value();
    const core::Instant now = at("2026-03-19T20:00:00Z");
    std::vector<core::Dose> doses;
    for (int day = 3650; day >= 1; --day) {
      for (int k = 0; k < 6; ++k) {
        core::Dose d;
        d.id = "d" + std::to_string(100000 + day * 10 + k);
        d.taken_at = now - std::chrono::days{day} + std::chrono::hours{3 * k};
        d.zone = "Europe/Berlin";
        d.amount = {2'500'000, core::Unit::gram};
        d.note = "a note that status does not show";
        d.triggers = {"stress"};
        doses.push_back(d);
      }
    }
    std::vector<core::SubstanceUse> uses(2);
    uses[0].id = "u1";
    uses[0].substance = core::Substance::opioid;
    uses[0].taken_at = now - std::chrono::days{2} + std::chrono::minutes{90};
    uses[0].zone = "Europe/Berlin";
    uses[1].id = "u2";
    uses[1].substance = core::Substance::alcohol;
    uses[1].taken_at = now - std::chrono::days{4};
    uses[1].zone = "Europe/Berlin";
    ASSERT_TRUE(real_->import_records(doses, uses, {}, store::OnConflict::fail));
    counting_.emplace(*real_);
    context_.emplace(make_context(*counting_, now, "Europe/Berlin", "UTC").value());
    NewPlanRequest request;
    ASSERT_TRUE(new_plan(*context_, request)) << "a plan from the last week";
    counting_->doses_read = 0;
    counting_->full_doses_read = 0;
  }
  testing::TempDir dir_;
  std::unique_ptr<Store> real_;
  std::optional<CountingStore> counting_;
  std::optional<Context> context_;
};

TEST_F(StatusCost, BugStatusReadEveryDoseOfNinetyDaysAsFullRecords) {
  auto report = status(*context_);
  ASSERT_TRUE(report) << report.error().message;
  // The week's window (from 8 days before now: 48 doses), the last and the first dose, today's
  // (3) and yesterday's (6) amounts for the plan, and the doses near the opioid and the alcohol
  // use (both urgent since the clinical corrections: 8 in all). Before: 90 days of full records
  // (540) for the advisories, the window twice, and full records for the plan.
  // Since issue 14, item 5, the withdrawal guidance reads the pattern before the last dose:
  // the 7 journal days up to it with a day's margin (49, brief) and the first dose again; the
  // last dose itself is read brief (the newest up to now and the clock skew).
  // Since issue 14, item 11, today's count and the plan's today and yesterday place each dose
  // on its day in its own zone (app::doses_of_day), reading brief records 26 h either side of
  // the day (zones are at most 26 h apart): today up to now for status (10) and for the plan
  // (10), yesterday for the plan (16); before, the plan read today's (3) and yesterday's (6)
  // amounts in the hours of the zone in use.
  EXPECT_EQ(counting_->doses_read, 48 + 1 + 1 + 10 + 10 + 16 + 8 + 49 + 1);
  EXPECT_EQ(counting_->full_doses_read, 2);  // The first dose, twice.
  ASSERT_EQ(report->urgent.size(), 2u);
  EXPECT_EQ(report->urgent[0].id, "mix_opioid");
}

// The same report as reading everything: the week's pattern, today, the withdrawal phase and
// the urgent advisories.
TEST_F(StatusCost, ReadingLessGivesTheSameReportAsReadingEverything) {
  auto report = status(*context_);
  ASSERT_TRUE(report) << report.error().message;
  auto week = pattern(*context_, 7);
  ASSERT_TRUE(week);
  EXPECT_EQ(report->week.per_day.size(), week->per_day.size());
  EXPECT_EQ(views::pattern_json(report->week), views::pattern_json(*week));
  auto phase = withdrawal(*context_);
  ASSERT_TRUE(phase);
  ASSERT_TRUE(report->withdrawal && *phase);
  EXPECT_EQ(report->withdrawal->phase, (*phase)->phase);
  auto all = safety(*context_);
  ASSERT_TRUE(all);
  std::vector<std::string> urgent;
  for (const auto& a : *all) {
    const auto& rules = core::advisory_rules();
    const auto rule =
        std::find_if(rules.begin(), rules.end(), [&](const auto& r) { return r.id == a.id; });
    const bool always = std::any_of(rule->when.begin(), rule->when.end(),
                                    [](const auto& c) { return c.kind == "always"; });
    if (a.level == core::AdvisoryLevel::urgent && !always) urgent.push_back(a.id);
  }
  std::vector<std::string> shown;
  for (const auto& a : report->urgent) shown.push_back(a.id);
  EXPECT_EQ(shown, urgent);
  // Today: the doses of 19 March (Berlin) up to 20:00 UTC.
  auto today = list_journal(*context_, "2026-03-19T04:00:00+01:00", "2026-03-19T20:00:01Z");
  ASSERT_TRUE(today);
  EXPECT_EQ(report->today_dose_count, static_cast<int>(today->doses.size()));
}

// Every command asked for the machine's zone (/etc/localtime, and the zone's file to check the
// name) although the journal had its own saved: `status` opened two zone files where it needs one.
TEST(StatusStartUp, BugTheMachineZoneWasReadWhenTheJournalHadItsOwn) {
  testing::TempDir dir;
  auto journal =
      store::open_store(dir.file("mitra.db"), store::OpenMode::create_if_missing).value();
  int asked = 0;
  std::string machine_zone = "America/Chicago";
  const std::function<std::string()> machine = [&] {
    ++asked;
    return machine_zone;
  };
  const core::Instant now = at("2026-03-19T20:00:00Z");
  auto fresh = make_context(*journal, now, "", machine);
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_EQ(asked, 1) << "nothing saved: the machine's zone is the one in use";
  EXPECT_EQ(fresh->settings.zone, "America/Chicago");
  EXPECT_FALSE(fresh->settings.configured);

  ASSERT_TRUE(save_settings(*fresh, "Europe/Berlin", std::chrono::minutes{4 * 60}));
  auto saved = make_context(*journal, now, "", machine);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(asked, 1) << "a zone saved: the machine's is not read";
  EXPECT_EQ(saved->settings.zone, "Europe/Berlin");
  auto overridden = make_context(*journal, now, "Asia/Tokyo", machine);
  ASSERT_TRUE(overridden);
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(overridden->settings.zone, "Asia/Tokyo");
  EXPECT_EQ(overridden->settings.saved_zone, "Europe/Berlin");

  // A machine whose zone mitra cannot name: UTC, as before.
  testing::TempDir other_dir;
  auto other =
      store::open_store(other_dir.file("mitra.db"), store::OpenMode::create_if_missing).value();
  machine_zone.clear();
  auto unnamed = make_context(*other, now, "", machine);
  ASSERT_TRUE(unnamed);
  EXPECT_EQ(asked, 2);
  EXPECT_EQ(unnamed->settings.zone, "UTC");
}

}  // namespace
}  // namespace mitra::app
