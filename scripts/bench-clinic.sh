#!/usr/bin/env bash
# Clinic mode under load (issue 17, item 9): two `mitra serve --clinic` instances on one
# PostgreSQL database, PEOPLE people logging doses and SPECIALISTS specialists listing the people
# who share with them, at the same time, through both instances.
#
#  1. A throwaway PostgreSQL 15 cluster (tests/pg/pg_cluster.sh: fsync and synchronous_commit
#     on, a unix socket in a temporary folder), one database.
#  2. Invitations made with `mitra clinic invite --role … --json`; two instances started with
#     `mitra --json serve --clinic --port 0` (loopback, default threads).
#  3. bench/clinic_setup.mjs: every account signs up and signs in through the API (argon2id,
#     several at once over both instances), opens its journal once, and person i shares some
#     scopes with specialist i mod SPECIALISTS (POST /api/v1/shares).
#  4. Two wrk processes at once, each -t2 with one thread on each instance (bench/clinic_load.lua,
#     which takes the next of many sessions' cookies for each request): POST /api/v1/doses as the
#     people (cookie, X-CSRF-Token, a fresh Idempotency-Key) and GET /api/v1/people as the
#     specialists, for DURATION. wrk can do this: its Lua script reads the sessions at init,
#     sends each thread to its own address (setup), and counts each 201 for the person named in
#     the dose's note, which the answer echoes.
#  5. Every acknowledged write is checked: the 201s each person got (counted by wrk) against the
#     rows added to that person's person_<id>.doses (psql), person by person. Rows without a
#     201 (requests still in flight when wrk stopped) are reported, not counted as errors.
#
# Exit status: 1 if any acknowledged dose is missing from the database, 2 if something needed
# is missing or setting up failed. Builds nothing: run `make bench` or build mitra first.
# Usage: scripts/bench-clinic.sh [BUILD_DIR]
# Environment: DURATION (30s), RUNS (1: load runs on the same accounts), PEOPLE (1000),
#   SPECIALISTS (50), DOSE_CONNECTIONS (32), PEOPLE_CONNECTIONS (8), CLINIC_SETUP_CONCURRENCY (4).
set -euo pipefail
export LC_ALL=C  # sort and join agree on the order of usernames
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
mitra="$build/src/cli/mitra"
duration=${DURATION:-30s}
runs=${RUNS:-1}
people=${PEOPLE:-1000}
specialists=${SPECIALISTS:-50}
dose_connections=${DOSE_CONNECTIONS:-32}
people_connections=${PEOPLE_CONNECTIONS:-8}
pg_bin=${MITRA_PG_BIN:-/usr/lib/postgresql/15/bin}
database=mitra_clinic_bench

fail() { echo "bench-clinic: $*" >&2; exit 2; }
[ -x "$mitra" ] || fail "$mitra is missing; build it first (make build)"
command -v wrk >/dev/null || fail "wrk is not installed (Debian package wrk)"
command -v node >/dev/null || fail "node is not installed (node 18 or later)"
[ -x "$pg_bin/psql" ] || fail "$pg_bin/psql is missing (Debian package postgresql-15)"
[ "$dose_connections" -ge 2 ] && [ "$people_connections" -ge 2 ] ||
  fail "DOSE_CONNECTIONS and PEOPLE_CONNECTIONS must be at least 2 (one per wrk thread)"

work=$(mktemp -d)
chmod 755 "$work"
cluster=""
servers=()
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$cluster" ] && bash "$here/tests/pg/pg_cluster.sh" stop "$cluster" || true
  rm -rf "$work"
}
trap cleanup EXIT

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

echo "== Clinic mode: $people people and $specialists specialists on two instances" \
  "($(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
"$here/scripts/wait-quiet.sh"
cluster=$(bash "$here/tests/pg/pg_cluster.sh" start)
bash "$here/tests/pg/pg_cluster.sh" createdb "$cluster" "$database"
url=$(bash "$here/tests/pg/pg_cluster.sh" url "$cluster" "$database")
port=$(cat "$cluster/port")
psql() {
  as_postgres "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$cluster/socket" -p "$port" \
    -U postgres -d "$database" "$@"
}

# 1. Invitations, through the CLI. The first one makes the clinic's tables, alone.
started=$SECONDS
invite() {  # ROLE COUNT: one code a line on stdout
  seq "$2" | xargs -P 4 -I{} "$mitra" --db "$url" --json clinic invite --role "$1" \
    --expires-in 1d | sed -n 's/^ *"code": "\([^"]*\)".*/\1/p'
}
mkdir "$work/invites"
invite specialist 1 >"$work/invites/specialist.txt"
invite specialist $((specialists - 1)) >>"$work/invites/specialist.txt"
invite person "$people" >"$work/invites/person.txt"
[ "$(wc -l <"$work/invites/specialist.txt")" -eq "$specialists" ] &&
  [ "$(wc -l <"$work/invites/person.txt")" -eq "$people" ] ||
  fail "mitra clinic invite did not make $specialists + $people codes"
echo "invitations: $((people + specialists)) codes by mitra clinic invite ($((SECONDS - started)) s)"

# 2. Two instances on the same database.
ports=()
for n in 1 2; do
  "$mitra" --db "$url" --json serve --clinic --port 0 \
    >"$work/serve$n.out" 2>"$work/serve$n.err" &
  servers+=($!)
done
for n in 1 2; do
  for _ in $(seq 100); do [ -s "$work/serve$n.out" ] && break; sleep 0.1; done
  [ -s "$work/serve$n.out" ] || { cat "$work/serve$n.err" >&2; fail "instance $n did not start"; }
  ports+=("$(head -n1 "$work/serve$n.out" | sed 's/.*"port":\([0-9]*\).*/\1/')")
done
echo "instances: mitra serve --clinic on 127.0.0.1:${ports[0]} and 127.0.0.1:${ports[1]}"

# 3. Accounts, sessions and shares through the API.
started=$SECONDS
node "$here/bench/clinic_setup.mjs" "${ports[0]},${ports[1]}" "$work/invites" "$work" ||
  fail "setting up the accounts failed"
echo "accounts: $(psql -At -c "SELECT string_agg(role || ' ' || n, ', ') FROM
  (SELECT role, count(*) AS n FROM clinic.accounts GROUP BY role ORDER BY role) r"),"\
  "$(psql -At -c "SELECT count(*) FROM clinic.shares WHERE revoked_at IS NULL") live shares" \
  "($((SECONDS - started)) s)"

# The rows of each person's doses table: "username count" a line.
psql -At -F' ' -c "SELECT username, journal FROM clinic.accounts WHERE role = 'person'" \
  >"$work/journals.txt"
awk 'NR > 1 { printf " UNION ALL " }
     { printf "SELECT %c%s%c, count(*) FROM %s.doses", 39, $1, 39, $2 } END { print "" }' \
  "$work/journals.txt" >"$work/count.sql"
count_doses() { psql -At -F' ' <"$work/count.sql" | sort >"$1"; }

# Connections to the database, sampled once a second while the load runs.
sample_connections() {
  while :; do
    psql -At -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$database'" || true
    sleep 1
  done
}

load() {  # KIND SESSIONS CONNECTIONS OUT
  CLINIC_KIND=$1 CLINIC_SESSIONS=$2 CLINIC_PORTS="${ports[0]},${ports[1]}" \
    CLINIC_RUN="$4-$$" CLINIC_OUT=$4 \
    wrk -t2 -c"$3" -d"$duration" --timeout 10s -s "$here/bench/clinic_load.lua" \
    "http://127.0.0.1:${ports[0]}/" >"$4.wrk" 2>&1
}
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$1.summary"; }

missing_total=0
results=()
for ((i = 1; i <= runs; i++)); do
  count_doses "$work/before-$i.txt"
  sample_connections >"$work/connections-$i.txt" 2>/dev/null &
  sampler=$!
  load doses "$work/people.txt" "$dose_connections" "$work/doses-$i" &
  doses_pid=$!
  load people "$work/specialists.txt" "$people_connections" "$work/people-$i" &
  people_pid=$!
  wait "$doses_pid" || { cat "$work/doses-$i.wrk" >&2; fail "wrk (doses) failed"; }
  wait "$people_pid" || { cat "$work/people-$i.wrk" >&2; fail "wrk (people) failed"; }
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  sampler=""
  sleep 1  # Requests still in flight when wrk stopped end (their rows are "extra" below).
  count_doses "$work/after-$i.txt"
  for kind in doses people; do
    [ -s "$work/$kind-$i.summary" ] || { cat "$work/$kind-$i.wrk" >&2; fail "wrk ($kind) wrote no summary"; }
  done
  # Person by person: the 201s they got against the rows added to their journal.
  read -r acked added missing extra short_people < <(
    sort "$work/doses-$i.acked" | join -a1 -a2 -e0 -o 0,1.2,2.2,2.3 - \
      <(join "$work/before-$i.txt" "$work/after-$i.txt") |
      awk '{ a = $2; d = $4 - $3; acked += a; added += d
             if (d < a) { missing += a - d; short++ } else extra += d - a }
           END { printf "%d %d %d %d %d\n", acked, added, missing, extra, short }')
  missing_total=$((missing_total + missing))
  peak=$(sort -n "$work/connections-$i.txt" | tail -n1)
  results+=("$(printf '%-4s %-26s %9s %9s %9s %9s %7s %7s' "$i" "POST /doses (people)" \
    "$(field "$work/doses-$i" ok_rps)" "$(field "$work/doses-$i" p50_ms)" \
    "$(field "$work/doses-$i" p99_ms)" "$(field "$work/doses-$i" max_ms)" \
    "$(field "$work/doses-$i" other_status)" \
    "$(($(field "$work/doses-$i" socket_errors) + $(field "$work/doses-$i" timeouts)))")")
  results+=("$(printf '%-4s %-26s %9s %9s %9s %9s %7s %7s' "$i" "GET /people (specialists)" \
    "$(field "$work/people-$i" ok_rps)" "$(field "$work/people-$i" p50_ms)" \
    "$(field "$work/people-$i" p99_ms)" "$(field "$work/people-$i" max_ms)" \
    "$(field "$work/people-$i" other_status)" \
    "$(($(field "$work/people-$i" socket_errors) + $(field "$work/people-$i" timeouts)))")")
  results+=("     acknowledged doses $acked, rows added $added, missing $missing (people short: $short_people), stored without a 201: $extra; peak connections to PostgreSQL ${peak:-?}")
  for kind in doses people; do
    other=$(field "$work/$kind-$i" other)
    [ "$other" = "-" ] || results+=("     $kind: other statuses $other")
  done
  echo "run $i of $runs done"
done

echo
printf '%-4s %-26s %9s %9s %9s %9s %7s %7s\n' run kind "ok req/s" "p50 ms" "p99 ms" "max ms" \
  non-2xx "sock/to"
printf '%s\n' "${results[@]}"
errors5xx=$(cat "$work"/serve*.err | grep -c '"status":5' || true)
echo "5xx lines in the instances' logs: $errors5xx"
echo "load: $duration a run; wrk -t2 -c$dose_connections POST /api/v1/doses over $people people's" \
  "sessions and wrk -t2 -c$people_connections GET /api/v1/people over $specialists specialists'," \
  "at once, one wrk thread on each instance."
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$missing_total" -gt 0 ]; then
  echo "bench-clinic: $missing_total acknowledged doses are missing from the database" >&2
  exit 1
fi
echo "every acknowledged dose is in its person's journal."
