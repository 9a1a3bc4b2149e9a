// `cuesmith generate`: one prompt or tag -> a 48 kHz WAV of exactly the requested length.
import * as path from "node:path";
import { resample } from "../audio/resample";
import { encodeWav } from "../audio/wav";
import { writeFileAtomic } from "../util/atomic-file";
import { defaultModelDir } from "../config/paths";
import { MusicGenEngine } from "../engine/musicgen";
import { samplesFor } from "../engine/generation/duration";
import { promptForTag, withBpm } from "../../shared/presets";
import { MAX_SEED, OUTPUT_SAMPLE_RATE as OUTPUT_RATE } from "../../shared/protocol";
import { CliIO, fieldNumberOption, parse, UsageError } from "./args";

export const GENERATE_USAGE =
  "cuesmith generate [--model-dir DIR] (--prompt TEXT | --tag TAG) --duration SEC [--seed N] [--bpm N] --out FILE.wav " +
  "[--variant auto|fp32|q8] [--provider auto|webgpu|cpu|cuda|dml|coreml] [--guidance 3] [--top-k 250] [--temperature 1]";

export async function runGenerateCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, {
    "model-dir": { type: "string" },
    prompt: { type: "string" },
    tag: { type: "string" },
    duration: { type: "string" },
    seed: { type: "string" },
    bpm: { type: "string" },
    out: { type: "string" },
    variant: { type: "string" },
    provider: { type: "string" },
    guidance: { type: "string" },
    "top-k": { type: "string" },
    temperature: { type: "string" },
  });
  if ((values.prompt === undefined) === (values.tag === undefined))
    throw new UsageError("give exactly one of --prompt TEXT or --tag TAG");
  if (values.prompt !== undefined && values.prompt.trim() === "") throw new UsageError("--prompt must not be empty");
  if (!values.out) throw new UsageError("--out FILE.wav is required");
  if (!/\.wav$/i.test(values.out)) throw new UsageError(`--out must name a .wav file, got "${values.out}"`);
  const duration = fieldNumberOption("duration", values.duration, "duration_sec");
  if (duration === undefined) throw new UsageError("--duration SEC is required");
  const bpm = fieldNumberOption("bpm", values.bpm, "target_bpm");
  const guidance = fieldNumberOption("guidance", values.guidance, "guidance_scale");
  const topK = fieldNumberOption("top-k", values["top-k"], "top_k");
  const temperature = fieldNumberOption("temperature", values.temperature, "temperature");
  let seed = fieldNumberOption("seed", values.seed, "seed");
  const variant = values.variant ?? "auto";
  if (!["auto", "fp32", "q8"].includes(variant))
    throw new UsageError(`--variant must be auto, fp32 or q8, got "${variant}"`);

  let prompt: string;
  if (values.tag !== undefined) {
    let resolved;
    try {
      resolved = promptForTag(values.tag);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (resolved.source === "fallback")
      io.err(`cuesmith: no preset for tag "${values.tag}", using "${resolved.prompt}"`);
    prompt = resolved.prompt;
    seed ??= resolved.seed;
  } else {
    prompt = values.prompt!;
  }
  prompt = withBpm(prompt, bpm);
  seed ??= Math.floor(Math.random() * (MAX_SEED + 1)); // reported in the summary so the take can be reproduced

  const modelDir = path.resolve(values["model-dir"] ?? defaultModelDir("musicgen-small"));
  const started = performance.now();
  const engine = await MusicGenEngine.load(modelDir, {
    variant: variant as "auto",
    provider: values.provider,
    warmup: false,
  });
  const result = await engine.generate(
    { prompts: [prompt], durationSec: duration, seed, guidanceScale: guidance, topK, temperature },
    { onProgress: progressLine() },
  );
  const samples = await resample(result.audio[0], result.sampleRate, OUTPUT_RATE, samplesFor(duration, OUTPUT_RATE));
  const out = path.resolve(values.out);
  await writeFileAtomic(out, encodeWav(samples, OUTPUT_RATE, 24));
  const info = engine.info;
  io.out(
    JSON.stringify({
      path: out,
      samples: samples.length,
      sample_rate: OUTPUT_RATE,
      seconds: samples.length / OUTPUT_RATE,
      seed,
      prompt,
      model: info.modelDir,
      contract_model: info.contractModel,
      variant: info.variant,
      provider: info.provider,
      ...(info.adapter
        ? { gpu_adapter: `${info.adapter.vendor} ${info.adapter.architecture} (${info.adapter.device})` }
        : {}),
      wall_ms: Math.round(performance.now() - started),
    }),
  );
  await engine.dispose(); // frees the device memory of the webgpu provider before the process ends
  return 0;
}

/** Progress on stderr: a redrawn line on a terminal, nothing when piped (the JSON line is the output). */
function progressLine() {
  if (!process.stderr.isTTY) return undefined;
  let last = -1;
  return ({ fraction, etaMs }: { fraction: number; etaMs: number }) => {
    const pct = Math.floor(fraction * 100);
    if (pct === last) return;
    last = pct;
    process.stderr.write(`\rgenerating ${String(pct).padStart(3)}%  eta ${(etaMs / 1000).toFixed(1)} s `);
    if (pct === 100) process.stderr.write("\n");
  };
}
