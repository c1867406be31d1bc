#!/usr/bin/env bash
# The Debian package as a new user gets it: `cpack -G DEB` builds it, lintian finds no error,
# and unpacked into a throwaway root it holds a program that runs, a manual page per command
# that man renders, the completions and the systemd units (checked by systemd-analyze when the
# machine has it).
# Usage: package_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/mitra_*_amd64.deb)
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"
dpkg-deb --field "$deb" Depends | grep -q 'libical3' || { echo "Depends lacks libical3"; exit 1; }
dpkg-deb --field "$deb" Depends | grep -q 'tzdata' || { echo "Depends lacks tzdata (the zone files)"; exit 1; }
if dpkg-deb --field "$deb" Depends | grep -q 'libdate-tz'; then echo "Depends has libdate-tz, which mitra no longer uses"; exit 1; fi
dpkg-deb --field "$deb" Depends | grep -q 'libsqlite3-0' || { echo "Depends lacks libsqlite3-0 (shlibdeps)"; exit 1; }
dpkg-deb --field "$deb" Depends | grep -q 'libpqxx' || { echo "Depends lacks libpqxx (shlibdeps of the PostgreSQL module)"; exit 1; }
dpkg-deb --field "$deb" Depends | grep -q "libssl" || { echo "Depends lacks libssl (shlibdeps of the server module)"; exit 1; }
lintian --fail-on error,warning "$deb"
echo "lintian: no errors or warnings"

root="$work/root"
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/mitra" --version | grep -q '^mitra ' || { echo "the packaged program does not run"; exit 1; }
file "$root/usr/bin/mitra" | grep -q 'stripped' && ! file "$root/usr/bin/mitra" | grep -q 'not stripped' ||
  { echo "the program is not stripped"; exit 1; }
# The PostgreSQL module: installed, stripped, and found by the unpacked program (its error is
# the connection's, not "PostgreSQL support is not installed").
module="$root/usr/lib/mitra/modules/libmitra_postgres.so"
[ -s "$module" ] || { echo "missing: /usr/lib/mitra/modules/libmitra_postgres.so"; exit 1; }
! file "$module" | grep -q 'not stripped' || { echo "the PostgreSQL module is not stripped"; exit 1; }
pg_error=$("$root/usr/bin/mitra" --db postgresql://mitra@127.0.0.1:1/none status 2>&1 || true)
case "$pg_error" in
  *"cannot connect to the PostgreSQL database"*) ;;
  *) echo "the packaged program does not load its PostgreSQL module: $pg_error"; exit 1 ;;
esac
# The server module likewise: installed, stripped, and loaded by `mitra serve` (which then stops
# at the missing certificate, not at "not installed").
serve_module="$root/usr/lib/mitra/modules/libmitra_serve.so"
[ -s "$serve_module" ] || { echo "missing: /usr/lib/mitra/modules/libmitra_serve.so"; exit 1; }
! file "$serve_module" | grep -q 'not stripped' || { echo "the server module is not stripped"; exit 1; }
serve_error=$("$root/usr/bin/mitra" --db "$work/journal.db" serve --port 0 --tls-cert "$work/none.crt" --tls-key "$work/none.key" 2>&1 || true)
case "$serve_error" in
  *"could not be read"*) ;;
  *) echo "the packaged program does not load its server module: $serve_error"; exit 1 ;;
esac
pages=$(ls "$root"/usr/share/man/man1/mitra*.1.gz | wc -l)
[ "$pages" -ge 30 ] || { echo "only $pages manual pages"; exit 1; }
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -l "$root/usr/share/man/man1/mitra.1.gz" 2>&1 >/dev/null)
[ -z "$warnings" ] || { echo "man warns: $warnings"; exit 1; }
LC_ALL=C.UTF-8 man -l "$root/usr/share/man/man1/mitra-log.1.gz" | grep -q '988' || { echo "no crisis lines in mitra-log(1)"; exit 1; }
# The Spanish pages: one for each English page, in Spanish, crisis lines included.
pages_es=$(ls "$root"/usr/share/man/es/man1/mitra*.1.gz | wc -l)
[ "$pages_es" -eq "$pages" ] || { echo "$pages_es Spanish manual pages for $pages English"; exit 1; }
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -l "$root/usr/share/man/es/man1/mitra-log.1.gz" 2>&1 >/dev/null)
[ -z "$warnings" ] || { echo "man warns on the Spanish mitra-log(1): $warnings"; exit 1; }
log_es=$(LC_ALL=C.UTF-8 man -l "$root/usr/share/man/es/man1/mitra-log.1.gz")
case "$log_es" in
  *NOMBRE*"Anotar una dosis de kratom"*EJEMPLOS*988*) ;;
  *) echo "the Spanish mitra-log(1) is not in Spanish: $log_es"; exit 1 ;;
esac
for f in usr/share/bash-completion/completions/mitra usr/share/zsh/vendor-completions/_mitra \
         usr/share/fish/vendor_completions.d/mitra.fish usr/lib/systemd/user/mitra.service \
         usr/lib/systemd/system/mitra-clinic.service usr/lib/systemd/system/mitra-clinic@.service \
         usr/share/doc/mitra/copyright; do
  [ -s "$root/$f" ] || { echo "missing: /$f"; exit 1; }
done
bash -n "$root/usr/share/bash-completion/completions/mitra"
if command -v systemd-analyze >/dev/null 2>&1; then
  # ExecStart names /usr/bin/mitra, which is not installed here: point it at the unpacked one.
  # A template is verified as one of its instances (mitra-clinic@127.0.0.2).
  for unit in user/mitra.service:mitra.service system/mitra-clinic.service:mitra-clinic.service \
              system/mitra-clinic@.service:mitra-clinic@127.0.0.2.service; do
    sed "s|/usr/bin/mitra|$root/usr/bin/mitra|" "$root/usr/lib/systemd/${unit%%:*}" >"$work/${unit#*:}"
    # The manual page is not installed here either; anything else it says is a fault.
    complaints=$(systemd-analyze verify "$work/${unit#*:}" 2>&1 |
                 grep -v "Command 'man mitra-serve(1)' failed" || true)
    [ -z "$complaints" ] || { echo "systemd-analyze: $complaints"; exit 1; }
  done
  echo "systemd-analyze: the three units verify"
fi
echo "ok: program, PostgreSQL and server modules, $pages manual pages (and in Spanish), completions, systemd units, copyright"
