// The decoder's self-attention cache between steps, for the two decoder graphs a folder may hold:
//  - plain (the published graph): each step returns the whole cache (present.*), fed back as the next past;
//  - flat (models/transform/flat-decoder.ts): each step returns only the new slice (new.*), written in place
//    into preallocated buffers (bounded by the window's length); onnxruntime-node wraps input buffers without
//    copying, so nothing per step is proportional to the past except what the graph itself reads.
import * as ort from "onnxruntime-node";
import { newSliceName, PAST_LENGTH, type FlatLayout } from "../../models/transform/flat-decoder";
import { KvBufferPool } from "./kv-pool";

export type DecoderGraph = { kind: "plain" } | { kind: "flat"; layout: FlatLayout };

export interface CacheShape {
  layers: number;
  /** Decoder batch (with guidance: twice the prompts). */
  batch: number;
  heads: number;
  headDim: number;
  /** Positions the window will hold at most. */
  capacity: number;
}

export interface KvCache {
  /** Sets the past inputs for a call whose first new position is `past` (0: the first call) and that adds `seq`. */
  feed(feeds: Record<string, ort.Tensor>, past: number, seq: number): void;
  /** Takes in a call's outputs; it covered positions past .. past + seq - 1. */
  update(out: ort.InferenceSession.OnnxValueMapType, past: number, seq: number): void;
  /** The window is done (or failed): buffers go back to the pool it came with. */
  release(): void;
}

const pastName = (l: number, kv: "key" | "value") => `past_key_values.${l}.decoder.${kv}`;
const KINDS = ["key", "value"] as const;
/** The flat cache grows in steps of this many positions. */
export const KV_CHUNK = 64;

/** `pool`: where the in-place layout takes its buffers from and gives them back (kv-pool.ts); by default one that keeps none. */
export function createKvCache(
  graph: DecoderGraph,
  shape: CacheShape,
  pool = new KvBufferPool({ maxBytes: 0, idleMs: 0 }),
): KvCache {
  if (graph.kind === "plain") return new PlainKvCache(shape);
  return new CapacityKvCache(shape, pool);
}

class PlainKvCache implements KvCache {
  private last?: ort.InferenceSession.OnnxValueMapType;
  constructor(private readonly s: CacheShape) {}

  feed(feeds: Record<string, ort.Tensor>, past: number): void {
    for (let l = 0; l < this.s.layers; l++) {
      for (const kv of KINDS) {
        feeds[pastName(l, kv)] =
          past === 0 || !this.last
            ? new ort.Tensor("float32", new Float32Array(0), [this.s.batch, this.s.heads, 0, this.s.headDim])
            : (this.last[`present.${l}.decoder.${kv}`] as ort.Tensor);
      }
    }
  }

  update(out: ort.InferenceSession.OnnxValueMapType): void {
    this.last = out;
  }

  release(): void {
    this.last = undefined;
  }
}

/**
 * [B, H, cap, D] tensors passed whole, with `past_length`; a new slice [B, H, seq, D] lands at `past`. (The
 * "capacity" and "in-place" graphs take the same inputs.) The in-place graph reads all `cap` positions every step,
 * so `cap` stays within one chunk (KV_CHUNK positions) of what is needed. Each layer's buffer is taken once, at
 * the window's capacity and zeroed (kv-pool.ts), and the tensor is a view of its front;
 * growing re-lays the rows out in place. Attention reads every buffer position, used or not, so a doubling buffer
 * (up to half its positions unused) costs more than a memmove every 64 steps; fresh buffers per growth cost more
 * again (allocation, zeroing, first-touch faults). Figures: docs/engine.md.
 */
class CapacityKvCache implements KvCache {
  private buffers: Float32Array[] = [];
  private tensors: ort.Tensor[] = [];
  private cap = 0;

  constructor(
    private readonly s: CacheShape,
    private readonly pool: KvBufferPool,
  ) {}

  /** Makes room for `needed` positions, keeping the first `past`. */
  private ensure(needed: number, past: number): void {
    if (needed <= this.cap) return;
    const { batch, heads, headDim: D, capacity } = this.s;
    if (needed > capacity) throw new Error(`KV cache capacity ${capacity} exceeded`);
    const cap = Math.min(capacity, Math.ceil(needed / KV_CHUNK) * KV_CHUNK);
    if (this.buffers.length === 0) {
      for (let i = 0; i < this.s.layers * 2; i++) this.buffers.push(this.pool.take(batch * heads * capacity * D));
    } else if (past > 0) {
      // row bh moves from bh·old to bh·cap (≥): last row first, so no row is overwritten before it has moved
      for (const buf of this.buffers)
        for (let bh = batch * heads - 1; bh > 0; bh--)
          buf.copyWithin(bh * cap * D, bh * this.cap * D, (bh * this.cap + past) * D);
    }
    this.tensors = this.buffers.map(
      (buf) => new ort.Tensor("float32", buf.subarray(0, batch * heads * cap * D), [batch, heads, cap, D]),
    );
    this.cap = cap;
  }

  feed(feeds: Record<string, ort.Tensor>, past: number, seq: number): void {
    this.ensure(past + seq, past);
    for (let l = 0; l < this.s.layers; l++)
      for (let j = 0; j < 2; j++) feeds[pastName(l, KINDS[j])] = this.tensors[2 * l + j];
    feeds[PAST_LENGTH] = new ort.Tensor("int64", new BigInt64Array([BigInt(past)]), [1]);
  }

  update(out: ort.InferenceSession.OnnxValueMapType, past: number, seq: number): void {
    const { batch, heads, headDim: D } = this.s;
    const cap = this.cap;
    const len = seq * D;
    for (let l = 0; l < this.s.layers; l++) {
      for (let j = 0; j < 2; j++) {
        const data = (out[newSliceName(l, KINDS[j])] as ort.Tensor).data as Float32Array;
        copyRows(this.buffers[2 * l + j], data, batch * heads, len, past * D, cap * D);
      }
    }
  }

  release(): void {
    this.pool.give(this.buffers);
    this.buffers = [];
    this.tensors = [];
    this.cap = 0;
  }
}

/**
 * Copies `rows` packed rows of `len` floats from `src` into `dst`, row r at `dstAt + r · dstStride`. A plain loop:
 * at 8 guided prompts a step writes 48 × 256 rows of 64 values, too many for a subarray + set each. When everything
 * is 8-byte aligned, pairs of floats move as one 64-bit value (faster: bench/cpu-kernels.ts); a load and a store of
 * the same bits, and two float32s make a float64 NaN (which an engine might canonicalise) only if the second is a NaN.
 */
export function copyRows(
  dst: Float32Array,
  src: Float32Array,
  rows: number,
  len: number,
  dstAt: number,
  dstStride: number,
): void {
  if (((dst.byteOffset | src.byteOffset) & 7) === 0 && ((len | dstAt | dstStride) & 1) === 0) {
    const d = new Float64Array(dst.buffer, dst.byteOffset, dst.length >> 1);
    const s = new Float64Array(src.buffer, src.byteOffset, src.length >> 1);
    const half = len >> 1;
    for (let r = 0; r < rows; r++) {
      const from = r * half;
      const to = (dstAt + r * dstStride) >> 1;
      for (let i = 0; i < half; i++) d[to + i] = s[from + i];
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const from = r * len;
    const to = dstAt + r * dstStride;
    for (let i = 0; i < len; i++) dst[to + i] = src[from + i];
  }
}
