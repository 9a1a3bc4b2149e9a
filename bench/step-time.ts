// Per-step decoder time at a given past length, bare session.run, for the published decoder ("plain": returns
// every present) and both flat layouts (models/transform/flat-decoder.ts). Answers "does a step still grow with
// the clip?" without running whole generations.
//   node dist/bench/step-time.js [--model-dir DIR] [--variant q8|fp32] [--past 50,1500] [--batch 2] [--reps 5] [--threads N]
//     [--capacity 1536|engine]   (the capacity/in-place buffer: fixed, or as long as the engine's view at each past)
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { DecoderVariant, ONNX_DIR, ONNX_FILES } from "../models/layout";
import { FlatLayout, flattenDecoder, PAST_LENGTH } from "../models/transform/flat-decoder";
import { KV_CHUNK } from "../helper/engine/kv-cache";
import { readModelByReference, writeModel } from "../models/transform/onnx-file";
import { median, timeInterleaved } from "./timing";

export type DecoderKind = "plain" | FlatLayout;

export interface StepTime {
  kind: DecoderKind;
  variant: DecoderVariant;
  batch: number;
  past: number;
  medianMs: number;
}

/** Writes the flat file of `layout` under a bench-only name (so both layouts can be compared side by side). */
function flatFile(dir: string, variant: DecoderVariant, layout: FlatLayout): string {
  const onnxDir = path.join(dir, ONNX_DIR);
  const file = path.join(onnxDir, ONNX_FILES.decoderFlat[variant].replace(".onnx", `-${layout}.bench.onnx`));
  writeModel(file, flattenDecoder(readModelByReference(path.join(onnxDir, ONNX_FILES.decoder[variant])), layout));
  return file;
}

interface Prepared {
  kind: DecoderKind;
  session: ort.InferenceSession;
  file: string;
  feeds: Record<string, ort.Tensor>;
  buffers: Float32Array[];
}

/**
 * Median bare session.run time of one cached step (one new position) at each past length, for each decoder
 * kind. Kinds run interleaved, rep by rep, so that a busy machine slows them alike.
 */
export async function measureSteps(
  dir: string,
  variant: DecoderVariant,
  kinds: DecoderKind[],
  pasts: number[],
  batch: number,
  reps: number,
  threads = 0,
  capacity: number | "engine" = 1536,
): Promise<StepTime[]> {
  // "engine": the capacity/in-place buffers are as long as the engine's view at that past (kv-cache.ts: whole chunks)
  const capAt = (past: number) => (capacity === "engine" ? Math.ceil((past + 1) / KV_CHUNK) * KV_CHUNK : capacity);
  const maxCap = Math.max(...pasts.map(capAt));
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
  const layers: number = cfg.decoder.num_hidden_layers;
  const heads: number = cfg.decoder.num_attention_heads;
  const hd: number = cfg.decoder.hidden_size / heads;
  const textDim: number = cfg.text_encoder.d_model;
  const textLen = 12;
  const sliceSize = batch * heads * hd;
  const prepared: Prepared[] = [];
  try {
    for (const kind of kinds) {
      const file =
        kind === "plain" ? path.join(dir, ONNX_DIR, ONNX_FILES.decoder[variant]) : flatFile(dir, variant, kind);
      const session = await ort.InferenceSession.create(file, {
        graphOptimizationLevel: "all",
        ...(threads ? { intraOpNumThreads: threads } : {}),
      });
      const hidden = new ort.Tensor("float32", new Float32Array(batch * textLen * textDim).fill(0.01), [
        batch,
        textLen,
        textDim,
      ]);
      const mask = new ort.Tensor("int64", new BigInt64Array(batch * textLen).fill(1n), [batch, textLen]);
      const feeds: Record<string, ort.Tensor> = {
        encoder_hidden_states: hidden,
        encoder_attention_mask: mask,
        use_cache_branch: new ort.Tensor("bool", new Uint8Array([0]), [1]),
      };
      const zero = kind === "time-major" ? [0, batch, heads, hd] : [batch, heads, 0, hd];
      for (let l = 0; l < layers; l++)
        for (const k of ["decoder", "encoder"])
          for (const kv of ["key", "value"])
            feeds[`past_key_values.${l}.${k}.${kv}`] = new ort.Tensor(
              "float32",
              new Float32Array(0),
              k === "decoder" ? zero : [batch, heads, 0, hd],
            );
      if (kind === "capacity" || kind === "in-place")
        feeds[PAST_LENGTH] = new ort.Tensor("int64", new BigInt64Array([0n]), [1]);
      feeds.input_ids = new ort.Tensor("int64", new BigInt64Array(batch * 4).fill(5n), [batch * 4, 1]);
      const first = await session.run(feeds);
      for (let l = 0; l < layers; l++)
        for (const kv of ["key", "value"])
          feeds[`past_key_values.${l}.encoder.${kv}`] = first[`present.${l}.encoder.${kv}`];
      feeds.use_cache_branch = new ort.Tensor("bool", new Uint8Array([1]), [1]);
      const buffers = Array.from({ length: layers * 2 }, () => new Float32Array(sliceSize * maxCap).fill(0.01));
      prepared.push({ kind, session, file, feeds, buffers });
    }
    const results: StepTime[] = [];
    for (const past of pasts) {
      for (const p of prepared) {
        p.buffers.forEach((buf, i) => {
          const name = `past_key_values.${i >> 1}.decoder.${i & 1 ? "value" : "key"}`;
          p.feeds[name] =
            p.kind === "capacity" || p.kind === "in-place"
              ? new ort.Tensor("float32", buf.subarray(0, sliceSize * capAt(past)), [batch, heads, capAt(past), hd])
              : p.kind === "time-major"
                ? new ort.Tensor("float32", buf.subarray(0, past * sliceSize), [past, batch, heads, hd])
                : new ort.Tensor("float32", buf.subarray(0, past * sliceSize), [batch, heads, past, hd]);
        });
        if (p.kind === "capacity" || p.kind === "in-place")
          p.feeds[PAST_LENGTH] = new ort.Tensor("int64", new BigInt64Array([BigInt(past)]), [1]);
      }
      // the first run at a new shape warms up
      const times = await timeInterleaved(
        reps,
        prepared.map((p) => () => p.session.run(p.feeds)),
      );
      prepared.forEach((p, i) => {
        results.push({ kind: p.kind, variant, batch, past, medianMs: median(times[i]) });
        console.error(
          `${p.kind} ${variant} batch ${batch} past ${past}: ${median(times[i]).toFixed(1)} ms (min ${Math.min(...times[i]).toFixed(1)})`,
        );
      });
    }
    return results;
  } finally {
    for (const p of prepared) {
      await p.session.release();
      if (p.kind !== "plain") fs.rmSync(p.file, { force: true });
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "model-dir": { type: "string", default: path.resolve(__dirname, "..", "..", "bench", "models", "small-s0") },
      variant: { type: "string", default: "q8" },
      kinds: { type: "string", default: "plain,capacity,time-major,in-place" },
      past: { type: "string", default: "50,1000,1500" },
      batch: { type: "string", default: "2" },
      reps: { type: "string", default: "5" },
      threads: { type: "string", default: "0" },
      capacity: { type: "string", default: "1536" },
      out: { type: "string" },
    },
  });
  const results = await measureSteps(
    values["model-dir"]!,
    values.variant as DecoderVariant,
    values.kinds!.split(",") as DecoderKind[],
    values.past!.split(",").map(Number),
    Number(values.batch),
    Number(values.reps),
    Number(values.threads),
    values.capacity === "engine" ? "engine" : Number(values.capacity),
  );
  console.log(JSON.stringify(results));
  if (values.out) fs.writeFileSync(values.out, JSON.stringify(results, null, 2));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
