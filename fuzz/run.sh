#!/usr/bin/env bash
# Runs each libFuzzer harness for a while: `make fuzz` (docs/fuzzing.md).
# Usage: fuzz/run.sh BUILD_DIR SECONDS READER...
# Each reader starts from its committed corpus (fuzz/corpus/<reader>, *.gen expanded) plus seeds from
# examples/; new inputs go to BUILD_DIR/corpus/<reader>, crashes and hangs to BUILD_DIR/findings/<reader>.
set -u
build=$1 seconds=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
found=0
for reader in "$@"; do
  work="$build/corpus/$reader" findings="$build/findings/$reader"
  mkdir -p "$work" "$findings"
  for f in "$root/fuzz/corpus/$reader"/*; do
    [ -f "$f" ] && "$build/fuzz/fuzz_expand" "$f" "$work/$(basename "$f" .gen)"
  done
  case "$reader" in
    markdown) find "$root/examples" -name '*.md' -exec cp {} "$work/" \; ;;
    article) find "$root/examples" -name '*.txt' -exec cp {} "$work/" \; ;;
    json) find "$root/examples" -name '*.json' -exec cp {} "$work/" \; ;;
    generator_config) find "$root/examples" -name '*.toml' -exec cp {} "$work/" \; ;;
    template) for f in $(find "$root/examples" -name '*.csv'); do { printf c; cat "$f"; } > "$work/seed-$(basename "$f")"; done
              for f in $(find "$root/examples" -name '*.jsonl'); do { printf j; cat "$f"; } > "$work/seed-$(basename "$f")"; done ;;
  esac
  echo "== fuzz_$reader for ${seconds}s"
  "$build/fuzz/fuzz_$reader" "$work" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$findings/" -print_final_stats=1 2>"$build/fuzz_$reader.log" || found=1
  tail -n 3 "$build/fuzz_$reader.log"
done
if [ $found -ne 0 ] || find "$build/findings" -type f | grep -q .; then
  echo "findings (crash-*, timeout-*, oom-*) in $build/findings — minimise with"
  echo "  $build/fuzz/fuzz_<reader> -minimize_crash=1 -runs=10000 FILE, fix, and commit the input to fuzz/corpus/<reader>/"
  exit 1
fi
echo "no findings"
