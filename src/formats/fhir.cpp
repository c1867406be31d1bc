#include "formats/fhir.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "core/amount.hpp"

namespace mitra::formats {

namespace {

using nlohmann::json;

constexpr const char* kCategorySystem =
    "http://terminology.hl7.org/CodeSystem/observation-category";
constexpr const char* kUcum = "http://unitsofmeasure.org";

double round_to(double value, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

json reference(const std::string& resource_type, const std::string& id) {
  return {{"reference", fhir_address(resource_type, id)}};
}

// The resource's id: the UUID of its address, without "urn:uuid:".
std::string resource_id(const std::string& resource_type, const std::string& id) {
  return fhir_address(resource_type, id).substr(9);
}

json entry(const std::string& resource_type, const std::string& id, json resource) {
  resource["resourceType"] = resource_type;
  resource["id"] = resource_id(resource_type, id);
  // resourceType and id first, as FHIR examples show them (nlohmann keeps keys sorted anyway).
  return {{"fullUrl", fhir_address(resource_type, id)}, {"resource", std::move(resource)}};
}

json category(const char* code, const char* display) {
  return json::array(
      {{{"coding",
         json::array({{{"system", kCategorySystem}, {"code", code}, {"display", display}}})}}});
}

std::string questionnaire_url(const core::Instrument& instrument) {
  return std::string(kQuestionnairePrefix) + instrument.id;
}

std::string choice_system(const core::Instrument& instrument) {
  return questionnaire_url(instrument) + ":score";
}

// The choice's label for `score`, or the score itself.
std::string choice_label(const core::Item& item, int score) {
  for (const auto& choice : item.choices) {
    if (choice.score == score) return choice.label;
  }
  return std::to_string(score);
}

json questionnaire(const core::Instrument& instrument) {
  std::string description = instrument.prompt;
  if (!instrument.note.empty()) description += " " + instrument.note;
  if (!instrument.bands.empty()) {
    description += " Bands:";
    for (std::size_t i = 0; i < instrument.bands.size(); ++i) {
      const auto& band = instrument.bands[i];
      description += std::string(i == 0 ? " " : "; ") + band.id + " " + std::to_string(band.min) +
                     "-" + std::to_string(band.max);
    }
    description += ".";
  }
  description += " Sources (mitra's references): ";
  for (std::size_t i = 0; i < instrument.sources.size(); ++i) {
    description += (i == 0 ? "" : ", ") + instrument.sources[i];
  }
  description += ".";
  json items = json::array();
  for (const auto& item : instrument.items) {
    json out{{"linkId", item.id}, {"text", item.text}, {"required", true}};
    if (instrument.kind == core::ResponseKind::yes_no) {
      out["type"] = "boolean";
    } else {
      out["type"] = "choice";
      json options = json::array();
      for (const auto& choice : item.choices) {
        json coding{{"system", choice_system(instrument)},
                    {"code", std::to_string(choice.score)},
                    {"display", choice.label}};
        options.push_back({{"valueCoding", std::move(coding)}});
      }
      out["answerOption"] = std::move(options);
    }
    items.push_back(std::move(out));
  }
  return {{"url", questionnaire_url(instrument)},
          {"status", "active"},
          {"title", instrument.title},
          {"description", description},
          {"subjectType", json::array({"Patient"})},
          {"item", std::move(items)}};
}

json questionnaire_response(const core::Assessment& assessment, const core::Instrument& instrument,
                            const std::string& person) {
  json items = json::array();
  for (std::size_t n = 0; n < instrument.items.size() && n < assessment.answers.size(); ++n) {
    const auto& item = instrument.items[n];
    const int score = assessment.answers[n];
    json answer;
    if (instrument.kind == core::ResponseKind::yes_no) {
      answer = {{"valueBoolean", score != 0}};
    } else {
      answer = {{"valueCoding",
                 {{"system", choice_system(instrument)},
                  {"code", std::to_string(score)},
                  {"display", choice_label(item, score)}}}};
    }
    items.push_back(
        {{"linkId", item.id}, {"text", item.text}, {"answer", json::array({std::move(answer)})}});
  }
  return {{"identifier", {{"system", kCodeSystem}, {"value", assessment.id}}},
          {"questionnaire", questionnaire_url(instrument)},
          {"status", "completed"},
          {"subject", reference("Patient", person)},
          {"source", reference("Patient", person)},
          {"authored", core::format_utc(assessment.taken_at)},
          {"item", std::move(items)}};
}

bool is_reflection(const core::Instrument& instrument) {
  return instrument.id == "dsm5" || instrument.id == "reflection";
}

json total_observation(const core::Assessment& assessment, const core::Instrument& instrument,
                       const std::string& person) {
  const bool reflection = is_reflection(instrument);
  const std::string what =
      reflection ? instrument.name + ": criteria answered yes" : instrument.name + " total";
  json out{
      {"status", "final"},
      {"category", category("survey", "Survey")},
      {"code",
       {{"coding",
         json::array(
             {{{"system", kCodeSystem}, {"code", instrument.id + "-total"}, {"display", what}}})},
        {"text", what}}},
      {"subject", reference("Patient", person)},
      {"effectiveDateTime", core::format_utc(assessment.taken_at)},
      {"performer", json::array({reference("Patient", person)})},
      {"valueInteger", assessment.total},
      {"derivedFrom", json::array({reference("QuestionnaireResponse", assessment.id)})}};
  if (const auto band = core::band_for(instrument, assessment.total)) {
    std::string text = band->id + " (" + band->label + ")";
    if (reflection) text = "Self-reported, " + text + ": a self-check, not a diagnosis";
    out["interpretation"] = json::array({{{"text", text}}});
  }
  if (reflection) {
    out["note"] = json::array(
        {{{"text",
           "The person's own answers to a self-reflection adapted from the DSM-5 criteria; "
           "not a clinical assessment or a diagnosis."}}});
  }
  return out;
}

json period(core::Day first, core::Day last, const FhirInput& input) {
  const core::Instant start = core::day_begin(first, input.zone, input.day_start);
  const core::Instant end =
      std::min(input.now, core::day_begin(last + date::days{1}, input.zone, input.day_start));
  return {{"start", core::format_utc(start)}, {"end", core::format_utc(std::max(start, end))}};
}

// Doses per day over the days the journal was kept in the window (Pattern::tracked_days): days
// before the journal began are not days without a dose. 0 when none was tracked.
double doses_per_tracked_day(const core::Pattern& pattern) {
  if (pattern.tracked_days == 0) return 0.0;
  return static_cast<double>(pattern.dose_count) / pattern.tracked_days;
}

core::Day first_tracked_day(const core::Pattern& pattern) {
  if (pattern.tracked_days == 0) return pattern.first_day;
  return pattern.last_day - date::days{pattern.tracked_days - 1};
}

json doses_per_day_observation(const core::Pattern& pattern, const FhirInput& input) {
  return {{"status", "final"},
          {"category", category("social-history", "Social History")},
          {"code",
           {{"coding", json::array({{{"system", kCodeSystem},
                                     {"code", "kratom-doses-per-day"},
                                     {"display", "Kratom doses per day (self-logged)"}}})},
            {"text", "Kratom doses per day (self-logged)"}}},
          {"subject", reference("Patient", input.person)},
          {"effectivePeriod", period(first_tracked_day(pattern), pattern.last_day, input)},
          {"performer", json::array({reference("Patient", input.person)})},
          {"valueQuantity",
           {{"value", round_to(doses_per_tracked_day(pattern), 2)},
            {"unit", "doses/day"},
            {"system", kUcum},
            {"code", "{doses}/d"}}},
          {"note",
           json::array({{{"text", std::to_string(pattern.dose_count) + " doses over " +
                                      std::to_string(pattern.tracked_days) + " days logged."}}})}};
}

std::string ucum_unit(core::Unit unit) {
  switch (unit) {
    case core::Unit::gram:
      return "g";
    case core::Unit::milligram:
      return "mg";
    case core::Unit::millilitre:
      return "mL";
    case core::Unit::capsule:
      return "{capsule}";
    case core::Unit::teaspoon:
      return "{teaspoon}";
  }
  return "1";
}

json medication_statement(const FhirMedication& medication, const FhirInput& input) {
  json out{{"status", medication.taken_recently ? "active" : "completed"},
           {"medicationCodeableConcept", {{"text", "Kratom (Mitragyna speciosa)"}}},
           {"subject", reference("Patient", input.person)},
           {"dateAsserted", core::format_utc(input.now)},
           {"informationSource", reference("Patient", input.person)}};
  if (medication.first_dose && medication.last_dose) {
    out["effectivePeriod"] = {{"start", core::format_utc(*medication.first_dose)},
                              {"end", core::format_utc(*medication.last_dose)}};
  } else {
    out["effectivePeriod"] = period(medication.from, medication.to, input);
  }
  if (medication.pattern) {
    const auto& p = *medication.pattern;
    json dosage = json::array();
    for (const auto& form : p.amounts_by_form) {
      const core::Unit unit = core::amount_unit(form.group);
      std::string text = std::string(core::to_string(form.group)) + ": " +
                         std::to_string(form.doses) + " doses in " +
                         std::to_string(p.tracked_days) + " days logged";
      json one;
      if (form.total_micro > 0 && p.tracked_days > 0) {
        // Exact micro-units a day over the days logged, rounded down to the micro-unit.
        const std::int64_t per_day = form.total_micro / p.tracked_days;
        text += ", " + core::format_decimal(per_day) + " " + core::to_string(unit) +
                " a day on average";
        const std::string code = ucum_unit(unit) + "/d";
        one["doseAndRate"] =
            json::array({{{"rateQuantity",
                           {{"value", round_to(static_cast<double>(per_day) / core::kMicro, 3)},
                            {"unit", std::string(core::to_string(unit)) + "/day"},
                            {"system", kUcum},
                            {"code", code}}}}});
      }
      one["text"] = text + " (self-logged)";
      dosage.push_back(std::move(one));
    }
    if (dosage.empty()) dosage.push_back({{"text", "No doses logged in the period."}});
    // How often, over every form: the pattern that predicts dependence best (A4).
    const int per_day = static_cast<int>(std::lround(doses_per_tracked_day(p)));
    if (per_day >= 1) {
      dosage[0]["timing"] = {
          {"repeat", {{"frequency", per_day}, {"period", 1}, {"periodUnit", "d"}}}};
    }
    out["dosage"] = std::move(dosage);
  }
  if (!medication.other_substances.empty()) {
    std::string note = "Other substances logged in the period: ";
    for (std::size_t i = 0; i < medication.other_substances.size(); ++i) {
      note += (i == 0 ? "" : "; ") + medication.other_substances[i];
    }
    out["note"] = json::array({{{"text", note + "."}}});
  }
  return out;
}

}  // namespace

std::string fhir_address(const std::string& resource_type, const std::string& id) {
  // A name-based UUID (version 8, RFC 9562: "custom"): BLAKE2b of the type and id, so the same
  // record has the same address in every export.
  // sodium_init picks the fastest implementation; BLAKE2b works without it too, so a failure
  // (which libsodium reports only when it cannot start at all) changes no result.
  static const bool sodium_started = sodium_init() >= 0;
  (void)sodium_started;
  const std::string name = "mitra:" + resource_type + "/" + id;
  std::array<unsigned char, 16> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(name.data()),
                     name.size(), nullptr, 0);
  hash[6] = static_cast<unsigned char>((hash[6] & 0x0f) | 0x80);
  hash[8] = static_cast<unsigned char>((hash[8] & 0x3f) | 0x80);
  std::string out = "urn:uuid:";
  char digits[3];
  for (std::size_t i = 0; i < hash.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::snprintf(digits, sizeof digits, "%02x", hash[i]);
    out += digits;
  }
  return out;
}

json fhir_bundle(const FhirInput& input) {
  json entries = json::array();
  entries.push_back(
      entry("Patient", input.person,
            {{"identifier", json::array({{{"system", kPersonSystem}, {"value", input.person}}})}}));
  for (const auto* instrument : input.instruments) {
    entries.push_back(entry("Questionnaire", instrument->id, questionnaire(*instrument)));
  }
  for (const auto& assessment : input.assessments) {
    const auto found = std::find_if(
        input.instruments.begin(), input.instruments.end(),
        [&assessment](const core::Instrument* i) { return i->id == assessment.instrument; });
    if (found == input.instruments.end()) continue;
    entries.push_back(entry("QuestionnaireResponse", assessment.id,
                            questionnaire_response(assessment, **found, input.person)));
    entries.push_back(entry("Observation", assessment.id + "/total",
                            total_observation(assessment, **found, input.person)));
  }
  for (const auto& window : input.pattern_windows) {
    if (window.tracked_days == 0) continue;  // Before the journal began: nothing to observe.
    entries.push_back(entry("Observation",
                            "doses-per-day/" + core::format_date(window.first_day) + "/" +
                                core::format_date(window.last_day),
                            doses_per_day_observation(window, input)));
  }
  if (input.medication) {
    entries.push_back(entry("MedicationStatement", input.person + "/kratom",
                            medication_statement(*input.medication, input)));
  }
  return {{"resourceType", "Bundle"},
          {"type", "collection"},
          {"timestamp", core::format_utc(input.now)},
          {"entry", std::move(entries)}};
}

}  // namespace mitra::formats
