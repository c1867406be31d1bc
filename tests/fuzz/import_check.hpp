#pragma once
// Shared by the import harnesses: what `mitra import` does before it writes (parse, then
// validate every record against "now", as app/exchange.cpp does), and the promise of
// docs/formats.md that an export re-imports to the identical journal.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "app/zones.hpp"
#include "core/journal.hpp"
#include "formats/journal_export.hpp"
#include "fuzz_check.hpp"

namespace mitra::fuzz {

inline const core::Instant kNow{std::chrono::seconds{1767945600}};  // 2026-01-09T08:00:00Z

// The OS zone database, as app::system_zones() gives it, and as a refusal when it throws.
class OsZones final : public core::Zones {
 public:
  const mitra::core::TimeZone* locate(std::string_view name) const override {
    try {
      return mitra::app::system_zones().locate(name);
    } catch (const std::exception&) {
      return nullptr;
    }
  }
};
inline const OsZones kZones;

// Validated as app::import_journal does; false when it would refuse the file.
inline bool validate(formats::JournalDocument& doc) {
  FUZZ_CHECK(doc.dose_origins.size() == doc.doses.size(), "a dose without an origin");
  FUZZ_CHECK(doc.substance_use_origins.size() == doc.substance_uses.size(),
             "a substance use without an origin");
  for (auto& dose : doc.doses) {
    auto valid = core::validate_dose(dose, kNow, kZones);
    if (!valid) return false;
    dose = std::move(*valid);
  }
  for (auto& use : doc.substance_uses) {
    auto valid = core::validate_substance_use(use, kNow, kZones);
    if (!valid) return false;
    use = std::move(*valid);
  }
  for (auto& product : doc.products) {
    auto valid = core::validate_product(product);
    if (!valid) return false;
    product = std::move(*valid);
  }
  return true;
}

inline void check_error(const core::Error& error) {
  FUZZ_CHECK(!error.message.empty(), "an error without a message");
}

// `parse` is parse_json_document or parse_csv; `with_products`: the format carries products.
template <typename Parse>
void import_and_round_trip(std::string_view text, Parse parse, bool with_products) {
  auto parsed = parse(text);
  if (!parsed) return check_error(parsed.error());
  if (!validate(*parsed)) return;
  // What was accepted exports and parses back to the same records, in both formats.
  const std::string json = formats::to_json_document(*parsed, kNow);
  auto from_json = formats::parse_json_document(json, SIZE_MAX);
  FUZZ_CHECK(from_json.has_value(), "the JSON export of an accepted import does not parse: " +
                                        (from_json ? std::string() : from_json.error().message));
  FUZZ_CHECK(from_json->doses == parsed->doses, "doses differ after a JSON round trip");
  FUZZ_CHECK(from_json->substance_uses == parsed->substance_uses,
             "substance uses differ after a JSON round trip");
  if (with_products) {
    FUZZ_CHECK(from_json->products == parsed->products, "products differ after a JSON round trip");
  }
  const std::string csv = formats::to_csv(*parsed);
  auto from_csv = formats::parse_csv(csv, SIZE_MAX);
  FUZZ_CHECK(from_csv.has_value(), "the CSV export of an accepted import does not parse: " +
                                       (from_csv ? std::string() : from_csv.error().message));
  FUZZ_CHECK(from_csv->doses == parsed->doses, "doses differ after a CSV round trip");
  FUZZ_CHECK(from_csv->substance_uses == parsed->substance_uses,
             "substance uses differ after a CSV round trip");
}

}  // namespace mitra::fuzz
