// Pattern analysis over a generated 10-year journal at 6 doses a day (~21,900 doses).
// Target: the full 10 years in under 5 ms. Run: build/bench/pattern_bench

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "app/zones.hpp"
#include "core/pattern.hpp"

namespace {

using namespace mitra::core;
using std::chrono::hours;
using std::chrono::minutes;

const Instant kNow = Instant{date::sys_days{date::year{2026} / 1 / 9}} + hours{20};
constexpr int kYears = 10;
constexpr int kDays = kYears * 365 + kYears / 4;  // 3652 days.

// Six doses a day in Berlin, a few minutes of jitter, powder and capsules mixed, and now and
// then a week of travel to New York, oldest first as the store returns them.
std::vector<Dose> make_journal() {
  std::vector<Dose> doses;
  doses.reserve(static_cast<std::size_t>(kDays) * 6);
  const Day today = journal_day(
      kNow, find_zone(mitra::app::system_zones(), "Europe/Berlin").value(), kDefaultDayStart);
  const int clock[6] = {7 * 60, 10 * 60, 13 * 60, 16 * 60, 19 * 60, 22 * 60 + 30};
  std::uint32_t seed = 12345;
  for (int i = kDays - 1; i >= 0; --i) {
    const Day day = today - date::days{i};
    const bool travelling = (i / 7) % 20 == 3;
    const char* zone = travelling ? "America/New_York" : "Europe/Berlin";
    const mitra::core::TimeZone* tz = find_zone(mitra::app::system_zones(), zone).value();
    for (int k = 0; k < 6; ++k) {
      seed = seed * 1664525u + 1013904223u;
      const auto jitter = minutes{static_cast<int>(seed >> 27)};  // 0..31 min.
      Dose d;
      d.id = std::to_string(doses.size());
      d.zone = zone;
      d.taken_at = tz->to_sys(date::local_days{day.time_since_epoch()} + minutes{clock[k]} + jitter,
                              mitra::core::Choose::latest);
      if (d.taken_at > kNow) continue;
      if (k % 3 == 2) {
        d.amount = Amount{4 * kMicro, Unit::capsule};
        d.form = Form::capsules;
        d.product = "Green Malay";
      } else {
        d.amount = Amount{2'500'000, Unit::gram};
      }
      doses.push_back(std::move(d));
    }
  }
  return doses;
}

const std::vector<Dose>& journal() {
  static const std::vector<Dose> doses = make_journal();
  return doses;
}

void BM_AnalysePattern(benchmark::State& state) {
  const auto& doses = journal();
  const std::map<std::string, ProductWeights> products{
      {"Green Malay", ProductWeights{500 * kMicro, std::nullopt}}};
  PatternOptions options;
  options.days = static_cast<int>(state.range(0));
  options.zone = find_zone(mitra::app::system_zones(), "Europe/Berlin").value();
  for (auto _ : state) {
    Pattern p = analyse_pattern(doses, products, kNow, options);
    benchmark::DoNotOptimize(p);
  }
  state.counters["doses"] = static_cast<double>(doses.size());
  state.counters["in_window"] =
      static_cast<double>(analyse_pattern(doses, products, kNow, options).dose_count);
}

// The same journal in a shuffled order: the analysis must sort it first.
void BM_AnalysePatternShuffled(benchmark::State& state) {
  std::vector<Dose> doses = journal();
  std::mt19937 random(42);
  std::shuffle(doses.begin(), doses.end(), random);
  const std::map<std::string, ProductWeights> products{
      {"Green Malay", ProductWeights{500 * kMicro, std::nullopt}}};
  PatternOptions options;
  options.days = static_cast<int>(state.range(0));
  options.zone = find_zone(mitra::app::system_zones(), "Europe/Berlin").value();
  for (auto _ : state) {
    Pattern p = analyse_pattern(doses, products, kNow, options);
    benchmark::DoNotOptimize(p);
  }
}

BENCHMARK(BM_AnalysePatternShuffled)->Arg(90)->Arg(kDays)->Unit(benchmark::kMicrosecond);

BENCHMARK(BM_AnalysePattern)->Arg(7)->Arg(28)->Arg(90)->Arg(kDays)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
