#!/usr/bin/env bash
# One-time set-up on a fresh Debian/Ubuntu machine: the system tools the tests use, then the npm packages.
# (macOS/Windows users: see README "Requirements" for ffmpeg/sox/espeak-ng/chromium.)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# chromium: the browser harness test drives the panel in it (playwright-core, no downloaded browser)
for tool in ffmpeg sox espeak-ng chromium; do
  command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing ${need[*]} with apt-get"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: please install ${need[*]} (the tests that need them will say so and be skipped)" >&2
  fi
fi

# onnxruntime-node's CUDA download is skipped by .npmrc; `prepare` compiles the TypeScript.
npm ci --no-audit --no-fund
