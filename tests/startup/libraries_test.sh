#!/usr/bin/env bash
# ctest case startup_loads_only_what_the_command_needs (issue 15, item 2): the libraries the
# dynamic loader maps for a command, as LD_DEBUG=files reports them (dlopen included). Everyday
# commands on SQLite load neither the PostgreSQL engine (libmitra_postgres.so, libpqxx, libpq and
# its chain) nor libical and ICU, nor OpenSSL (libssl, libcrypto: the server's TLS, in the
# server module libmitra_serve.so); the commands that need them still load them, which also
# shows that this test would see them.
# The program carries the C++ runtime built in (static libstdc++) and reads zones with its own
# reader: no command maps libstdc++.so or libdate-tz, and a command reads the file of the one
# zone it uses, not the whole zone folder. A sanitizer build links the shared runtime (RUNTIME
# "shared"), so those checks are left out there. SQLite and libsodium are built in too
# (MITRA_BUILT_IN_LIBRARIES; LIBRARIES "built-in"): no command maps libsqlite3.so or
# libsodium.so, and the modules' calls to them bind to the program's copies, so that a process
# has one SQLite.
# Usage: libraries_test.sh MITRA [static|shared] [built-in|shared]
set -euo pipefail
mitra=$1
runtime=${2:-static}
libraries=${3:-built-in}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/journal.db"
now=2026-01-10T12:00:00Z
run() { "$mitra" --db "$db" --now "$now" "$@"; }
run setup --zone Europe/Berlin >/dev/null
run log 2.5g --at 08:00 >/dev/null
run log 2g --at 11:00 >/dev/null

# The objects one command loads, one path a line.
loaded() {
  LD_DEBUG=files LD_DEBUG_OUTPUT="$work/ld" "$@" >/dev/null 2>&1 || true
  sed -n 's/.*file=\([^ ]*\) *\[0\]; *\(needed\|dynamically loaded\) by.*/\1/p' "$work"/ld.* | sort -u
  rm -f "$work"/ld.*
}
heavy='libmitra_postgres|libpqxx|libpq\.|libgssapi|libldap|libkrb5|libgnutls|libical|libicu|libmitra_serve|libssl|libcrypto'
failed=0
check_without() {
  local found
  found=$(loaded "$@" | grep -E "$heavy" || true)
  if [ -n "$found" ]; then
    echo "FAIL: ${*#"$mitra"} loads $(echo "$found" | tr '\n' ' ')"
    failed=1
  else
    echo "ok: ${*#"$mitra"} loads none of them"
  fi
}
check_with() {
  local pattern=$1
  shift
  if loaded "$@" | grep -qE "$pattern"; then
    echo "ok: ${*#"$mitra"} loads $pattern"
  else
    echo "FAIL: ${*#"$mitra"} does not load $pattern (is the check blind?)"
    failed=1
  fi
}

check_without "$mitra" --version
check_without "$mitra" --help
check_without "$mitra" --db "$db" --now "$now" status
check_without "$mitra" --db "$db" --now "$now" --json status
check_without "$mitra" --db "$db" --now "$now" log 1g --at 12:00
check_without "$mitra" --db "$db" --now "$now" list
check_without "$mitra" --db "$db" --now "$now" pattern --days 7
check_without "$mitra" --db "$db" --now "$now" withdrawal
run plan new --goal stop >/dev/null
check_without "$mitra" --db "$db" --now "$now" plan today
if [ "$runtime" = static ]; then
  for command in --version "--db $db --now $now status" "--db $db --now $now plan today"; do
    # shellcheck disable=SC2086
    unwanted='libstdc\+\+|libdate-tz'
    [ "$libraries" = built-in ] && unwanted="$unwanted|libsqlite3|libsodium"
    found=$(loaded "$mitra" $command | grep -E "$unwanted" || true)
    if [ -n "$found" ]; then
      echo "FAIL: mitra $command loads $(echo "$found" | tr '\n' ' ')"
      failed=1
    else
      echo "ok: mitra $command loads none of ${unwanted//\\/}"
    fi
  done
  # A module's SQLite and libsodium calls bind to the program's copies (LD_BIND_NOW: every
  # call is bound when the module loads, so that LD_DEBUG sees them all).
  module_binds_to_program() {
    local module=$1
    shift
    LD_BIND_NOW=1 LD_DEBUG=bindings LD_DEBUG_OUTPUT="$work/bind" "$@" >/dev/null 2>&1 || true
    local calls elsewhere
    calls=$(grep -hE "binding file [^ ]*$module \[0\] to .*symbol .(sqlite3_|sodium_|crypto_|randombytes_)" "$work"/bind.* || true)
    rm -f "$work"/bind.*
    elsewhere=$(echo "$calls" | grep -v " to $mitra \[0\]" || true)
    if [ -z "$calls" ] && ! readelf -d "$(dirname "$mitra")/$module" | grep -qE 'NEEDED.*(libsqlite3|libsodium)'; then
      echo "ok: $module uses neither SQLite nor libsodium"
    elif [ -n "$calls" ] && [ -z "$elsewhere" ]; then
      echo "ok: $module's $(echo "$calls" | wc -l) SQLite and libsodium calls bind to the program"
    else
      echo "FAIL: $module's SQLite and libsodium calls: $(echo "${elsewhere:-none found}" | head -3)"
      failed=1
    fi
  }
  if [ "$libraries" = built-in ]; then
    module_binds_to_program libmitra_serve.so "$mitra" --db "$db" serve --port 0 \
      --tls-cert "$work/none.crt" --tls-key "$work/none.key"
    module_binds_to_program libmitra_postgres.so "$mitra" --db postgresql://mitra@127.0.0.1:1/none status
  fi
  # One zone file read, the journal's (the machine's is read only for a journal without one),
  # and no walk through the zone folder (the date library listed all of it).
  if command -v strace >/dev/null; then
    strace -f -e trace=openat,getdents64,newfstatat -o "$work/trace" "$mitra" --db "$db" --now "$now" status >/dev/null
    zones=$(grep -c 'zoneinfo/' "$work/trace" || true)
    walks=$(grep -c 'getdents64' "$work/trace" || true)
    if [ "$zones" -eq 1 ] && [ "$walks" -eq 0 ]; then
      echo "ok: status opens $zones zone file(s) and lists no folder"
    else
      echo "FAIL: status touches the zone folder $zones times and lists $walks folders"
      failed=1
    fi
  fi
fi
# The commands that need them load them (port 1 refuses the connection after the module loads).
check_with 'libical' "$mitra" --db "$db" --now "$now" plan ics
check_with 'libmitra_postgres.*' "$mitra" --db postgresql://mitra@127.0.0.1:1/none status
check_with 'libpq\.' "$mitra" --db postgresql://mitra@127.0.0.1:1/none status
# The server and OpenSSL come with `mitra serve` (the missing certificate stops it after the load).
check_with 'libmitra_serve' "$mitra" --db "$db" serve --port 0 --tls-cert "$work/none.crt" --tls-key "$work/none.key"
check_with 'libssl' "$mitra" --db "$db" serve --port 0 --tls-cert "$work/none.crt" --tls-key "$work/none.key"

# A program without its module: PostgreSQL is unavailable (exit 6) with a message that says so;
# SQLite works as before.
mkdir -p "$work/alone"
cp "$mitra" "$work/alone/mitra"
set +e
message=$("$work/alone/mitra" --db postgresql://mitra@127.0.0.1:1/none status 2>&1)
code=$?
set -e
expected="mitra: PostgreSQL support is not installed: mitra looked for libmitra_postgres.so in $work/alone and $work/lib/mitra/modules (it comes with mitra's package; in a build folder, build the target mitra_postgres)"
if [ "$code" -eq 6 ] && [ "$message" = "$expected" ]; then
  echo "ok: without its module, a PostgreSQL URL is refused with exit 6 and says why"
else
  echo "FAIL: without its module: exit $code, message: $message"
  failed=1
fi
"$work/alone/mitra" --db "$db" --now "$now" status >/dev/null || { echo "FAIL: SQLite without the module"; failed=1; }

# A program without its server module: `mitra serve` is unavailable (exit 6) and says why.
set +e
message=$(timeout 20 "$work/alone/mitra" --db "$db" serve --port 0 2>&1)
code=$?
set -e
expected="mitra: The web app's server is not installed: mitra looked for libmitra_serve.so in $work/alone and $work/lib/mitra/modules (it comes with mitra's package; in a build folder, build the target mitra_serve)"
if [ "$code" -eq 6 ] && [ "$message" = "$expected" ]; then
  echo "ok: without its server module, mitra serve is refused with exit 6 and says why"
else
  echo "FAIL: without its server module: exit $code, message: $message"
  failed=1
fi
exit $failed
