#!/usr/bin/env bash
# Benchmarks: Google Benchmark programs, then whole-process timings of `mitra status` and
# `mitra log` on a 10-year journal at 6 doses a day, with hyperfine.
# Usage: scripts/bench.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
mitra="$build/src/cli/mitra"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for b in "$build"/bench/*_bench; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
done

echo "== whole-process timings on a 10-year journal (6 doses a day)"
now="2026-01-10T12:00:00Z"
awk 'BEGIN {
  print "record,id,taken_at,zone,amount,unit,form,product,substance,note,triggers";
  start = 1452000000;  # 2016-01-05, ten years before the pinned now
  for (day = 0; day < 3652; day++) {
    for (k = 0; k < 6; k++) {
      t = start + day * 86400 + 7 * 3600 + k * 3 * 3600;
      printf "dose,bench%06d,%s,Europe/Berlin,2.5,g,leaf_powder,,,,\n", day * 6 + k, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1);
    }
  }
}' >"$work/journal.csv"
db="$work/journal.db"
"$mitra" --db "$db" --now "$now" setup --zone Europe/Berlin >/dev/null
"$mitra" --db "$db" --now "$now" import "$work/journal.csv"
hyperfine --warmup 5 --runs 50 --export-json "$work/hyperfine.json" \
  "$mitra --db $db --now $now status" \
  "$mitra --db $db --now $now --json status" \
  "$mitra --db $db --now $now pattern --days 90" \
  "$mitra --db $db --now $now log 2.5g --at 11:00"

echo "== start-up and status as whole processes, against their baselines in the same run"
"$(dirname "$0")/wait-quiet.sh"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 10 --runs 100 --export-json "$work/startup.json" \
  "/bin/true" \
  "$mitra --version" \
  "sqlite3 $db 'select count(*) from doses'" \
  "$mitra --db $db --now $now status" >/dev/null
# Mean seconds of the n-th command of a hyperfine export.
mean() { sed -n 's/.*"mean": *\([0-9.e-]*\).*/\1/p' "$work/startup.json" | sed -n "${1}p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
ms() { awk -v a="$1" 'BEGIN {printf "%.1f ms", a * 1000}'; }
printf '%-44s %10s %8s  %s\n' "command" "mean" "ratio" "against"
printf '%-44s %10s %8s  %s\n' "/bin/true" "$(ms "$(mean 1)")" "-" ""
printf '%-44s %10s %8s  %s\n' "mitra --version" "$(ms "$(mean 2)")" "$(ratio "$(mean 2)" "$(mean 1)")" "/bin/true (target <= 2)"
printf '%-44s %10s %8s  %s\n' "sqlite3 JOURNAL 'select count(*) from doses'" "$(ms "$(mean 3)")" "-" ""
printf '%-44s %10s %8s  %s\n' "mitra status (10-year journal)" "$(ms "$(mean 4)")" "$(ratio "$(mean 4)" "$(mean 3)")" "sqlite3's count (target <= 2)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
