#include "app/pattern.hpp"

#include <algorithm>

#include "app/journal.hpp"

namespace mitra::app {

namespace {

// The doses a window of `days` journal days can contain, with a day of margin on each side
// for zones and the day start; the analysis itself decides what belongs to the window.
Result<std::vector<core::Dose>> doses_for_window(Context& context, int days) {
  store::TimeRange range;
  range.from = context.now - std::chrono::days{days + 1};
  range.to = context.now + std::chrono::days{1};
  return context.store.list_doses_brief(range, store::Records::Order::oldest_first, -1);
}

// The journal day a dose belongs to: its wall-clock time in its own zone (the zone in use when
// the dose's is empty or unknown) minus the day start, as the pattern places it
// (docs/pattern.md), whatever zone the journal is shown in now.
core::Day dose_journal_day(const Context& context, const core::Dose& dose) {
  return core::journal_day(dose.taken_at, core::zone_or(*context.zones, dose.zone, context.zone),
                           context.settings.day_start);
}

}  // namespace

Result<core::PatternOptions> pattern_options(Context& context, int days) {
  core::PatternOptions options;
  options.days = days;
  options.day_start = context.settings.day_start;
  options.zone = context.zone;
  options.zones = context.zones;
  // Trends only count days since the journal began; the window alone cannot tell.
  auto first = context.store.first_dose();
  if (!first) return tl::unexpected(first.error());
  if (*first) options.journal_start = (*first)->taken_at;
  return options;
}

Result<std::vector<core::Dose>> doses_of_day(Context& context, core::Day day) {
  using std::chrono::days;
  const auto day_start = context.settings.day_start;
  // Zones are at most 26 h apart (UTC-12 to UTC+14), so a dose of `day` in its own zone was
  // taken within 26 h of `day` in the zone in use: read that much either side and let each
  // dose's own journal day decide, as the pattern does.
  constexpr std::chrono::hours kZoneSpread{26};
  store::TimeRange range;
  range.from = core::day_begin(day, context.zone, day_start) - kZoneSpread;
  range.to = std::min(core::day_begin(day + days{1}, context.zone, day_start) + kZoneSpread,
                      context.now + core::kClockSkew + std::chrono::seconds{1});
  if (*range.to <= *range.from) return std::vector<core::Dose>{};
  auto doses = context.store.list_doses_brief(range, store::Records::Order::oldest_first, -1);
  if (!doses) return tl::unexpected(doses.error());
  std::erase_if(*doses, [&](const core::Dose& d) {
    return d.taken_at > context.now + core::kClockSkew || dose_journal_day(context, d) != day;
  });
  return doses;
}

Result<core::Pattern> pattern(Context& context, int days) {
  auto weights = product_weights(context);
  if (!weights) return tl::unexpected(weights.error());
  return pattern(context, days, *weights);
}

Result<core::Pattern> pattern(Context& context, int days,
                              const std::map<std::string, core::ProductWeights>& weights) {
  if (days < 1 || days > 3650) {
    return core::invalid("days", core::sentence("days must be a whole number from 1 to 3650"));
  }
  auto doses = doses_for_window(context, days);
  if (!doses) return tl::unexpected(doses.error());
  auto options = pattern_options(context, days);
  if (!options) return tl::unexpected(options.error());
  return core::analyse_pattern(*doses, weights, context.now, *options);
}

}  // namespace mitra::app
