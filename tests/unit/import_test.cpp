// Journal import: every field known, of its type and consistent; re-imports of edited records
// are conflicts; products validated like `mitra product`; caps applied while reading.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "app/exchange.hpp"
#include "app/journal.hpp"
#include "app/plan.hpp"
#include "app/status.hpp"
#include "app/understanding.hpp"
#include "app/zones.hpp"
#include "formats/journal_export.hpp"
#include "formats/journal_json.hpp"
#include "store/store.hpp"
#include "test_support.hpp"

namespace mitra::app {
namespace {

core::Instant at(const std::string& text) {
  return core::parse_time(text, core::Instant{}, mitra::app::system_zones().locate("UTC"), "at")
      .value();
}

// A journal export around `doses` (JSON text of the list) and `rest` (more top-level fields).
std::string document(const std::string& doses, const std::string& rest = "") {
  return R"({"format":"mitra-journal","version":1,"doses":[)" + doses + "]" + rest + "}";
}

const std::string kDose =
    R"({"id":"d1","taken_at":"2026-01-01T08:00:00Z","zone":"UTC","amount":2.5,"unit":"g"})";

core::Error parse_error(const std::string& text) {
  auto parsed = formats::parse_json_document(text);
  EXPECT_FALSE(parsed) << text;
  return parsed ? core::Error{} : parsed.error();
}

// --- formats: the shape of the file ------------------------------------------------------

TEST(ImportJson, FieldOfWrongTypeIsNamedInsteadOfThrowing) {
  // Bug: nlohmann's type_error escaped parse_json_document (exit 70, HTTP 500).
  auto e = parse_error(R"({"format":["x"],"version":1,"doses":[]})");
  EXPECT_EQ(e.kind, core::ErrorKind::invalid_input);
  EXPECT_EQ(e.field, "format");
  EXPECT_EQ(e.message,
            "the file is JSON but not a mitra journal export (\"format\" must be "
            "\"mitra-journal\", not a list)");
  e = parse_error(document(R"({"taken_at":"2026-01-01T08:00:00Z","amount":2,"unit":5})"));
  EXPECT_EQ(e.field, "doses[0].unit");
  EXPECT_EQ(e.message, "doses[0].unit must be a string, not a number");
  for (const auto& [text, field] : std::vector<std::pair<std::string, std::string>>{
           {document(R"({"taken_at":1,"amount":2,"unit":"g"})"), "doses[0].taken_at"},
           {document(R"({"taken_at":"2026-01-01T08:00:00Z","amount":[2],"unit":"g"})"),
            "doses[0].amount"},
           {document(R"({"taken_at":"2026-01-01T08:00:00Z","amount_micro":2.5,"unit":"g"})"),
            "doses[0].amount_micro"},
           {document(R"({"taken_at":"2026-01-01T08:00:00Z","amount":2,"unit":"g","triggers":"x"})"),
            "doses[0].triggers"},
           {document(
                R"({"taken_at":"2026-01-01T08:00:00Z","amount":2,"unit":"g","triggers":["a",1]})"),
            "doses[0].triggers[1]"},
           {document("5"), "doses[0]"},
           {document("", R"(,"products":[{"name":"x","capsule_mg":"500"}])"),
            "products[0].capsule_mg"},
           {document("", R"(,"substance_uses":{})"), "substance_uses"},
           {document("", R"(,"exported_at":7)"), "exported_at"},
           {R"({"format":"mitra-journal","version":"1"})", "version"},
       }) {
    EXPECT_EQ(parse_error(text).field, field) << text;
  }
}

TEST(ImportJson, UnknownFieldIsRefusedInRecordsAndAtTopLevel) {
  // Bug: unknown fields ("amout") were ignored.
  auto e = parse_error(
      document(R"({"taken_at":"2026-01-01T08:00:00Z","amout":2,"amount":2,"unit":"g"})"));
  EXPECT_EQ(e.field, "doses[0].amout");
  EXPECT_EQ(e.message,
            "doses[0].amout is not a field of a dose; the fields are id, taken_at, zone, amount, "
            "amount_micro, unit, form, product, note, triggers.");
  EXPECT_EQ(parse_error(document("", R"(,"dosse":[])")).field, "dosse");
  EXPECT_EQ(parse_error(document("", R"(,"substance_uses":[{"substance":"alcohol",)"
                                     R"("taken_at":"2026-01-01T08:00:00Z","amount":1}])"))
                .field,
            "substance_uses[0].amount");
  EXPECT_EQ(parse_error(document("", R"(,"products":[{"name":"x","capsule":500}])")).field,
            "products[0].capsule");
}

TEST(ImportJson, RepeatedKeyIsRefused) {
  // Bug: the last of two keys won ({"amount":-5,"amount":2} imported 2 g).
  auto e = parse_error(
      document(R"({"taken_at":"2026-01-01T08:00:00Z","amount":-5,"amount":2,"unit":"g"})"));
  EXPECT_EQ(e.field, "doses[0].amount");
  EXPECT_EQ(e.message, "doses[0].amount appears more than once; give each field once.");
  // The path counts the records before it, whatever their shape, and the top level too.
  EXPECT_EQ(
      parse_error(document(kDose + R"(,{"triggers":["a",["b"]],"note":"x","note":"y"})")).field,
      "doses[1].note");
  EXPECT_EQ(parse_error(R"({"format":"mitra-journal","version":1,"version":1})").field, "version");
}

TEST(ImportJson, AmountThatDisagreesWithAmountMicroIsRefused) {
  // Bug: amount was ignored when amount_micro was present (an edited amount did not apply).
  auto e = parse_error(document(
      R"({"taken_at":"2026-01-01T08:00:00Z","amount":3,"amount_micro":2500000,"unit":"g"})"));
  EXPECT_EQ(e.field, "doses[0].amount");
  EXPECT_EQ(e.message,
            "doses[0].amount 3 and doses[0].amount_micro 2500000 disagree; give one of them, or "
            "both with the same value (amount_micro is the amount in millionths)");
  e = parse_error(document(
      R"({"taken_at":"2026-01-01T08:00:00Z","amount":-5,"amount_micro":2000000,"unit":"g"})"));
  EXPECT_EQ(e.field, "doses[0].amount");
  // Either alone, or both agreeing, is read.
  for (const std::string amount :
       {R"("amount":2.5)", R"("amount":"2.5")", R"("amount_micro":2500000)",
        R"("amount":2.5,"amount_micro":2500000)"}) {
    auto parsed = formats::parse_json_document(
        document(R"({"taken_at":"2026-01-01T08:00:00Z","unit":"g",)" + amount + "}"));
    ASSERT_TRUE(parsed) << amount << ": " << parsed.error().message;
    EXPECT_EQ(parsed->doses[0].amount.micro, 2'500'000) << amount;
  }
}

TEST(ImportJson, BugAnAmountBelowATenThousandthWasExportedAsAnExponentThatDidNotImport) {
  // Found by fuzz_import_json: a dose of 0.000001 mg was accepted, and its JSON export wrote
  // "amount": 1e-06, which the import then refused as "not a number". JSON numbers with an
  // exponent are numbers; the export of any accepted dose imports again.
  formats::JournalDocument journal;
  for (const std::int64_t micro : {1LL, 99LL, 100LL, 12'345LL, 2'500'000LL, 250'000'000'000LL}) {
    core::Dose dose;
    dose.id = "d" + std::to_string(micro);
    dose.taken_at = at("2026-01-01T08:00:00Z");
    dose.zone = "UTC";
    dose.amount = core::Amount{micro, core::Unit::milligram};
    journal.doses.push_back(dose);
    journal.dose_origins.push_back({});
  }
  const std::string text = formats::to_json_document(journal, at("2026-01-02T08:00:00Z"));
  auto back = formats::parse_json_document(text);
  ASSERT_TRUE(back) << back.error().message << "\n" << text;
  ASSERT_EQ(back->doses.size(), journal.doses.size());
  for (const auto& dose : journal.doses) {
    const auto found = std::find_if(back->doses.begin(), back->doses.end(),
                                    [&](const core::Dose& d) { return d.id == dose.id; });
    ASSERT_NE(found, back->doses.end()) << dose.id;
    EXPECT_EQ(found->amount.micro, dose.amount.micro) << dose.id;
  }
  for (const auto& [amount, micro] : std::vector<std::pair<std::string, std::int64_t>>{
           {"1e-06", 1}, {"2.5e0", 2'500'000}, {"1E2", 100'000'000}, {"0.000001", 1}}) {
    auto parsed = formats::parse_json_document(
        document(R"({"taken_at":"2026-01-01T08:00:00Z","unit":"mg","amount":)" + amount + "}"));
    ASSERT_TRUE(parsed) << amount << ": " << parsed.error().message;
    EXPECT_EQ(parsed->doses[0].amount.micro, micro) << amount;
  }
  // An exponent does not let more than six decimal places through.
  EXPECT_EQ(
      parse_error(document(R"({"taken_at":"2026-01-01T08:00:00Z","unit":"mg","amount":1e-7})"))
          .message,
      "doses[0].amount has more than six decimal places");
}

TEST(ImportJson, VersionThatIsNoFormatVersionIsRefused) {
  // Bug: 4294967297 was read as 1 (a narrowing get<int>), and -7 was accepted.
  for (const std::string version : {"4294967297", "-7", "0", "18446744073709551615", "1.5"}) {
    auto e = parse_error(R"({"format":"mitra-journal","version":)" + version + "}");
    EXPECT_EQ(e.kind, core::ErrorKind::invalid_input) << version;
    EXPECT_EQ(e.field, "version") << version;
  }
  EXPECT_EQ(parse_error(R"({"format":"mitra-journal","version":4294967297})").message,
            "version 4294967297 is not a mitra journal format version; this mitra reads "
            "versions 1 to 2");
  auto newer = parse_error(R"({"format":"mitra-journal","version":3})");
  EXPECT_EQ(newer.kind, core::ErrorKind::conflict);
  EXPECT_TRUE(formats::parse_json_document(R"({"format":"mitra-journal","version":1})"));
  EXPECT_TRUE(formats::parse_json_document(R"({"format":"mitra-journal","version":2})"));
}

TEST(ImportJson, SameIdTwiceInOneFileIsRefused) {
  // Bug: the first of two records with one id won, the second vanished without a word.
  auto e = parse_error(document(kDose + "," + kDose));
  EXPECT_EQ(e.field, "doses[1].id");
  EXPECT_EQ(e.message,
            "doses[1]: id \"d1\" is also the id of doses[0]; each record in a file needs its "
            "own id");
  e = parse_error(document(kDose, R"(,"substance_uses":[{"id":"d1","substance":"alcohol",)"
                                  R"("taken_at":"2026-01-01T08:00:00Z"}])"));
  EXPECT_EQ(e.field, "substance_uses[0].id");
  e = parse_error(document("", R"(,"products":[{"name":"a"},{"name":"a"}])"));
  EXPECT_EQ(e.field, "products[1].name");
}

TEST(ImportJson, RecordCountIsCappedBeforeTheDocumentIsBuilt) {
  // Bug: a 200 MB file over the record cap took 1.56 GB before the cap was checked.
  auto e = formats::parse_json_document(document(kDose + ",1,2,3"), 3);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message, "the file holds more than 3 records; split it into smaller files");
  EXPECT_TRUE(formats::parse_json_document(document(kDose), 1));
  std::string deep(40, '[');
  auto nested = formats::parse_json_document(document(kDose, R"(,"x":)" + deep));
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().message,
            "the file nests lists or objects more than 16 deep; a mitra journal export nests "
            "four");
}

// --- formats: CSV ------------------------------------------------------------------------

const std::string kCsvHeader =
    "record,id,taken_at,zone,amount,unit,form,product,substance,note,"
    "triggers\r\n";

TEST(ImportCsv, UnknownDuplicateAndMissingColumnsAreNamed) {
  // Bug: any other header got one sentence listing the expected header, naming no column.
  auto unknown = formats::parse_csv(
      "record,id,taken_at,zone,amount,unit,form,product,substance,note,triggers,amout\r\n");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "amout");
  EXPECT_EQ(unknown.error().message,
            "line 1: column \"amout\" is not known; the columns are "
            "record,id,taken_at,zone,amount,unit,form,product,substance,note,triggers");
  auto twice = formats::parse_csv(
      "record,id,taken_at,zone,amount,unit,form,product,substance,note,triggers,amount\r\n");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().field, "amount");
  EXPECT_EQ(twice.error().message,
            "line 1: column amount appears more than once; give each column once");
  auto missing =
      formats::parse_csv("record,id,taken_at,zone,amount,unit,form,product,substance,note\r\n");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "triggers");
  // The columns may come in any order.
  auto reordered = formats::parse_csv(
      "unit,amount,record,id,taken_at,zone,form,product,substance,note,triggers\r\n"
      "g,2.5,dose,x,2026-01-01T08:00:00Z,UTC,,,,,\r\n");
  ASSERT_TRUE(reordered) << reordered.error().message;
  EXPECT_EQ(reordered->doses[0].amount, (core::Amount{2'500'000, core::Unit::gram}));
}

TEST(ImportCsv, CellThatDoesNotBelongToTheRecordIsRefused) {
  // Bug: a substance on a dose row, or an amount on a substance use row, was dropped.
  auto dose = formats::parse_csv(kCsvHeader + "dose,,2026-01-01T08:00:00Z,UTC,2,g,,,alcohol,,\r\n");
  ASSERT_FALSE(dose);
  EXPECT_EQ(dose.error().field, "substance");
  auto use =
      formats::parse_csv(kCsvHeader + "substance_use,,2026-01-01T08:00:00Z,UTC,2,,,,alcohol,,\r\n");
  ASSERT_FALSE(use);
  EXPECT_EQ(use.error().field, "amount");
}

TEST(ImportCsv, SameIdTwiceAndThousandsSeparatorAreRefused) {
  auto twice = formats::parse_csv(kCsvHeader + "dose,a,2026-01-01T08:00:00Z,UTC,2,g,,,,,\r\n" +
                                  "dose,a,2026-01-01T09:00:00Z,UTC,2,g,,,,,\r\n");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message,
            "line 3: id \"a\" is also the id of line 2; each record in a file needs its own id");
  // Bug: "1,000" mg was read as 1 mg.
  auto comma =
      formats::parse_csv(kCsvHeader + "dose,,2026-01-01T08:00:00Z,UTC,\"1,000\",mg,,,,,\r\n");
  ASSERT_FALSE(comma);
  EXPECT_EQ(comma.error().field, "amount");
}

TEST(ImportCsv, BugATextStartingWithAnApostropheBeforeAFormulaLostTheApostrophe) {
  // Found by fuzz_import_csv: a product "'=SUM(A1)" was written to CSV as it is (only texts
  // that start like a formula got an apostrophe), and reading it back took the apostrophe away
  // as if the export had put it there. Now such a text gets one more, and every text survives.
  formats::JournalDocument journal;
  const std::vector<std::string> texts{"'=SUM(A1)", "''-x", "'+", "'@a", "'plain",
                                       "=SUM(A1)",  "-x",   "'",  "''",  "it's"};
  for (std::size_t i = 0; i < texts.size(); ++i) {
    core::Dose dose;
    dose.id = "d" + std::to_string(i);
    dose.taken_at = at("2026-01-01T08:00:00Z");
    dose.zone = "UTC";
    dose.amount = core::Amount{2'000'000, core::Unit::gram};
    dose.product = texts[i];
    dose.note = texts[i];
    journal.doses.push_back(dose);
    journal.dose_origins.push_back({});
  }
  const std::string csv = formats::to_csv(journal);
  EXPECT_NE(csv.find(",''=SUM(A1),"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",'=SUM(A1),"), std::string::npos) << csv;
  auto back = formats::parse_csv(csv);
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->doses.size(), texts.size());
  for (const auto& dose : back->doses) {
    const std::string& text = texts.at(std::stoul(dose.id.substr(1)));
    EXPECT_EQ(dose.product, text) << dose.id;
    EXPECT_EQ(dose.note, text) << dose.id;
  }
  // A file written before the fix reads as it did: one apostrophe before a formula is the
  // export's own.
  auto old =
      formats::parse_csv(kCsvHeader + "dose,,2026-01-01T08:00:00Z,UTC,2,g,,'=SUM(A1),,,\r\n");
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_EQ(old->doses[0].product, "=SUM(A1)");
}

TEST(ImportCsv, RowCountIsCappedWhileSplitting) {
  auto capped = formats::parse_csv(kCsvHeader + "dose,,2026-01-01T08:00:00Z,UTC,2,g,,,,,\r\n" +
                                       "dose,,2026-01-01T09:00:00Z,UTC,2,g,,,,,\r\n",
                                   1);
  ASSERT_FALSE(capped);
  EXPECT_EQ(capped.error().message,
            "the file holds more than 1 records; split it into smaller files");
}

// --- app: against a real store -----------------------------------------------------------

class ImportApp : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store(dir_.file("mitra.db"), store::OpenMode::create_if_missing).value();
    context_.emplace(make_context(*store_, at("2026-01-10T12:00:00Z"), "UTC", "UTC").value());
  }

  Result<ImportSummary> import(const std::string& text, const std::string& on_conflict = "") {
    return import_journal(*context_, text, "", on_conflict);
  }

  std::string journal() {
    auto text = export_journal(*context_, ExportFormat::json).value();
    return text.substr(text.find("\"products\""));  // Without the time stamp.
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::optional<Context> context_;
};

TEST_F(ImportApp, NegativeAmountIsRefusedWithItsRecord) {
  // Bug: an amount of -5 imported fine when amount_micro was present.
  auto r = import(document(
      R"({"taken_at":"2026-01-01T08:00:00Z","amount":-5,"amount_micro":-5000000,"unit":"g"})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "doses[0].amount");
  EXPECT_EQ(r.error().message, "doses[0]: amount must be more than zero, e.g. 2.5g");
}

TEST_F(ImportApp, IdenticalRecordIsAlreadyPresentNotSkipped) {
  ASSERT_TRUE(import(document(kDose)));
  auto again = import(document(kDose));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->already_present, 1);
  EXPECT_EQ(again->skipped, 0);
  EXPECT_TRUE(again->conflicts.empty());
}

TEST_F(ImportApp, EditedRecordIsAConflictNotSkipped) {
  // Bug: a record edited in the file counted as "skipped" and its edit was lost unsaid.
  ASSERT_TRUE(import(document(kDose)));
  const std::string before = journal();
  const std::string edited =
      R"({"id":"d1","taken_at":"2026-01-01T08:00:00Z","zone":"UTC","amount":3,"unit":"g",)"
      R"("note":"edited"})";
  const std::string fresh =
      R"({"id":"d2","taken_at":"2026-01-02T08:00:00Z","zone":"UTC","amount":1,"unit":"g"})";
  auto failed = import(document(edited + "," + fresh));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, core::ErrorKind::conflict);
  EXPECT_EQ(failed.error().field, "doses[0].id");
  EXPECT_EQ(failed.error().message,
            "1 record differs from what the journal holds under the same id: doses[0] (id d1) "
            "differs in amount, note. Nothing was imported. To take the file's versions, import "
            "with --on-conflict replace (API: on_conflict=replace); to keep the journal's, with "
            "skip.");
  EXPECT_EQ(journal(), before);

  auto skipped = import(document(edited + "," + fresh), "skip");
  ASSERT_TRUE(skipped) << skipped.error().message;
  EXPECT_EQ(skipped->imported, 1);
  EXPECT_EQ(skipped->skipped, 1);
  ASSERT_EQ(skipped->conflicts.size(), 1u);
  EXPECT_EQ(skipped->conflicts[0].origin, "doses[0]");
  EXPECT_EQ(skipped->conflicts[0].fields, (std::vector<std::string>{"amount", "note"}));
  EXPECT_EQ(store_->get_dose("d1")->amount.micro, 2'500'000);
  ASSERT_TRUE(undo(*context_));

  auto replaced = import(document(edited + "," + fresh), "replace");
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(replaced->imported, 1);
  EXPECT_EQ(replaced->replaced, 1);
  EXPECT_EQ(store_->get_dose("d1")->amount.micro, 3'000'000);
  EXPECT_EQ(store_->get_dose("d1")->note, "edited");
  // Undo takes the whole import back, the replaced record as it was.
  auto undone = undo(*context_);
  ASSERT_TRUE(undone);
  EXPECT_EQ(journal(), before);

  auto unknown = import(document(kDose), "overwrite");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "on_conflict");
}

TEST_F(ImportApp, SubstanceUseTakingADoseIdIsRefused) {
  // Bug: a substance use could take an existing dose's id.
  ASSERT_TRUE(import(document(kDose)));
  const std::string before = journal();
  auto r = import(document("", R"(,"substance_uses":[{"id":"d1","substance":"alcohol",)"
                               R"("taken_at":"2026-01-01T08:00:00Z"}])"),
                  "replace");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, core::ErrorKind::invalid_input);
  EXPECT_EQ(r.error().field, "substance_uses[0].id");
  EXPECT_EQ(r.error().message,
            "substance_uses[0]: id \"d1\" is the id of a dose in the journal; a substance use "
            "cannot take it. Nothing was imported.");
  EXPECT_EQ(journal(), before);
}

TEST_F(ImportApp, ProductWeightsThatDifferAreAConflict) {
  // Bug: an imported product's weights overwrote the saved ones without a word.
  ProductInput saved;
  saved.name = "Red caps";
  saved.form = "capsules";
  saved.capsule_weight = "500mg";
  ASSERT_TRUE(save_product(*context_, saved));
  const std::string other =
      R"(,"products":[{"name":"Red caps","form":"capsules","capsule_mg":650,"teaspoon_mg":null}])";
  auto r = import(document("", other));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "products[0].name");
  EXPECT_NE(r.error().message.find("products[0] (product \"Red caps\") differs in capsule_mg"),
            std::string::npos)
      << r.error().message;
  EXPECT_EQ(list_products(*context_)->at(0).weights.capsule_mg_micro, 500'000'000);
  auto same = import(
      document("", R"(,"products":[{"name":"Red caps","form":"capsules","capsule_mg":500}])"));
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->already_present, 1);
  auto replaced = import(document("", other), "replace");
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->replaced, 1);
  EXPECT_EQ(list_products(*context_)->at(0).weights.capsule_mg_micro, 650'000'000);
}

TEST_F(ImportApp, ProductWeightOutOfRangeIsRefused) {
  // Bug: capsule_mg -500 made status show "-2 g"; 9e11 overflowed a 64-bit sum.
  for (const std::string weight : {"-500", "0", "9e11", "900000000000", "20000.5"}) {
    auto r = import(document("", R"(,"products":[{"name":"x","capsule_mg":)" + weight + "}]"));
    ASSERT_FALSE(r) << weight;
    EXPECT_EQ(r.error().field, "products[0].capsule_mg") << weight;
  }
  auto r = import(document("", R"(,"products":[{"name":"x","teaspoon_mg":-500}])"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "products[0].teaspoon_mg -500 is not a weight one capsule or teaspoon can have; give "
            "milligrams above 0 and at most 20000, e.g. 500");
  EXPECT_TRUE(import(document("", R"(,"products":[{"name":"x","capsule_mg":20000}])")));
}

TEST_F(ImportApp, ProductNameThatIsEmptyLongOrHasEscapesIsRefused) {
  // Bug: empty, 100 KB and escape-sequence names were stored.
  for (const std::string& name :
       {std::string(""), std::string("  "), std::string(101, 'a'), std::string("a\\u001b[31m"),
        std::string("a\\nb"), std::string("a\\u009bb")}) {
    auto r = import(document("", R"(,"products":[{"name":")" + name + R"("}])"));
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().field, "products[0].name") << name;
  }
  for (const std::string& name :
       {std::string(""), std::string(101, 'a'), std::string("a\x1b[31m"), std::string("a\tb")}) {
    ProductInput input;
    input.name = name;
    auto r = save_product(*context_, input);
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().field, "name");
  }
  EXPECT_TRUE(list_products(*context_)->empty());
}

// --- everything mitra keeps: check-ins, reflections, plans, profile, settings ------------

// A journal with one of each kind of record, written through the app as a person would.
class FullExport : public ImportApp {
 protected:
  void fill() {
    DoseInput dose;
    dose.amount = "2.5g";
    dose.at = "2026-01-10T08:00:00Z";
    ASSERT_TRUE(log_dose(*context_, dose));
    ASSERT_TRUE(save_settings(*context_, "Europe/Berlin", std::chrono::hours{5}));
    ASSERT_TRUE(save_profile(*context_, nlohmann::json{{"reasons", {"pain"}}}));
    ASSERT_TRUE(
        assess(*context_, "sows", nlohmann::json{{"answers", std::vector<int>(16, 1)}}, ""));
    ASSERT_TRUE(
        assess(*context_, "dsm5", nlohmann::json{{"answers", std::vector<bool>(11, false)}}, ""));
    NewPlanRequest request;
    request.pattern = given_pattern(4, 4.0, "2.5g").value();
    auto plan = new_plan(*context_, request);
    ASSERT_TRUE(plan) << plan.error().message;
    context_->now += std::chrono::hours{1};
    ASSERT_TRUE(hold_plan(*context_, "a hard week"));
  }

  // A second, empty journal.
  Context& other() {
    other_store_ =
        store::open_store(dir_.file("other.db"), store::OpenMode::create_if_missing).value();
    other_.emplace(make_context(*other_store_, context_->now, "UTC", "UTC").value());
    return *other_;
  }

  static std::string without_time_stamp(std::string text) {
    return text.substr(text.find("\"doses\""));
  }

  std::unique_ptr<store::Store> other_store_;
  std::optional<Context> other_;
};

TEST_F(FullExport, BugAJsonExportHeldOnlyDosesSubstanceUsesAndProducts) {
  // Issue 14, item 13: check-ins, reflections, every plan version, the profile and the
  // settings were left out of `mitra export`, so a restore from it lost them.
  fill();
  const std::string exported = export_journal(*context_, ExportFormat::json).value();
  const auto doc = nlohmann::json::parse(exported);
  EXPECT_EQ(doc["version"], 2);
  EXPECT_EQ(doc["assessments"].size(), 2u);
  EXPECT_EQ(doc["plans"].size(), 2u);
  EXPECT_EQ(doc["plans"][0]["version"], 1);
  EXPECT_EQ(doc["plans"][0]["status"], "superseded");
  EXPECT_EQ(doc["plans"][1]["status"], "held");
  EXPECT_TRUE(doc["plans"][1]["plan"].is_object());
  EXPECT_EQ(doc["settings"], (nlohmann::json{{"zone", "Europe/Berlin"}, {"day_start", "05:00"}}));
  EXPECT_EQ(doc["profile"]["reasons"], nlohmann::json({"pain"}));

  Context& restored = other();
  auto summary = import_journal(restored, exported, "");
  ASSERT_TRUE(summary) << summary.error().message;
  // 1 dose, 2 check-ins, 2 plan versions, zone, day start, profile.
  EXPECT_EQ(summary->imported, 8);
  EXPECT_EQ(summary->undoable, 8);
  EXPECT_EQ(without_time_stamp(export_journal(restored, ExportFormat::json).value()),
            without_time_stamp(exported));
  // What the restored journal shows is what the first showed.
  Context reread = make_context(*other_store_, restored.now, "", "UTC").value();
  EXPECT_EQ(reread.settings.zone, "Europe/Berlin");
  EXPECT_EQ(current_plan(reread).value().plan_id, current_plan(*context_).value().plan_id);
  EXPECT_EQ(load_profile(reread).value(), load_profile(*context_).value());

  // Importing the same file again changes nothing and is no undo step.
  auto again = import_journal(restored, exported, "");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->already_present, 8);
  EXPECT_EQ(again->undoable, 0);

  // One undo takes the whole import back: check-ins, plans and settings too.
  ASSERT_TRUE(other_store_->undo_last_change());
  const auto emptied = nlohmann::json::parse(export_journal(restored, ExportFormat::json).value());
  EXPECT_TRUE(emptied["doses"].empty());
  EXPECT_TRUE(emptied["assessments"].empty());
  EXPECT_TRUE(emptied["plans"].empty());
  EXPECT_TRUE(emptied["settings"].empty());
  EXPECT_TRUE(emptied["profile"].is_null());
}

TEST_F(FullExport, AVersionOneFileStillImports) {
  ASSERT_TRUE(import(document(kDose)));
  EXPECT_EQ(store_->list_doses({}).value().size(), 1u);
}

TEST_F(FullExport, ACheckInWhoseTotalWasEditedIsRefusedNotRescored) {
  fill();
  auto doc = nlohmann::json::parse(export_journal(*context_, ExportFormat::json).value());
  doc["assessments"][0]["total"] = 3;
  auto r = import_journal(other(), doc.dump(), "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "assessments[0].total");
  EXPECT_EQ(r.error().message,
            "assessments[0].total 3 is not the total of the answers (16); give the answers as "
            "they were, with their total");
  doc["assessments"][0]["total"] = 16;
  doc["assessments"][0]["instrument"] = "sowz";
  r = import_journal(*other_, doc.dump(), "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "assessments[0].instrument");
  EXPECT_TRUE(other_store_->list_doses({}).value().empty()) << "nothing is written half-way";
}

TEST_F(FullExport, BadPlansSettingsAndProfileAreNamed) {
  fill();
  const auto good = nlohmann::json::parse(export_journal(*context_, ExportFormat::json).value());
  const auto refused = [&](const std::function<void(nlohmann::json&)>& edit) {
    auto doc = good;
    edit(doc);
    auto r = import_journal(other(), doc.dump(), "");
    EXPECT_FALSE(r) << doc.dump();
    return r ? std::string("(imported)") : r.error().field;
  };
  EXPECT_EQ(refused([](auto& d) { d["plans"][1]["plan"]["steps"] = 5; }), "plans[1].plan.steps");
  EXPECT_EQ(refused([](auto& d) { d["plans"][0]["status"] = "paused"; }), "plans[0].status");
  EXPECT_EQ(refused([](auto& d) { d["plans"][0]["versoin"] = 1; }), "plans[0].versoin");
  EXPECT_EQ(refused([](auto& d) { d["plans"].push_back(d["plans"][0]); }), "plans[2].version");
  EXPECT_EQ(refused([](auto& d) { d["settings"]["zone"] = "Mars/Olympus"; }), "settings.zone");
  EXPECT_EQ(refused([](auto& d) { d["settings"]["day_start"] = "25:00"; }), "settings.day_start");
  EXPECT_EQ(refused([](auto& d) { d["settings"]["theme"] = "dark"; }), "settings.theme");
  EXPECT_EQ(refused([](auto& d) { d["profile"]["years_of_use"] = -1; }), "profile.years_of_use");
}

TEST_F(FullExport, ADifferentSettingIsAConflictThatSkipKeepsAndReplaceTakesWithUndo) {
  fill();
  const std::string exported = export_journal(*context_, ExportFormat::json).value();
  Context& mine = other();
  ASSERT_TRUE(save_settings(mine, "America/Chicago", std::chrono::hours{4}));
  auto failed = import_journal(mine, exported, "");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, core::ErrorKind::conflict);
  EXPECT_EQ(failed.error().field, "settings.zone");
  EXPECT_NE(failed.error().message.find("settings.zone differs from the journal's; "
                                        "settings.day_start differs from the journal's"),
            std::string::npos)
      << failed.error().message;
  EXPECT_TRUE(other_store_->list_assessments("", {}).value().empty());

  auto kept = import_journal(mine, exported, "", "skip");
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->skipped, 2);
  EXPECT_EQ(other_store_->get_setting("zone").value(), "America/Chicago");

  ASSERT_TRUE(other_store_->undo_last_change());
  auto taken = import_journal(mine, exported, "", "replace");
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->replaced, 2);
  EXPECT_EQ(other_store_->get_setting("zone").value(), "Europe/Berlin");
  ASSERT_TRUE(other_store_->undo_last_change());
  EXPECT_EQ(other_store_->get_setting("zone").value(), "America/Chicago");
  EXPECT_EQ(other_store_->get_setting("day_start").value(), "04:00");
}

TEST_F(FullExport, APlanVersionIsNeverReplaced) {
  fill();
  auto doc = nlohmann::json::parse(export_journal(*context_, ExportFormat::json).value());
  doc["plans"][0]["reason"] = "changed";
  auto r = import_journal(*context_, doc.dump(), "", "replace");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, core::ErrorKind::conflict);
  EXPECT_EQ(r.error().field, "plans[0].version");
  auto skipped = import_journal(*context_, doc.dump(), "", "skip");
  ASSERT_TRUE(skipped) << skipped.error().message;
  EXPECT_EQ(skipped->skipped, 1);
  ASSERT_EQ(skipped->conflicts.size(), 1u);
  EXPECT_EQ(skipped->conflicts[0].fields, (std::vector<std::string>{"reason"}));
}

TEST(Amount, ThousandsSeparatorIsRefused) {
  // Bug: "1,000mg" was stored as 1 mg (the comma read as a decimal point).
  for (const std::string text : {"1,000mg", "1,000,000mg", "1,000.5mg", "2,500 g"}) {
    auto r = core::parse_amount(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().field, "amount");
  }
  EXPECT_EQ(core::parse_amount("1,000mg").error().message,
            "amount \"1,000\" has a comma that could separate thousands or decimals; write the "
            "number without a thousands separator and with a decimal point, e.g. 1000mg or 2.5g");
  EXPECT_EQ(*core::parse_amount("2,5g"), (core::Amount{2'500'000, core::Unit::gram}));
  EXPECT_EQ(*core::parse_amount("1000mg"), (core::Amount{1'000'000'000, core::Unit::milligram}));
}

TEST(Amount, MassOfAWeightOutsideTheRangeIsUnknown) {
  // Bug: a stored capsule weight of -500 mg gave -2 g; 9e11 mg overflowed the day's sum.
  const core::Amount four_caps{4 * core::kMicro, core::Unit::capsule};
  EXPECT_EQ(core::mass_micrograms(four_caps, {-500'000'000, std::nullopt}), std::nullopt);
  EXPECT_EQ(core::mass_micrograms(four_caps, {900'000'000'000'000'000, std::nullopt}),
            std::nullopt);
  EXPECT_EQ(core::mass_micrograms(four_caps, {500'000'000, std::nullopt}), 2'000'000);
}

// Found by fuzzing (tests/fuzz/crashes/import_csv/id-not-utf8-breaks-json-export): a CSV row
// whose id held a byte that is not UTF-8 was imported, and from then on the JSON export threw.
TEST(ImportIds, BugAnIdThatIsNotUtf8WasStoredAndBrokeTheJsonExport) {
  core::Dose dose;
  dose.id =
      "0123456789\xFB"
      "bcdef";
  dose.amount = core::Amount{2'000'000, core::Unit::gram};
  dose.taken_at = core::Instant{std::chrono::seconds{1'767'254'400}};
  dose.zone = "UTC";
  const auto refused =
      core::validate_dose(dose, dose.taken_at + std::chrono::hours(1), mitra::app::system_zones());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "id");
  dose.id = std::string(65, 'a');
  EXPECT_FALSE(
      core::validate_dose(dose, dose.taken_at + std::chrono::hours(1), mitra::app::system_zones()));
  dose.id = "d1";
  EXPECT_TRUE(
      core::validate_dose(dose, dose.taken_at + std::chrono::hours(1), mitra::app::system_zones()));
  core::SubstanceUse use;
  use.id = "x y";
  use.substance = core::Substance::alcohol;
  use.taken_at = dose.taken_at;
  use.zone = "UTC";
  EXPECT_FALSE(core::validate_substance_use(use, dose.taken_at + std::chrono::hours(1),
                                            mitra::app::system_zones()));
}

}  // namespace
}  // namespace mitra::app
