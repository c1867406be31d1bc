#!/usr/bin/env bash
# Issue 14, item 10: "the journal file is the journal". After a CLI command, and after
# `mitra serve` stops on SIGTERM or SIGINT, the write-ahead log (mitra.db-wal) is gone or empty
# and the sqlite3 shell, opening mitra.db alone (a copy of it, without its -wal and -shm), sees
# every record.
# Usage: wal_checkpoint_test.sh MITRA_BINARY
set -euo pipefail
mitra=$1
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill -9 "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The log is absent or empty, and a copy of the journal file alone holds $2 doses.
check() {
  local db=$1 want=$2 when=$3
  if [ -s "$db-wal" ]; then fail "$when: $db-wal holds $(stat -c %s "$db-wal") bytes"; fi
  rm -f "$work/copy.db"
  cp "$db" "$work/copy.db"
  local got
  got=$(sqlite3 "$work/copy.db" "SELECT count(*) FROM doses")
  [ "$got" = "$want" ] || fail "$when: a copy of the journal file holds $got doses, not $want"
}

db="$work/mitra.db"
"$mitra" --db "$db" setup --zone UTC --day-start 04:00 >/dev/null
"$mitra" --db "$db" log 2g --at "2h ago" >/dev/null
check "$db" 1 "after mitra log"
"$mitra" --db "$db" list >/dev/null
check "$db" 1 "after mitra list"

MITRA_TOKEN=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")
export MITRA_TOKEN
count=1
for signal in TERM INT; do
  "$mitra" --db "$db" --json serve --port 0 --quiet >"$work/serve.$signal" 2>"$work/serve.err" &
  server=$!
  for _ in $(seq 200); do [ -s "$work/serve.$signal" ] && break; sleep 0.05; done
  port=$(sed 's/.*"port":\([0-9]*\).*/\1/' "$work/serve.$signal")
  for n in $(seq 40); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
      -H "Authorization: Bearer $MITRA_TOKEN" -H "Content-Type: application/json" \
      -d "{\"amount\": \"1.5g\", \"note\": \"$signal $n $(head -c 600 /dev/zero | tr '\0' x)\"}" \
      "http://127.0.0.1:$port/api/v1/doses")
    [ "$code" = "201" ] || fail "POST /doses answered $code"
    count=$((count + 1))
  done
  [ -s "$db-wal" ] || fail "serve kept no log while running (the test would prove nothing)"
  kill -"$signal" "$server"
  wait "$server" || fail "mitra serve exited with $? after SIG$signal"
  server=""
  check "$db" "$count" "after mitra serve got SIG$signal"
done
echo "ok: the journal file alone holds every record after each command and after serve stops"
