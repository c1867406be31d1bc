#pragma once
// The history of check-ins and reflections: what was stored, oldest first, and how the
// newest compares with the one before.

#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"

namespace mitra::app {

struct InstrumentHistory {
  std::string instrument;                  // "sows", "cows", "dsm5", "reflection", "checkin".
  std::vector<store::Assessment> entries;  // Oldest first.
  std::optional<int> change;               // Newest total minus the one before.
};

// Check-ins of `instrument` (empty: every instrument) in the last `days` days (1 to 3650).
Result<std::vector<InstrumentHistory>> assessment_history(Context& context,
                                                          const std::string& instrument, int days);

}  // namespace mitra::app
