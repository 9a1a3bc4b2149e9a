// Chunked EnCodec decoding on the tiny contract model's EnCodec (a real SEANet decoder with a 2-layer LSTM, random
// weights): the chunked audio has the whole call's length and, given 25 frames of context, equals it to float
// rounding, joins included (on real weights the LSTM may remember longer: not verified).
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import { decodeCodes, planChunks } from "../../helper/engine/encodec-chunks";
import { ONNX_DIR, ONNX_FILES } from "../../models/layout";
import { tinyModelDir } from "../helpers/contract-model";

let encodec: ort.InferenceSession;
beforeAll(async () => {
  encodec = await ort.InferenceSession.create(path.join(await tinyModelDir(), ONNX_DIR, ONNX_FILES.encodec));
});

/** Deterministic codes that change every few frames, like music tokens do. */
function codes(frames: number): Int32Array[] {
  return Array.from({ length: 4 }, (_, k) =>
    Int32Array.from({ length: frames }, (_, f) => (Math.floor(f / 3) * 7919 + k * 104729) % 2048),
  );
}

const rms = (a: Float32Array, from = 0, to = a.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i] * a[i];
  return Math.sqrt(s / Math.max(1, to - from));
};
function relativeError(a: Float32Array, b: Float32Array, from = 0, to = a.length): number {
  const d = new Float32Array(to - from);
  for (let i = from; i < to; i++) d[i - from] = a[i] - b[i];
  return rms(d) / rms(b, from, to);
}

describe("decodeCodes", () => {
  it("is the whole call, unchanged, for a clip that fits in one chunk", async () => {
    const c = codes(120);
    const whole = await decodeCodes(encodec, c, 120 * 640 - 123);
    const out = await encodec.run({
      audio_codes: new ort.Tensor(
        "int64",
        BigInt64Array.from(
          c.flatMap((r) => [...r]),
          BigInt,
        ),
        [1, 1, 4, 120],
      ),
    });
    expect(
      Buffer.from(whole.buffer).equals(
        Buffer.from((out.audio_values.data as Float32Array).slice(0, 120 * 640 - 123).buffer),
      ),
    ).toBe(true);
  });

  it("decodes a long clip in chunks to the same length and, with context, the whole call's audio to float rounding", async () => {
    const frames = 400;
    const opts = { chunkFrames: 90, contextFrames: 25, crossfadeFrames: 10 };
    const chunks = planChunks(frames, opts);
    expect(chunks.length).toBe(5);
    const samples = frames * 640 - 300;
    const whole = await decodeCodes(encodec, codes(frames), samples, { chunkFrames: frames });
    const chunked = await decodeCodes(encodec, codes(frames), samples, opts);
    expect(chunked.length).toBe(samples);
    expect(rms(whole)).toBeGreaterThan(0);
    const overall = relativeError(chunked, whole);
    expect(overall).toBeLessThan(1e-4); // measured 7.6e-7
    // around every join (the cross-fade ± 5 frames) as well
    for (const c of chunks.slice(1))
      expect(relativeError(chunked, whole, (c.start - 10) * 640, (c.start + 10) * 640)).toBeLessThan(1e-4);
    // and a chunk without context really differs: the context is what makes the pieces agree
    const blind = await decodeCodes(encodec, codes(frames), samples, {
      chunkFrames: 90,
      contextFrames: 0,
      crossfadeFrames: 0,
    });
    expect(relativeError(blind, whole)).toBeGreaterThan(0.01); // measured 0.13
  });
});
