#!/usr/bin/env bash
# Crash test: many concurrent `mitra log` processes, some killed with SIGKILL at random
# moments. Every dose whose id was printed must be in the database afterwards, and SQLite's
# integrity check must pass.
# Usage: crash_test.sh MITRA_BINARY [ROUNDS]
set -euo pipefail
source "$(dirname "$0")/verdict.sh"
mitra=$1
rounds=${2:-25}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/journal.db"
"$mitra" --db "$db" setup --zone UTC --day-start 04:00 >/dev/null

RANDOM=42
launched=0
killed=0
# The shell's "Killed" notices go to /dev/null; each process's own stderr goes to a file.
for ((round = 0; round < rounds; round++)); do
  pids=()
  for ((i = 0; i < 8; i++)); do
    n=$((round * 8 + i))
    "$mitra" --db "$db" --json log "$((1 + n % 9)).5g" --note "crash $n" >"$work/out.$n" 2>"$work/err.$n" &
    pids+=($!)
    launched=$((launched + 1))
  done
  # Kill about half of them, each after a random delay of up to ~30 ms.
  for pid in "${pids[@]}"; do
    if ((RANDOM % 2 == 0)); then
      sleep "0.0$((RANDOM % 3))$((RANDOM % 10))"
      kill -9 "$pid" 2>/dev/null && killed=$((killed + 1)) || true
    fi
  done
  wait || true
done 2>/dev/null

printed=$(cat "$work"/out.* | grep -o '"id": "[0-9a-f]\{32\}"' | grep -o '[0-9a-f]\{32\}' | sort -u || true)
echo "launched $launched, sent SIGKILL to $killed"
check_acknowledged_stored "$db" "$printed"
# Every failure a process reported must be a clean message, never a crash report.
if grep -l "internal" "$work"/err.* >/dev/null 2>&1; then
  echo "FAIL: a process reported an internal error:"
  grep -h "internal" "$work"/err.* | head -3
  status=1
fi
[ $status -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $status
