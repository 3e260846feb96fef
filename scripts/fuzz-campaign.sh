#!/usr/bin/env bash
# One bounded libFuzzer campaign on one target (tests/fuzz/README.md):
#
#   scripts/fuzz-campaign.sh TARGET [SECONDS]     TARGET: http_session, router, json_body, envelope
#
# Builds TARGET_fuzz with the `fuzz` preset, runs it for SECONDS (default 180) from the committed
# corpus, then merges into tests/fuzz/corpus/TARGET/ only the new inputs that reach new code edges
# (-use_counters=0: hit counts alone would keep thousands of near-duplicates). Stops by itself; a
# crash stops it early and leaves crash-* in the current directory.
set -euo pipefail
target=${1:?usage: fuzz-campaign.sh TARGET [SECONDS]}
seconds=${2:-180}
cd "$(dirname "$0")/.."
case "$target" in
  http_session) options=(-dict=tests/fuzz/http.dict -max_len=4096) ;;
  router) options=(-max_len=512) ;;
  json_body) options=(-max_len=8192) ;;
  envelope) options=(-max_len=16384) ;;
  *) echo "unknown target $target"; exit 2 ;;
esac
[ -f build/fuzz/CMakeCache.txt ] || cmake --preset fuzz >/dev/null
cmake --build build/fuzz --target "${target}_fuzz"
fuzzer=build/fuzz/tests/fuzz/${target}_fuzz
corpus=tests/fuzz/corpus/$target
work=$(mktemp -d)
trap 'rm -rf "$work" "$work.log"' EXIT
before=$(find "$corpus" -type f | wc -l)
"$fuzzer" "${options[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$work" "$corpus" 2>"$work.log" || { tail -n 40 "$work.log"; exit 1; }
grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)|^#[0-9]+.*DONE' "$work.log" || true
"$fuzzer" -merge=1 -use_counters=0 "${options[@]}" "$corpus" "$work" 2>>"$work.log" >/dev/null
rm -f "$work.log"
echo "$target: $before inputs before, $(find "$corpus" -type f | wc -l) after merging the campaign"
