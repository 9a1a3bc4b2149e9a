// `cuesmith generate --provider webgpu` as a user runs it (compiled: `npm test` builds first), on Mesa's software
// WebGPU adapter where no GPU exists: the same WAV as `--provider cpu`, to float tolerance. A machine's first webgpu
// process compiles its shaders (Mesa keeps them on disk for the next), hence its timeout in tests/timeouts.js.
// Skipped where no WebGPU adapter exists (scripts/setup.sh installs Mesa's software Vulkan).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { decodeWav } from "../../helper/audio/wav";
import { tinyModelDir } from "../helpers/contract-model";
import { WEBGPU_ADAPTER } from "../helpers/webgpu";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "cuesmith.js");
const RUN_LIMIT_MS = 75_000;
const itGpu = WEBGPU_ADAPTER ? it : it.skip;

itGpu(
  `generate --provider webgpu writes the --provider cpu WAV (${WEBGPU_ADAPTER?.device ?? "no adapter"})`,
  async () => {
    if (!fs.existsSync(path.join(ROOT, "dist", "helper", "cli", "main.js")))
      throw new Error("run `npm run build` first (npm test does)");
    const model = await tinyModelDir();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-webgpu-"));
    const run = (provider: string) => {
      const out = path.join(tmp, `${provider}.wav`);
      const args = [
        "generate",
        "--model-dir",
        model,
        "--prompt",
        "upbeat synth",
        "--duration",
        "1.5",
        "--seed",
        "7",
        "--provider",
        provider,
        "--out",
        out,
      ];
      const r = spawnSync(process.execPath, [BIN, ...args], {
        encoding: "utf8",
        env: { ...process.env, CUESMITH_HOME: path.join(tmp, "home") },
        timeout: RUN_LIMIT_MS,
      });
      expect({ provider, code: r.status, err: r.status === 0 ? "" : r.stderr }).toEqual({ provider, code: 0, err: "" });
      return { summary: JSON.parse(r.stdout.trim()), wav: decodeWav(fs.readFileSync(out)) };
    };
    const cpu = run("cpu");
    const gpu = run("webgpu");
    expect(gpu.summary).toMatchObject({ provider: "webgpu", samples: 72000, variant: "fp32" });
    expect(gpu.summary.gpu_adapter).toMatch(/\S/);
    expect(cpu.summary.provider).toBe("cpu");
    const a = cpu.wav.channels[0];
    const b = gpu.wav.channels[0];
    expect(b.length).toBe(a.length);
    // same codes, EnCodec on the CPU in both: equal up to the 24-bit WAV's rounding
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    expect(maxDiff).toBeLessThan(1e-5);
    expect(a.some((x) => x !== 0)).toBe(true);
  },
);
