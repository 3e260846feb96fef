#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy at the root) over every source file of src/, two at a time.
# Usage: check-tidy.sh SOURCE_DIR BUILD_DIR (the build dir holds compile_commands.json).
set -euo pipefail
src=${1:?source dir}
build=${2:?build dir}
cd "$src"
mapfile -t files < <(git ls-files 'src/*.cpp' 2>/dev/null || find src -name '*.cpp')
out=$(run-clang-tidy -quiet -j 2 -p "$build" "${files[@]/#/$src/}" 2>&1) || { echo "$out" | grep -E "error:|warning:" -A3; exit 1; }
if grep -qE "(error|warning): " <<<"$out"; then
  echo "$out" | grep -E "(error|warning): " -A3
  exit 1
fi
echo "clang-tidy: ${#files[@]} files clean"
