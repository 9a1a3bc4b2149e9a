// EnCodec decoding of a long clip in pieces. One call over a whole clip holds every layer's activations
// at once: peak memory grows by ~40 MB per second of audio (bench/encodec-memory.ts: 5 GB at 120 s, so ~12 GB at the
// 300 s limit). Clips longer than one chunk are decoded in chunks that each see `context` extra frames on both
// sides (the convolutions reach a few frames; the LSTM's state settles within the context) and are cross-faded
// over `crossfade` frames around each join. A clip that fits in one chunk is decoded in one call, as before.
import * as ort from "onnxruntime-node";

export interface ChunkOptions {
  /** Frames kept from each chunk (its share of the clip). Default 1500 (30 s at 50 Hz). */
  chunkFrames?: number;
  /** Frames decoded beyond the share on each side. Default 50 (1 s). */
  contextFrames?: number;
  /** Frames over which two chunks are cross-faded, centred on the join; at most 2 × context. Default 20. */
  crossfadeFrames?: number;
}

export interface Chunk {
  /** Frames given to EnCodec: [from, to). */
  from: number;
  to: number;
  /** The share of the clip this chunk owns, before cross-fading: [start, end). */
  start: number;
  end: number;
}

export const CHUNK_DEFAULTS = { chunkFrames: 1500, contextFrames: 50, crossfadeFrames: 20 } as const;

/** The chunks for `frames` frames: shares tile [0, frames) in order; a tail shorter than the context joins the chunk before it. */
export function planChunks(frames: number, opts: ChunkOptions = {}): Chunk[] {
  const { chunkFrames: n, contextFrames: c, crossfadeFrames: x } = { ...CHUNK_DEFAULTS, ...opts };
  if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`frames must be a positive integer, got ${frames}`);
  if (!(
    Number.isInteger(n) &&
    n >= 1 &&
    Number.isInteger(c) &&
    c >= 0 &&
    Number.isInteger(x) &&
    x >= 0 &&
    x <= 2 * c &&
    x <= n
  )) {
    throw new RangeError(
      "need integers chunkFrames >= 1, contextFrames >= 0 and 0 <= crossfadeFrames <= min(2 * contextFrames, chunkFrames)",
    );
  }
  const bounds = [0];
  while (frames - bounds[bounds.length - 1] > n + c) bounds.push(bounds[bounds.length - 1] + n);
  bounds.push(frames);
  return bounds.slice(0, -1).map((start, i) => {
    const end = bounds[i + 1];
    return { from: Math.max(0, start - c), to: Math.min(frames, end + c), start, end };
  });
}

/**
 * Weight of chunk i+1 at `frame` (fractional: sample / samplesPerFrame) around the join at `join`: 0 before the
 * cross-fade, 1 after, linear in between.
 */
export function fadeIn(frame: number, join: number, crossfadeFrames: number): number {
  if (crossfadeFrames === 0) return frame < join ? 0 : 1;
  return Math.min(1, Math.max(0, (frame - (join - crossfadeFrames / 2)) / crossfadeFrames));
}

/** EnCodec: codes [codebook][frame] to mono audio, cut to `samples`; in chunks when the clip is longer than one. */
export async function decodeCodes(
  encodec: ort.InferenceSession,
  codes: Int32Array[],
  samples: number,
  opts: ChunkOptions = {},
): Promise<Float32Array> {
  const frames = codes[0].length;
  const chunks = planChunks(frames, opts);
  const x = { ...CHUNK_DEFAULTS, ...opts }.crossfadeFrames;
  const run = async (from: number, to: number): Promise<Float32Array> => {
    const ids = new BigInt64Array(codes.length * (to - from));
    codes.forEach((row, k) => {
      for (let f = from; f < to; f++) ids[k * (to - from) + f - from] = BigInt(row[f]);
    });
    const out = await encodec.run({ audio_codes: new ort.Tensor("int64", ids, [1, 1, codes.length, to - from]) });
    return out.audio_values.data as Float32Array;
  };
  if (chunks.length === 1) {
    const values = await run(0, frames);
    if (values.length < samples)
      throw new Error(`EnCodec returned ${values.length} samples, expected at least ${samples}`);
    return values.slice(0, samples);
  }
  const audio = new Float32Array(samples);
  let perFrame = 0;
  for (const [i, chunk] of chunks.entries()) {
    const values = await run(chunk.from, chunk.to);
    perFrame ||= values.length / (chunk.to - chunk.from);
    if (!Number.isInteger(perFrame) || values.length !== perFrame * (chunk.to - chunk.from))
      throw new Error(`EnCodec returned ${values.length} samples for ${chunk.to - chunk.from} frames`);
    // this chunk's samples: its share, widened by half the cross-fade at each inner join
    const lo = i === 0 ? 0 : Math.floor((chunk.start - x / 2) * perFrame);
    const hi = Math.min(
      samples,
      i === chunks.length - 1 ? frames * perFrame : Math.ceil((chunk.end + x / 2) * perFrame),
    );
    for (let s = lo; s < hi; s++) {
      const f = s / perFrame;
      const w = (i > 0 ? fadeIn(f, chunk.start, x) : 1) * (i < chunks.length - 1 ? 1 - fadeIn(f, chunk.end, x) : 1);
      audio[s] += w * values[s - chunk.from * perFrame];
    }
  }
  if (frames * perFrame < samples)
    throw new Error(`EnCodec returned ${frames * perFrame} samples, expected at least ${samples}`);
  return audio;
}
