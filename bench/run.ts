// `npm run bench`: Cuesmith's engine against transformers.js's MusicGen on the same model files (the full-size
// `small` contract model by default), alternating in one process so both see the same machine. Never run in CI.
//   npm run bench -- --seconds 5,15,30 --variant fp32,q8 [--model-dir DIR] [--no-reference]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { buildTestModel } from "../models/build";
import { MusicGenEngine } from "../helper/engine/musicgen";
import { framesFor } from "../helper/engine/generation/duration";

const PROMPT = "upbeat tech product reveal music, clean synth melody, light percussion, modern and confident";
const OUT_DIR = path.resolve(__dirname, "..", "..", "bench");

interface CaseResult {
  impl: "cuesmith" | "transformers.js";
  seconds: number;
  variant: "fp32" | "q8";
  wallMs: number;
  steps: number;
  firstStepsMs: number; // mean step time over the first 100 steps
  lastStepsMs: number; // … and the last 100
  encodecMs: number | null;
  realTimeFactor: number; // audio seconds per wall second
  peakRssMb: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
function stepStats(stamps: number[]): { first: number; last: number } {
  const deltas = stamps.slice(1).map((t, i) => t - stamps[i]);
  return { first: mean(deltas.slice(0, 100)), last: mean(deltas.slice(-100)) };
}
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function runCuesmith(dir: string, seconds: number, variant: "fp32" | "q8"): Promise<CaseResult> {
  const engine = await MusicGenEngine.load(dir, { variant, provider: "cpu", warmup: false });
  const stamps: number[] = [];
  const started = performance.now();
  const r = await engine.generate({ prompts: [PROMPT], durationSec: seconds, seed: 1, topK: 250 }, { onProgress: () => stamps.push(performance.now()) });
  const wallMs = performance.now() - started;
  const s = stepStats(stamps);
  return { impl: "cuesmith", seconds, variant, wallMs, steps: r.steps, firstStepsMs: s.first, lastStepsMs: s.last, encodecMs: r.timings.encodecMs, realTimeFactor: seconds / (wallMs / 1000), peakRssMb: rssMb() };
}

async function runTransformersJs(dir: string, seconds: number, variant: "fp32" | "q8"): Promise<CaseResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tjs = require("@huggingface/transformers");
  tjs.env.allowRemoteModels = false;
  tjs.env.localModelPath = path.dirname(dir) + path.sep;
  const name = path.basename(dir);
  const tokenizer = await tjs.AutoTokenizer.from_pretrained(name);
  const model = await tjs.MusicgenForConditionalGeneration.from_pretrained(name, {
    device: "cpu",
    dtype: { text_encoder: "fp32", decoder_model_merged: variant === "q8" ? "q8" : "fp32", encodec_decode: "fp32" },
  });
  const stamps: number[] = [];
  const streamer = { put: () => stamps.push(performance.now()), end: () => {} };
  const steps = framesFor(seconds) + 3;
  const started = performance.now();
  await model.generate({ ...tokenizer([PROMPT]), max_new_tokens: steps, do_sample: true, top_k: 250, guidance_scale: 3, streamer });
  const wallMs = performance.now() - started;
  await model.dispose();
  const s = stepStats(stamps);
  return { impl: "transformers.js", seconds, variant, wallMs, steps, firstStepsMs: s.first, lastStepsMs: s.last, encodecMs: null, realTimeFactor: seconds / (wallMs / 1000), peakRssMb: rssMb() };
}

function markdown(results: CaseResult[], machine: object): string {
  const rows = results.map((r) => `| ${r.impl} | ${r.variant} | ${r.seconds} | ${(r.wallMs / 1000).toFixed(1)} | ${r.firstStepsMs.toFixed(1)} | ${r.lastStepsMs.toFixed(1)} | ${r.encodecMs === null ? "—" : (r.encodecMs / 1000).toFixed(2)} | ${r.realTimeFactor.toFixed(3)} | ${r.peakRssMb} |`);
  const speedups = results.filter((r) => r.impl === "cuesmith").flatMap((ours) => {
    const ref = results.find((r) => r.impl === "transformers.js" && r.seconds === ours.seconds && r.variant === ours.variant);
    return ref ? [`- ${ours.seconds} s ${ours.variant}: Cuesmith ${(ref.wallMs / ours.wallMs).toFixed(2)}× transformers.js; step time last/first 100: ours ${(ours.lastStepsMs / ours.firstStepsMs).toFixed(2)}, theirs ${(ref.lastStepsMs / ref.firstStepsMs).toFixed(2)}`] : [];
  });
  return [
    "# Benchmark: Cuesmith engine vs transformers.js (same contract-model files, CPU)",
    "",
    `Machine: ${JSON.stringify(machine)}`,
    "",
    "| impl | variant | seconds | wall s | step ms (first 100) | step ms (last 100) | EnCodec s | real-time factor | peak RSS MB |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    "Speed-ups (ratios measured in the same run):",
    ...speedups,
    "",
    "Peak RSS is the process maximum so far (both implementations share the process).",
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "5,15,30" },
      variant: { type: "string", default: "fp32,q8" },
      "model-dir": { type: "string" },
      "no-reference": { type: "boolean", default: false },
    },
  });
  const seconds = values.seconds!.split(",").map(Number);
  const variants = values.variant!.split(",").map((v) => (v === "int8" ? "q8" : v)) as ("fp32" | "q8")[];
  const dir = path.resolve(values["model-dir"] ?? path.join(OUT_DIR, "models", "small-s0"));
  if (!fs.existsSync(path.join(dir, "config.json"))) {
    console.error(`building the full-size contract model in ${dir} (once; ~2.3 GB)…`);
    await buildTestModel({ size: "small", outDir: dir, variants: ["fp32", "q8"], onProgress: (m) => console.error(m) });
  }
  const machine = { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memGb: Math.round(os.totalmem() / 1024 ** 3), node: process.version, platform: `${os.platform()} ${os.arch()}` };
  const results: CaseResult[] = [];
  for (const variant of variants) {
    for (const s of seconds) {
      console.error(`cuesmith ${variant} ${s} s…`);
      results.push(await runCuesmith(dir, s, variant));
      if (!values["no-reference"]) {
        console.error(`transformers.js ${variant} ${s} s…`);
        results.push(await runTransformersJs(dir, s, variant));
      }
    }
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, "results.json"), JSON.stringify({ machine, model: dir, results }, null, 2));
  fs.writeFileSync(path.join(OUT_DIR, "RESULTS.md"), markdown(results, machine));
  console.log(markdown(results, machine));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
