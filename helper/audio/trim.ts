// Silence trim from the source article (lead/trail silence over 0.3 s is cut, keeping 0.1 s) and the exact
// fit to the requested length with a short fade-out, so the bed ends cleanly on the marker's out-point.

export interface TrimOptions {
  thresholdDbfs: number; // RMS over 10 ms windows below this is silence
  maxSilenceSec: number; // longer silences are cut…
  keepSec: number; // …down to this much
}

export const TRIM: TrimOptions = { thresholdDbfs: -50, maxSilenceSec: 0.3, keepSec: 0.1 };

/** Sample range [start, end) to keep after cutting long leading and trailing silence. */
export function silenceBounds(samples: Float32Array, rate: number, o: TrimOptions = TRIM): { start: number; end: number } {
  const win = Math.max(1, Math.round(0.01 * rate));
  const threshold = 10 ** (o.thresholdDbfs / 20);
  const loud = (w: number) => {
    let sum = 0;
    const from = w * win, to = Math.min(samples.length, from + win);
    for (let i = from; i < to; i++) sum += samples[i] * samples[i];
    return Math.sqrt(sum / (to - from)) >= threshold;
  };
  const windows = Math.ceil(samples.length / win);
  let first = 0;
  while (first < windows && !loud(first)) first++;
  if (first === windows) return { start: 0, end: samples.length }; // all silence: nothing sensible to trim
  let last = windows - 1;
  while (last > first && !loud(last)) last--;
  const lead = first * win;
  const trail = samples.length - Math.min(samples.length, (last + 1) * win);
  const keep = Math.round(o.keepSec * rate);
  const max = o.maxSilenceSec * rate;
  return {
    start: lead > max ? lead - keep : 0,
    end: trail > max ? samples.length - trail + keep : samples.length,
  };
}

/**
 * Exactly `length` samples from `samples[start..]`: cut (or padded with silence if short), with a fade-out over the
 * last `fadeOutSec` and a click-free fade-in when the cut starts inside sound.
 */
export function fitToLength(samples: Float32Array, rate: number, length: number, start = 0, fadeOutSec = 0.05, fadeInSec = 0.005): Float32Array {
  const out = new Float32Array(length);
  out.set(samples.subarray(start, start + length));
  const fadeOut = Math.min(length, Math.round(fadeOutSec * rate));
  for (let i = 0; i < fadeOut; i++) out[length - 1 - i] *= i / fadeOut;
  if (start > 0) {
    const fadeIn = Math.min(length, Math.round(fadeInSec * rate));
    for (let i = 0; i < fadeIn; i++) out[i] *= i / fadeIn;
  }
  return out;
}
