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
# a CJK font, so Chinese transcripts in the browser harness's screenshots are not empty boxes
if command -v dpkg >/dev/null 2>&1 && ! dpkg -s fonts-wqy-zenhei >/dev/null 2>&1; then need+=(fonts-wqy-zenhei); fi
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing ${need[*]} with apt-get"
    # a package the mirror lacks must not stop the set-up: the tests that need it say so and are skipped
    $sudo apt-get update -qq || echo "setup: apt-get update failed; trying the install anyway" >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
      echo "setup: apt-get could not install ${need[*]}; the tests that need them will be skipped" >&2
  else
    echo "setup: please install ${need[*]} (the tests that need them will say so and be skipped)" >&2
  fi
fi

# ---- npm packages (installs block) ----
# onnxruntime-node's install script fetches CUDA binaries from NuGet on linux-x64, outside the npm registry
# (the CPU build ships in its tarball). Its own switch, read from the environment, turns that off; npm 11.19+
# also skips it through package.json's allowScripts. NVIDIA users opt in: docs/install.md "GPU".
export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"
# The build is a step of its own, not an npm `prepare` script: npx runs `prepare` again whenever it links this
# checkout, which made a first `npx cuesmith` take minutes.
npm ci --no-audit --no-fund
npm run build
# ---- end of installs block ----
