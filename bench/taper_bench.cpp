// Plan generation and the work around it: make_plan for typical and long plans, a day's schedule,
// the JSON round trip and the calendar export.
#include <benchmark/benchmark.h>

#include "app/zones.hpp"
#include "core/taper.hpp"
#include "formats/ics.hpp"
#include "formats/plan_json.hpp"

namespace {

using namespace mitra;

constexpr core::Day kToday = date::sys_days{date::year{2026} / date::March / 20};

// A refused call ends its benchmark with the refusal ("ERROR OCCURRED" in the output, which
// tests/bench/runs_test.sh looks for) instead of timing the refusal.
template <class T>
bool ok(benchmark::State& state, const core::Result<T>& result) {
  if (result) return true;
  state.SkipWithError(result.error().message.c_str());
  return false;
}

core::TaperInputs inputs(int doses, int hours, std::int64_t dose_micro, std::int64_t resolution) {
  core::TaperInputs in;
  in.pattern =
      core::DosingPattern{doses, std::chrono::hours{hours}, {dose_micro, core::Unit::gram}};
  in.goal = {core::GoalKind::stop, std::nullopt};
  in.pace = core::Pace::steady;
  in.resolution = {resolution, core::Unit::gram};
  in.start = kToday;
  in.zone = "Europe/Berlin";
  return in;
}

// Six doses of 2.5 g every 3 h, 0.1 g scale: the example from the issue.
void BM_MakePlanSixDosesADay(benchmark::State& state) {
  const auto in = inputs(6, 3, 2'500'000, 100'000);
  std::size_t steps = 0;
  for (auto _ : state) {
    auto plan = core::make_plan(in, kToday, "bench", mitra::app::system_zones());
    if (!ok(state, plan)) break;
    steps = plan->steps.size();
    benchmark::DoNotOptimize(plan);
  }
  state.counters["steps"] = static_cast<double>(steps);
}
BENCHMARK(BM_MakePlanSixDosesADay);

// Twelve doses of 8 g every 1 h on a 0.01 g scale: a long plan.
void BM_MakePlanLongPlan(benchmark::State& state) {
  const auto in = inputs(12, 1, 8'000'000, 10'000);
  std::size_t steps = 0;
  for (auto _ : state) {
    auto plan = core::make_plan(in, kToday, "bench", mitra::app::system_zones());
    if (!ok(state, plan)) break;
    steps = plan->steps.size();
    benchmark::DoNotOptimize(plan);
  }
  state.counters["steps"] = static_cast<double>(steps);
}
BENCHMARK(BM_MakePlanLongPlan);

void BM_ScheduleForADay(benchmark::State& state) {
  const auto plan =
      core::make_plan(inputs(6, 3, 2'500'000, 100'000), kToday, "bench", mitra::app::system_zones())
          .value();
  const auto* zone = core::find_zone(mitra::app::system_zones(), "Europe/Berlin").value();
  for (auto _ : state) {
    benchmark::DoNotOptimize(core::schedule_for(plan, kToday + date::days{10}, zone));
  }
}
BENCHMARK(BM_ScheduleForADay);

void BM_PlanJsonRoundTrip(benchmark::State& state) {
  const auto plan =
      core::make_plan(inputs(6, 3, 2'500'000, 100'000), kToday, "bench", mitra::app::system_zones())
          .value();
  for (auto _ : state) {
    auto back = formats::plan_from_json_text(formats::plan_to_json(plan).dump());
    if (!ok(state, back)) break;
    benchmark::DoNotOptimize(back);
  }
}
BENCHMARK(BM_PlanJsonRoundTrip);

// The whole plan as a calendar (every dose of every step). Without the zones to find the
// plan's zone in, plan_to_ics refuses ("tz"): this benchmark timed that refusal (~170 ns) and
// read the size of a string it never had.
void BM_PlanToIcsWholePlan(benchmark::State& state) {
  const auto plan =
      core::make_plan(inputs(6, 3, 2'500'000, 100'000), kToday, "bench", mitra::app::system_zones())
          .value();
  formats::IcsOptions options;
  options.zones = &mitra::app::system_zones();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto text = formats::plan_to_ics(plan, options);
    if (!ok(state, text)) break;
    bytes = text->size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_PlanToIcsWholePlan);

}  // namespace

BENCHMARK_MAIN();
