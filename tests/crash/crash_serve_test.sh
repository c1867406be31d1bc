#!/usr/bin/env bash
# Crash test of `mitra serve`'s group commit: clients log doses over HTTP while the server is
# killed with SIGKILL at random moments, then restarted on the same journal. Every dose the
# server acknowledged (201 with its id) must be in the database afterwards, and SQLite's
# integrity check must pass.
# Usage: crash_serve_test.sh MITRA_BINARY [ROUNDS]
set -euo pipefail
source "$(dirname "$0")/verdict.sh"
mitra=$1
rounds=${2:-6}
work=$(mktemp -d)
server=""
clients=()
cleanup() {
  for pid in "${clients[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$server" ] && kill -9 "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
db="$work/journal.db"
"$mitra" --db "$db" setup --zone UTC --day-start 04:00 >/dev/null
MITRA_TOKEN=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")
export MITRA_TOKEN

# One client: POSTs until the server is gone, appending each acknowledged id to its file.
client() {
  local port=$1 out=$2 n=0
  while :; do
    n=$((n + 1))
    body=$(curl -s --max-time 5 -w '\n%{http_code}' -X POST \
      -H "Authorization: Bearer $MITRA_TOKEN" -H "Content-Type: application/json" \
      -d "{\"amount\": \"1.5g\", \"note\": \"crash $n\"}" \
      "http://127.0.0.1:$port/api/v1/doses" 2>/dev/null) || return 0
    code=${body##*$'\n'}
    [ "$code" = "000" ] && return 0
    if [ "$code" = "201" ]; then
      printf '%s\n' "${body%$'\n'*}" | grep -o '"id":"[0-9a-f]\{32\}"' | cut -d'"' -f4 >>"$out"
    fi
  done
}

RANDOM=7
for ((round = 0; round < rounds; round++)); do
  "$mitra" --db "$db" --json serve --port 0 --quiet >"$work/serve.$round" 2>>"$work/serve.err" &
  server=$!
  for _ in $(seq 100); do [ -s "$work/serve.$round" ] && break; sleep 0.05; done
  port=$(sed 's/.*"port":\([0-9]*\).*/\1/' "$work/serve.$round")
  clients=()
  for ((i = 0; i < 8; i++)); do
    client "$port" "$work/acked.$round.$i" &
    clients+=($!)
  done
  sleep "0.$((3 + RANDOM % 6))"
  kill -9 "$server"
  wait "$server" 2>/dev/null || true
  server=""
  for pid in "${clients[@]}"; do wait "$pid" 2>/dev/null || true; done
done

acked=$(cat "$work"/acked.* 2>/dev/null | sort -u || true)
echo "rounds $rounds"
check_acknowledged_stored "$db" "$acked"
[ $status -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $status
