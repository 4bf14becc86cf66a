#!/usr/bin/env bash
# `shotweave check` on every script of the fuzz corpus (Markdown, article, JSON): each must end
# with exit 0 (fine) or 2 (errors reported), not a signal, within the time limit.
# Usage: check_corpus_cli.sh SHOTWEAVE FUZZ_EXPAND CORPUS_DIR   (fuzz_expand writes a *.gen out)
set -u
cli=$1 expand=$2 corpus=$3
limit=${FUZZ_CLI_SECONDS:-10}  # the CLI's start (fonts, voices) included
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0 n=0
for dir_ext in markdown:md article:txt json:json; do
  dir=${dir_ext%%:*} ext=${dir_ext##*:}
  for f in "$corpus/$dir"/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .gen)
    input="$work/${name%.*}.$ext"
    "$expand" "$f" "$input"
    timeout -s KILL "$limit" "$cli" check "$input" >/dev/null 2>"$work/err"
    rc=$?
    n=$((n + 1))
    if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then
      echo "FAIL: shotweave check $f ended with $rc (137: killed after ${limit}s; >128: a signal)"
      tail -c 600 "$work/err"
      fail=1
    fi
  done
done
echo "$n corpus scripts checked by the CLI"
exit $fail
