#!/usr/bin/env bash
# Durable writes on PostgreSQL (issue 16, item 8): `mitra serve --db postgresql://…` as `make run`
# starts it (default threads and logging) answering POST /api/v1/doses at 64 connections, against
# pgbench running the same INSERT into a table of the same shape and indexes (doses_pgbench,
# CREATE TABLE … (LIKE doses INCLUDING ALL)) in the same database, in the same run, alternating,
# RUNS times each. Every 201 is durable on both sides: the cluster runs with fsync and
# synchronous_commit on, and pgbench commits each INSERT on its own. Target: >= 0.8 x pgbench.
# The cluster is a throwaway one (tests/pg/pg_cluster.sh), removed at the end.
# Builds nothing: run `make bench` or build the target mitra first.
# Usage: scripts/bench-pg.sh [BUILD_DIR]    Environment: DURATION (default 10s), RUNS (default 3).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
mitra="$build/src/cli/mitra"
duration=${DURATION:-10s}
runs=${RUNS:-3}
pg_bin=${MITRA_PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$mitra" ] || { echo "bench-pg: $mitra is missing; build it first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "bench-pg: wrk is not installed" >&2; exit 2; }
pgbench="$pg_bin/pgbench"
[ -x "$pgbench" ] || pgbench=$(command -v pgbench || true)
[ -n "$pgbench" ] || { echo "bench-pg: pgbench is missing (Debian package postgresql)" >&2; exit 2; }

work=$(mktemp -d)
chmod 755 "$work"
cluster=""
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [ -n "$cluster" ] && bash "$here/tests/pg/pg_cluster.sh" stop "$cluster" || true
  rm -rf "$work"
}
trap cleanup EXIT

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

echo "== PostgreSQL durable writes ($(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
"$here/scripts/wait-quiet.sh"
cluster=$(bash "$here/tests/pg/pg_cluster.sh" start)
bash "$here/tests/pg/pg_cluster.sh" createdb "$cluster" mitra_bench
url=$(bash "$here/tests/pg/pg_cluster.sh" url "$cluster" mitra_bench)
port=$(cat "$cluster/port")
psql() { as_postgres "$pg_bin/psql" -X -q -h "$cluster/socket" -p "$port" -U postgres -d mitra_bench "$@"; }

"$mitra" --db "$url" setup --zone Europe/Berlin >/dev/null
psql -c "CREATE TABLE doses_pgbench (LIKE doses INCLUDING ALL)"
echo "server settings: $(psql -At -c "SELECT string_agg(name || '=' || setting, ' ') FROM pg_settings
  WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers')")"

# The engine's own INSERT (src/store/postgres/statements.hpp, dose_insert), one per transaction.
cat >"$work/insert.sql" <<'SQL'
\set t random(1700000000, 1800000000)
INSERT INTO doses_pgbench (id, taken_at, zone, amount_micro, unit, form, product, note, triggers) VALUES (md5(random()::text || clock_timestamp()::text), :t, 'Europe/Berlin', 2500000, 'g', 'leaf_powder', '', '', 'stress');
SQL

MITRA_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export MITRA_TOKEN
"$mitra" --db "$url" --json serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do [ -s "$work/serve.out" ] && break; sleep 0.1; done
mitra_port=$(head -n1 "$work/serve.out" | sed 's/.*"port":\([0-9]*\).*/\1/')
curl -fsS -o /dev/null -H "Authorization: Bearer $MITRA_TOKEN" "http://127.0.0.1:$mitra_port/api/v1/status"

count() { psql -At -c "SELECT count(*) FROM $1"; }
pgbench_run() {  # CLIENTS OUT
  as_postgres "$pgbench" -n -M prepared -c "$1" -j 2 -T "${duration%s}" -f "$work/insert.sql" \
    -h "$cluster/socket" -p "$port" -U postgres mitra_bench >"$2" 2>&1
  awk '/^tps = / {printf "%.0f", $3}' "$2"
}
mitra_run() {  # SCRIPT OUT
  local before after
  before=$(count doses)
  wrk -t2 -c64 -d"$duration" --latency -s "$1" "http://127.0.0.1:$mitra_port/api/v1/doses" >"$2" 2>&1
  after=$(count doses)
  local rate non2xx
  rate=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$2")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$2")
  echo "$rate $((after - before)) $(awk '/requests in/ {print $1}' "$2") ${non2xx:-0}"
}

printf '%-5s %14s %14s %14s %8s %8s  %s\n' run "pgbench c32/s" "pgbench c64/s" "mitra c64/s" "÷ c32" "÷ c64" "stored / sent / non-2xx"
for ((i = 1; i <= runs; i++)); do
  p32=$(pgbench_run 32 "$work/pgbench32-$i.txt")
  p64=$(pgbench_run 64 "$work/pgbench64-$i.txt")
  read -r m stored sent non2xx < <(mitra_run "$here/bench/post_dose_keyed.lua" "$work/mitra-$i.txt")
  printf '%-5s %14s %14s %14s %8s %8s  %s\n' "$i" "$p32" "$p64" "$m" \
    "$(awk -v a="$m" -v b="$p32" 'BEGIN {printf "%.2f", a / b}')" \
    "$(awk -v a="$m" -v b="$p64" 'BEGIN {printf "%.2f", a / b}')" "$stored / $sent / $non2xx"
done
echo "mitra: POST with an Idempotency-Key on each request (as the web app sends), default serve flags;"
echo "       'stored' counts rows added during the run (the last requests may be cut off by wrk)."
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
