#!/usr/bin/env bash
# Installs the Debian 12 packages shotweave needs to build, test and render — only the missing
# ones, so a prepared machine does nothing. Called by `make demo` / `make test`.
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev
  libexpected-dev nlohmann-json3-dev libgtest-dev zlib1g-dev
  libpango1.0-dev libcairo2-dev fonts-noto-cjk
  fonts-noto-color-emoji   # emoji in subtitles and titles, drawn in colour (fontconfig falls back to it)
  libespeak-ng-dev espeak-ng-data libebur128-dev libcurl4-openssl-dev
  espeak-ng         # the espeak-ng program: tests run it as a command TTS engine
  libsqlite3-dev libicu-dev   # media library index (FTS5) and Chinese word segmentation
  libtomlplusplus-dev libwebp-dev libssl-dev   # generator and [tts] configs; animated WebP clips; SHA-256 of cached clips
  tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng   # tests read burned-in subtitles back
  ffmpeg            # ffprobe/ffmpeg: tests compare against xfade and probe outputs
  valgrind          # a tiny render runs under memcheck (no uninitialised memory)
)
# `--bench` adds what the benchmark's input generator and timing need.
if [ "${1:-}" = "--bench" ]; then PKGS+=(sox time); fi
# `--fuzz` adds clang and libFuzzer for `make fuzz` (docs/fuzzing.md).
if [ "${1:-}" = "--fuzz" ]; then PKGS+=(clang libclang-rt-14-dev); fi
# `--list` prints the packages (with what the other options add) and installs nothing.
if [ "${1:-}" = "--list" ]; then printf '%s\n' "${PKGS[@]}"; exit 0; fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "shotweave: installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "shotweave: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
