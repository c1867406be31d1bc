#include "views/report.hpp"

#include <algorithm>
#include <cmath>

#include "core/evidence.hpp"
#include "core/instruments.hpp"
#include "core/localized_data.hpp"
#include "formats/plan_json.hpp"
#include "views/journal.hpp"
#include "views/learn.hpp"
#include "views/plan.hpp"
#include "views/safety.hpp"

namespace mitra::views {

using nlohmann::json;

namespace {

// Doses per day tracks withdrawal and use-disorder symptoms more than the amount (A4).
const std::vector<std::string> kPatternSources{"A4"};
// The paces borrow from opioid-tapering guidance and proportional tapering (data/taper.json).
const std::vector<std::string> kPlanSources{"S36b", "S36c", "S37"};

// The newest entries of each instrument the report shows (the rest are in the export).
constexpr std::size_t kEntriesShown = 8;

class Citations {
 public:
  const std::vector<std::string>& cite(const std::vector<std::string>& keys) {
    for (const auto& k : keys) {
      if (std::find(keys_.begin(), keys_.end(), k) == keys_.end()) keys_.push_back(k);
    }
    return keys;
  }
  const std::vector<std::string>& keys() const { return keys_; }

 private:
  std::vector<std::string> keys_;
};

double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

json optional_hours(const std::optional<double>& hours) {
  return hours ? json(round_to(*hours, 1)) : json(nullptr);
}

json statement(Citations& citations, std::string text, const std::vector<std::string>& sources) {
  return {{"text", std::move(text)}, {"sources", citations.cite(sources)}};
}

// Per day over the days the journal was kept (Pattern::tracked_days), not the whole window: a
// journal begun three days ago says nothing of the 25 days before it, and must not read as 25
// days without a dose. Null when no day was tracked.
json doses_per_tracked_day(const core::Pattern& p) {
  if (p.tracked_days == 0) return nullptr;
  return round_to(static_cast<double>(p.dose_count) / p.tracked_days, 1);
}

json grams_per_tracked_day(const core::Pattern& p) {
  // Forms of different strength have no one sum (pattern.md, "Amounts per form").
  if (p.tracked_days == 0 || p.amounts_by_form.size() > 1) return nullptr;
  return round_to(static_cast<double>(p.total_mass_micrograms) / 1e6 / p.tracked_days, 2);
}

json trend_json(const core::Trend& t) {
  return {{"per_week", round_to(t.per_week, 2)},
          {"concerning", t.concerning},
          {"enough_data", t.enough_data}};
}

json pattern_part(const app::Report& report, Citations& citations) {
  const auto& p = *report.pattern;
  json weeks = json::array();
  for (const auto& week : report.weeks) {
    const auto& w = week.pattern;
    weeks.push_back({{"from", core::format_date(w.first_day)},
                     {"to", core::format_date(w.last_day)},
                     {"tracked_days", w.tracked_days},
                     {"doses", w.dose_count},
                     {"doses_per_day", doses_per_tracked_day(w)},
                     {"median_interval_hours", optional_hours(w.median_interval_hours)},
                     {"amount_per_day", grams_per_tracked_day(w)},
                     {"unit", w.amounts_by_form.size() > 1 ? json(nullptr) : json("g")}});
  }
  return {{"tracked_days", p.tracked_days},
          {"dose_count", p.dose_count},
          {"doses_per_day", doses_per_tracked_day(p)},
          {"days_with_doses", p.days_with_doses},
          {"max_doses_in_a_day", p.max_doses_in_a_day},
          {"median_interval_hours", optional_hours(p.median_interval_hours)},
          {"shortest_interval_hours", optional_hours(p.shortest_interval_hours)},
          {"night_doses", p.night_doses},
          {"median_first_dose",
           p.median_first_dose_minute
               ? json(core::format_time_of_day(std::chrono::minutes{*p.median_first_dose_minute}))
               : json(nullptr)},
          {"amount_per_day", grams_per_tracked_day(p)},
          {"unit", p.amounts_by_form.size() > 1 ? json(nullptr) : json("g")},
          // Totals by form: the pattern's per-day share is over the whole window.
          {"amounts_by_form", form_amounts_json(p.amounts_by_form, false)},
          {"trends",
           {{"frequency", trend_json(p.frequency_trend)},
            {"interval", trend_json(p.interval_trend)},
            {"amount", trend_json(p.amount_trend)},
            {"first_dose", trend_json(p.first_dose_trend)}}},
          {"weeks", std::move(weeks)},
          {"statement",
           statement(citations,
                     "How often matters most: the number of doses a day tracks withdrawal and "
                     "use-disorder symptoms more closely than the size of each dose.",
                     kPatternSources)}};
}

json journal_part(const app::Context& context, const app::Report& report, Citations& citations) {
  json uses = json::array();
  for (const auto& use : report.substance_uses) {
    uses.push_back({{"substance", core::to_string(use.substance)},
                    {"taken_at", core::format_utc(use.taken_at)},
                    {"taken_at_local", core::format_local(use.taken_at, context.zone)}});
  }
  json out{{"last_dose_at", nullptr},          {"last_dose_at_local", nullptr},
           {"hours_since_last_dose", nullptr}, {"phase", nullptr},
           {"phase_statement", nullptr},       {"other_substances", std::move(uses)}};
  if (report.last_dose) {
    out["last_dose_at"] = core::format_utc(report.last_dose->taken_at);
    out["last_dose_at_local"] = core::format_local(report.last_dose->taken_at, context.zone);
  }
  if (report.withdrawal) {
    const auto& w = *report.withdrawal;
    const auto& guide = core::phase_guide(w.phase, context.language);
    out["hours_since_last_dose"] = w.hours_since_last_dose;
    out["phase"] = core::to_string(w.phase);
    out["phase_statement"] =
        statement(citations, guide.title + ": " + guide.timing + ".", guide.sources);
  }
  return out;
}

json entry_json(const app::Context& context, const store::Assessment& e,
                const core::Instrument* instrument) {
  json out{{"taken_at", core::format_utc(e.taken_at)},
           {"taken_at_local", core::format_local(e.taken_at, context.zone)},
           {"total", e.total},
           {"band", e.band.empty() ? json(nullptr) : json(e.band)},
           {"band_label", nullptr}};
  if (instrument) {
    if (const auto band = core::band_for(*instrument, e.total)) out["band_label"] = band->label;
    if (instrument->bands.empty()) {  // The daily check-in: each item counts on its own.
      json items = json::object();
      for (std::size_t n = 0; n < instrument->items.size() && n < e.answers.size(); ++n) {
        items[instrument->items[n].id] = e.answers[n];
      }
      out["items"] = std::move(items);
    }
  }
  return out;
}

// The newest kEntriesShown entries of each instrument, oldest first.
json instruments_part(const app::Context& context,
                      const std::vector<app::InstrumentHistory>& history, bool reflections,
                      Citations& citations) {
  json out = json::array();
  for (const auto& h : history) {
    const auto found = core::find_instrument(h.instrument, context.language);
    const core::Instrument* instrument = found ? *found : nullptr;
    json entries = json::array();
    const std::size_t skip =
        h.entries.size() > kEntriesShown ? h.entries.size() - kEntriesShown : 0;
    for (std::size_t i = skip; i < h.entries.size(); ++i) {
      json e = entry_json(context, h.entries[i], instrument);
      if (reflections && instrument) {
        e["text"] = "Self-reported: " + std::to_string(h.entries[i].total) + " of " +
                    std::to_string(instrument->items.size()) + " answered yes" +
                    (e["band"].is_string() ? " (" + e["band"].get<std::string>() + " band)" : "") +
                    ". A self-check, not a diagnosis.";
      }
      entries.push_back(std::move(e));
    }
    json group{{"instrument", h.instrument},
               {"name", instrument ? json(instrument->name) : json(h.instrument)},
               {"max_total", instrument ? json(instrument->max_total) : json(nullptr)},
               {"count", h.entries.size()},
               {"change", h.change ? json(*h.change) : json(nullptr)},
               {"entries", std::move(entries)},
               {"latest", nullptr}};
    if (instrument && !h.entries.empty()) {
      if (const auto band = core::band_for(*instrument, h.entries.back().total)) {
        group["latest"] = statement(citations, band->text, instrument->sources);
      } else {
        citations.cite(instrument->sources);
      }
    }
    out.push_back(std::move(group));
  }
  return out;
}

json plan_part(const app::Report& report, Citations& citations) {
  if (!report.plan) return {{"plan_id", nullptr}};
  const auto& part = *report.plan;
  const auto& plan = part.plan;
  json days = json::array();
  int over = 0;
  int planned = 0;
  for (const auto& day : part.days) {
    days.push_back(day_comparison_json(day));
    if (day.in_plan) ++planned;
    if (day.over_plan) ++over;
  }
  return {
      {"plan_id", plan.plan_id},
      {"version", plan.version},
      {"reason", plan.reason},
      {"goal", core::to_string(plan.inputs.goal.kind)},
      {"pace", core::to_string(plan.inputs.pace)},
      {"held", part.held},
      {"starts_on",
       plan.steps.empty() ? json(nullptr) : json(core::format_date(plan.steps.front().starts_on))},
      {"ends_on",
       plan.steps.empty() ? json(nullptr) : json(core::format_date(plan.steps.back().ends_on))},
      {"steps", plan.steps.size()},
      {"step", part.step ? formats::step_to_json(*part.step) : json(nullptr)},
      {"days", std::move(days)},
      {"days_in_plan", planned},
      {"days_over_plan", over},
      {"statement", statement(citations,
                              "The plan's pace borrows caution from opioid-tapering guidance and "
                              "proportional tapering; no kratom taper protocol has been published.",
                              kPlanSources)}};
}

}  // namespace

json report_json(const app::Context& context, const app::Report& report) {
  Citations citations;
  const auto covers = [&report](core::Scope scope) { return report.scopes.count(scope) > 0; };
  json scopes = json::array();
  for (const auto scope : core::all_scope_list()) {
    if (covers(scope)) scopes.push_back(core::to_string(scope));
  }
  json advisories = nullptr;
  if (covers(core::Scope::safety)) {
    advisories = json::array();
    for (const auto& a : report.advisories) {
      citations.cite(a.sources);
      advisories.push_back(advisory_json(a));
    }
  }
  json help = json::array();
  for (const auto& resource : core::help_resources(context.language)) {
    citations.cite(resource.sources);
    help.push_back(help_resource_json(resource));
  }
  json out{
      {"title", "Clinician report"},
      {"generated_at", core::format_utc(context.now)},
      {"generated_at_local", core::format_local(context.now, context.zone)},
      {"zone", context.settings.zone},
      {"from", core::format_date(report.from)},
      {"to", core::format_date(report.to)},
      {"days", app::kReportDays},
      {"scopes", std::move(scopes)},
      {"pattern", report.pattern ? pattern_part(report, citations) : json(nullptr)},
      {"journal",
       covers(core::Scope::journal) ? journal_part(context, report, citations) : json(nullptr)},
      {"checkins", covers(core::Scope::checkins)
                       ? instruments_part(context, report.checkins, false, citations)
                       : json(nullptr)},
      {"reflections", covers(core::Scope::reflections)
                          ? instruments_part(context, report.reflections, true, citations)
                          : json(nullptr)},
      {"plan", covers(core::Scope::plan) ? plan_part(report, citations) : json(nullptr)},
      {"advisories", std::move(advisories)},
      {"help", std::move(help)},
      {"disclaimer",
       "This report shows what the person logged and answered themselves in mitra, a self-help "
       "tool. It is not a clinical assessment, a diagnosis or medical advice; the "
       "self-reflection results are self-report. Figures cover only what was logged."}};
  out["references"] = reference_map(citations.keys());
  return out;
}

}  // namespace mitra::views
