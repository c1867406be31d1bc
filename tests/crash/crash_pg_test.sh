#!/usr/bin/env bash
# Crash test of `mitra serve` on PostgreSQL: clients log doses over HTTP while the PostgreSQL
# server is stopped as a crash would stop it (pg_ctl -m immediate: what its processes had not
# written of the log is lost) at random moments, then started again (it replays its log). The
# writer commits without waiting for the disk and answers only after a sync on another
# connection (docs/postgresql.md): every dose the server acknowledged (201 with its id) must be
# in the database afterwards, exactly once, and requests after each restart must be taken
# again without restarting mitra.
# Usage: crash_pg_test.sh MITRA_BINARY [ROUNDS]
set -euo pipefail
mitra=$1
rounds=${2:-4}
here=$(cd "$(dirname "$0")/../.." && pwd)
pg() { bash "$here/tests/pg/pg_cluster.sh" "$@"; }
work=$(mktemp -d)
chmod 755 "$work"
cluster=""
server=""
clients=()
cleanup() {
  for pid in "${clients[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "$cluster" ] && pg stop "$cluster" || true
  rm -rf "$work"
}
trap cleanup EXIT

cluster=$(pg start)
pg createdb "$cluster" crash
url=$(pg url "$cluster" crash)
sql() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- psql -X -q -At "$url" -c "$1"
  else psql -X -q -At "$url" -c "$1"; fi
}
"$mitra" --db "$url" setup --zone UTC >/dev/null
MITRA_TOKEN=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")
export MITRA_TOKEN
"$mitra" --db "$url" --json serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do [ -s "$work/serve.out" ] && break; sleep 0.05; done
port=$(sed 's/.*"port":\([0-9]*\).*/\1/' "$work/serve.out")

# One client: POSTs until told to stop, appending each acknowledged id to its file and
# counting the answers that were not 201 (503 while PostgreSQL is down).
client() {
  local out=$1 n=0
  while [ ! -e "$work/stop" ]; do
    n=$((n + 1))
    body=$(curl -s --max-time 5 -w '\n%{http_code}' -X POST \
      -H "Authorization: Bearer $MITRA_TOKEN" -H "Content-Type: application/json" \
      -d "{\"amount\": \"1.5g\", \"note\": \"crash $n\"}" \
      "http://127.0.0.1:$port/api/v1/doses" 2>/dev/null) || true
    code=${body##*$'\n'}
    if [ "$code" = "201" ]; then
      printf '%s\n' "${body%$'\n'*}" | grep -o '"id":"[0-9a-f]\{32\}"' | cut -d'"' -f4 >>"$out"
    else
      echo "$code" >>"${out/acked/refused}"
      sleep 0.05
    fi
  done
}
for ((i = 0; i < 8; i++)); do
  client "$work/acked.$i" &
  clients+=($!)
done

RANDOM=11
for ((round = 0; round < rounds; round++)); do
  sleep "0.$((3 + RANDOM % 6))"
  pg crash "$cluster"
  sleep 0.3
  pg restart "$cluster"
done
# After the last restart, writes must go in again.
before=$(cat "$work"/acked.* 2>/dev/null | wc -l)
sleep 1.5
after=$(cat "$work"/acked.* 2>/dev/null | wc -l)
touch "$work/stop"
for pid in "${clients[@]}"; do wait "$pid" 2>/dev/null || true; done
clients=()
kill "$server"
wait "$server" 2>/dev/null || true
server=""

acked=$(cat "$work"/acked.* 2>/dev/null | sort || true)
acked_count=$(printf '%s\n' "$acked" | grep -c . || true)
stored=$(sql "SELECT id FROM doses ORDER BY id")
stored_count=$(printf '%s\n' "$stored" | grep -c . || true)
refused=$(cat "$work"/refused.* 2>/dev/null | sort | uniq -c | tr -s ' ' | tr '\n' ';' || true)
missing=$(comm -23 <(printf '%s\n' "$acked" | grep . | sort -u) <(printf '%s\n' "$stored") || true)
duplicated=$(printf '%s\n' "$acked" | grep . | uniq -d || true)
echo "rounds $rounds: acknowledged $acked_count, stored $stored_count, refused (count code): $refused"
status=0
if [ -n "$missing" ]; then
  echo "FAIL: acknowledged but missing: $(printf '%s\n' "$missing" | head -5 | tr '\n' ' ')"
  status=1
fi
if [ -n "$duplicated" ]; then
  echo "FAIL: one id acknowledged twice: $(printf '%s\n' "$duplicated" | head -5 | tr '\n' ' ')"
  status=1
fi
if [ "$acked_count" -eq 0 ]; then
  echo "FAIL: nothing was acknowledged; the test proved nothing"
  status=1
fi
if [ "$after" -le "$before" ]; then
  echo "FAIL: no write was acknowledged after PostgreSQL came back ($before before, $after after)"
  status=1
fi
[ $status -eq 0 ] && echo "1 passed, 0 failed" || { echo "0 passed, 1 failed"; tail -n 20 "$work/serve.err"; }
exit $status
