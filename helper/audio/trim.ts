// Silence trim from the source article (leading/trailing silence longer than 0.3 s is cut, keeping 0.1 s) and the
// exact fit to the requested length, so the bed starts promptly and ends cleanly on the marker's out-point.

export interface TrimOptions {
  /** RMS over `windowSec` windows below this is silence. */
  thresholdDbfs: number;
  windowSec: number;
  /** Silences longer than this are cut… */
  maxSilenceSec: number;
  /** …down to this much (a natural breath before the first note). */
  keepSec: number;
}

export const TRIM: TrimOptions = { thresholdDbfs: -50, windowSec: 0.01, maxSilenceSec: 0.3, keepSec: 0.1 };

export interface SilenceBounds {
  /** First sample to keep. */
  start: number;
  /** One past the last sample to keep. */
  end: number;
}

/**
 * Sample range [start, end) to keep after cutting long leading and trailing silence. All-silent input is kept whole
 * (nothing sensible to cut to). Silence is judged on whole windows, so cut points land on 10 ms steps.
 */
export function silenceBounds(samples: Float32Array, rate: number, options: Partial<TrimOptions> = {}): SilenceBounds {
  const o = { ...TRIM, ...options };
  const win = Math.max(1, Math.round(o.windowSec * rate));
  const thresholdSquared = 10 ** (o.thresholdDbfs / 10); // compare mean squares: no sqrt per window
  const windows = Math.ceil(samples.length / win);
  const loud = (w: number) => {
    const from = w * win,
      to = Math.min(samples.length, from + win);
    let sum = 0;
    for (let i = from; i < to; i++) sum += samples[i] * samples[i];
    return sum / (to - from) >= thresholdSquared;
  };
  let first = 0;
  while (first < windows && !loud(first)) first++;
  if (first === windows) return { start: 0, end: samples.length };
  let last = windows - 1;
  while (last > first && !loud(last)) last--;
  const lead = first * win;
  const soundEnd = Math.min(samples.length, (last + 1) * win);
  const trail = samples.length - soundEnd;
  const keep = Math.round(o.keepSec * rate);
  const max = o.maxSilenceSec * rate;
  return { start: lead > max ? lead - keep : 0, end: trail > max ? soundEnd + keep : samples.length };
}

export interface Trimmed extends SilenceBounds {
  samples: Float32Array;
}

/** Cuts long leading and trailing silence (a view into `samples`, not a copy), with the bounds it used. */
export function trimSilence(samples: Float32Array, rate: number, options: Partial<TrimOptions> = {}): Trimmed {
  const { start, end } = silenceBounds(samples, rate, options);
  return { samples: samples.subarray(start, end), start, end };
}

export interface FitOptions {
  /** Fade-out over the last this-many seconds, ending at exactly 0, so the cut at the out-point never clicks. */
  fadeOutSec: number;
  /** Fade-in applied only when the signal starts inside sound (see `startsInSound`); 0 turns it off. */
  fadeInSec: number;
  /** Level above which the first millisecond counts as sound (the trim threshold by default). */
  soundThresholdDbfs: number;
}

export const FIT: FitOptions = { fadeOutSec: 0.05, fadeInSec: 0.005, soundThresholdDbfs: TRIM.thresholdDbfs };

/**
 * True when the first millisecond is not silent: playback would jump from 0 to that level, an audible click.
 * After the silence trim this happens only when the model's output starts abruptly.
 */
export function startsInSound(samples: Float32Array, rate: number, thresholdDbfs = TRIM.thresholdDbfs): boolean {
  const n = Math.min(samples.length, Math.max(1, Math.round(0.001 * rate)));
  const threshold = 10 ** (thresholdDbfs / 20);
  for (let i = 0; i < n; i++) if (Math.abs(samples[i]) >= threshold) return true;
  return false;
}

/**
 * Exactly `targetSamples` samples: the start of `samples`, cut (the engine generates a margin) or padded with
 * silence if still short, with a linear fade-out to 0 at the end and a short fade-in if it starts inside sound.
 * When the input is short, the fade-out sits at the end of the real audio, not on the padding.
 */
export function fitToLength(
  samples: Float32Array,
  rate: number,
  targetSamples: number,
  options: Partial<FitOptions> = {},
): Float32Array {
  const o = { ...FIT, ...options };
  const out = new Float32Array(targetSamples);
  const audible = Math.min(samples.length, targetSamples);
  out.set(samples.subarray(0, audible));
  const fadeOut = Math.min(audible, Math.round(o.fadeOutSec * rate));
  // gain (k)/fadeOut for the k-th sample from the end: the last real sample is exactly 0
  for (let k = 0; k < fadeOut; k++) out[audible - 1 - k] *= k / fadeOut;
  if (o.fadeInSec > 0 && startsInSound(out, rate, o.soundThresholdDbfs)) {
    const fadeIn = Math.min(audible, Math.round(o.fadeInSec * rate));
    for (let i = 0; i < fadeIn; i++) out[i] *= i / fadeIn;
  }
  return out;
}
