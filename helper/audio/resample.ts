// Sample-rate conversion with libsamplerate (band-limited sinc, ~120 dB SNR at medium quality), never linear
// interpolation: MusicGen's 32 kHz output becomes the 48 kHz that Premiere sequences run at.
import { ConverterType, create } from "@alexanderolsen/libsamplerate-js";

/**
 * libsamplerate already compensates its filter delay (output sample 0 is input time 0), but `simple()` holds back
 * the filter's tail (~215 samples at 32 -> 48 kHz) because it never sees an end-of-input flag. Feeding this much
 * silence after the signal (scaled up for downsampling, where the filter is longer in input samples) flushes it.
 */
const TAIL_PAD = 2048;

/**
 * Resamples mono audio. The result has exactly `length` samples (default round(n·to/from)), aligned with the input
 * (an impulse at input time t lands at output time t), padded with silence at the end if the converter returns
 * fewer. WASM inside, hence async.
 */
export async function resample(
  samples: Float32Array,
  fromRate: number,
  toRate: number,
  length?: number,
): Promise<Float32Array> {
  if (!(fromRate > 0 && toRate > 0)) throw new RangeError(`bad sample rates ${fromRate} -> ${toRate}`);
  const n = length ?? Math.round((samples.length * toRate) / fromRate);
  const out = new Float32Array(n);
  if (fromRate === toRate) {
    out.set(samples.subarray(0, n));
    return out;
  }
  if (samples.length === 0) return out;
  const src = await create(1, fromRate, toRate, { converterType: ConverterType.SRC_SINC_MEDIUM_QUALITY });
  try {
    // a fresh buffer also matters for correctness: the library chunks long input (> ~4 MB) through views of
    // `buffer` that ignore a subarray's byteOffset
    const padded = new Float32Array(samples.length + Math.ceil(TAIL_PAD * Math.max(1, fromRate / toRate)));
    padded.set(samples);
    const converted = src.simple(padded);
    out.set(converted.subarray(0, n));
    return out;
  } finally {
    src.destroy();
  }
}
