#!/bin/sh
# Extracts the program's messages into po/mitra.pot and merges them into every po/<code>.po
# (docs/languages.md, "Program text"). Run it after adding or changing a tr()/trn() text, then
# translate the new entries (msgfmt --statistics po/es.po shows what is left).
set -eu
cd "$(dirname "$0")/.."
find src -name '*.cpp' -o -name '*.hpp' | LC_ALL=C sort > po/POTFILES
xgettext --language=C++ --from-code=UTF-8 --keyword= --keyword=tr:2 --keyword=trn:2,3 \
  --keyword=noop_tr:1 --keyword=sentence:1 --add-comments=TRANSLATORS: --add-location=file --sort-by-file \
  --package-name=mitra --msgid-bugs-address=https://github.com/ --files-from=po/POTFILES -o po/mitra.pot
rm po/POTFILES
for po in po/*.po; do
  msgmerge --quiet --update --backup=none --no-fuzzy-matching --add-location=file "$po" po/mitra.pot
done
