import { Rng } from "../../helper/engine/generation/rng";
import {
  chain,
  kthLargest,
  mixGuidance,
  temperature,
  topK,
  topKIndices,
} from "../../helper/engine/generation/logits-processors";
import { argmax, sampleCategorical, sampleTopK } from "../../helper/engine/generation/sampler";
import { codesFromSequence, forcedToken, PatternSpec, stepsFor } from "../../helper/engine/generation/delay-pattern";
import { checkDuration, framesFor, samplesFor } from "../../helper/engine/generation/duration";
import { planWindows } from "../../helper/engine/generation/windows";

describe("Rng", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = new Rng(7),
      b = new Rng(7),
      c = new Rng(8);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });
  it("gives uniform doubles in [0, 1)", () => {
    const r = new Rng(123);
    let sum = 0;
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 100000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      bins[Math.floor(x * 10)]++;
    }
    expect(sum / 100000).toBeCloseTo(0.5, 2);
    for (const n of bins) expect(Math.abs(n - 10000)).toBeLessThan(500);
  });
  it("keeps large and negative seeds distinct", () => {
    const first = (s: number) => new Rng(s).nextUint32();
    const values = new Set([0, 1, -1, 2 ** 32, 2 ** 40 + 3, 12345].map(first));
    expect(values.size).toBe(6);
  });
});

describe("logits processors", () => {
  it("mixes guidance as uncond + (cond - uncond) * scale", () => {
    const out = mixGuidance(new Float32Array([1, 2, 3]), new Float32Array([0, 4, 3]), 3, new Float32Array(3));
    expect(Array.from(out)).toEqual([3, -2, 3]);
  });
  it("scale 1 returns the conditional logits", () => {
    const cond = new Float32Array([0.5, -1.25]);
    expect(Array.from(mixGuidance(cond, new Float32Array([9, 9]), 1, new Float32Array(2)))).toEqual([0.5, -1.25]);
  });
  it("temperature divides, and 1 is the identity", () => {
    expect(Array.from(temperature(2)(new Float32Array([2, -4])))).toEqual([1, -2]);
    const row = new Float32Array([1, 2]);
    expect(temperature(1)(row)).toBe(row);
    expect(() => temperature(0)).toThrow(RangeError);
  });
  it("top-k keeps the k largest and masks the rest", () => {
    const row = topK(2)(new Float32Array([0.1, 5, -3, 4, 4.5]));
    expect(Array.from(row)).toEqual([-Infinity, 5, -Infinity, -Infinity, 4.5]);
    expect(topKIndices(new Float32Array([1, 3, 3, 2]), 3)).toEqual([1, 2, 3]);
    expect(() => topK(0)).toThrow(RangeError);
  });
  it("chains processors in order", () => {
    const row = chain(temperature(0.5), topK(1))(new Float32Array([1, 3, 2]));
    expect(Array.from(row)).toEqual([-Infinity, 6, -Infinity]);
  });
});

describe("sampler", () => {
  it("argmax picks the first maximum", () => {
    expect(argmax(new Float32Array([1, 7, 7, 2]))).toBe(1);
  });
  it("never samples a masked token and follows the softmax", () => {
    const rng = new Rng(1);
    const row = new Float32Array([Math.log(1), Math.log(3), -Infinity, Math.log(6)]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleCategorical(row, rng)]++;
    expect(counts[2]).toBe(0);
    expect(counts[0] / 20000).toBeCloseTo(0.1, 1);
    expect(counts[1] / 20000).toBeCloseTo(0.3, 1);
    expect(counts[3] / 20000).toBeCloseTo(0.6, 1);
  });
  it("rejects a row with no finite value", () => {
    expect(() => sampleCategorical(new Float32Array([-Infinity, -Infinity]), new Rng(0))).toThrow(RangeError);
  });
});

describe("delay pattern", () => {
  const spec: PatternSpec = { codebooks: 4, frames: 3, padToken: 2048 };
  it("takes frames + 3 steps for 4 codebooks", () => {
    expect(stepsFor(3, 4)).toBe(6);
    expect(stepsFor(1500, 4)).toBe(1503);
  });
  it("pads before each codebook starts and after it ends", () => {
    // position t, codebook k holds frame t-1-k
    const grid = [0, 1, 2, 3].map((k) => [1, 2, 3, 4, 5, 6].map((t) => forcedToken(spec, k, t)));
    expect(grid).toEqual([
      [-1, -1, -1, 2048, 2048, 2048],
      [2048, -1, -1, -1, 2048, 2048],
      [2048, 2048, -1, -1, -1, 2048],
      [2048, 2048, 2048, -1, -1, -1],
    ]);
  });
  it("start-only edges (transformers.js) sample after the end", () => {
    expect(forcedToken({ ...spec, padEdges: "start" }, 0, 5)).toBe(-1);
    expect(forcedToken({ ...spec, padEdges: "start" }, 3, 3)).toBe(2048);
  });
  it("teacher-forces prompt frames at their delayed positions", () => {
    const prompt = [
      [10, 11],
      [20, 21],
      [30, 31],
      [40, 41],
    ];
    const s = { ...spec, frames: 5, prompt };
    expect(forcedToken(s, 0, 1)).toBe(10);
    expect(forcedToken(s, 0, 2)).toBe(11);
    expect(forcedToken(s, 0, 3)).toBe(-1);
    expect(forcedToken(s, 2, 4)).toBe(31);
    expect(forcedToken(s, 3, 6)).toBe(-1);
  });
  it("reverting the delay recovers the frames", () => {
    const seq = [0, 1, 2, 3].map((k) =>
      Array.from({ length: 7 }, (_, t) => (t - 1 - k >= 0 && t - 1 - k < 3 ? 100 * k + (t - 1 - k) : 2048)),
    );
    const codes = codesFromSequence(seq, 3);
    expect(codes.map((c) => Array.from(c))).toEqual([
      [0, 1, 2],
      [100, 101, 102],
      [200, 201, 202],
      [300, 301, 302],
    ]);
  });
});

describe("exact duration", () => {
  it("needs ceil(50·D) frames without float noise", () => {
    expect(framesFor(3.7)).toBe(185);
    expect(framesFor(15)).toBe(750);
    expect(framesFor(0.5)).toBe(25);
    expect(framesFor(0.51)).toBe(26);
    expect(framesFor(45)).toBe(2250);
    expect(framesFor(300)).toBe(15000);
  });
  it("covers every duration from 0.5 s to 300 s in 10 ms steps", () => {
    for (let cs = 50; cs <= 30000; cs++) {
      const d = cs / 100;
      const frames = framesFor(d);
      expect(frames * 640).toBeGreaterThanOrEqual(samplesFor(d, 32000));
      expect((frames - 1) * 640).toBeLessThan(samplesFor(d, 32000));
    }
  });
  it("counts samples as round(rate·D)", () => {
    expect(samplesFor(3.7, 48000)).toBe(177600);
    expect(samplesFor(45, 48000)).toBe(2160000);
    expect(samplesFor(3.7, 32000)).toBe(118400);
  });
  it("rejects durations outside 0.5–300 s", () => {
    expect(() => checkDuration(0.4)).toThrow(/between 0.5 and 300/);
    expect(() => checkDuration(301)).toThrow(RangeError);
    expect(() => checkDuration(NaN)).toThrow(RangeError);
    expect(() => checkDuration(0.5)).not.toThrow();
  });
});

describe("long-piece windows", () => {
  it("is one window up to 30 s", () => {
    expect(planWindows(1500)).toEqual([{ offset: 0, promptFrames: 0, frames: 1500 }]);
    expect(planWindows(185)).toEqual([{ offset: 0, promptFrames: 0, frames: 185 }]);
  });
  it("re-feeds 12 s and strides 18 s like audiocraft", () => {
    expect(planWindows(2250)).toEqual([
      { offset: 0, promptFrames: 0, frames: 1500 },
      { offset: 900, promptFrames: 600, frames: 1350 },
    ]);
  });
  it("covers every frame exactly once for any length", () => {
    for (const total of [1, 1499, 1500, 1501, 2100, 2400, 2401, 15000]) {
      const wins = planWindows(total);
      let next = 0;
      for (const w of wins) {
        expect(w.offset + w.promptFrames).toBe(next); // new frames start where the last window stopped
        expect(w.frames).toBeLessThanOrEqual(1500);
        next = w.offset + w.frames;
      }
      expect(next).toBe(total);
    }
  });
});

describe("fused top-k sampler", () => {
  it("draws the same token as sampleCategorical(topK(k)(row)) from the same random numbers", () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const fused = new Rng(5);
    const reference = new Rng(5);
    const draws = new Set<number>();
    for (let trial = 0; trial < 2000; trial++) {
      const n = 2 + Math.floor(rand() * 300);
      // coarse values (many ties at the threshold), some masked, some far below the rest (weights that underflow)
      const row = Float32Array.from({ length: n }, () =>
        rand() < 0.05 ? -Infinity : rand() < 0.05 ? -800 : Math.floor(rand() * 24) / 4,
      );
      if (row.every((x) => x === -Infinity)) row[0] = 0;
      const k = 1 + Math.floor(rand() * (n + 2)); // k >= n included
      const before = Float32Array.from(row);
      const got = sampleTopK(row, k, fused);
      expect(got).toBe(sampleCategorical(topK(k)(Float32Array.from(row)), reference));
      expect(row.every((x, i) => Object.is(x, before[i]))).toBe(true); // the row is not masked in place
      draws.add(got);
    }
    expect(draws.size).toBeGreaterThan(50); // the draws really vary
  });
  it("rejects a row with no finite value and a k below 1", () => {
    expect(() => sampleTopK(new Float32Array([-Infinity, -Infinity, 1]), 2, new Rng(0))).not.toThrow();
    expect(() => sampleTopK(new Float32Array([-Infinity, -Infinity, -Infinity]), 2, new Rng(0))).toThrow(RangeError);
    expect(() => sampleTopK(new Float32Array([1, 2]), 0, new Rng(0))).toThrow(RangeError);
  });
});

describe("top-k by quickselect", () => {
  it("keeps exactly what the ordered top-k indices keep, ties at the threshold included", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 300);
      // few distinct values, so ties at the threshold are common
      const row = Float32Array.from({ length: n }, () => Math.floor(rand() * 12) - 6 + (rand() < 0.05 ? -Infinity : 0));
      const k = 1 + Math.floor(rand() * n);
      const expected = new Set(topKIndices(row, k));
      const kept = topK(k)(Float32Array.from(row));
      const finite = (idx: Iterable<number>) => [...idx].filter((i) => row[i] !== -Infinity).sort((a, b) => a - b);
      expect(finite(kept.map((x, i) => (x === -Infinity ? -1 : i)).filter((i) => i >= 0))).toEqual(finite(expected));
      const sorted = [...row].sort((a, b) => b - a);
      expect(kthLargest(Float32Array.from(row), k)).toBe(sorted[k - 1]);
    }
  });
});
