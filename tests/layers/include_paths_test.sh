#!/usr/bin/env bash
# The include paths of the layers' targets hide the layers above them (cmake/layers.cmake): with
# the include directories CMake gives each target, a header of its own layer and of every layer
# below it is found, and a header of any layer above it is "No such file". So a wrong include
# fails the build, not only layers_test.sh.
# Usage: include_paths_test.sh COMPILER LAYER=DIR:DIR:… …  (layers from the bottom up)
set -euo pipefail
compiler="$1"
shift
# One header of each layer.
declare -A header=(
  [core]="core/error.hpp"
  [formats]="formats/journal_json.hpp"
  [store]="store/records.hpp"
  [app]="app/context.hpp"
  [views]="views/journal.hpp"
  [server]="server/router.hpp"
  [cli]="cli/session.hpp"
)
layers=()
declare -A dirs=()
for arg in "$@"; do
  layers+=("${arg%%=*}")
  dirs[${arg%%=*}]="${arg#*=}"
done
status=0
checked=0
for ((i = 0; i < ${#layers[@]}; i++)); do
  layer=${layers[$i]}
  flags=()
  IFS=: read -ra list <<<"${dirs[$layer]}"
  for dir in "${list[@]}"; do [ -n "$dir" ] && flags+=("-I$dir"); done
  for ((j = 0; j < ${#layers[@]}; j++)); do
    other=${layers[$j]}
    checked=$((checked + 1))
    out=$(printf '#include "%s"\n' "${header[$other]}" |
      "$compiler" -std=c++20 -E -x c++ "${flags[@]}" -o /dev/null - 2>&1) && found=1 || found=0
    if ((j <= i)) && ((found == 0)); then
      echo "FAIL: $layer cannot include ${header[$other]}, below or in it:"
      echo "$out" | head -5
      status=1
    elif ((j > i)) && ((found == 1)); then
      echo "FAIL: $layer can include ${header[$other]}, of the layer $other above it"
      status=1
    elif ((j > i)) && [[ "$out" != *"No such file"* ]]; then
      echo "FAIL: including ${header[$other]} from $layer failed otherwise than not found:"
      echo "$out" | head -5
      status=1
    fi
  done
done
echo "layer pairs checked: $checked"
[ $status -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $status
