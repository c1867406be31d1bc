#!/usr/bin/env bash
# `make fuzz` (scripts/fuzz.sh) and the clang build check take every harness of tests/fuzz as a
# target. Its list was once written out by hand and left out the TZif reader's harness
# (fuzz_tzif.cpp), so that parser was never fuzzed nor built with clang. Usage:
# targets_test.sh SOURCE_DIR
set -euo pipefail
cd "$1"
mapfile -t listed < <(FUZZ_LIST=1 timeout 20 scripts/fuzz.sh)
status=0
count=0
for harness in tests/fuzz/fuzz_*.cpp; do
  t="${harness#tests/fuzz/fuzz_}"
  t="${t%.cpp}"
  count=$((count + 1))
  if ! printf '%s\n' "${listed[@]}" | grep -qx "$t"; then
    echo "scripts/fuzz.sh leaves out the harness $harness (target $t)" >&2
    status=1
  fi
done
if [ "$count" -lt 9 ] || [ "${#listed[@]}" -ne "$count" ]; then
  echo "scripts/fuzz.sh lists ${#listed[@]} targets for $count harnesses: ${listed[*]}" >&2
  status=1
fi
printf '%s\n' "${listed[@]}" | grep -qx tzif || {
  echo "scripts/fuzz.sh does not fuzz the TZif reader (tzif)" >&2
  status=1
}
[ "$status" -eq 0 ] && echo "scripts/fuzz.sh fuzzes all $count harnesses"
exit "$status"
