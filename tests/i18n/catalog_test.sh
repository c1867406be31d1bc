#!/bin/bash
# Every message the program marks for translation (tr, trn, noop_tr) has a Spanish translation,
# and po/mitra.pot is the extraction of the sources as they are (docs/languages.md, "Program
# text"). Fails naming each missing, fuzzy or stale message. Usage: catalog_test.sh SOURCE_DIR
set -euo pipefail
root="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
find src -name '*.cpp' -o -name '*.hpp' | LC_ALL=C sort > "$work/files"
xgettext --language=C++ --from-code=UTF-8 --keyword= --keyword=tr:2 --keyword=trn:2,3 \
  --keyword=noop_tr:1 --keyword=sentence:1 --files-from="$work/files" -o "$work/fresh.pot"
status=0
for po in po/*.po; do
  # msgcmp counts an untranslated or fuzzy entry as missing.
  if ! msgcmp "$po" "$work/fresh.pot" 2> "$work/msgcmp"; then
    echo "FAIL: $po lacks translations (add them, see scripts/update-po.sh):"
    cat "$work/msgcmp"
    status=1
  fi
  if ! msgfmt --check --output-file=/dev/null "$po" 2> "$work/msgfmt"; then
    echo "FAIL: msgfmt --check $po:"
    cat "$work/msgfmt"
    status=1
  fi
  if [ -n "$(msgattrib --only-fuzzy --no-obsolete "$po")" ]; then
    echo "FAIL: $po has fuzzy entries:"
    msgattrib --only-fuzzy --no-obsolete "$po"
    status=1
  fi
done
# The template lists exactly the messages of the sources (no stale or missing msgid).
if ! msgcmp --use-untranslated po/mitra.pot "$work/fresh.pot" 2> "$work/stale" ||
   ! msgcmp --use-untranslated "$work/fresh.pot" po/mitra.pot 2>> "$work/stale"; then
  echo "FAIL: po/mitra.pot is out of date; run scripts/update-po.sh:"
  cat "$work/stale"
  status=1
fi
# The web app's texts (web/src/i18n/<code>.json).
python3 "$root/tests/i18n/web_catalog_check.py" "$root" || status=1
[ "$status" -eq 0 ] && echo "ok: every message has a translation in $(ls po/*.po | tr '\n' ' ')"
exit "$status"
