#!/usr/bin/env bash
# Two `mitra serve` instances on one PostgreSQL database, written through at once: clients POST
# doses to both, some without an Idempotency-Key, some with one, each keyed dose sent again to
# the other instance (a client retrying behind a load balancer), and some keys sent to both
# instances at the same moment. Every acknowledged dose must be in the database exactly once,
# and every answer for one key must name the same dose.
# Usage: two_instances_test.sh MITRA_BINARY [DOSES_PER_CLIENT]
set -euo pipefail
mitra=$1
per_client=${2:-25}
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d)
# The run's cluster when ctest started one (the fixture pg_cluster), else one of our own.
source "$here/pg_database.sh"
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  release_cluster
  rm -rf "$work"
}
trap cleanup EXIT

db=$(new_database)
"$mitra" --db "$db" setup --zone UTC --day-start 04:00 >/dev/null
MITRA_TOKEN=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")
export MITRA_TOKEN

ports=()
for name in a b; do
  "$mitra" --db "$db" --json serve --port 0 --quiet >"$work/serve.$name" 2>>"$work/serve.err" &
  servers+=($!)
  for _ in $(seq 200); do [ -s "$work/serve.$name" ] && break; sleep 0.05; done
  ports+=("$(sed 's/.*"port":\([0-9]*\).*/\1/' "$work/serve.$name")")
done

# post PORT BODY [KEY]: prints "CODE ID" (ID empty when there is none).
post() {
  local port=$1 body=$2 key=${3:-} answer code
  local headers=(-H "Authorization: Bearer $MITRA_TOKEN" -H "Content-Type: application/json")
  [ -n "$key" ] && headers+=(-H "Idempotency-Key: $key")
  answer=$(curl -s --max-time 30 -w '\n%{http_code}' -X POST "${headers[@]}" -d "$body" \
    "http://127.0.0.1:$port/api/v1/doses") || answer=$'\n000'
  code=${answer##*$'\n'}
  printf '%s %s\n' "$code" "$(printf '%s\n' "${answer%$'\n'*}" | grep -o '"id":"[0-9a-f]\{32\}"' |
    head -1 | cut -d'"' -f4)"
}

# client N HOME OTHER: writes to HOME, retries keyed writes on OTHER; one line per answer:
# "KEY CODE ID" (KEY "-" when the write had none).
client() {
  local n=$1 home=$2 other=$3 i key body
  for ((i = 0; i < per_client; i++)); do
    body="{\"amount\": \"1.5g\", \"note\": \"client $n dose $i\"}"
    case $((i % 3)) in
      0)  # No key.
        echo "- $(post "$home" "$body")" ;;
      1)  # A key, then the same request again on the other instance.
        key="k-$n-$i"
        echo "$key $(post "$home" "$body" "$key")"
        echo "$key $(post "$other" "$body" "$key")" ;;
      2)  # A key sent to both instances at the same moment.
        key="k-$n-$i"
        post "$home" "$body" "$key" >"$work/both.$n.$i.a" &
        post "$other" "$body" "$key" >"$work/both.$n.$i.b"
        wait
        echo "$key $(cat "$work/both.$n.$i.a")"
        echo "$key $(cat "$work/both.$n.$i.b")" ;;
    esac
  done
}

pids=()
for n in 0 1 2 3 4 5; do
  if [ $((n % 2)) -eq 0 ]; then
    client "$n" "${ports[0]}" "${ports[1]}" >"$work/answers.$n" &
  else
    client "$n" "${ports[1]}" "${ports[0]}" >"$work/answers.$n" &
  fi
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

# Neither instance serves a status kept from before the other's write (its cache of the status
# document is checked against the database's change count, not its own writes alone).
status_of() {
  curl -s --max-time 30 -H "Authorization: Bearer $MITRA_TOKEN" \
    "http://127.0.0.1:$1/api/v1/status" | grep -o '"last_dose":{[^}]*"id":"[0-9a-f]\{32\}"' |
    grep -o '[0-9a-f]\{32\}' || true
}
stale=0
for round in 1 2 3; do
  status_of "${ports[0]}" >/dev/null
  read -r code id < <(post "${ports[1]}" "{\"amount\": \"1g\", \"note\": \"late $round\"}")
  echo "- $code $id" >>"$work/answers.late"
  seen=$(status_of "${ports[0]}")
  if [ "$seen" != "$id" ]; then
    echo "FAIL: instance a's status shows last dose $seen, not $id written through b"
    stale=1
  fi
done

"$mitra" --db "$db" --json list >"$work/list.json"
python3 - "$work" <<'PY'
import glob, json, sys
from collections import Counter, defaultdict
work = sys.argv[1]
answers = [line.split() for f in sorted(glob.glob(work + "/answers.*")) for line in open(f)]
stored = Counter(d["id"] for d in json.load(open(work + "/list.json"))["doses"])
failures = []
acked = set()
by_key = defaultdict(set)
for parts in answers:
    key, code = parts[0], parts[1]
    dose_id = parts[2] if len(parts) > 2 else ""
    if code not in ("200", "201") or not dose_id:
        failures.append(f"answer {code} for key {key}")
        continue
    acked.add(dose_id)
    if key != "-":
        by_key[key].add(dose_id)
for key, ids in by_key.items():
    if len(ids) != 1:
        failures.append(f"key {key} answered with {len(ids)} different doses")
for dose_id in acked:
    if stored[dose_id] != 1:
        failures.append(f"acknowledged dose {dose_id} stored {stored[dose_id]} times")
extra = set(stored) - acked
if extra:
    failures.append(f"{len(extra)} doses stored that no answer named")
print(f"answers {len(answers)}, acknowledged doses {len(acked)}, stored {sum(stored.values())}, "
      f"keys {len(by_key)}")
for f in failures[:10]:
    print("FAIL:", f)
print("1 passed, 0 failed" if not failures and acked else "0 passed, 1 failed")
sys.exit(1 if failures or not acked else 0)
PY
[ "$stale" -eq 0 ]
