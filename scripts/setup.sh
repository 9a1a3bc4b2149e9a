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

# --- WebGPU software adapter (tests of the webgpu provider) -----------------------------------------------
# Mesa's software Vulkan (llvmpipe) gives Dawn a real WebGPU adapter on a machine without a GPU. Bookworm's own
# mesa-vulkan-drivers (22.3) lacks a feature Dawn requires; the bookworm-backports build (25.x) works. The
# backports suite is added on the same mirror as the machine's bookworm sources. Never fatal: without an
# adapter the webgpu tests say so and are skipped.
install_mesa_vulkan() {
  command -v apt-get >/dev/null 2>&1 || return 0
  [ -r /etc/os-release ] && grep -q '^VERSION_CODENAME=bookworm' /etc/os-release || return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q 'bpo'; then return 0; fi
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    local mirror=""
    if [ -r /etc/apt/sources.list.d/debian.sources ]; then
      # deb822: the URIs of the stanza whose Suites name plain bookworm
      mirror=$(awk '/^URIs:/{u=$2} /^Suites:/{for(i=2;i<=NF;i++) if($i=="bookworm") print u} /^$/{u=""}' \
        /etc/apt/sources.list.d/debian.sources | head -n1)
    fi
    if [ -z "$mirror" ] && [ -r /etc/apt/sources.list ]; then
      mirror=$(awk '$1=="deb" && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list)
    fi
    mirror=${mirror:-http://deb.debian.org/debian}
    echo "setup: adding bookworm-backports from $mirror (Mesa's software Vulkan for the WebGPU tests)"
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" |
      $sudo tee /etc/apt/sources.list.d/cuesmith-backports.sources >/dev/null || return 0
  fi
  # the suite may be listed but not yet in apt's lists (added by hand, or by an earlier interrupted run)
  apt-cache policy mesa-vulkan-drivers 2>/dev/null | grep -q 'bpo' ||
    $sudo apt-get update -qq || echo "setup: apt-get update failed; trying the install anyway" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 -t bookworm-backports \
    mesa-vulkan-drivers libvulkan1 >/dev/null ||
    echo "setup: mesa-vulkan-drivers from bookworm-backports could not be installed; the webgpu tests will be skipped" >&2
}
install_mesa_vulkan || true
