#include "app/history.hpp"

#include <algorithm>
#include <iterator>

#include "core/instruments.hpp"

namespace mitra::app {

Result<std::vector<InstrumentHistory>> assessment_history(Context& context,
                                                          const std::string& instrument, int days) {
  if (days < 1 || days > 3650) {
    return core::invalid("days", core::sentence("days must be a whole number from 1 to 3650"));
  }
  if (!instrument.empty()) {
    auto known = core::find_instrument(instrument);
    if (!known) return tl::unexpected(known.error());
  }
  store::TimeRange range;
  range.from = context.now - std::chrono::days{days};
  auto rows = context.store.list_assessments(instrument, range);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<InstrumentHistory> out;
  for (auto& row : *rows) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const auto& h) { return h.instrument == row.instrument; });
    if (it == out.end()) {
      out.push_back(InstrumentHistory{row.instrument, {}, std::nullopt});
      it = std::prev(out.end());
    }
    it->entries.push_back(std::move(row));
  }
  for (auto& h : out) {
    if (h.entries.size() >= 2) {
      h.change = h.entries.back().total - h.entries[h.entries.size() - 2].total;
    }
  }
  return out;
}

}  // namespace mitra::app
