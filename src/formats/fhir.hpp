#pragma once
// FHIR R4 (https://hl7.org/fhir/R4/): a person's journal as a Bundle of type "collection" for a
// clinician's record system (docs/fhir.md). Pure conversion of core values to JSON; what goes in
// (and what the scopes leave out) is app's choice (app/report.hpp, fhir_export).
//
// The Bundle holds, in order:
// - one Patient, pseudonymous: an identifier only (system kPersonSystem), never a name;
// - a Questionnaire for each instrument given (items, answer options, bands in the description);
// - for each assessment, a QuestionnaireResponse (its answers) and an Observation of its total
//   (category "survey", derived from the response; the band as the interpretation, a
//   reflection's worded as a self-check, not a diagnosis);
// - for each pattern window given with days logged, an Observation of doses per day over those days
// (category "social-history",
//   UCUM "{doses}/d");
// - a MedicationStatement of the kratom use pattern, when `medication` is set.
// Resource ids are UUIDs made from the record's own id (the same record gives the same id in
// every export); entries are addressed as "urn:uuid:…" and refer to each other that way.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/instruments.hpp"
#include "core/journal.hpp"
#include "core/pattern.hpp"
#include "core/records.hpp"
#include "core/time.hpp"

namespace mitra::formats {

// The code systems mitra uses where no standard code exists (clinical-facts §8: no LOINC codes
// for SOWS, COWS or the DSM-5 checklist).
inline constexpr const char* kPersonSystem = "urn:mitra:person";
inline constexpr const char* kCodeSystem = "urn:mitra:code";
inline constexpr const char* kQuestionnairePrefix = "urn:mitra:questionnaire:";

// The kratom use pattern as a MedicationStatement says it.
struct FhirMedication {
  core::Day from{};  // The period the pattern covers (journal days, inclusive).
  core::Day to{};
  // The pattern of that period (doses per day, amounts by form, median interval); none when the
  // reader may not see the pattern (the scope "pattern").
  std::optional<core::Pattern> pattern;
  // The first and last dose in the period, exact (the scope "journal"); without them the
  // statement's period is the days only.
  std::optional<core::Instant> first_dose;
  std::optional<core::Instant> last_dose;
  // Other substances logged in the period, counted by substance ("alcohol: 2"), for its note.
  std::vector<std::string> other_substances;
  bool taken_recently = false;  // A dose in the last 7 days: status "active", else "completed".
};

struct FhirInput {
  std::string person;  // The Patient's pseudonymous identifier.
  core::Instant now{};
  const core::TimeZone* zone = nullptr;  // Where a journal day begins (UTC when null).
  std::chrono::minutes day_start = core::kDefaultDayStart;
  std::vector<const core::Instrument*> instruments;  // Questionnaires to include.
  std::vector<core::Assessment> assessments;         // Each with an instrument among `instruments`.
  std::vector<core::Pattern> pattern_windows;        // Doses-per-day observations, oldest first.
  std::optional<FhirMedication> medication;
};

// The Bundle as JSON. Assessments whose instrument is not in `instruments` are left out.
nlohmann::json fhir_bundle(const FhirInput& input);

// "urn:uuid:…": the address of the entry for `resource_type` and a record's own id.
std::string fhir_address(const std::string& resource_type, const std::string& id);

}  // namespace mitra::formats
