#!/usr/bin/env bash
# ctest case clang_fuzz_build: the fuzzed libraries and every fuzz target build with clang 14
# (warnings are errors) as libFuzzer executables with ASan+UBSan, and each replays its seed
# corpus and its fixed crashes under the sanitizers. Usage: clang_build_check.sh SOURCE BUILD
set -euo pipefail
source_dir="$1"
build="$2"
cd "$source_dir"
FUZZ_BUILD="$build" FUZZ_BUILD_ONLY=1 JOBS="${JOBS:-2}" scripts/fuzz.sh
# Every target scripts/fuzz.sh builds (one per harness file), so a harness it did not build fails.
mapfile -t targets < <(FUZZ_LIST=1 scripts/fuzz.sh)
for t in "${targets[@]}"; do
  harness="$build/tests/fuzz/fuzz_$t"
  if [ ! -x "$harness" ]; then
    echo "fuzz_$t was not built in $build" >&2
    exit 1
  fi
  echo "== fuzz_$t: tests/fuzz/corpus/$t"
  "$harness" -runs=0 "tests/fuzz/corpus/$t" 2>&1 | tail -n 1
  fixed=()
  for crash in tests/fuzz/crashes/"$t"/*; do
    [ -f "$crash" ] && [[ "${crash##*/}" != open-* ]] && fixed+=("$crash")
  done
  if [ ${#fixed[@]} -gt 0 ]; then
    echo "== fuzz_$t: ${#fixed[@]} fixed crashes"
    "$harness" "${fixed[@]}" 2>&1 | tail -n 1
  fi
done
echo "clang build and sanitizer replay: all passed"
