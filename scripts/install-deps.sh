#!/usr/bin/env bash
# Installs, with apt-get, the Debian packages mitra needs to build and test.
# Quiet and quick when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git tzdata
  libsqlite3-dev sqlite3
  postgresql libpqxx-dev
  nlohmann-json3-dev libcli11-dev libhowardhinnant-date-dev libexpected-dev
  libgtest-dev libgmock-dev libbenchmark-dev librapidcheck-dev
  libical-dev libsodium-dev python3 python3-icalendar hyperfine util-linux curl
  libboost-dev libssl-dev openssl
  clang libclang-rt-14-dev
  chromium poppler-utils wrk brotli gzip man-db groff-base lintian dpkg-dev fakeroot file
  gettext strace
  ccache clang-format
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm may come from elsewhere than Debian (the machine image has its own).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The PostgreSQL tests start a throwaway cluster with these programs (tests/pg/pg_cluster.sh);
# without them those tests fail, so say so here, where it can be fixed.
if [ ! -x /usr/lib/postgresql/15/bin/initdb ] || [ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]; then
  echo "PostgreSQL 15 (initdb, pg_ctl in /usr/lib/postgresql/15/bin) is missing after the install" >&2
  exit 1
fi

# The web app's npm packages (the chart library it embeds; playwright-core and axe-core for
# the browser tests), exactly as web/package-lock.json pins them. Playwright never downloads a
# browser: the tests drive Debian's chromium.
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -f "$root/web/node_modules/.package-lock.json" ] ||
   [ "$root/web/package-lock.json" -nt "$root/web/node_modules/.package-lock.json" ]; then
  echo "Installing the web app's npm packages (web/package-lock.json)"
  (cd "$root/web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
