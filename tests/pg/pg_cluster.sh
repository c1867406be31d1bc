#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests: initdb in a temporary folder, started with pg_ctl
# on a private port, listening only on a unix socket in that folder (no TCP), fsync and
# synchronous_commit on. Run as root (as CI does), the folder belongs to `postgres` and the
# server runs as that user (runuser).
#
#   pg_cluster.sh start         prints the cluster's folder (give it to the other commands)
#   pg_cluster.sh url DIR [DB]  prints a connection URL for database DB (default: postgres)
#   pg_cluster.sh createdb DIR DB
#   pg_cluster.sh dropdb DIR DB
#   pg_cluster.sh stop DIR      stops the server and removes the folder
#   pg_cluster.sh crash DIR     stops the server as a crash would (immediate: no checkpoint,
#                               its unwritten log lost; recovery replays the log on restart)
#   pg_cluster.sh restart DIR   starts the server of DIR again
#
# One cluster per ctest run (tests/CMakeLists.txt, the ctest fixture pg_cluster):
#   pg_cluster.sh fixture-start FILE  starts a cluster and writes its folder (line 1) and the
#                                     URL of its postgres database (line 2) to FILE; a cluster
#                                     left in FILE by an interrupted run is stopped first
#   pg_cluster.sh fixture-stop FILE   stops the cluster named in FILE and removes FILE
#   pg_cluster.sh shared              prints the folder of the run's cluster, named by the file
#                                     in $MITRA_TEST_PG_CLUSTER; fails when there is none (a
#                                     test run by hand then starts a cluster of its own)
# Tests that share the cluster each create a database of their own in it, so they stay
# independent.
#
# A machine without PostgreSQL 15 fails here, loudly: scripts/install-deps.sh installs it.
set -euo pipefail

bin="${MITRA_PG_BIN:-/usr/lib/postgresql/15/bin}"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Starts the server of cluster DIR (on the port in DIR/port).
start_server() {
  local dir=$1
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir/socket -h '' -p $(cat "$dir/port") -c fsync=on -c synchronous_commit=on \
        -c max_connections=300 -c shared_buffers=16MB" start >/dev/null
}

url_of() {
  echo "postgresql:///${2:-postgres}?host=$1/socket&port=$(cat "$1/port")&user=postgres"
}

command="${1:-}"
case "$command" in
  start)
    for program in initdb pg_ctl; do
      if [ ! -x "$bin/$program" ]; then
        echo "pg_cluster.sh: $bin/$program is missing: PostgreSQL 15 is not installed." \
             "Run scripts/install-deps.sh (it installs the Debian package postgresql)." >&2
        exit 1
      fi
    done
    dir="$(mktemp -d "${TMPDIR:-/tmp}/mitra-pg-XXXXXX")"
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      if ! id postgres >/dev/null 2>&1; then
        echo "pg_cluster.sh: running as root, but there is no user postgres to run the server" \
             "(the Debian package postgresql makes it)" >&2
        rm -rf "$dir"
        exit 1
      fi
      chown postgres:postgres "$dir"
    fi
    # The socket lives in the cluster's own folder, so any port is private; a random one keeps
    # the lock files of parallel clusters apart all the same.
    port=$((20000 + RANDOM % 30000))
    as_postgres sh -c "echo $port > '$dir/port' && mkdir '$dir/socket'"
    # --no-sync: initdb does not sync the files it makes (a throwaway cluster); the server
    # itself runs with fsync on.
    if ! as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
         --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2
      rm -rf "$dir"
      exit 1
    fi
    if ! start_server "$dir"; then
      echo "pg_cluster.sh: the server did not start:" >&2
      cat "$dir/server.log" >&2 || true
      rm -rf "$dir"
      exit 1
    fi
    echo "$dir"
    ;;
  url)
    url_of "$2" "${3:-postgres}"
    ;;
  createdb)
    as_postgres psql -X -q -v ON_ERROR_STOP=1 "$(url_of "$2")" -c "CREATE DATABASE \"$3\""
    ;;
  dropdb)
    as_postgres psql -X -q -v ON_ERROR_STOP=1 "$(url_of "$2")" \
      -c "DROP DATABASE IF EXISTS \"$3\" WITH (FORCE)"
    ;;
  stop)
    dir="$2"
    [ -d "$dir/data" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  crash)
    as_postgres "$bin/pg_ctl" -D "$2/data" -m immediate -w stop >/dev/null
    ;;
  restart)
    if ! start_server "$2"; then
      echo "pg_cluster.sh: the server did not start again:" >&2
      tail -n 20 "$2/server.log" >&2 || true
      exit 1
    fi
    ;;
  fixture-start)
    file="$2"
    if [ -s "$file" ]; then
      bash "$0" stop "$(head -n 1 "$file")"
      rm -f "$file"
    fi
    dir="$(bash "$0" start)"
    # Written whole, then renamed: a test never reads half a file.
    printf '%s\n%s\n' "$dir" "$(url_of "$dir")" >"$file.tmp"
    mv "$file.tmp" "$file"
    echo "PostgreSQL cluster for this run: $dir"
    ;;
  fixture-stop)
    file="$2"
    if [ -s "$file" ]; then
      bash "$0" stop "$(head -n 1 "$file")"
    fi
    rm -f "$file"
    ;;
  shared)
    file="${MITRA_TEST_PG_CLUSTER:-}"
    [ -n "$file" ] && [ -s "$file" ] || exit 1
    dir="$(head -n 1 "$file")"
    [ -d "$dir/data" ] || exit 1
    echo "$dir"
    ;;
  *)
    echo "usage: pg_cluster.sh start | url DIR [DB] | createdb DIR DB | dropdb DIR DB | stop DIR" \
         "| crash DIR | restart DIR | fixture-start FILE | fixture-stop FILE | shared" >&2
    exit 2
    ;;
esac
