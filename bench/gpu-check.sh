#!/usr/bin/env bash
# The GPU check in one command, on a machine with a GPU and this checkout installed (`bash scripts/setup.sh`, or
# `npm ci && npm run build`): 15 s and 30 s of one guided prompt on the webgpu provider, and on cuda when
# onnxruntime-node's CUDA binaries are installed, with the CPU provider as the baseline. Writes bench/results.json
# (and the tables in bench/RESULTS.md), adding to what is there.
#   bash bench/gpu-check.sh [--model-dir DIR]
# Without --model-dir the bench uses the full-size random-weight contract model (built once into bench/models,
# ~2.3 GB): the speed of a step does not depend on the weights' values. A real model folder needs the fp32 decoder
# (`npx cuesmith models fetch musicgen-small --variant fp32`).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f dist/bench/run.js ] || npm run build:helper

providers="webgpu"
if node -e 'const b = require("onnxruntime-node").listSupportedBackends(); process.exit(b.some((x) => x.name === "cuda" && x.bundled) ? 0 : 1)' 2>/dev/null; then
  providers="$providers,cuda"
else
  echo "gpu-check: onnxruntime-node has no CUDA binaries here; webgpu only" >&2
fi
adapter=$(node -e '
const path = require("path");
const pkg = path.dirname(require.resolve("webgpu/package.json"));
const arch = process.platform === "darwin" ? "universal" : process.arch;
const dawn = require(path.join(pkg, "dist", process.platform + "-" + arch, "dawn.node"));
dawn.create([]).requestAdapter({ powerPreference: "high-performance" }).then((a) => {
  console.log(a ? [a.info.vendor, a.info.architecture, a.info.device, a.info.description].join(" | ") : "none");
  process.exit(0);
});' 2>/dev/null || echo none)
echo "gpu-check: WebGPU adapter: $adapter" >&2
case "$adapter" in
  none) echo "gpu-check: no WebGPU adapter; skipping webgpu" >&2; providers=${providers/webgpu,/}; providers=${providers/webgpu/} ;;
  *llvmpipe*|*SwiftShader*|*"Basic Render"*) echo "gpu-check: this is a software adapter: its timings say nothing about a GPU" >&2 ;;
esac
[ -n "$providers" ] || { echo "gpu-check: nothing to run on" >&2; exit 1; }

node dist/bench/run.js --provider "cpu,$providers" --seconds 15,30 --variant fp32 --layout in-place --no-reference --append "$@"
echo "gpu-check: results in bench/results.json and bench/RESULTS.md" >&2
