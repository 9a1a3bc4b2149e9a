// What a decoder step is made of on this CPU, kernel by kernel (issue #6: which of its targets the hardware allows).
//  1. Weights: 24 MatMuls of musicgen-small's FFN shapes (1024×4096, 4096×1024; 100 M weights) for M = 2 rows (one
//     guided prompt) and M = 16 (eight): fp32, int8 as the engine runs it (DynamicQuantizeMatMul, 7-bit),
//     8-bit MatMulNBits (block 32, int8 compute) and 4-bit MatMulNBits at accuracy level 0 (fp32 compute) and 4.
//  2. Attention over the self-attention cache: 24 layers of q·Kᵀ, Softmax, P·V for one guided prompt
//     ([2, 16, cap, 64]) at several buffer capacities, with the cache in fp32 and in fp16 (Cast to fp32 in the
//     graph, or fp16 MatMuls).
//  3. With --model-dir (a MusicGen folder): EnCodec on 8 clips of 16 s, one call each vs one call with the 8 as
//     its batch dimension (audio_codes [1, 8, 4, frames]).
//   node dist/bench/cpu-kernels.js [--reps 15] [--model-dir bench/models/small-s0] [--out bench/cpu-kernels.json]
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as ort from "onnxruntime-node";
import { ONNX_DIR, ONNX_FILES } from "../models/layout";
import { encodeModel, graphProto, ModelBuilder, Scope, valueInfo } from "../models/build/graph";
import { Prng } from "../models/build/random";
import { quantizeColumns, REDUCED_RANGE } from "../models/transform/quantize";
import { median, timeInterleaved } from "./timing";

type WeightKind = "fp32" | "int8 (engine)" | "8-bit blocks acc 4" | "4-bit acc 0" | "4-bit acc 4";
type CacheKind = "fp32" | "fp16 + Cast" | "fp16 MatMul";
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
function packBlocks(w: Float32Array, K: number, N: number, bits: 4 | 8, block = 32): { packed: Uint8Array; scales: Float32Array; blocks: number; blob: number } {
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
      const q = (k: number) => (k < K ? Math.max(-qMax - 1, Math.min(qMax, Math.round(w[k * N + n] / s))) + zero : zero);
      const at = (n * blocks + b) * blob;
      if (bits === 8) for (let i = 0; i < block; i++) packed[at + i] = q(b * block + i);
      else for (let i = 0; i < block; i += 2) packed[at + i / 2] = q(b * block + i) | (q(b * block + i + 1) << 4);
    }
  }
  return { packed, scales, blocks, blob };
}

async function session(graph: ReturnType<typeof graphProto>): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(Buffer.from(encodeModel(graph, { microsoft: true })), { intraOpNumThreads: 0, graphOptimizationLevel: "all" });
}

async function weightsSession(kind: WeightKind): Promise<ort.InferenceSession> {
  const m = new ModelBuilder();
  const s = new Scope(m, "w");
  let x = "x";
  let seed = 1;
  for (let pair = 0; pair < 12; pair++) {
    for (const [K, N] of [[1024, 4096], [4096, 1024]]) {
      const w = random(K * N, 0.03, seed++);
      if (kind === "fp32") {
        x = s.one("MatMul", [x, m.weight("w", "float32", [K, N], w)]);
      } else if (kind === "int8 (engine)") {
        const q = quantizeColumns(w, K, N, REDUCED_RANGE);
        x = s.one("DynamicQuantizeMatMul", [x, m.weight("w", "int8", [K, N], q.weights), m.weight("s", "float32", [N], q.scales), m.weight("z", "int8", [N], new Int8Array(N))], {}, "com.microsoft");
      } else {
        const bits = kind.startsWith("8-bit") ? 8 : 4;
        const q = packBlocks(w, K, N, bits);
        x = s.one("MatMulNBits", [x, m.weight("w", "uint8", [N, q.blocks, q.blob], q.packed), m.weight("s", "float32", [N * q.blocks], q.scales)], { K, N, bits, block_size: 32, accuracy_level: kind.endsWith("acc 0") ? 0 : 4 }, "com.microsoft");
      }
    }
  }
  s.to("y", "Identity", [x]);
  return session(graphProto("weights", s, [valueInfo("x", "float32", ["M", 1024])], [valueInfo("y", "float32")], m.initializers));
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
    inputs.push(...(kind === "fp32" ? [valueInfo(`k${l}`, "float32", dims), valueInfo(`v${l}`, "float32", dims)] : [half(`k${l}`, dims), half(`v${l}`, dims)]));
    let [k, v] = [`k${l}`, `v${l}`];
    if (kind === "fp16 + Cast") [k, v] = [s.one("Cast", [k], { to: 1 }), s.one("Cast", [v], { to: 1 })];
    if (kind === "fp16 MatMul") q = s.one("Cast", [q], { to: FLOAT16 });
    const scores = s.one("FusedMatMul", [q, k], { transB: 1 }, "com.microsoft"); // as the in-place graph computes q·Kᵀ
    q = s.one("MatMul", [s.one("Softmax", [scores], { axis: -1 }), v]);
    if (kind === "fp16 MatMul") q = s.one("Cast", [q], { to: 1 });
  }
  s.to("y", "Identity", [q]);
  return session(graphProto("attention", s, inputs, [valueInfo("y", "float32")], m.initializers));
}

/** Median time per case (timing.ts: warmed up, interleaved rep by rep). */
async function interleaved(reps: number, cases: (() => Promise<unknown>)[]): Promise<number[]> {
  return (await timeInterleaved(reps, cases)).map(median);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { reps: { type: "string", default: "15" }, out: { type: "string" }, "model-dir": { type: "string" } } });
  const reps = Number(values.reps);
  const results: { part: string; kind: string; size: string; medianMs: number }[] = [];
  const weightKinds: WeightKind[] = ["fp32", "int8 (engine)", "8-bit blocks acc 4", "4-bit acc 0", "4-bit acc 4"];
  const weights = await Promise.all(weightKinds.map(weightsSession));
  for (const M of [2, 16]) {
    const x = new ort.Tensor("float32", random(M * 1024, 1, 7), [M, 1024]);
    const ms = await interleaved(reps, weights.map((sess) => () => sess.run({ x })));
    weightKinds.forEach((kind, i) => results.push({ part: "weights", kind, size: `M=${M}`, medianMs: ms[i] }));
  }
  await Promise.all(weights.map((sess) => sess.release()));
  const cacheKinds: CacheKind[] = ["fp32", "fp16 + Cast", "fp16 MatMul"];
  const attention = await Promise.all(cacheKinds.map(attentionSession));
  for (const cap of [64, 512, 1536]) {
    const n = 2 * 16 * cap * 64;
    const q = new ort.Tensor("float32", random(2048, 1, 3), [2, 16, 1, 64]);
    const feeds = cacheKinds.map((kind) => {
      const f: Record<string, ort.Tensor> = { q };
      for (let l = 0; l < 24; l++) {
        for (const kv of ["k", "v"]) {
          f[`${kv}${l}`] = kind === "fp32" ? new ort.Tensor("float32", random(n, 1, l + 11), [2, 16, cap, 64]) : new ort.Tensor("float16", new Uint16Array(n).fill(0x2e66), [2, 16, cap, 64]);
        }
      }
      return f;
    });
    const ms = await interleaved(reps, attention.map((sess, i) => () => sess.run(feeds[i])));
    cacheKinds.forEach((kind, i) => results.push({ part: "attention", kind, size: `cap=${cap}`, medianMs: ms[i] }));
  }
  if (values["model-dir"]) {
    const encodec = await ort.InferenceSession.create(path.join(values["model-dir"], ONNX_DIR, ONNX_FILES.encodec), { graphOptimizationLevel: "all" });
    const frames = 800;
    const codes = (clips: number) => new ort.Tensor("int64", BigInt64Array.from({ length: clips * 4 * frames }, (_, i) => BigInt((i * 7919) % 2048)), [1, clips, 4, frames]);
    const one = codes(1);
    const eight = codes(8);
    const ms = await interleaved(Math.min(reps, 3), [
      async () => { for (let i = 0; i < 8; i++) await encodec.run({ audio_codes: one }); },
      () => encodec.run({ audio_codes: eight }),
    ]);
    results.push({ part: "encodec", kind: "8 calls of 1 clip", size: `8 × ${frames} frames`, medianMs: ms[0] });
    results.push({ part: "encodec", kind: "1 call of 8 clips", size: `8 × ${frames} frames`, medianMs: ms[1] });
  }
  for (const r of results) console.log(`| ${r.part} | ${r.kind} | ${r.size} | ${r.medianMs.toFixed(1)} ms |`);
  if (values.out) fs.writeFileSync(values.out, JSON.stringify({ reps, results }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
