#!/usr/bin/env bash
# Fails when a C++ file is not formatted as .clang-format says (fix with `make format`).
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
mapfile -t files < <(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 2>/dev/null \
  || find src tests bench -name '*.cpp' -o -name '*.hpp')
[ ${#files[@]} -eq 0 ] && { echo "no sources"; exit 1; }
clang-format --dry-run -Werror "${files[@]}"
echo "${#files[@]} files formatted"
