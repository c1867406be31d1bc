#pragma once
// Use cases that read the journal's pattern: the pattern of the last days, and the doses of
// one journal day. Below plan, understanding and status, which all build on them.

#include <map>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "core/pattern.hpp"

namespace mitra::app {

// Loads the doses the pattern of the last `days` journal days needs and analyses them.
// `days` must be from 1 to 3650.
Result<core::Pattern> pattern(Context& context, int days);
// The same with the products' weights already read (app/journal.hpp's product_weights).
Result<core::Pattern> pattern(Context& context, int days,
                              const std::map<std::string, core::ProductWeights>& weights);

// The options a pattern of `days` journal days is analysed with: the day start and zone in
// use, and the journal's first dose (trends count only days since the journal began).
Result<core::PatternOptions> pattern_options(Context& context, int days);

// The doses of journal day `day` taken by now (one up to core::kClockSkew ahead counts as
// taken), each placed on its day in its own zone as the pattern places it;
// brief records (no note or triggers), oldest first. Status's "doses today" and the plan's "so
// far" both count these: after a change of zone they counted different doses (issue 14, item 11).
Result<std::vector<core::Dose>> doses_of_day(Context& context, core::Day day);

}  // namespace mitra::app
