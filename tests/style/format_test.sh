#!/usr/bin/env bash
# Every C++ file of the sources, tests and benchmarks is formatted as .clang-format says, so a
# change shows only what it changes. Fails naming each file that is not, with the command that
# formats it. Usage: format_test.sh SOURCE_DIR
set -euo pipefail
root="$1"
cd "$root"
# Debian 12's clang-format (14): another version formats some constructs otherwise.
tool=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$tool" ]; then
  echo "clang-format is not installed; make deps installs it (Debian package clang-format)" >&2
  exit 1
fi
mapfile -t files < <(find src tests bench \( -name node_modules -o -name corpus \) -prune -o \
  \( -name '*.cpp' -o -name '*.hpp' \) -type f -print | sort)
if [ ${#files[@]} -lt 100 ]; then
  echo "found only ${#files[@]} C++ files under $root; is this the source folder?" >&2
  exit 1
fi
# One run over all files; each finding starts "FILE:LINE:COLUMN: error:".
status=0
out=$("$tool" --dry-run -Werror "${files[@]}" 2>&1) || status=$?
mapfile -t unformatted < <(printf '%s\n' "$out" |
  sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error:.*/\1/p' | sort -u)
if [ "$status" -ne 0 ] && [ ${#unformatted[@]} -eq 0 ]; then
  printf '%s\n' "$out" >&2
  echo "$tool failed (exit $status) without naming a file" >&2
  exit 1
fi
if [ ${#unformatted[@]} -gt 0 ]; then
  echo "not formatted as .clang-format says (${#unformatted[@]} of ${#files[@]} files):" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  echo "format them with: make format (or: clang-format -i FILE)" >&2
  exit 1
fi
echo "${#files[@]} files formatted as .clang-format says"
