#pragma once
// The records mitra keeps besides the journal's doses and substance uses: completed
// questionnaires and check-ins, and the versions of taper plans. Plain values, shared by the
// store (which keeps them) and formats (which writes and reads them in exports).

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace mitra::core {

// A completed questionnaire or check-in (SOWS, COWS, DSM-5 reflection, daily check-in…).
struct Assessment {
  std::string id;
  std::string instrument;  // "sows", "cows", "dsm5", "reflection", "checkin".
  Instant taken_at{};
  std::string zone;
  std::vector<int> answers;
  int total = 0;
  std::string band;
  std::string note;

  friend bool operator==(const Assessment&, const Assessment&) = default;
};

// One version of a taper plan. The plan itself is a JSON document written by formats
// (formats/plan_json.hpp); the store only keeps versions in order.
struct PlanVersion {
  std::string plan_id;  // Stable across versions.
  int version = 1;
  Instant created_at{};
  std::string status;  // "active", "held", "superseded", "finished".
  std::string reason;  // Why this version exists: "new", "hold", "slip", "adjust"…
  std::string body_json;

  friend bool operator==(const PlanVersion&, const PlanVersion&) = default;
};

// A record id given from outside (a file's own): empty, or at most 64 letters, digits, - or _
// (core/journal.cpp).
Result<void> validate_record_id(const std::string& id);

}  // namespace mitra::core
