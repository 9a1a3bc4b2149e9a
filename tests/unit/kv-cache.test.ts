// The flat decoder's KV cache (helper/engine/kv-cache.ts): what the graph is fed after every step must be the
// [B, H, cap, D] cache of all positions so far, while the buffer grows in chunks and re-lays its rows in place.
import * as ort from "onnxruntime-node";
import { copyRows, createKvCache, KvCache, KV_CHUNK } from "../../helper/engine/kv-cache";
import { KvBufferPool } from "../../helper/engine/kv-pool";
import { newSliceName, PAST_LENGTH } from "../../models/transform";

const shape = { layers: 2, batch: 2, heads: 3, headDim: 4, capacity: 3 * KV_CHUNK + 10 };
const BH = shape.batch * shape.heads;
// a distinct value per (layer, key/value, row·head, position, d)
const value = (l: number, j: number, bh: number, pos: number, d: number) =>
  ((l * 2 + j) * 100 + bh) * 10_000 + pos * 10 + d;

/** The new slices of a call covering positions past .. past + seq - 1, as the flat graph returns them. */
function outputsFor(past: number, seq: number): ort.InferenceSession.OnnxValueMapType {
  const out: Record<string, ort.Tensor> = {};
  for (let l = 0; l < shape.layers; l++) {
    (["key", "value"] as const).forEach((kind, j) => {
      const data = new Float32Array(BH * seq * shape.headDim);
      for (let bh = 0; bh < BH; bh++)
        for (let s = 0; s < seq; s++)
          for (let d = 0; d < shape.headDim; d++)
            data[(bh * seq + s) * shape.headDim + d] = value(l, j, bh, past + s, d);
      out[newSliceName(l, kind)] = new ort.Tensor("float32", data, [shape.batch, shape.heads, seq, shape.headDim]);
    });
  }
  return out;
}

/** Writes one window's positions through `cache`, checking after every call what the graph would be fed; returns the views' sizes. */
function writeWindow(cache: KvCache): number[] {
  const caps: number[] = [];
  let past = 0;
  // a first call of 5 positions, then one position per call up to the capacity
  for (let seq = 5; past + seq <= shape.capacity; past += seq, seq = 1) {
    const feeds: Record<string, ort.Tensor> = {};
    cache.feed(feeds, past, seq);
    expect(Number((feeds[PAST_LENGTH].data as BigInt64Array)[0])).toBe(past);
    const t = feeds["past_key_values.1.decoder.value"];
    const cap = t.dims[2];
    if (caps.at(-1) !== cap) caps.push(cap);
    expect(cap).toBeGreaterThanOrEqual(past + seq);
    expect(cap - (past + seq)).toBeLessThan(KV_CHUNK);
    expect(t.dims).toEqual([shape.batch, shape.heads, cap, shape.headDim]);
    expect((t.data as Float32Array).length).toBe(BH * cap * shape.headDim);
    for (let l = 0; l < shape.layers; l++) {
      for (const [j, kind] of (["key", "value"] as const).entries()) {
        const data = feeds[`past_key_values.${l}.decoder.${kind}`].data as Float32Array;
        for (let bh = 0; bh < BH; bh++)
          for (let pos = 0; pos < past; pos++)
            for (let d = 0; d < shape.headDim; d++) {
              const got = data[(bh * cap + pos) * shape.headDim + d];
              if (got !== value(l, j, bh, pos, d))
                throw new Error(`layer ${l} ${kind} row ${bh} position ${pos}: ${got}`);
            }
      }
    }
    cache.update(outputsFor(past, seq), past, seq);
  }
  return caps;
}

describe("flat KV cache (in-place and capacity layouts)", () => {
  it("feeds every position written so far at [b, h, pos, d] while the buffer grows chunk by chunk", () => {
    const caps = writeWindow(createKvCache({ kind: "flat", layout: "in-place" }, shape));
    expect(caps).toEqual([KV_CHUNK, 2 * KV_CHUNK, 3 * KV_CHUNK, shape.capacity]);
  });

  it("gives its buffers back to a pool; the next window reuses them, zeroed, and is fed the same", () => {
    const pool = new KvBufferPool({ maxBytes: 1 << 30, idleMs: 60_000 });
    const first = createKvCache({ kind: "flat", layout: "in-place" }, shape, pool);
    writeWindow(first);
    const feeds: Record<string, ort.Tensor> = {};
    first.feed(feeds, 0, 1);
    const used = (feeds["past_key_values.0.decoder.key"].data as Float32Array).buffer;
    first.release();
    expect(pool.heldBytes).toBe(shape.layers * 2 * BH * shape.capacity * shape.headDim * 4);

    const second = createKvCache({ kind: "flat", layout: "in-place" }, shape, pool);
    const again: Record<string, ort.Tensor> = {};
    second.feed(again, 0, 5);
    expect(pool.heldBytes).toBe(0);
    const reused = again["past_key_values.0.decoder.key"].data as Float32Array;
    expect(reused.buffer).toBe(used);
    expect(reused.every((x) => x === 0)).toBe(true); // the last window's values are gone
    second.release();
    expect(writeWindow(createKvCache({ kind: "flat", layout: "in-place" }, shape, pool))).toEqual([
      KV_CHUNK,
      2 * KV_CHUNK,
      3 * KV_CHUNK,
      shape.capacity,
    ]);
    pool.clear();
  });

  it("refuses to go past the window's capacity", () => {
    const cache = createKvCache({ kind: "flat", layout: "capacity" }, shape);
    expect(() => cache.feed({}, shape.capacity, 1)).toThrow(/capacity/);
  });
});

describe("copyRows (the cache's slice writes)", () => {
  // every float32 bit pattern class: normal, negative zero, subnormal, infinities, NaNs with payloads
  const patterns = Uint32Array.from([
    0x3f800000, 0x80000000, 0x00000001, 0x7f800000, 0xff800000, 0x7fc00000, 0x7ff00001, 0xfff80000, 0x7fbfffff,
    0x12345678,
  ]);
  const source = (n: number, offset: number) => {
    const raw = new Uint32Array(n + offset);
    for (let i = 0; i < n; i++) raw[offset + i] = patterns[i % patterns.length] ^ ((i << 4) & 0xff0);
    return new Float32Array(raw.buffer, offset * 4, n);
  };
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

  it.each([
    ["aligned: 64-bit moves, every bit kept", 0, 0, true],
    ["source off by 4 bytes: float by float", 1, 0, false],
    ["destination off by 4 bytes: float by float", 0, 1, false],
  ])("puts every row where it belongs (%s)", (_, srcOffset, dstOffset, sameBits) => {
    const rows = 5,
      len = 8,
      stride = 20,
      at = 6;
    const src = source(rows * len, srcOffset);
    const dst = new Float32Array(
      new ArrayBuffer((rows * stride + at + dstOffset) * 4),
      dstOffset * 4,
      rows * stride + at,
    );
    copyRows(dst, src, rows, len, at, stride);
    const expected = new Uint32Array(dst.length);
    const srcBits = bits(src);
    for (let r = 0; r < rows; r++) for (let i = 0; i < len; i++) expected[at + r * stride + i] = srcBits[r * len + i];
    const want = new Float32Array(expected.buffer);
    // every value (-0 apart from 0, NaN as NaN); a float32 copy in JS may quiet a signalling NaN's payload
    expect(Array.from(dst).every((x, i) => Object.is(x, want[i]))).toBe(true);
    if (sameBits) expect(bits(dst)).toEqual(Array.from(expected));
  });
});
