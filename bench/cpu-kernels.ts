// What a decoder step is made of on this CPU, kernel by kernel: which speed targets the hardware allows.
//  1. Weights: 24 MatMuls of musicgen-small's FFN shapes (1024×4096, 4096×1024; 100 M weights) for M = 2 rows (one
//     guided prompt) and M = 16 (eight): fp32, int8 as the engine runs it (DynamicQuantizeMatMul, 7-bit),
//     8-bit MatMulNBits (block 32, int8 compute) and 4-bit MatMulNBits at accuracy level 0 (fp32 compute) and 4.
//  2. Attention over the self-attention cache: 24 layers of q·Kᵀ, Softmax, P·V for one guided prompt
//     ([2, 16, cap, 64]) at several buffer capacities, with the cache in fp32 and in fp16 (Cast to fp32 in the
//     graph, or fp16 MatMuls); in int8 (MatMulInteger, K stored transposed, a scale per position, q and P quantised
//     per call); in fp32 laid out chunk-major ([cap/64, 2, 16, 64, 64]: growing needs no move of the rows, but the
//     MatMuls become cap/64 times as many); and, as the floor, a ReduceSum that only reads the fp32 cache once.
//  3. The engine's sampling for 8 guided prompts (32 rows of 2048 logits a step: guidance, top-k 250, a draw):
//     masking top-k then sampling the row, and the fused sampleTopK the engine runs (the same draws); and its KV
//     slice writes (48 caches × 256 rows of 64 floats a step): float by float, and copyRows' 64-bit moves.
//  4. With --model-dir (a MusicGen folder): EnCodec on 8 clips of 16 s, one call each vs one call with the 8 as
//     its batch dimension (audio_codes [1, 8, 4, frames]).
//   node dist/bench/cpu-kernels.js [--reps 15] [--parts weights,attention,engine,encodec] [--model-dir bench/models/small-s0] [--out bench/cpu-kernels.json]
// (encodec runs only with --model-dir; "engine" is part 3)
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { ONNX_DIR, ONNX_FILES } from "../models/layout";
import { encodeModel, graphProto, ModelBuilder, Scope, valueInfo } from "../models/build/graph";
import { Prng } from "../models/build/random";
import { quantizeColumns, REDUCED_RANGE } from "../models/transform/quantize";
import { mixGuidance } from "../helper/engine/generation/logits-processors";
import { Rng } from "../helper/engine/generation/rng";
import { sampleCategorical, sampleTopK } from "../helper/engine/generation/sampler";
import { copyRows } from "../helper/engine/kv-cache";
import { topK } from "../tests/helpers/logits-reference";
import { median, timeInterleaved } from "./timing";

type WeightKind = "fp32" | "int8 (engine)" | "8-bit blocks acc 4" | "4-bit acc 0" | "4-bit acc 4";
type CacheKind =
  "fp32" | "fp16 + Cast" | "fp16 MatMul" | "int8 MatMulInteger" | "fp32 chunk-major" | "fp32 read only (ReduceSum)";
const FLOAT16 = 10;

/** Uniform values in [-scale, scale) from the contract builder's seeded PRNG. */
function random(n: number, scale: number, seed: number): Float32Array {
  const rng = new Prng(seed);
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
}

/**
 * MatMulNBits' layout: per output column n, K/32 blocks (4-bit: 16 bytes, two values each, low nibble first; 8-bit:
 * 32 bytes), one scale per block, the default zero point (8 or 128).
 */
function packBlocks(
  w: Float32Array,
  K: number,
  N: number,
  bits: 4 | 8,
  block = 32,
): { packed: Uint8Array; scales: Float32Array; blocks: number; blob: number } {
  const blocks = Math.ceil(K / block);
  const blob = (block * bits) / 8;
  const qMax = bits === 4 ? 7 : 127;
  const zero = bits === 4 ? 8 : 128;
  const packed = new Uint8Array(N * blocks * blob);
  const scales = new Float32Array(N * blocks);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < blocks; b++) {
      let m = 0;
      for (let i = 0; i < block && b * block + i < K; i++) m = Math.max(m, Math.abs(w[(b * block + i) * N + n]));
      const s = m / qMax || 1;
      scales[n * blocks + b] = s;
      const q = (k: number) =>
        k < K ? Math.max(-qMax - 1, Math.min(qMax, Math.round(w[k * N + n] / s))) + zero : zero;
      const at = (n * blocks + b) * blob;
      if (bits === 8) for (let i = 0; i < block; i++) packed[at + i] = q(b * block + i);
      else for (let i = 0; i < block; i += 2) packed[at + i / 2] = q(b * block + i) | (q(b * block + i + 1) << 4);
    }
  }
  return { packed, scales, blocks, blob };
}

async function session(graph: ReturnType<typeof graphProto>): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(Buffer.from(encodeModel(graph, { microsoft: true })), {
    intraOpNumThreads: 0,
    graphOptimizationLevel: "all",
  });
}

async function weightsSession(kind: WeightKind): Promise<ort.InferenceSession> {
  const m = new ModelBuilder();
  const s = new Scope(m, "w");
  let x = "x";
  let seed = 1;
  for (let pair = 0; pair < 12; pair++) {
    for (const [K, N] of [
      [1024, 4096],
      [4096, 1024],
    ]) {
      const w = random(K * N, 0.03, seed++);
      if (kind === "fp32") {
        x = s.one("MatMul", [x, m.weight("w", "float32", [K, N], w)]);
      } else if (kind === "int8 (engine)") {
        const q = quantizeColumns(w, K, N, REDUCED_RANGE);
        x = s.one(
          "DynamicQuantizeMatMul",
          [
            x,
            m.weight("w", "int8", [K, N], q.weights),
            m.weight("s", "float32", [N], q.scales),
            m.weight("z", "int8", [N], new Int8Array(N)),
          ],
          {},
          "com.microsoft",
        );
      } else {
        const bits = kind.startsWith("8-bit") ? 8 : 4;
        const q = packBlocks(w, K, N, bits);
        x = s.one(
          "MatMulNBits",
          [
            x,
            m.weight("w", "uint8", [N, q.blocks, q.blob], q.packed),
            m.weight("s", "float32", [N * q.blocks], q.scales),
          ],
          { K, N, bits, block_size: 32, accuracy_level: kind.endsWith("acc 0") ? 0 : 4 },
          "com.microsoft",
        );
      }
    }
  }
  s.to("y", "Identity", [x]);
  return session(
    graphProto("weights", s, [valueInfo("x", "float32", ["M", 1024])], [valueInfo("y", "float32")], m.initializers),
  );
}

function half(name: string, dims: (number | string)[]) {
  const v = valueInfo(name, "float32", dims);
  v.type!.tensorType!.elemType = FLOAT16;
  return v;
}

async function attentionSession(kind: CacheKind): Promise<ort.InferenceSession> {
  const m = new ModelBuilder();
  const s = new Scope(m, "a");
  const dims = [2, 16, "cap", 64];
  const inputs = [valueInfo("q", "float32", [2, 16, 1, 64])];
  let q = "q";
  for (let l = 0; l < 24; l++) {
    let [k, v] = [`k${l}`, `v${l}`];
    if (kind === "int8 MatMulInteger") {
      inputs.push(
        valueInfo(k, "int8", [2, 16, 64, "cap"]),
        valueInfo(v, "int8", dims),
        valueInfo(`ks${l}`, "float32", [2, 16, 1, "cap"]),
        valueInfo(`vs${l}`, "float32", [2, 16, 1, "cap"]),
      );
      const [qy, qs, qz] = s.op("DynamicQuantizeLinear", [q], {}, 3);
      const scores = s.one("Mul", [
        s.one("Mul", [s.one("Cast", [s.one("MatMulInteger", [qy, k, qz])], { to: 1 }), qs]),
        `ks${l}`,
      ]);
      const [py, ps, pz] = s.op(
        "DynamicQuantizeLinear",
        [s.one("Mul", [s.one("Softmax", [scores], { axis: -1 }), `vs${l}`])],
        {},
        3,
      );
      q = s.one("Mul", [s.one("Cast", [s.one("MatMulInteger", [py, v, pz])], { to: 1 }), ps]);
      continue;
    }
    if (kind === "fp32 chunk-major") {
      inputs.push(
        valueInfo(k, "float32", ["chunks", 2, 16, 64, 64]),
        valueInfo(v, "float32", ["chunks", 2, 16, 64, 64]),
      );
      const scores = s.one("FusedMatMul", [q, k], { transB: 1 }, "com.microsoft"); // [chunks, 2, 16, 1, 64]
      const p = s.one(
        "Softmax",
        [s.one("Reshape", [s.one("Transpose", [scores], { perm: [1, 2, 3, 0, 4] }), s.ints([2, 16, 1, -1])])],
        { axis: -1 },
      );
      const pChunks = s.one("Transpose", [s.one("Reshape", [p, s.ints([2, 16, 1, -1, 64])])], {
        perm: [3, 0, 1, 2, 4],
      });
      q = s.one("ReduceSum", [s.one("MatMul", [pChunks, v]), s.ints([0])], { keepdims: 0 });
      continue;
    }
    inputs.push(
      ...(kind.startsWith("fp32")
        ? [valueInfo(k, "float32", dims), valueInfo(v, "float32", dims)]
        : [half(k, dims), half(v, dims)]),
    );
    if (kind === "fp32 read only (ReduceSum)") {
      // reads every byte of the cache once and makes [2, 16, 1, 64] out of it, as the attention does
      q = s.one("Add", [
        q,
        s.one("Add", [
          s.one("ReduceSum", [k, s.ints([2])], { keepdims: 1 }),
          s.one("ReduceSum", [v, s.ints([2])], { keepdims: 1 }),
        ]),
      ]);
      continue;
    }
    if (kind === "fp16 + Cast") [k, v] = [s.one("Cast", [k], { to: 1 }), s.one("Cast", [v], { to: 1 })];
    if (kind === "fp16 MatMul") q = s.one("Cast", [q], { to: FLOAT16 });
    const scores = s.one("FusedMatMul", [q, k], { transB: 1 }, "com.microsoft"); // as the in-place graph computes q·Kᵀ
    q = s.one("MatMul", [s.one("Softmax", [scores], { axis: -1 }), v]);
    if (kind === "fp16 MatMul") q = s.one("Cast", [q], { to: 1 });
  }
  s.to("y", "Identity", [q]);
  return session(graphProto("attention", s, inputs, [valueInfo("y", "float32")], m.initializers));
}

/** One layer's cache inputs for `kind` at `cap` positions (distinct buffers per layer: the cache does not fit in a CPU cache). */
function cacheFeeds(kind: CacheKind, l: number, cap: number): Record<string, ort.Tensor> {
  const n = 2 * 16 * cap * 64;
  if (kind === "int8 MatMulInteger") {
    const int8 = (seed: number) => Int8Array.from(random(n, 100, seed), Math.round);
    const scales = () => new ort.Tensor("float32", new Float32Array(2 * 16 * cap).fill(0.01), [2, 16, 1, cap]);
    return {
      [`k${l}`]: new ort.Tensor("int8", int8(l + 11), [2, 16, 64, cap]),
      [`v${l}`]: new ort.Tensor("int8", int8(l + 51), [2, 16, cap, 64]),
      [`ks${l}`]: scales(),
      [`vs${l}`]: scales(),
    };
  }
  const dims = kind === "fp32 chunk-major" ? [cap / 64, 2, 16, 64, 64] : [2, 16, cap, 64];
  const tensor = (seed: number) =>
    kind.startsWith("fp32")
      ? new ort.Tensor("float32", random(n, 1, seed), dims)
      : new ort.Tensor("float16", new Uint16Array(n).fill(0x2e66), dims);
  return { [`k${l}`]: tensor(l + 11), [`v${l}`]: tensor(l + 51) };
}

/** Median time per case (timing.ts: warmed up, interleaved rep by rep). */
async function interleaved(reps: number, cases: (() => Promise<unknown>)[]): Promise<number[]> {
  return (await timeInterleaved(reps, cases)).map(median);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reps: { type: "string", default: "15" },
      out: { type: "string" },
      "model-dir": { type: "string" },
      parts: { type: "string", default: "weights,attention,engine,encodec" },
    },
  });
  const reps = Number(values.reps);
  const parts = new Set(values.parts!.split(","));
  const results: { part: string; kind: string; size: string; medianMs: number }[] = [];
  if (parts.has("weights")) await weightParts(reps, results);
  if (parts.has("attention")) await attentionParts(reps, results);
  if (parts.has("engine")) await engineParts(reps, results);
  if (parts.has("encodec") && values["model-dir"]) await encodecParts(reps, values["model-dir"], results);
  for (const r of results) console.log(`| ${r.part} | ${r.kind} | ${r.size} | ${r.medianMs.toFixed(1)} ms |`);
  if (values.out) fs.writeFileSync(values.out, JSON.stringify({ reps, parts: [...parts], results }, null, 2));
}

type Result = { part: string; kind: string; size: string; medianMs: number };

async function weightParts(reps: number, results: Result[]): Promise<void> {
  const weightKinds: WeightKind[] = ["fp32", "int8 (engine)", "8-bit blocks acc 4", "4-bit acc 0", "4-bit acc 4"];
  const weights = await Promise.all(weightKinds.map(weightsSession));
  for (const M of [2, 16]) {
    const x = new ort.Tensor("float32", random(M * 1024, 1, 7), [M, 1024]);
    const ms = await interleaved(
      reps,
      weights.map((sess) => () => sess.run({ x })),
    );
    weightKinds.forEach((kind, i) => results.push({ part: "weights", kind, size: `M=${M}`, medianMs: ms[i] }));
  }
  await Promise.all(weights.map((sess) => sess.release()));
}

async function attentionParts(reps: number, results: Result[]): Promise<void> {
  const cacheKinds: CacheKind[] = [
    "fp32",
    "fp16 + Cast",
    "fp16 MatMul",
    "int8 MatMulInteger",
    "fp32 chunk-major",
    "fp32 read only (ReduceSum)",
  ];
  const attention = await Promise.all(cacheKinds.map(attentionSession));
  for (const cap of [64, 512, 1536]) {
    const q = new ort.Tensor("float32", random(2048, 1, 3), [2, 16, 1, 64]);
    const feeds = cacheKinds.map(
      (kind) =>
        Object.assign({ q }, ...Array.from({ length: 24 }, (_, l) => cacheFeeds(kind, l, cap))) as Record<
          string,
          ort.Tensor
        >,
    );
    const ms = await interleaved(
      reps,
      attention.map((sess, i) => () => sess.run(feeds[i])),
    );
    cacheKinds.forEach((kind, i) => results.push({ part: "attention", kind, size: `cap=${cap}`, medianMs: ms[i] }));
  }
  await Promise.all(attention.map((sess) => sess.release()));
}

/** The engine's own per-step work at 8 guided prompts: sampling 32 rows, then writing the new K/V slices. */
async function engineParts(reps: number, results: Result[]): Promise<void> {
  const rows = Array.from({ length: 32 }, (_, r) => [random(2048, 4, 100 + r), random(2048, 4, 200 + r)]);
  const mixed = new Float32Array(2048);
  const masked = topK(250);
  const step = (sample: (row: Float32Array, rng: Rng) => number) => {
    const rng = new Rng(1);
    return async () => {
      for (let s = 0; s < 20; s++) for (const [c, u] of rows) sample(mixGuidance(c, u, 3, mixed), rng);
    };
  };
  const ms = await interleaved(reps, [
    step((row, rng) => sampleCategorical(masked(row), rng)),
    step((row, rng) => sampleTopK(row, 250, rng)),
  ]);
  results.push({
    part: "sampling, 32 rows",
    kind: "topK mask + sampleCategorical",
    size: "per step",
    medianMs: ms[0] / 20,
  });
  results.push({ part: "sampling, 32 rows", kind: "sampleTopK (fused)", size: "per step", medianMs: ms[1] / 20 });
  await kvWriteParts(reps, results);
}

async function kvWriteParts(reps: number, results: Result[]): Promise<void> {
  const [rows, len, cap] = [256, 64, 768];
  const caches = Array.from({ length: 48 }, () => new Float32Array(rows * cap * len).fill(1));
  const slices = Array.from({ length: 48 }, (_, i) => random(rows * len, 1, 300 + i));
  const floatByFloat = (dst: Float32Array, src: Float32Array, at: number) => {
    for (let r = 0; r < rows; r++) for (let i = 0; i < len; i++) dst[at + r * cap * len + i] = src[r * len + i];
  };
  const steps = (write: (dst: Float32Array, src: Float32Array, at: number) => void) => async () => {
    for (let past = 0; past < 20; past++) caches.forEach((c, i) => write(c, slices[i], past * len));
  };
  const ms = await interleaved(reps, [
    steps(floatByFloat),
    steps((dst, src, at) => copyRows(dst, src, rows, len, at, cap * len)),
  ]);
  results.push({ part: "KV slice writes, 8 prompts", kind: "float by float", size: "per step", medianMs: ms[0] / 20 });
  results.push({
    part: "KV slice writes, 8 prompts",
    kind: "copyRows (64-bit moves)",
    size: "per step",
    medianMs: ms[1] / 20,
  });
}

async function encodecParts(reps: number, modelDir: string, results: Result[]): Promise<void> {
  const encodec = await ort.InferenceSession.create(path.join(modelDir, ONNX_DIR, ONNX_FILES.encodec), {
    graphOptimizationLevel: "all",
  });
  const frames = 800;
  const codes = (clips: number) =>
    new ort.Tensor(
      "int64",
      BigInt64Array.from({ length: clips * 4 * frames }, (_, i) => BigInt((i * 7919) % 2048)),
      [1, clips, 4, frames],
    );
  const one = codes(1);
  const eight = codes(8);
  const ms = await interleaved(Math.min(reps, 3), [
    async () => {
      for (let i = 0; i < 8; i++) await encodec.run({ audio_codes: one });
    },
    () => encodec.run({ audio_codes: eight }),
  ]);
  results.push({ part: "encodec", kind: "8 calls of 1 clip", size: `8 × ${frames} frames`, medianMs: ms[0] });
  results.push({ part: "encodec", kind: "1 call of 8 clips", size: `8 × ${frames} frames`, medianMs: ms[1] });
  await encodec.release();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
