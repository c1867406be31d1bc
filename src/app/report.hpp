#pragma once
// The clinician report (`mitra report`, GET /api/v1/report) and the FHIR R4 export (`mitra
// export --format fhir`, GET /api/v1/fhir): what a journal shows over the last weeks, gathered
// from the other use cases (pattern, history, plan, understanding), and only the parts the
// reader may see. A top module of app, as status is: no other module of app includes it but
// exchange (for the FHIR export).
//
// Scopes (core/sharing.hpp): the caller's own journal is read with core::all_scopes(); a
// specialist's reading of a shared journal with the scopes shared. A part outside them is not
// read at all: pattern → the pattern and its weeks (the doses-per-day observations);
// journal → the last dose, the withdrawal phase and other substances; checkins → SOWS, COWS and
// the daily check-in; reflections → the DSM-5 self-reflection and the seven questions; plan →
// the plan and plan versus actual; safety → the advisories.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "app/history.hpp"
#include "core/journal.hpp"
#include "core/pattern.hpp"
#include "core/safety.hpp"
#include "core/sharing.hpp"
#include "core/taper.hpp"
#include "core/withdrawal.hpp"

namespace mitra::app {

// The report covers the last four weeks (28 journal days ending today); reflections, which
// look back over 12 months, the last year.
inline constexpr int kReportWeeks = 4;
inline constexpr int kReportDays = 7 * kReportWeeks;
inline constexpr int kReportReflectionDays = 365;

// One week of the pattern: 7 journal days ending on `pattern.last_day`.
struct ReportWeek {
  core::Pattern pattern;
};

struct ReportPlan {
  core::Plan plan;
  std::optional<core::TaperStep> step;  // The step in force today; none before or after.
  bool held = false;
  // Planned against logged for each of the last 7 journal days (oldest first, today last).
  std::vector<core::DayComparison> days;
};

struct Report {
  core::Scopes scopes;  // What the report holds; the rest was not read.
  core::Day from{};     // The first journal day covered.
  core::Day to{};       // Today.
  // Scope pattern: the whole period (with its trends) and its weeks, oldest first.
  std::optional<core::Pattern> pattern;
  std::vector<ReportWeek> weeks;
  // Scope journal: the last dose taken by now, where withdrawal stands, and the other
  // substances logged in the period (oldest first).
  std::optional<core::Dose> last_dose;
  std::optional<core::WithdrawalStatus> withdrawal;
  std::vector<core::SubstanceUse> substance_uses;
  // Scope checkins: sows, cows and checkin in the period; scope reflections: dsm5 and
  // reflection in the last year. Each oldest first; instruments without entries left out.
  std::vector<InstrumentHistory> checkins;
  std::vector<InstrumentHistory> reflections;
  // Scope plan: the current plan; none when no plan was made.
  std::optional<ReportPlan> plan;
  // Scope safety: the advisories that apply, urgent first.
  std::vector<core::Advisory> advisories;
};

// Gathers the report as of `context.now` from the parts `scopes` covers.
Result<Report> report(Context& context, const core::Scopes& scopes);

// The FHIR R4 Bundle (type "collection") of the journal, as formats/fhir.hpp builds it, from
// the parts `scopes` covers: the report's period for the pattern, every stored check-in and
// reflection. `person` is the pseudonymous identifier the Patient carries (never a name):
// "self" for one's own journal in local mode, the account's id on a clinic server.
Result<nlohmann::json> fhir_export(Context& context, const core::Scopes& scopes,
                                   const std::string& person = "self");

}  // namespace mitra::app
