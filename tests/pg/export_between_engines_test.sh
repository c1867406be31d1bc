#!/usr/bin/env bash
# A journal moves between the engines without a change: written in SQLite, exported, imported
# into PostgreSQL, exported from there, imported into a new SQLite journal and exported again.
# The three JSON exports (and the CSV exports) must be byte-equal.
# Usage: export_between_engines_test.sh MITRA_BINARY
set -euo pipefail
mitra=$1
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d)
# The run's cluster when ctest started one (the fixture pg_cluster), else one of our own.
source "$here/pg_database.sh"
cleanup() {
  release_cluster
  rm -rf "$work"
}
trap cleanup EXIT

now=2026-03-01T12:00:00Z
m() { "$mitra" --now "$now" --tz Europe/Berlin "$@"; }

# The SQLite journal: doses of every form and unit, triggers, notes with commas, quotes and
# text beyond ASCII, ties in time (kept in id order), imported ids of letters in both cases,
# digits, - and _, substance uses and products.
first="$work/first.db"
m --db "$first" setup --zone Europe/Berlin --day-start 04:00 >/dev/null
m --db "$first" product "Red Bali caps" --form capsules --capsule-weight 500mg >/dev/null
m --db "$first" product "Grünes Pulver" --teaspoon-weight 2.5g >/dev/null
m --db "$first" log 2.5g --at "2026-02-27T07:15:00+01:00" --note 'before work, "tired"' \
  --trigger stress --trigger tiredness >/dev/null
m --db "$first" log 2caps --at "2026-02-27T13:00:00+01:00" --product "Red Bali caps" \
  --form capsules >/dev/null
m --db "$first" log 750mg --at "2026-02-28T01:30:00+01:00" --form extract \
  --note 'nachts — schlecht geschlafen' >/dev/null
m --db "$first" use alcohol --at "2026-02-28T20:00:00+01:00" --note wine >/dev/null
m --db "$first" use benzodiazepine --at "2026-02-28T23:00:00+01:00" >/dev/null
cat >"$work/imported.json" <<'JSON'
{
  "format": "mitra-journal",
  "version": 1,
  "doses": [
    {"id": "zz", "taken_at": "2026-02-26T08:00:00Z", "zone": "UTC", "amount": 3,
     "unit": "g", "form": "leaf_powder", "product": "", "note": "", "triggers": []},
    {"id": "B-1", "taken_at": "2026-02-26T08:00:00Z", "zone": "UTC", "amount": 1.25,
     "unit": "g", "form": "leaf_powder", "product": "", "note": "tie", "triggers": ["pain"]},
    {"id": "a_2", "taken_at": "2026-02-26T08:00:00Z", "zone": "Asia/Kathmandu", "amount": 4,
     "unit": "g", "form": "other", "product": "", "note": "", "triggers": []},
    {"id": "Zed", "taken_at": "2026-02-26T08:00:00Z", "zone": "UTC", "amount": 0.001,
     "unit": "g", "form": "liquid_shot", "product": "", "note": "", "triggers": []}
  ],
  "substance_uses": [],
  "products": []
}
JSON
m --db "$first" import "$work/imported.json" >/dev/null
# Everything else mitra keeps goes with the journal (issue 14, item 13): check-ins,
# reflections, every plan version, the profile and the settings.
m --db "$first" profile --set '{"reasons": ["pain"], "years_of_use": 1.5}' >/dev/null
m --db "$first" checkin --answers '{"answers": [1,2,1,0,1,1,1,0,1,0,1,0,0,0,0,0]}' >/dev/null
m --db "$first" reflect --answers '{"answers": [true,false,true,false,false,false,false,false,false,false,false]}' >/dev/null
m --db "$first" plan new --doses-per-day 5 --interval 3 --amount 2.5g >/dev/null
m --db "$first" plan hold --reason "a hard week" >/dev/null

postgres=$(new_database)
second="$work/second.db"

status=0
for format in json csv; do
  m --db "$first" export --format "$format" >"$work/first.$format"
done
m --db "$postgres" import "$work/first.json" >/dev/null
for format in json csv; do
  m --db "$postgres" export --format "$format" >"$work/postgres.$format"
done
m --db "$second" import "$work/postgres.json" >/dev/null
for format in json csv; do
  m --db "$second" export --format "$format" >"$work/second.$format"
done
for format in json csv; do
  for copy in postgres second; do
    if ! cmp -s "$work/first.$format" "$work/$copy.$format"; then
      echo "FAIL: the $format export from $copy differs from the first:"
      diff "$work/first.$format" "$work/$copy.$format" | head -20 || true
      status=1
    fi
  done
done
doses=$(grep -c '"amount_micro"' "$work/first.json" || true)
echo "doses $doses, exports compared: json and csv, SQLite → PostgreSQL → SQLite"
if [ "$doses" -lt 7 ]; then
  echo "FAIL: the journal holds $doses doses, not the 7 written"
  status=1
fi
kinds=$(grep -c '"instrument"\|"plan_id": "\|"years_of_use"\|"day_start"' "$work/first.json" || true)
echo "check-ins, plan versions, profile and settings lines: $kinds"
if [ "$kinds" -lt 6 ]; then
  echo "FAIL: the export lacks check-ins, plans, profile or settings ($kinds lines, 6 expected)"
  status=1
fi
[ $status -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $status
