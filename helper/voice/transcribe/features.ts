// Whisper's log-mel input features, as WhisperFeatureExtractor computes them (transformers.js and HF Python):
// pad/trim to one 30 s window, reflect-pad n_fft/2, periodic Hann window of n_fft, hop 160, power spectrum,
// 80 triangular mel filters (Slaney scale, Slaney area normalization, 0..8 kHz), log10 of max(mel, 1e-10),
// clamp to (max - 8), then (x + 4) / 4. The last STFT frame is dropped (3000 frames for 30 s).
import type { FeatureConfig } from "./config";

// hot loops: bound once (under jest every Math.x lookup is slow)
const { cos, sin, log, exp, log10, max, min, floor, PI } = Math;

const hzToMel = (f: number) => (f >= 1000 ? 15 + (log(f / 1000) * 27) / log(6.4) : (3 * f) / 200);
const melToHz = (m: number) => (m >= 15 ? 1000 * exp((log(6.4) / 27) * (m - 15)) : (200 * m) / 3);

/** [mels][bins] row-major: HF's mel_filter_bank(bins, mels, fMin, fMax, sr, norm "slaney", mel_scale "slaney"). */
export function melFilterBank(
  bins: number,
  mels: number,
  fMin: number,
  fMax: number,
  sampleRate: number,
): Float64Array {
  const melMin = hzToMel(fMin);
  const melMax = hzToMel(fMax);
  const filterHz = Float64Array.from({ length: mels + 2 }, (_, i) =>
    melToHz(melMin + ((melMax - melMin) * i) / (mels + 1)),
  );
  const nyquist = floor(sampleRate / 2);
  const out = new Float64Array(mels * bins);
  for (let m = 0; m < mels; m++) {
    const lo = filterHz[m];
    const mid = filterHz[m + 1];
    const hi = filterHz[m + 2];
    const enorm = 2 / (hi - lo);
    for (let b = 0; b < bins; b++) {
      const f = (nyquist * b) / (bins - 1);
      const down = (f - lo) / (mid - lo);
      const up = (hi - f) / (hi - mid);
      out[m * bins + b] = max(0, min(down, up)) * enorm;
    }
  }
  return out;
}

/** Periodic Hann window (numpy's hanning(n + 1) without its last point). */
export function hannWindow(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * cos((2 * PI * i) / n));
}

/** Precomputed tables for one feature configuration; reuse it for every window. */
export class LogMelExtractor {
  readonly bins: number;
  private readonly filters: Float64Array;
  private readonly window: Float64Array;
  private readonly cosT: Float64Array;
  private readonly sinT: Float64Array;

  constructor(readonly cfg: FeatureConfig) {
    const n = cfg.nFft;
    this.bins = floor(n / 2) + 1;
    this.filters = melFilterBank(this.bins, cfg.featureSize, 0, 8000, cfg.samplingRate);
    this.window = hannWindow(n);
    // a direct real DFT with exact twiddle tables: n = 400 is not a power of two, and this is fast enough
    this.cosT = new Float64Array(this.bins * n);
    this.sinT = new Float64Array(this.bins * n);
    for (let k = 0; k < this.bins; k++) {
      for (let t = 0; t < n; t++) {
        const a = (2 * PI * ((k * t) % n)) / n;
        this.cosT[k * n + t] = cos(a);
        this.sinT[k * n + t] = sin(a);
      }
    }
  }

  /**
   * Features of one window: `audio` (16 kHz mono) is zero-padded or trimmed to n_samples.
   * Returns [feature_size, nb_max_frames] row-major, the layout of input_features[0].
   */
  extract(audio: Float32Array): Float32Array {
    const { nFft: n, hopLength: hop, nSamples, featureSize: mels, nbMaxFrames } = this.cfg;
    const pad = floor(n / 2);
    const wave = new Float64Array(nSamples + 2 * pad);
    const len = min(audio.length, nSamples);
    for (let i = 0; i < len; i++) wave[pad + i] = audio[i];
    // reflect padding (the signal is already nSamples long after zero-padding)
    const last = nSamples - 1;
    for (let i = 1; i <= pad; i++) {
      wave[pad - i] = wave[pad + i];
      wave[pad + last + i] = wave[pad + last - i];
    }
    const frames = min(floor(nSamples / hop), nbMaxFrames);
    const bins = this.bins;
    const out = new Float32Array(mels * nbMaxFrames);
    const frame = new Float64Array(n);
    const power = new Float64Array(bins);
    const { cosT, sinT, window, filters } = this;
    // frames wholly inside silence (a short clip's zero padding, most of a 30 s window) have zero power: skip the DFT
    let first = 0;
    while (first < wave.length && wave[first] === 0) first++;
    let lastNz = wave.length - 1;
    while (lastNz >= 0 && wave[lastNz] === 0) lastNz--;
    for (let f = 0; f < frames; f++) {
      const off = f * hop;
      if (off > lastNz || off + n <= first) continue; // `out` is already 0 there
      for (let t = 0; t < n; t++) frame[t] = wave[off + t] * window[t];
      for (let k = 0; k < bins; k++) {
        let re = 0;
        let im = 0;
        const base = k * n;
        for (let t = 0; t < n; t++) {
          re += frame[t] * cosT[base + t];
          im += frame[t] * sinT[base + t];
        }
        power[k] = re * re + im * im;
      }
      for (let m = 0; m < mels; m++) {
        let acc = 0;
        const base = m * bins;
        for (let k = 0; k < bins; k++) acc += filters[base + k] * power[k];
        out[m * nbMaxFrames + f] = acc;
      }
    }
    // frames past the signal (only when nb_max_frames exceeds it) stay 0 before the floor, as in transformers.js
    let top = -Infinity;
    for (let i = 0; i < out.length; i++) {
      const v = log10(max(1e-10, out[i]));
      out[i] = v;
      if (v > top) top = v;
    }
    const floorAt = top - 8;
    for (let i = 0; i < out.length; i++) out[i] = (max(out[i], floorAt) + 4) / 4;
    return out;
  }
}
