# Sourced by the benchmark scripts: the release binary of another revision, to measure beside
# this build in the same run.
#
#   baseline_binary REV   builds REV's release binary once into build/baseline-<short rev>/ (from
#                         `git archive`: no network) and sets BASELINE_BIN and rev to it

baseline_binary() {
  rev=$(git rev-parse --short "$1")
  local base_dir=$PWD/build/baseline-$rev
  BASELINE_BIN=$base_dir/build/release/src/ferrlabs-api
  if [ ! -x "$BASELINE_BIN" ]; then
    echo "building the baseline $rev into $base_dir (once)"
    rm -rf "$base_dir" && mkdir -p "$base_dir"
    git archive "$rev" | tar -x -C "$base_dir"
    (cd "$base_dir" && cmake --preset release >/dev/null && cmake --build build/release --target ferrlabs-api -j2 >/dev/null)
  fi
}
