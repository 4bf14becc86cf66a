#!/usr/bin/env bash
# Checks that every program the test suite runs is installed by scripts/setup-deps.sh, so that a
# tool left on a developer's machine cannot hide a missing install step. Run by .ci/run after the
# set-up. A program counts as installed by the set-up when the Debian package that owns it is
# listed there, is a dependency of a listed package, or is part of every Debian system
# (Essential or Priority: required).
#
# "The programs the suite runs" are found in tests/ and fuzz/: the first word of argv lists given to run()
# or with an option after them ({"ffmpeg", "-v", …}), TTS and generator command templates
# ("command espeak-ng …", "exec ffmpeg …"), the interpreters of the scripts tests write (#!/bin/bash),
# and the commands inside those scripts. A word that is no program on this machine is skipped: a
# program that is missing altogether fails its test anyway.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t listed < <(bash scripts/setup-deps.sh --list)
declare -A allowed=()
for p in "${listed[@]}"; do allowed[$p]=1; done
# Everything the listed packages pull in (Depends and Pre-Depends, recursively).
while read -r dep; do
  allowed[$dep]=1
done < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
           --no-replaces --no-enhances "${listed[@]}" 2>/dev/null | sed -n 's/^ *\(Pre\)\{0,1\}Depends: //p; /^[a-z0-9]/p' |
         tr -d '<>' | sed 's/:.*//' | sort -u)

words=$(
  {
    grep -rhoP 'run\(\{"\K[a-z][a-z0-9._+-]*(?=")' tests fuzz
    grep -rhoP '"\K[a-z][a-z0-9._+-]*(?=", "-)' tests fuzz
    grep -rhoP '(command|exec) \K[a-z][a-z0-9._+-]*' tests fuzz
    grep -rhoP '#!/(usr/)?bin/(env )?\K[a-z]+' tests fuzz
    grep -rhoP '"\K[a-z][a-z0-9._+-]*(?= -[a-zA-Z])' tests fuzz
    # commands at the start of lines of the tests' shell scripts, and of those embedded in tests
    # (R"SH( … )SH")
    find tests fuzz -name '*.sh' -exec grep -ohP '^\s*(timeout [^ ]+ +)?\K[a-z][a-z0-9._+-]*(?=\s)' {} +
    for f in $(grep -rl 'R"SH(' tests fuzz); do
      sed -n '/R"SH(/,/)SH"/p' "$f" | grep -oP '^\s*\K[a-z][a-z0-9._+-]*(?=\s)'
    done
  } | sort -u
)

bad=0
for w in $words; do
  path=$(type -P "$w" 2>/dev/null) || continue
  real=$(readlink -f "$path")
  pkg=""
  # dpkg knows a file by the path its package ships: /bin/x and /usr/bin/x are one on merged-/usr.
  for f in "$real" "$path" "${real/#\/usr/}" "${path/#\/usr/}" "/usr${real#/usr}"; do
    pkg=$(dpkg -S "$f" 2>/dev/null | head -1 | cut -d: -f1) || true
    [ -n "$pkg" ] && break
  done
  if [ -z "$pkg" ]; then
    echo "check-test-programs: the tests run '$w' ($path), which no Debian package installed — install it from a package and list that package in scripts/setup-deps.sh" >&2
    bad=1
    continue
  fi
  if [ -n "${allowed[$pkg]:-}" ]; then continue; fi
  read -r essential priority < <(dpkg-query -W -f='${Essential} ${Priority}\n' "$pkg" 2>/dev/null || echo "no unknown")
  if [ "$essential" = "yes" ] || [ "$priority" = "required" ]; then continue; fi
  echo "check-test-programs: the tests run '$w' from the package '$pkg', which scripts/setup-deps.sh does not install — add '$pkg' to its list" >&2
  bad=1
done
[ $bad -eq 0 ] && echo "check-test-programs: every program the tests run is installed by scripts/setup-deps.sh"
exit $bad
