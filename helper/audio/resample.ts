// Sample-rate conversion with libsamplerate (band-limited sinc), never linear interpolation.
import { ConverterType, create } from "@alexanderolsen/libsamplerate-js";

/** libsamplerate's `simple()` holds back its filter tail (~215 samples at 32->48 kHz): feed this much silence after. */
const TAIL_PAD = 2048;

/**
 * Resamples mono audio. The result has `length` samples (default round(n·to/from)), aligned with the input
 * (no added delay), the end padded with silence if the converter returns fewer.
 */
export async function resample(samples: Float32Array, fromRate: number, toRate: number, length?: number): Promise<Float32Array> {
  const n = length ?? Math.round((samples.length * toRate) / fromRate);
  if (fromRate === toRate) {
    const out = new Float32Array(n);
    out.set(samples.subarray(0, n));
    return out;
  }
  const src = await create(1, fromRate, toRate, { converterType: ConverterType.SRC_SINC_MEDIUM_QUALITY });
  try {
    const padded = new Float32Array(samples.length + TAIL_PAD);
    padded.set(samples);
    const converted = src.simple(padded);
    const out = new Float32Array(n);
    out.set(converted.subarray(0, n));
    return out;
  } finally {
    src.destroy();
  }
}
