// libFuzzer harness: journal JSON import (formats::parse_json_document, then the validation
// app::import_journal does before it writes). Properties: nothing crashes or throws (no
// exception of the JSON library may cross a layer); what is accepted exports and re-imports
// to the identical records, as JSON and as CSV.

#include "import_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  FUZZ_CHECK(
      mitra::formats::sniff_format(text) == "json" || mitra::formats::sniff_format(text) == "csv",
      "sniff_format answered neither json nor csv");
  mitra::fuzz::import_and_round_trip(
      text, [](std::string_view t) { return mitra::formats::parse_json_document(t, SIZE_MAX); },
      true);
  return 0;
}
