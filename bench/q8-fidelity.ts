// How far the q8 flat decoder (the engine's default) is from the published q8 graph that transformers.js runs:
//  - per-call logit distance: the self-check's comparison (models/transform/self-check.ts) over N calls, the
//    largest |flat − published| relative to max(1, largest |published logit|), per call;
//  - greedy divergence: the engine's greedy codes (guidance 3) on the flat and on the published q8 graph for
//    several prompts, the share of codes that differ and the first decoder step where they do.
// fp32 is measured the same way for contrast. Writes nothing into the model folder except the q8 and flat files
// a fetch would write.
//   node dist/bench/q8-fidelity.js --model-dir DIR [--calls 60] [--seconds 1.3] [--prompts 4]
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { MusicGenEngine } from "../helper/engine/musicgen";
import { DecoderVariant, ONNX_DIR, ONNX_FILES } from "../models/layout";
import { compareDecoders, decoderDims, prepareDecoders } from "../models/transform";

const PROMPTS = [
  "upbeat synth with light percussion",
  "warm cinematic strings",
  "lo-fi beat, vinyl crackle",
  "tense documentary pulse",
  "bright ukulele jingle",
  "slow ambient pad",
];

export interface Fidelity {
  model: string;
  variant: DecoderVariant;
  calls: number;
  maxRelDiff: number;
  medianRelDiff: number;
  stepArgmaxAgreement: number;
  codes: number;
  differingCodes: number;
  /** First decoder step (1-based) where a prompt's greedy codes differ, per prompt; null where none did. */
  firstDifferingStep: (number | null)[];
}

export async function measure(
  dir: string,
  variant: DecoderVariant,
  calls: number,
  seconds: number,
  prompts: number,
): Promise<Fidelity> {
  const onnxDir = path.join(dir, ONNX_DIR);
  const cmp = await compareDecoders(
    path.join(onnxDir, ONNX_FILES.decoder[variant]),
    path.join(onnxDir, ONNX_FILES.decoderFlat[variant]),
    decoderDims(dir),
    { calls, variant },
  );
  const sorted = [...cmp.perCall].sort((a, b) => a - b);
  const load = (decoderGraph: "flat" | "plain") =>
    MusicGenEngine.load(dir, { provider: "cpu", warmup: false, variant, decoderGraph, selfCheck: false });
  const [flat, plain] = [await load("flat"), await load("plain")];
  let codes = 0;
  let differing = 0;
  const firstDifferingStep: (number | null)[] = [];
  for (const prompt of PROMPTS.slice(0, prompts)) {
    const req = { prompts: [prompt], durationSec: seconds, topK: 1, guidanceScale: 3 };
    const [a, b] = [(await flat.generate(req)).codes[0], (await plain.generate(req)).codes[0]];
    let first: number | null = null;
    a.forEach((row, k) =>
      row.forEach((c, f) => {
        codes++;
        if (c !== b[k][f]) {
          differing++;
          const step = f + k + 1; // frame f of codebook k is chosen at decoder step f + k + 1 (delay pattern)
          first = first === null ? step : Math.min(first, step);
        }
      }),
    );
    firstDifferingStep.push(first);
  }
  await Promise.all([flat.dispose(), plain.dispose()]);
  return {
    model: dir,
    variant,
    calls,
    maxRelDiff: cmp.maxRelDiff,
    medianRelDiff: sorted[sorted.length >> 1],
    stepArgmaxAgreement: cmp.argmaxAgreement,
    codes,
    differingCodes: differing,
    firstDifferingStep,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "model-dir": { type: "string", multiple: true },
      calls: { type: "string", default: "60" },
      seconds: { type: "string", default: "1.3" },
      prompts: { type: "string", default: "4" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values["model-dir"]?.length) {
    console.log(
      "usage: node dist/bench/q8-fidelity.js --model-dir DIR [--model-dir DIR2 …] [--calls 60] [--seconds 1.3] [--prompts 4] [--out FILE]",
    );
    process.exit(values.help ? 0 : 2);
  }
  const results: Fidelity[] = [];
  for (const dir of values["model-dir"]!) {
    await prepareDecoders(dir, { quantizeFromFp32: true }); // q8 from fp32 and both flat files, as a fetch writes them
    for (const variant of ["fp32", "q8"] as const) {
      const r = await measure(dir, variant, Number(values.calls), Number(values.seconds), Number(values.prompts));
      results.push(r);
      console.error(JSON.stringify(r));
    }
  }
  console.log(JSON.stringify(results, null, 2));
  if (values.out) fs.writeFileSync(values.out, JSON.stringify(results, null, 2));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
