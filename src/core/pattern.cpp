#include "core/pattern.hpp"

namespace mitra::core {

// Placeholder until the full analysis lands: counts only.
Pattern analyse_pattern(std::span<const Dose> doses,
                        const std::map<std::string, ProductWeights>& /*products*/, Instant now,
                        const PatternOptions& options) {
  Pattern p;
  p.days = options.days;
  p.last_day = journal_day(now, options.zone, options.day_start);
  p.first_day = p.last_day - date::days{options.days - 1};
  for (const auto& d : doses) {
    const auto day = journal_day(d.taken_at, find_zone(d.zone).value_or(options.zone),
                                 options.day_start);
    if (day >= p.first_day && day <= p.last_day) ++p.dose_count;
  }
  p.doses_per_day = options.days > 0 ? static_cast<double>(p.dose_count) / options.days : 0.0;
  return p;
}

}  // namespace mitra::core
