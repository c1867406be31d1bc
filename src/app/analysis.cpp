#include "app/analysis.hpp"

#include <algorithm>
#include <cmath>

#include "app/journal.hpp"
#include "app/understanding.hpp"
#include "formats/journal_view.hpp"

namespace mitra::app {

namespace {

// The doses a window of `days` journal days can contain, with a day of margin on each side
// for zones and the day start; the analysis itself decides what belongs to the window.
Result<std::vector<core::Dose>> doses_for_window(Context& context, int days) {
  store::TimeRange range;
  range.from = context.now - std::chrono::days{days + 1};
  range.to = context.now + std::chrono::days{1};
  return context.store.list_doses(range);
}

Result<core::PatternOptions> options_for(Context& context, int days) {
  core::PatternOptions options;
  options.days = days;
  options.day_start = context.settings.day_start;
  options.zone = context.zone;
  // Trends only count days since the journal began; the window alone cannot tell.
  auto first = context.store.first_dose();
  if (!first) return tl::unexpected(first.error());
  if (*first) options.journal_start = (*first)->taken_at;
  return options;
}

}  // namespace

Result<core::Pattern> pattern(Context& context, int days) {
  if (days < 1 || days > 3650) {
    return core::invalid("days", "days must be a whole number from 1 to 3650");
  }
  auto doses = doses_for_window(context, days);
  if (!doses) return tl::unexpected(doses.error());
  auto weights = product_weights(context);
  if (!weights) return tl::unexpected(weights.error());
  auto options = options_for(context, days);
  if (!options) return tl::unexpected(options.error());
  return core::analyse_pattern(*doses, *weights, context.now, *options);
}

Result<StatusReport> status(Context& context) {
  StatusReport report;
  auto weights = product_weights(context);
  if (!weights) return tl::unexpected(weights.error());
  auto last = context.store.last_dose();
  if (!last) return tl::unexpected(last.error());
  report.last_dose = *last;
  if (report.last_dose) {
    report.since_last_dose =
        std::chrono::duration_cast<std::chrono::seconds>(context.now - report.last_dose->taken_at);
  }
  auto doses = doses_for_window(context, 7);
  if (!doses) return tl::unexpected(doses.error());
  report.today = core::journal_day(context.now, context.zone, context.settings.day_start);
  for (const auto& d : *doses) {
    const auto zone = core::zone_or(d.zone, context.zone);
    if (d.taken_at > context.now ||
        core::journal_day(d.taken_at, zone, context.settings.day_start) != report.today) {
      continue;
    }
    report.today_doses.push_back(d);
    const auto it = weights->find(d.product);
    const auto mass =
        core::mass_micrograms(d.amount, it == weights->end() ? core::ProductWeights{} : it->second);
    if (mass) {
      report.today_mass_micrograms += *mass;
    } else {
      ++report.today_doses_without_mass;
    }
  }
  auto options = options_for(context, 7);
  if (!options) return tl::unexpected(options.error());
  report.week = core::analyse_pattern(*doses, *weights, context.now, *options);

  auto phase = withdrawal(context);
  if (!phase) return tl::unexpected(phase.error());
  report.withdrawal = std::move(*phase);
  auto advisories = safety(context);
  if (!advisories) return tl::unexpected(advisories.error());
  const auto shown_to_everyone = [](const core::Advisory& advisory) {
    for (const auto& rule : core::advisory_rules()) {
      if (rule.id != advisory.id) continue;
      return std::any_of(rule.when.begin(), rule.when.end(),
                         [](const auto& condition) { return condition.kind == "always"; });
    }
    return false;
  };
  for (auto& advisory : *advisories) {
    if (advisory.level == core::AdvisoryLevel::urgent && !shown_to_everyone(advisory)) {
      report.urgent.push_back(std::move(advisory));
    }
  }
  auto plan = plan_status(context);
  if (!plan) return tl::unexpected(plan.error());
  report.plan = std::move(*plan);
  return report;
}

nlohmann::json status_json(const Context& context, const StatusReport& report) {
  using nlohmann::json;
  json j;
  j["now"] = core::format_local(context.now, context.zone);
  j["zone"] = context.settings.zone;
  j["today"] = core::format_date(report.today);
  if (report.last_dose) {
    j["last_dose"] = formats::dose_json(*report.last_dose, context.zone);
    j["last_dose_at"] = core::format_utc(report.last_dose->taken_at);
    j["hours_since_last_dose"] =
        std::round(static_cast<double>(report.since_last_dose->count()) / 36.0) / 100.0;
  } else {
    j["last_dose"] = nullptr;
    j["last_dose_at"] = nullptr;
    j["hours_since_last_dose"] = nullptr;
  }
  j["today_doses"] = static_cast<int>(report.today_doses.size());
  j["today_amount"] = static_cast<double>(report.today_mass_micrograms) / 1e6;
  j["unit"] = "g";
  j["today_doses_without_known_mass"] = report.today_doses_without_mass;
  j["week"] = formats::pattern_json(report.week);
  j["phase"] = nullptr;
  if (report.withdrawal) {
    const auto& w = *report.withdrawal;
    j["phase"] = core::to_string(w.phase);
    j["next_phase"] = w.next_phase ? json(core::to_string(*w.next_phase)) : json(nullptr);
    j["next_phase_at"] = w.next_phase_at ? json(core::format_utc(*w.next_phase_at)) : json(nullptr);
  }
  j["urgent_advisories"] = json::array();
  for (const auto& a : report.urgent) {
    j["urgent_advisories"].push_back(
        {{"id", a.id},
         {"level", "urgent"},
         {"message", a.message},
         {"what_to_do", a.what_to_do},
         {"estimate", a.estimate.empty() ? json(nullptr) : json(a.estimate)},
         {"sources", a.sources}});
  }
  j["plan"] = report.plan ? plan_status_json(*report.plan) : json(nullptr);
  return j;
}

}  // namespace mitra::app
