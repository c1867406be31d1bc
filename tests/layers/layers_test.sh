#!/usr/bin/env bash
# The layers of src/ include only what is below them (CONTRIBUTING.md "Layout and layers",
# docs/architecture.md), and no two modules of src/app include each other, directly or in a
# loop (a module is NAME.hpp with NAME.cpp). Fails naming each include that breaks a rule.
# Usage: layers_test.sh SOURCE_DIR
set -euo pipefail
src="$1/src"
status=0

# What each layer may include, itself included.
declare -A allowed=(
  [core]="core"
  [formats]="core formats"
  [store]="core formats store"
  [app]="core formats store app"
  [views]="core formats app views"
  [server]="core formats store app views server"
  [cli]="core formats store app views server cli"
)
checked=0
for layer in "${!allowed[@]}"; do
  while IFS=: read -r file line text; do
    used=$(sed -E 's|.*#include "([a-z_]+)/.*|\1|' <<<"$text")
    checked=$((checked + 1))
    if [[ " ${allowed[$layer]} " != *" $used "* ]]; then
      echo "FAIL: ${file#"$1/"}:$line: $layer includes $used (allowed: ${allowed[$layer]})"
      status=1
    fi
  done < <(grep -rnE '^#include "[a-z_]+/' "$src/$layer" --include='*.hpp' --include='*.cpp' || true)
done
echo "includes checked across the layers: $checked"

# core never opens the time-zone database itself: zones reach it through core::Zones, which app
# gives (app/zones.hpp). Only the date library's readers open the OS zone files.
if readers=$(grep -rnE '\b(locate_zone|current_zone|get_tzdb|reload_tzdb)\b' "$src/core" \
               --include='*.hpp' --include='*.cpp'); then
  echo "FAIL: core reads the time-zone database itself (give it core::Zones instead):"
  echo "$readers"
  status=1
fi

# Modules of app and what each includes of app; a loop among them fails.
edges=$(for f in "$src"/app/*.hpp "$src"/app/*.cpp; do
  module=$(basename "${f%.*}")
  { grep -oE '^#include "app/[a-z_]+\.hpp"' "$f" || true; } | sed -E 's|.*app/([a-z_]+)\.hpp"|\1|' |
    while read -r used; do if [ "$used" != "$module" ]; then echo "$module $used"; fi; done
done | sort -u)
echo "app include edges: $(wc -l <<<"$edges")"
if ! loops=$(tsort <<<"$edges" 2>&1 >/dev/null) || [ -n "$loops" ]; then
  echo "FAIL: modules of src/app include each other:"
  echo "$loops"
  status=1
fi
[ $status -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $status
