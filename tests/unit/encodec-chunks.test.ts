// The plan behind chunked EnCodec decoding (helper/engine/encodec-chunks.ts).
import { CHUNK_DEFAULTS, fadeIn, planChunks } from "../../helper/engine/encodec-chunks";

describe("planChunks", () => {
  it("decodes a clip of up to one chunk plus its context in one call", () => {
    expect(planChunks(750)).toEqual([{ from: 0, to: 750, start: 0, end: 750 }]);
    const most = CHUNK_DEFAULTS.chunkFrames + CHUNK_DEFAULTS.contextFrames; // 31 s
    expect(planChunks(most)).toHaveLength(1);
    expect(planChunks(most + 1)).toHaveLength(2);
  });

  it("tiles the clip with shares in order, each chunk decoding its context on both sides", () => {
    const chunks = planChunks(100, { chunkFrames: 30, contextFrames: 5, crossfadeFrames: 4 });
    expect(chunks).toEqual([
      { from: 0, to: 35, start: 0, end: 30 },
      { from: 25, to: 65, start: 30, end: 60 },
      { from: 55, to: 95, start: 60, end: 90 },
      { from: 85, to: 100, start: 90, end: 100 },
    ]);
  });

  it("gives a tail no longer than the context to the chunk before it", () => {
    expect(
      planChunks(95, { chunkFrames: 30, contextFrames: 5, crossfadeFrames: 4 }).map((c) => [c.start, c.end]),
    ).toEqual([
      [0, 30],
      [30, 60],
      [60, 95],
    ]);
    expect(
      planChunks(96, { chunkFrames: 30, contextFrames: 5, crossfadeFrames: 4 }).map((c) => [c.start, c.end]),
    ).toEqual([
      [0, 30],
      [30, 60],
      [60, 90],
      [90, 96],
    ]);
  });

  it("refuses a cross-fade wider than the context allows, and empty clips", () => {
    expect(() => planChunks(100, { chunkFrames: 30, contextFrames: 5, crossfadeFrames: 11 })).toThrow(RangeError);
    expect(() => planChunks(0)).toThrow(RangeError);
    expect(() => planChunks(100, { chunkFrames: 0 })).toThrow(RangeError);
  });
});

describe("fadeIn", () => {
  it("ramps linearly across the cross-fade centred on the join", () => {
    expect(fadeIn(89, 100, 20)).toBe(0);
    expect(fadeIn(90, 100, 20)).toBe(0);
    expect(fadeIn(95, 100, 20)).toBe(0.25);
    expect(fadeIn(100, 100, 20)).toBe(0.5);
    expect(fadeIn(110, 100, 20)).toBe(1);
    expect(fadeIn(99.9, 100, 0)).toBe(0);
    expect(fadeIn(100, 100, 0)).toBe(1);
  });
});
