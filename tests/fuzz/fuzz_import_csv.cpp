// libFuzzer harness: journal CSV import (formats::parse_csv and split_csv, then the validation
// app::import_journal does before it writes). Properties: nothing crashes or throws; what is
// accepted exports and re-imports to the identical records, as CSV and as JSON.

#include "import_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto rows = mitra::formats::split_csv(text)) {
    int line = 0;
    for (const auto& row : *rows) {
      FUZZ_CHECK(row.line > line, "CSV rows' line numbers do not increase");
      line = row.line;
    }
  }
  mitra::fuzz::import_and_round_trip(
      text, [](std::string_view t) { return mitra::formats::parse_csv(t, SIZE_MAX); }, false);
  return 0;
}
