#!/bin/sh
# Every Google Benchmark program of bench/ runs each of its benchmarks once, briefly, and none
# of them ends in an error: a benchmark whose call is refused stops with "ERROR OCCURRED"
# (bench/taper_bench.cpp, ok()) rather than time the refusal, as BM_PlanToIcsWholePlan did
# until 2026-12-05 (it timed plan_to_ics refusing a plan without its zones: 168 ns for a
# 150 KB calendar). Timings are not checked here (make bench measures them).
# Usage: runs_test.sh BENCH_PROGRAM...
set -u
status=0
for program in "$@"; do
  out=$("$program" --benchmark_min_time=0.0001 2>&1)
  code=$?
  if [ "$code" -ne 0 ]; then
    echo "FAIL: $program exited with $code"
    echo "$out"
    status=1
  elif echo "$out" | grep -q "ERROR OCCURRED"; then
    echo "FAIL: $program: a benchmark ended in an error:"
    echo "$out" | grep "ERROR OCCURRED"
    status=1
  elif ! echo "$out" | grep -q "^BM_"; then
    echo "FAIL: $program ran no benchmark"
    echo "$out"
    status=1
  else
    echo "ok: $program ($(echo "$out" | grep -c '^BM_') benchmarks)"
  fi
  # The calendar of a whole plan is some 150 KB: a size far from it is not a calendar.
  case "$program" in
    *taper_bench)
      bytes=$(echo "$out" | sed -n 's/^BM_PlanToIcsWholePlan .*bytes=\([0-9.]*\)k$/\1/p')
      if ! awk -v k="${bytes:-0}" 'BEGIN { exit !(k >= 10 && k <= 10000) }'; then
        echo "FAIL: BM_PlanToIcsWholePlan wrote ${bytes:-no} kB, not a whole plan's calendar:"
        echo "$out" | grep "^BM_PlanToIcsWholePlan"
        status=1
      fi
      ;;
  esac
done
exit $status
