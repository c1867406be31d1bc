#!/usr/bin/env bash
# HTTP benchmarks of `mitra serve` with wrk, each against a minimal Boost.Beast server
# (bench/baseline_server.cpp) measured in the same run on the same machine:
#   GET /api/v1/status at 256 connections on a four-week journal, on `mitra serve` with its
#   default flags as `make run` starts it (target: >= 0.7 x baseline, p99 < 10 ms, and >= 0.8 x
#   the same server with --quiet), and durable POST /api/v1/doses at 64 connections (target: >= 0.5 x
#   the baseline GET at 64 connections),
#   without and with an Idempotency-Key on each request (the web app always sends one),
#   then the server's peak memory (VmHWM; target: <= 64 MB).
# The POST figures come in rounds, each on a server of its own (default flags) with a fresh
# four-week journal: the baseline at 64 connections, then both POST runs right after it, each
# POST rate divided by its own round's baseline. The figure is the median of the rounds' ratios
# (the baseline alone varies by a quarter from one run to the next on a shared 2-core machine,
# and one fast baseline run once made a whole report miss).
# Builds nothing: run `make bench` or build the targets mitra and baseline_server first.
# Usage: scripts/bench-http.sh [BUILD_DIR]
# Environment: DURATION (of each wrk run, default 10s), ROUNDS (of the POST runs, default 3).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
mitra="$build/src/cli/mitra"
baseline="$build/bench/baseline_server"
duration=${DURATION:-10s}
rounds=${ROUNDS:-3}
case "$rounds" in
  '' | *[!0-9]* | 0) echo "bench-http: ROUNDS must be a whole number of 1 or more (it is '$rounds')" >&2; exit 2 ;;
esac
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
"$here/scripts/wait-quiet.sh"

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
make_journal() {  # DB
  "$mitra" --db "$1" setup --zone Europe/Berlin >/dev/null
  "$mitra" --db "$1" import "$work/journal.csv" >/dev/null
}
make_journal "$db"

"$baseline" 0 2 >"$work/baseline.out" &
baseline_pid=$!
pids+=("$baseline_pid")
baseline_port=$(first_line "$work/baseline.out")

MITRA_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export MITRA_TOKEN
# Starts mitra serve on a journal; sets started_pid and started_port.
start_server() {  # NAME DB [serve options…]
  local name=$1 journal=$2
  shift 2
  "$mitra" --db "$journal" --json serve --port 0 "$@" >"$work/$name.out" 2>"$work/$name.err" &
  started_pid=$!
  pids+=("$started_pid")
  started_port=$(first_line "$work/$name.out" | sed 's/.*"port":\([0-9]*\).*/\1/')
}
# The CPU time a process has used, user and system, in clock ticks (the command name, field 2,
# is a single word for both servers).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Runs `run` with the same arguments and writes the CPU the server PID used for it, in µs per
# request wrk counted, to $work/NAME.cpu: what each request costs, which the rates alone hide
# (a rate bound by the disk or the hand-offs can stay while the CPU per request grows).
run_costed() {  # PID NAME CONNECTIONS URL [wrk options…]
  local pid=$1 before after
  shift
  before=$(cpu_ticks "$pid")
  run "$@"
  after=$(cpu_ticks "$pid")
  awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$(awk '/requests in/ {print $1}' "$work/$1.txt")" \
    'BEGIN {printf "%.1f\n", (n > 0 ? t / hz * 1e6 / n : 0)}' >"$work/$1.cpu"
}
# The peak memory of a running server, in kB.
peak_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
# mitra serve as `make run` starts it (default threads, default logging) for every run, and the
# same with --quiet once, to show what the default logging costs.
start_server serve "$db"
server_pid=$started_pid mitra_port=$started_port
start_server quiet "$db" --quiet
quiet_port=$started_port
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
hwm_kb=$(peak_kb "$server_pid")
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status")
# Each round on a server of its own (default flags) with a fresh four-week journal, as the
# first round: the rounds before would otherwise leave it hundreds of thousands of doses and
# keys larger than any person's.
count_doses() { sqlite3 "$1" "SELECT count(*) FROM doses"; }
stored_plain=0 stored_keyed=0 sent_plain=0 sent_keyed=0
for round in $(seq "$rounds"); do
  journal="$work/round-$round.db"
  make_journal "$journal"
  start_server "serve-$round" "$journal"
  doses="http://127.0.0.1:$started_port/api/v1/doses"
  "$here/scripts/wait-quiet.sh" >/dev/null  # The journal just made, the last round's server.
  run_costed "$baseline_pid" "baseline-64.$round" 64 "http://127.0.0.1:$baseline_port/"
  before=$(count_doses "$journal")
  run_costed "$started_pid" "post-64.$round" 64 "$doses" -s "$here/bench/post_dose.lua"
  middle=$(count_doses "$journal")
  run_costed "$started_pid" "post-keyed-64.$round" 64 "$doses" -s "$here/bench/post_dose_keyed.lua"
  after=$(count_doses "$journal")
  stored_plain=$((stored_plain + middle - before))
  stored_keyed=$((stored_keyed + after - middle))
  sent_plain=$((sent_plain + $(awk '/requests in/ {print $1}' "$work/post-64.$round.txt")))
  sent_keyed=$((sent_keyed + $(awk '/requests in/ {print $1}' "$work/post-keyed-64.$round.txt")))
  round_kb=$(peak_kb "$started_pid")
  if [ "$round_kb" -gt "$hwm_kb" ]; then hwm_kb=$round_kb; fi
  kill "$started_pid"
  wait "$started_pid" 2>/dev/null || true
done

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
for round in $(seq "$rounds"); do
  report "baseline-64.$round" "baseline GET, 64 conn. (round $round)"
  report "post-64.$round" "POST /api/v1/doses, 64 conn." "baseline-64.$round"
  report "post-keyed-64.$round" "the same, Idempotency-Key on each" "baseline-64.$round"
done
# The median of the rounds' ratios of NAME to its round's baseline.
median_ratio() {
  for round in $(seq "$rounds"); do
    awk -v a="$(rate "$work/$1.$round.txt")" -v b="$(rate "$work/baseline-64.$round.txt")" \
      'BEGIN {printf "%.4f\n", a / b}'
  done | sort -n | awk '{v[NR] = $1} END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }'
}
printf '%-34s %12s %10s %8s\n' "POST, median of $rounds rounds" "" "" "$(median_ratio post-64)"
printf '%-34s %12s %10s %8s\n' "keyed POST, median of $rounds rounds" "" "" "$(median_ratio post-keyed-64)"
# The median of the rounds' CPU per request of NAME.
median_cpu() {
  for round in $(seq "$rounds"); do cat "$work/$1.$round.cpu"; done | sort -n | awk '{v[NR] = $1} END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m }'
}
echo "server CPU per request, median of $rounds rounds (user + system):" \
  "baseline GET $(median_cpu baseline-64) µs, POST $(median_cpu post-64) µs," \
  "keyed POST $(median_cpu post-keyed-64) µs"
echo "doses stored during the POST runs: $stored_plain (wrk counted $sent_plain requests, the last ones of each run may be cut off)"
echo "doses stored during the keyed POST runs: $stored_keyed (wrk counted $sent_keyed)"
echo "server memory: VmHWM $((hwm_kb / 1024)) MB (the highest peak of the servers), VmRSS $((rss_kb / 1024)) MB (the status server, now)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
