#include "app/report.hpp"

#include <algorithm>
#include <map>

#include "app/pattern.hpp"
#include "app/plan.hpp"
#include "app/understanding.hpp"
#include "core/instruments.hpp"
#include "formats/fhir.hpp"

namespace mitra::app {

namespace {

bool covers(const core::Scopes& scopes, core::Scope scope) { return scopes.count(scope) > 0; }

bool is_reflection(const std::string& instrument) {
  return instrument == "dsm5" || instrument == "reflection";
}

// The instruments a scope opens: reflections → dsm5, reflection; checkins → the rest.
bool instrument_in_scope(const core::Scopes& scopes, const std::string& instrument) {
  return covers(scopes,
                is_reflection(instrument) ? core::Scope::reflections : core::Scope::checkins);
}

core::Day today_of(const Context& context) {
  return core::journal_day(context.now, context.zone, context.settings.day_start);
}

// The pattern of the 7 journal days ending `weeks_back` weeks before today: the same use case
// read as of the last second of that week's last day (today: as of now), so that an earlier
// week counts its last day whole.
Result<core::Pattern> week_pattern(Context& context, int weeks_back) {
  if (weeks_back == 0) return pattern(context, 7);
  Context earlier = context;
  const core::Day last = today_of(context) - date::days{7 * weeks_back};
  earlier.now = core::day_begin(last + date::days{1}, context.zone, context.settings.day_start) -
                std::chrono::seconds{1};
  return pattern(earlier, 7);
}

Result<void> read_plan(Context& context, Report& out) {
  auto plan = current_plan(context);
  if (!plan) {
    if (plan.error().kind == core::ErrorKind::not_found) return {};
    return tl::unexpected(plan.error());
  }
  ReportPlan part;
  const core::Day today = today_of(context);
  part.step = core::step_on(*plan, today);
  part.held = core::is_held(*plan);
  for (int back = 6; back >= 0; --back) {
    auto day = plan_for_day(context, today - date::days{back});
    if (!day) return tl::unexpected(day.error());
    part.days.push_back(day->so_far);
  }
  part.plan = std::move(*plan);
  out.plan = std::move(part);
  return {};
}

Result<void> read_journal(Context& context, Report& out) {
  auto last = last_dose_by_now(context);
  if (!last) return tl::unexpected(last.error());
  out.last_dose = *last;
  auto phase = withdrawal(context, *last);
  if (!phase) return tl::unexpected(phase.error());
  out.withdrawal = std::move(*phase);
  store::TimeRange range;
  range.from = core::day_begin(out.from, context.zone, context.settings.day_start);
  range.to = context.now + std::chrono::seconds{1};  // The end is exclusive.
  auto uses = context.store.list_substance_uses(range);
  if (!uses) return tl::unexpected(uses.error());
  out.substance_uses = std::move(*uses);
  return {};
}

Result<void> read_assessments(Context& context, Report& out) {
  const bool checkins = covers(out.scopes, core::Scope::checkins);
  const bool reflections = covers(out.scopes, core::Scope::reflections);
  if (checkins) {
    auto history = assessment_history(context, "", kReportDays);
    if (!history) return tl::unexpected(history.error());
    for (auto& h : *history) {
      if (!is_reflection(h.instrument)) out.checkins.push_back(std::move(h));
    }
  }
  if (reflections) {
    auto history = assessment_history(context, "", kReportReflectionDays);
    if (!history) return tl::unexpected(history.error());
    for (auto& h : *history) {
      if (is_reflection(h.instrument)) out.reflections.push_back(std::move(h));
    }
  }
  return {};
}

}  // namespace

Result<Report> report(Context& context, const core::Scopes& scopes) {
  Report out;
  out.scopes = scopes;
  out.to = today_of(context);
  out.from = out.to - date::days{kReportDays - 1};
  if (covers(scopes, core::Scope::pattern)) {
    auto whole = pattern(context, kReportDays);
    if (!whole) return tl::unexpected(whole.error());
    out.pattern = std::move(*whole);
    for (int back = kReportWeeks - 1; back >= 0; --back) {
      auto week = week_pattern(context, back);
      if (!week) return tl::unexpected(week.error());
      out.weeks.push_back(ReportWeek{std::move(*week)});
    }
  }
  if (covers(scopes, core::Scope::journal)) {
    if (auto read = read_journal(context, out); !read) return tl::unexpected(read.error());
  }
  if (auto read = read_assessments(context, out); !read) return tl::unexpected(read.error());
  if (covers(scopes, core::Scope::plan)) {
    if (auto read = read_plan(context, out); !read) return tl::unexpected(read.error());
  }
  if (covers(scopes, core::Scope::safety)) {
    auto advisories = safety(context);
    if (!advisories) return tl::unexpected(advisories.error());
    out.advisories = std::move(*advisories);
  }
  return out;
}

Result<nlohmann::json> fhir_export(Context& context, const core::Scopes& scopes,
                                   const std::string& person) {
  formats::FhirInput input;
  input.person = person;
  input.now = context.now;
  input.zone = context.zone;
  input.day_start = context.settings.day_start;
  for (const auto& instrument : core::instruments()) {
    if (instrument_in_scope(scopes, instrument.id)) input.instruments.push_back(&instrument);
  }
  if (!input.instruments.empty()) {
    // Every one stored by now; the range's end is exclusive, so one second past it (a check-in
    // in the same second as the export was left out).
    store::TimeRange range;
    range.to = context.now + std::chrono::seconds{1};
    auto assessments = context.store.list_assessments("", range);
    if (!assessments) return tl::unexpected(assessments.error());
    for (auto& a : *assessments) {
      if (instrument_in_scope(scopes, a.instrument)) input.assessments.push_back(std::move(a));
    }
  }
  // The pattern and the journal come from the report's gathering, limited to those two scopes.
  core::Scopes journal_scopes;
  for (const auto scope : {core::Scope::pattern, core::Scope::journal}) {
    if (covers(scopes, scope)) journal_scopes.insert(scope);
  }
  if (journal_scopes.empty()) return formats::fhir_bundle(input);
  auto gathered = report(context, journal_scopes);
  if (!gathered) return tl::unexpected(gathered.error());
  formats::FhirMedication medication;
  medication.from = gathered->from;
  medication.to = gathered->to;
  if (gathered->pattern) {
    for (auto& week : gathered->weeks) input.pattern_windows.push_back(std::move(week.pattern));
    medication.taken_recently =
        !input.pattern_windows.empty() && input.pattern_windows.back().dose_count > 0;
    medication.pattern = std::move(gathered->pattern);
  }
  if (covers(scopes, core::Scope::journal)) {
    store::TimeRange range;
    range.from = core::day_begin(gathered->from, context.zone, context.settings.day_start);
    range.to = context.now + std::chrono::seconds{1};  // The end is exclusive.
    auto first = context.store.list_doses_brief(range, store::Records::Order::oldest_first, 1);
    if (!first) return tl::unexpected(first.error());
    if (!first->empty()) medication.first_dose = first->front().taken_at;
    if (gathered->last_dose && gathered->last_dose->taken_at >= *range.from) {
      medication.last_dose = gathered->last_dose->taken_at;
      medication.taken_recently =
          context.now - gathered->last_dose->taken_at < std::chrono::days{7};
    }
    std::map<std::string, int> counts;
    for (const auto& use : gathered->substance_uses) ++counts[core::to_string(use.substance)];
    for (const auto& [substance, count] : counts) {
      medication.other_substances.push_back(substance + ": " + std::to_string(count));
    }
  }
  input.medication = std::move(medication);
  return formats::fhir_bundle(input);
}

}  // namespace mitra::app
