#!/usr/bin/env bash
# A full disk, for real: a journal on a 512 KB tmpfs. `mitra log` fills it; once the disk is
# full a write fails with exit 6 and "the disk is full, so the change was not saved; free
# some space and try again", never a crash; every dose acknowledged before is kept, the
# journal passes SQLite's integrity check, and once space is freed writes work again.
# Mounting needs root (or a user namespace); where it is not allowed the test is skipped
# (exit 77). Usage: full_disk_test.sh MITRA_BINARY
set -euo pipefail
source "$(dirname "$0")/verdict.sh"
mitra=$1
work=$(mktemp -d)
disk="$work/disk"
mkdir "$disk"
cleanup() {
  umount "$disk" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
if ! mount -t tmpfs -o size=512k tmpfs "$disk" 2>/dev/null; then
  echo "cannot mount a tmpfs here (needs root): skipped"
  exit 77
fi
db="$disk/journal.db"
"$mitra" --db "$db" setup --zone UTC >/dev/null
note=$(head -c 3500 /dev/zero | tr '\0' 'x')

# Log until the disk is full (a 512 KB disk holds about a hundred of these doses: few enough processes for the sanitizer build).
acked=""
full=""
for ((i = 0; i < 2000; i++)); do
  if out=$("$mitra" --db "$db" --json log 1g --note "$note $i" 2>"$work/err"); then
    acked+=$(printf '%s' "$out" | grep -o '"id": "[0-9a-f]\{32\}"' | grep -o '[0-9a-f]\{32\}')$'\n'
  else
    code=$?
    full="exit $code: $(cat "$work/err")"
    break
  fi
done
echo "logged $(printf '%s' "$acked" | grep -c .) doses before the disk was full"
status=0
expected='exit 6: {"error":{"code":"unavailable","field":"db","message":"the disk is full, so the change was not saved; free some space and try again"}}'
if [ "$full" != "$expected" ]; then
  echo "FAIL: when the disk is full, expected \"$expected\", got \"$full\""
  status=1
fi
# A second write on the full disk fails the same way and changes nothing.
if "$mitra" --db "$db" log 1g --note "still full" >/dev/null 2>"$work/err"; then
  echo "FAIL: a write on the full disk succeeded"
  status=1
fi
# Space returns: tmpfs grows (the journal's own files stay as they are).
mount -o remount,size=4m "$disk"
if ! "$mitra" --db "$db" --json log 1g --note "after" >"$work/after" 2>"$work/err"; then
  echo "FAIL: no write once space returned: $(cat "$work/err")"
  status=1
fi
acked+=$(grep -o '"id": "[0-9a-f]\{32\}"' "$work/after" | grep -o '[0-9a-f]\{32\}' || true)
overall=$status
check_acknowledged_stored "$db" "$(printf '%s\n' "$acked" | grep . || true)"
[ "$overall" -eq 0 ] && [ "$status" -eq 0 ] && { echo "1 passed, 0 failed"; exit 0; }
echo "0 passed, 1 failed"
exit 1
