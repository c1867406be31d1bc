# Sourced by the PostgreSQL shell tests: a database of their own, on the cluster of the ctest
# run (the fixture pg_cluster, named by $MITRA_TEST_PG_CLUSTER) or, when run by hand, on a
# throwaway cluster of their own.
#   new_database      prints the URL of a new, empty database (call it once, not in a subshell
#                     that loses its variables: db=$(new_database) is fine, the state is on disk)
#   release_cluster   drops that database, or stops the test's own cluster (call it on exit)
pg_script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pg_cluster.sh"
pg_state="$(mktemp "${TMPDIR:-/tmp}/mitra-pg-state-XXXXXX")"

new_database() {
  local cluster name
  if cluster=$(bash "$pg_script" shared); then
    name="journal_$$_${RANDOM}${RANDOM}"
    echo "shared $cluster $name" >"$pg_state"
  else
    cluster=$(bash "$pg_script" start) || return 1
    name=journal
    echo "own $cluster $name" >"$pg_state"
  fi
  bash "$pg_script" createdb "$cluster" "$name" >&2 || return 1
  bash "$pg_script" url "$cluster" "$name"
}

release_cluster() {
  local kind cluster name
  if [ -s "$pg_state" ]; then
    read -r kind cluster name <"$pg_state"
    if [ "$kind" = shared ]; then
      bash "$pg_script" dropdb "$cluster" "$name" || true
    else
      bash "$pg_script" stop "$cluster"
    fi
  fi
  rm -f "$pg_state"
}
