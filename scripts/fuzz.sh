#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets of tests/fuzz with clang (in build-fuzz/, with
# AddressSanitizer and UndefinedBehaviorSanitizer) and runs each for FUZZ_SECONDS, one after
# the other. New inputs that add coverage are merged into tests/fuzz/corpus/<target>/; a crash
# is saved as tests/fuzz/crashes/<target>/open-crash-<sha1> (replayed by ctest, expected to fail
# until its bug is fixed: see CONTRIBUTING.md, "Fuzzing").
#
#   FUZZ_SECONDS=60             seconds per target
#   FUZZ_TARGETS="amount time"  only these targets (default: all)
#   FUZZ_BUILD=build-fuzz       the build folder
#   FUZZ_ARGS="-max_len=8192"   more libFuzzer options
#   FUZZ_BUILD_ONLY=1           build, and run nothing
#   FUZZ_LIST=1                 print the targets (one per harness), and do nothing else
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="${FUZZ_BUILD:-build-fuzz}"
seconds="${FUZZ_SECONDS:-60}"
jobs="${JOBS:-2}"
# Every harness, tests/fuzz/fuzz_<target>.cpp: a list kept here by hand once left one out.
mapfile -t all_targets < <(cd tests/fuzz && for f in fuzz_*.cpp; do
  t="${f#fuzz_}"
  echo "${t%.cpp}"
done)
if [ "${FUZZ_LIST:-0}" = 1 ]; then
  printf '%s\n' "${all_targets[@]}"
  exit 0
fi
read -r -a targets <<<"${FUZZ_TARGETS:-${all_targets[*]}}"

launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DMITRA_FUZZ=ON -DBUILD_TESTING=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]/#/fuzz_}"
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0

failed=()
summary=()
for t in "${targets[@]}"; do
  corpus="tests/fuzz/corpus/$t"
  work="$build/fuzz-work/$t"
  log="$build/fuzz-work/$t.log"
  mkdir -p "$corpus" "tests/fuzz/crashes/$t" "$work"
  echo "== fuzz_$t for ${seconds}s (log: $log)"
  status=0
  # New inputs go to $work (the first folder); $corpus is read as seeds.
  # shellcheck disable=SC2086
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="tests/fuzz/crashes/$t/open-" ${FUZZ_ARGS:-} \
    "$work" "$corpus" >"$log" 2>&1 || status=$?
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    grep -E '^==[0-9]+==ERROR|property broken|runtime error|uncaught|Test unit written' "$log" | head -5 || true
  fi
  # Keep only what adds coverage to the corpus in the repository.
  "$build/tests/fuzz/fuzz_$t" -merge=1 "$corpus" "$work" >>"$log" 2>&1 || true
  rm -rf "$work"
  summary+=("$(printf '%-14s %12s executions  exit %s  corpus %s files' "$t" "${execs:-?}" "$status" \
    "$(find "$corpus" -type f | wc -l)")")
done
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "Crashes in: ${failed[*]} (see tests/fuzz/crashes/<target>/open-*)"
  exit 1
fi
