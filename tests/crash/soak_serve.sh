#!/usr/bin/env bash
# Soak test of `mitra serve` (make soak): measures the highest rate the server answers the
# web app's traffic (tests/crash/soak_load.lua: nine GET /api/v1/status for each POST of a
# dose) with wrk, then runs it for SOAK_SECONDS (default 1800) at half that rate, sampling the
# server's resident memory and open file descriptors every SOAK_SAMPLE_SECONDS (default 5).
# Both must stay flat. The bounds, against the samples of the second fifth of the run (the
# first fifth is warm-up: caches filling):
#   - memory: no sample of the last fifth above 1.25 × the second fifth's largest + 16 MB;
#   - descriptors: no sample of the last fifth above the second fifth's largest + 8;
#   - errors: at most 0.1 % of the requests not answered 2xx, and no socket errors but
#     timeouts of the last requests cut off at the end.
# Loopback only. Usage: soak_serve.sh MITRA_BINARY
set -euo pipefail
mitra=$1
seconds=${SOAK_SECONDS:-1800}
every=${SOAK_SAMPLE_SECONDS:-5}
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "soak: wrk is not installed (scripts/install-deps.sh)" >&2; exit 2; }
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/journal.db"
"$mitra" --db "$db" setup --zone Europe/Berlin >/dev/null
# A week of doses, so that status has a pattern to compute.
now=$(date -u +%s)
for ((i = 0; i < 42; i++)); do
  printf 'dose,soak%04d,%s,Europe/Berlin,2.5,g,leaf_powder,,,,\n' "$i" \
    "$(date -u -d "@$((now - 7 * 86400 + i * 4 * 3600))" +%Y-%m-%dT%H:%M:%SZ)"
done | sed '1i record,id,taken_at,zone,amount,unit,form,product,substance,note,triggers' >"$work/week.csv"
"$mitra" --db "$db" import "$work/week.csv" >/dev/null

MITRA_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export MITRA_TOKEN
"$mitra" --db "$db" --json serve --port 0 --threads 2 --quiet >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 200); do [ -s "$work/serve.out" ] && break; sleep 0.05; done
port=$(sed 's/.*"port":\([0-9]*\).*/\1/' "$work/serve.out")
url="http://127.0.0.1:$port"
curl -fsS -o /dev/null -H "Authorization: Bearer $MITRA_TOKEN" "$url/api/v1/status"

# The maximum: 10 s flat out on 64 connections.
wrk -t2 -c64 -d10s -s "$here/soak_load.lua" "$url" >"$work/max.txt" 2>&1
max=$(awk '/^Requests\/sec/ {printf "%d", $2}' "$work/max.txt")
[ "${max:-0}" -gt 0 ] || { echo "soak: could not measure the maximum rate"; cat "$work/max.txt"; exit 1; }
target=$((max / 2))
[ "$target" -ge 1 ] || target=1
# Each connection waits SOAK_DELAY_MS before each request; a connection's cycle is that wait
# plus the answer's latency, which is not known beforehand: calibrate the wait with short
# runs until the rate is within 15 % of the target (at most four tries).
connections=$(((target + 49) / 50))  # A cycle of about 20 ms per connection.
[ "$connections" -ge 4 ] || connections=4
[ "$connections" -le 256 ] || connections=256
SOAK_DELAY_MS=$((connections * 1000 / target))
export SOAK_DELAY_MS
for try in 1 2 3 4; do
  wrk -t2 -c"$connections" -d5s -s "$here/soak_load.lua" "$url" >"$work/calibrate.txt" 2>&1
  rate=$(awk '/^Requests\/sec/ {printf "%d", $2}' "$work/calibrate.txt")
  echo "soak: calibrating: one request per $SOAK_DELAY_MS ms on $connections connections gives ${rate:-0} requests/s"
  [ "${rate:-0}" -gt 0 ] || break
  if [ "$((rate * 100))" -ge "$((target * 85))" ] && [ "$((rate * 100))" -le "$((target * 115))" ]; then break; fi
  # latency = cycle - wait; new wait = wanted cycle - latency.
  latency=$((connections * 1000 / rate - SOAK_DELAY_MS))
  SOAK_DELAY_MS=$((connections * 1000 / target - latency))
  if [ "$SOAK_DELAY_MS" -lt 1 ]; then
    SOAK_DELAY_MS=1
    [ "$connections" -lt 256 ] && connections=$((connections * 2))
  fi
done
echo "soak: maximum $max requests/s; running ${seconds} s at about $target requests/s" \
  "($connections connections, a wait of $SOAK_DELAY_MS ms before each request), sampling every ${every} s"

sample() {  # seconds-since-start rss-kB fds
  local rss fds
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$server/status" 2>/dev/null || echo 0)
  fds=$(find "/proc/$server/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  printf '%s %s %s\n' "$1" "$rss" "$fds" >>"$work/samples"
}
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s "$here/soak_load.lua" "$url" \
  >"$work/soak.txt" 2>&1 &
load=$!
start=$(date +%s)
while kill -0 "$load" 2>/dev/null; do
  sample $(($(date +%s) - start))
  sleep "$every"
done
wait "$load" || true
kill -0 "$server" 2>/dev/null || { echo "FAIL: the server died"; cat "$work/serve.err"; exit 1; }

cat "$work/soak.txt"
awk -v max="$max" '
  { t[NR] = $1; rss[NR] = $2; fds[NR] = $3 }
  END {
    n = NR
    if (n < 10) { print "FAIL: only " n " samples; run longer (SOAK_SECONDS)"; exit 1 }
    a = int(n / 5); b = int(2 * n / 5); c = int(4 * n / 5)
    for (i = 1; i <= n; i++) {
      if (i == 1 || rss[i] < rmin) rmin = rss[i]
      if (i == 1 || rss[i] > rmax) rmax = rss[i]
      if (i == 1 || fds[i] < fmin) fmin = fds[i]
      if (i == 1 || fds[i] > fmax) fmax = fds[i]
      if (i > a && i <= b) { if (rw == "" || rss[i] > rw) rw = rss[i]; if (fw == "" || fds[i] > fw) fw = fds[i] }
      if (i > c) { if (rl == "" || rss[i] > rl) rl = rss[i]; if (fl == "" || fds[i] > fl) fl = fds[i] }
    }
    rbound = int(rw * 1.25 + 16384); fbound = fw + 8
    printf "samples %d over %d s\n", n, t[n]
    printf "RSS kB:  first %d, min %d, max %d, last %d; second fifth max %d, last fifth max %d (bound %d)\n", rss[1], rmin, rmax, rss[n], rw, rl, rbound
    printf "open fds: first %d, min %d, max %d, last %d; second fifth max %d, last fifth max %d (bound %d)\n", fds[1], fmin, fmax, fds[n], fw, fl, fbound
    bad = 0
    if (rl > rbound) { print "FAIL: memory grew beyond the bound"; bad = 1 }
    if (fl > fbound) { print "FAIL: open file descriptors grew beyond the bound"; bad = 1 }
    exit bad
  }' "$work/samples" || { echo "samples (s rss-kB fds):"; cat "$work/samples"; exit 1; }

requests=$(awk '/requests in/ {print $1}' "$work/soak.txt")
achieved=$(awk '/^Requests\/sec/ {printf "%d", $2}' "$work/soak.txt")
echo "rate: maximum $max requests/s, target $target, achieved ${achieved:-0} over the run"
non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/soak.txt")
socket=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8}' "$work/soak.txt")
echo "requests $requests, not 2xx ${non2xx:-0}, socket errors (connect, read, write) ${socket:-0}"
if [ "$(awk -v e="${non2xx:-0}" -v n="${requests:-0}" 'BEGIN {print (n == 0 || e > n / 1000) ? 1 : 0}')" = 1 ]; then
  echo "FAIL: too many failed requests"; exit 1
fi
if [ "${socket:-0}" -gt 0 ]; then echo "FAIL: socket errors"; exit 1; fi
echo "soak passed"
