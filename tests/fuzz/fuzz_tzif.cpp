// libFuzzer harness: the TZif reader (core/time_zone.hpp), the bytes of a zone file from the
// system's folder, where anyone with write access to it, or a $TZDIR, may put anything.
// Properties: nothing crashes, throws or hangs; a file read gives spans that hold the instant
// asked about, and wall times that map back to their instants.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/time_zone.hpp"
#include "fuzz_check.hpp"

using namespace mitra::core;
using std::chrono::seconds;
using std::chrono::sys_seconds;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto zone = TimeZone::from_tzif("Fuzz/Zone", bytes);
  if (!zone) {
    FUZZ_CHECK(!zone.error().empty(), "a refusal without a reason");
    return 0;
  }
  // 1850, 1970, 2026, 2037 (the end of fat files), 2150 (the closing rule) and 3000.
  static constexpr std::array<long long, 6> kInstants{-3786825600LL, 0LL,          1767945600LL,
                                                      2114380800LL,  5806224000LL, 32503680000LL};
  for (const long long when : kInstants) {
    const sys_seconds t{seconds{when}};
    const ZoneInfo info = zone->get_info(t);
    FUZZ_CHECK(info.begin <= t && t < info.end, "a span that does not hold its instant");
    FUZZ_CHECK(zone->offset(t) == info.offset, "offset() and get_info() disagree");
    const auto wall = zone->to_local(t);
    const LocalInfo local = zone->get_info(wall);
    if (local.result == LocalInfo::unique) {
      FUZZ_CHECK(zone->to_sys(wall, Choose::earliest) == t, "a unique wall time maps elsewhere");
    } else if (local.result == LocalInfo::ambiguous) {
      // (A file may crowd three spans into the reach of one wall time; the two first are kept.)
      FUZZ_CHECK(zone->to_sys(wall, Choose::earliest) < zone->to_sys(wall, Choose::latest),
                 "the two instants of a repeated wall time are out of order");
    } else {
      FUZZ_CHECK(false, "the wall time of an instant does not exist");
    }
  }
  return 0;
}
