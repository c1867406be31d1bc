// The store contract, issue 14 item 8: an operation that changed nothing is not an undo step.
// Every engine must pass these (they belong with tests/unit/store_test.cpp's contract suite).
//
// Contract: `undo_last_change` reverts the newest change that changed the journal. These
// add no undo step:
//  - `update_dose` with content identical to the stored dose (it returns the dose and writes
//    nothing);
//  - `import_records` that writes no dose and no substance use (every record already present,
//    clashes skipped, or products only: products are not part of undo). Its
//    `ImportOutcome::undoable` is then 0; otherwise it is the number of doses and substance
//    uses imported or replaced, which one `undo_last_change` reverts together.

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pg_cluster.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

namespace mitra::store {
namespace {

using core::Amount;
using core::Dose;
using core::Instant;
using core::Unit;

Dose dose_at(long long seconds, std::int64_t grams_micro = 2'500'000) {
  Dose d;
  d.taken_at = Instant{std::chrono::seconds{seconds}};
  d.zone = "Europe/Berlin";
  d.amount = Amount{grams_micro, Unit::gram};
  return d;
}

// Both engines, as the contract suite in store_test.cpp.
class StoreBadDay : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string location = dir_.file("journal.db");
    if (GetParam() == "postgresql") {
      auto database = testing::new_pg_database();
      ASSERT_TRUE(database.error.empty()) << database.error;
      location = database.url;
    }
    auto opened = open_store(location, OpenMode::create_if_missing);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  std::size_t dose_count() { return store_->list_doses({}).value().size(); }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, StoreBadDay, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& engine) {
                           return engine.param;
                         });

// Bug: an import that imported nothing was followed by `undo`, which removed the dose logged
// before it; so did an edit that changed nothing.
TEST_P(StoreBadDay, BugUndoAfterANoOpImportOrEditRevertedAnUnrelatedChange) {
  const auto first = store_->add_dose(dose_at(1'700'000'000), "").value();
  const auto second = store_->add_dose(dose_at(1'700'003'600, 3'000'000), "").value();
  ASSERT_EQ(dose_count(), 2u);

  // An edit to the same content: nothing changed, no undo step.
  ASSERT_TRUE(store_->update_dose(second));
  // An import of what is there already: nothing changed, no undo step.
  auto again = store_->import_records({first, second}, {}, {}, OnConflict::fail);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->already_present, 2);
  EXPECT_EQ(again->undoable, 0);
  // An import of products only: products are not part of undo, so no undo step either.
  core::Product caps;
  caps.name = "Caps";
  caps.form = core::Form::capsules;
  caps.weights.capsule_mg_micro = 500'000'000;
  auto products = store_->import_records({}, {}, {caps}, OnConflict::fail);
  ASSERT_TRUE(products);
  EXPECT_EQ(products->imported, 1);
  EXPECT_EQ(products->undoable, 0);

  // Undo reverts the newest change that changed something: logging the second dose.
  auto undone = store_->undo_last_change();
  ASSERT_TRUE(undone) << undone.error().message;
  EXPECT_EQ(undone->record_id, second.id);
  EXPECT_EQ(undone->description, "removed the dose that was just logged");
  EXPECT_EQ(dose_count(), 1u);
  EXPECT_EQ(store_->get_dose(first.id).value(), first);
}

TEST_P(StoreBadDay, AnImportThatWroteRecordsIsOneUndoStepAndCountsThem) {
  store_->add_dose(dose_at(1'700'000'000), "").value();
  Dose a = dose_at(1'700'007'200);
  a.id = "a1";
  Dose b = dose_at(1'700'010'800);
  b.id = "b1";
  auto imported = store_->import_records({a, b}, {}, {}, OnConflict::fail);
  ASSERT_TRUE(imported);
  EXPECT_EQ(imported->imported, 2);
  EXPECT_EQ(imported->undoable, 2);
  auto undone = store_->undo_last_change();
  ASSERT_TRUE(undone);
  EXPECT_EQ(undone->description, "removed the 2 imported records");
  EXPECT_EQ(dose_count(), 1u);
}

TEST_P(StoreBadDay, AnEditThatChangedSomethingIsStillAnUndoStep) {
  const auto added = store_->add_dose(dose_at(1'700'000'000), "").value();
  Dose edited = added;
  edited.amount = Amount{2'000'000, Unit::gram};
  ASSERT_TRUE(store_->update_dose(edited));
  auto undone = store_->undo_last_change();
  ASSERT_TRUE(undone);
  EXPECT_EQ(undone->description, "put back the dose as it was before the edit");
  EXPECT_EQ(store_->get_dose(added.id).value(), added);
}

}  // namespace
}  // namespace mitra::store
