#!/usr/bin/env bash
# Waits until the machine is quiet before a benchmark measures: the cores idle for at least
# IDLE percent (default 90) over two seconds in a row, or TIMEOUT seconds (default 120) have
# passed. The load average lags by a minute, and a benchmark started just after another one
# (a server still shutting down, a browser's last processes, the kernel writing back a journal)
# measures that work as its own: Lighthouse's blocking time is the main thread's tasks times
# four, so a busy core shows up four times over. Prints what it found.
# Usage: scripts/wait-quiet.sh [IDLE] [TIMEOUT]
set -euo pipefail
want=${1:-90}
timeout=${2:-120}

# The cores' idle and total jiffies since boot (idle and I/O wait count as idle).
sample() { awk '/^cpu / {t = 0; for (i = 2; i <= NF; i++) t += $i; print $5 + $6, t; exit}' /proc/stat; }

read -r idle0 total0 < <(sample)
quiet=0 waited=0 idle=0
while [ "$waited" -lt "$timeout" ]; do
  sleep 1
  waited=$((waited + 1))
  read -r idle1 total1 < <(sample)
  idle=$(((idle1 - idle0) * 100 / (total1 - total0 > 0 ? total1 - total0 : 1)))
  idle0=$idle1 total0=$total1
  if [ "$idle" -ge "$want" ]; then quiet=$((quiet + 1)); else quiet=0; fi
  if [ "$quiet" -ge 2 ]; then
    echo "quiet machine: ${idle}% idle after ${waited} s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    exit 0
  fi
done
echo "the machine stayed busy for ${timeout} s (last second ${idle}% idle, load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg)); measuring anyway, compare with care" >&2
