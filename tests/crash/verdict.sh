# Shared by the crash tests. Sourced, not run.
# check_acknowledged_stored DB ACKED_IDS: every acknowledged id (one per line) must be a dose
# in DB, SQLite's integrity check must pass, and at least one id must have been acknowledged
# (else the test proved nothing). Prints the counts and each failure; sets `status` (0 or 1).
check_acknowledged_stored() {
  local db=$1 acked=$2 stored missing integrity acked_count stored_count
  acked_count=$(printf '%s\n' "$acked" | grep -c . || true)
  stored=$(sqlite3 "$db" "SELECT id FROM doses ORDER BY id")
  stored_count=$(printf '%s\n' "$stored" | grep -c . || true)
  missing=$(comm -23 <(printf '%s\n' "$acked" | grep . | sort) <(printf '%s\n' "$stored" | sort) || true)
  integrity=$(sqlite3 "$db" "PRAGMA integrity_check")
  echo "acknowledged $acked_count, stored $stored_count"
  status=0
  if [ -n "$missing" ]; then
    echo "FAIL: acknowledged but missing: $(printf '%s\n' "$missing" | head -5)"
    status=1
  fi
  if [ "$integrity" != "ok" ]; then
    echo "FAIL: integrity check: $integrity"
    status=1
  fi
  if [ "$acked_count" -eq 0 ]; then
    echo "FAIL: nothing was acknowledged; the test proved nothing"
    status=1
  fi
}
