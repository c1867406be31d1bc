#!/usr/bin/env bash
# HTTP benchmarks of `mitra serve` with wrk, each against a minimal Boost.Beast server
# (bench/baseline_server.cpp) measured in the same run on the same machine:
#   GET /api/v1/status at 256 connections on a four-week journal, on `mitra serve` with its
#   default flags as `make run` starts it (target: >= 0.7 x baseline, p99 < 10 ms, and >= 0.8 x
#   the same server with --quiet), and durable POST /api/v1/doses at 64 connections (target: >= 0.5 x
#   the baseline GET at 64 connections),
#   without and with an Idempotency-Key on each request (the web app always sends one),
#   then the server's peak memory (VmHWM; target: <= 64 MB).
# Builds nothing: run `make bench` or build the targets mitra and baseline_server first.
# Usage: scripts/bench-http.sh [BUILD_DIR]    Environment: DURATION (default 10s).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
mitra="$build/src/cli/mitra"
baseline="$build/bench/baseline_server"
duration=${DURATION:-10s}
for program in "$mitra" "$baseline"; do
  [ -x "$program" ] || { echo "bench-http: $program is missing; build it first" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "bench-http: wrk is not installed" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Waits until FILE has a first line, and prints it.
first_line() {
  for _ in $(seq 100); do
    if [ -s "$1" ]; then head -n1 "$1"; return; fi
    sleep 0.1
  done
  echo "bench-http: no output in $1" >&2
  exit 1
}

# "Requests/sec" and the 99th percentile (in ms) of a wrk --latency report.
rate() { awk '/^Requests\/sec/ {print $2}' "$1"; }
p99_ms() {
  awk '$1 == "99%" {
    v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
    if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000;
    printf "%.2f", v }' "$1"
}
errors() { awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0}' "$1"; }

echo "== HTTP benchmarks ($(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg))"

# A four-week journal ending now, 5 doses a day, imported like scripts/bench.sh's.
db="$work/journal.db"
awk -v now="$(date +%s)" 'BEGIN {
  print "record,id,taken_at,zone,amount,unit,form,product,substance,note,triggers";
  start = now - 28 * 86400 - now % 86400;
  for (day = 0; day < 28; day++) for (k = 0; k < 5; k++) {
    t = start + day * 86400 + 6 * 3600 + k * 3 * 3600;
    if (t >= now) continue;
    printf "dose,bench%06d,%s,Europe/Berlin,2.5,g,leaf_powder,,,,stress\n", day * 5 + k,
      strftime("%Y-%m-%dT%H:%M:%SZ", t, 1);
  }
}' >"$work/journal.csv"
"$mitra" --db "$db" setup --zone Europe/Berlin >/dev/null
"$mitra" --db "$db" import "$work/journal.csv" >/dev/null

"$baseline" 0 2 >"$work/baseline.out" &
pids+=($!)
baseline_port=$(first_line "$work/baseline.out")

MITRA_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export MITRA_TOKEN
# mitra serve as `make run` starts it (default threads, default logging) for every run, and the
# same with --quiet once, to show what the default logging costs.
"$mitra" --db "$db" --json serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
pids+=($server_pid)
mitra_port=$(first_line "$work/serve.out" | sed 's/.*"port":\([0-9]*\).*/\1/')
"$mitra" --db "$db" --json serve --port 0 --quiet >"$work/quiet.out" 2>"$work/quiet.err" &
pids+=($!)
quiet_port=$(first_line "$work/quiet.out" | sed 's/.*"port":\([0-9]*\).*/\1/')
auth="Authorization: Bearer $MITRA_TOKEN"
curl -fsS -o /dev/null -H "$auth" "http://127.0.0.1:$mitra_port/api/v1/status"

run() {  # NAME CONNECTIONS URL [wrk options…]
  local name=$1 connections=$2 url=$3
  shift 3
  wrk -t2 -c"$connections" -d"$duration" --latency "$@" "$url" >"$work/$name.txt" 2>&1
}

run baseline-256 256 "http://127.0.0.1:$baseline_port/"
run status-256 256 "http://127.0.0.1:$mitra_port/api/v1/status" -H "$auth"
run quiet-256 256 "http://127.0.0.1:$quiet_port/api/v1/status" -H "$auth"
run baseline-64 64 "http://127.0.0.1:$baseline_port/"
doses_before=$(sqlite3 "$db" "SELECT count(*) FROM doses")
run post-64 64 "http://127.0.0.1:$mitra_port/api/v1/doses" -s "$here/bench/post_dose.lua"
doses_after=$(sqlite3 "$db" "SELECT count(*) FROM doses")
run post-keyed-64 64 "http://127.0.0.1:$mitra_port/api/v1/doses" -s "$here/bench/post_dose_keyed.lua"
keyed_after=$(sqlite3 "$db" "SELECT count(*) FROM doses")
hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status")
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status")

printf '%-34s %12s %10s %8s  %s\n' "run" "requests/s" "p99 ms" "ratio" "errors"
report() {  # NAME LABEL [BASELINE_NAME]
  local r ratio="-"
  r=$(rate "$work/$1.txt")
  if [ -n "${3:-}" ]; then ratio=$(awk -v a="$r" -v b="$(rate "$work/$3.txt")" 'BEGIN {printf "%.2f", a / b}'); fi
  printf '%-34s %12s %10s %8s  %s\n' "$2" "$r" "$(p99_ms "$work/$1.txt")" "$ratio" "$(errors "$work/$1.txt")"
}
report baseline-256 "baseline GET, 256 connections"
report status-256 "GET /api/v1/status, 256 conn." baseline-256
report quiet-256 "the same on serve --quiet" baseline-256
report status-256 "default serve against --quiet" quiet-256
report baseline-64 "baseline GET, 64 connections"
report post-64 "POST /api/v1/doses, 64 conn." baseline-64
report post-keyed-64 "the same, Idempotency-Key on each" baseline-64
sent=$(awk '/requests in/ {print $1}' "$work/post-64.txt")
echo "doses stored during the POST run: $((doses_after - doses_before)) (wrk counted $sent requests, the last ones may be cut off)"
sent=$(awk '/requests in/ {print $1}' "$work/post-keyed-64.txt")
echo "doses stored during the keyed POST run: $((keyed_after - doses_after)) (wrk counted $sent)"
echo "server memory: VmHWM $((hwm_kb / 1024)) MB (peak), VmRSS $((rss_kb / 1024)) MB (now)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
