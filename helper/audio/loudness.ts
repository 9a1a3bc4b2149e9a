// ITU-R BS.1770-4 measurement for mono signals: integrated loudness (K-weighting, 400 ms blocks with 75 % overlap,
// -70 LUFS absolute and -10 LU relative gates) and true peak (oversampled peak, Annex 2). Our own implementation
// rather than ebur128-wasm: no WASM loader, any sample rate, and fast enough (docs/audio.md). The tests
// hold it to ffmpeg's ebur128 filter.
//
// Mono: BS.1770 weights the single channel by 1.0, so a 997 Hz sine at -20 dBFS peak reads -23.0 LUFS (ffmpeg's
// default too; its `dualmono` option would add 3 dB, as if the channel were played on both speakers).

// Bound once: the hot loops below run millions of times, and global look-ups are slow inside jest's sandbox.
const { abs, log10 } = Math;

/** -0.691 dB: BS.1770's constant that makes a 1 kHz sine read its RMS level after K-weighting. */
const LUFS_OFFSET = -0.691;
const ABSOLUTE_GATE_LUFS = -70;
const RELATIVE_GATE_LU = -10;

type Biquad = { b0: number; b1: number; b2: number; a1: number; a2: number };

/** The two K-weighting stages for any sample rate, from BS.1770's analog prototypes (as libebur128 derives them). */
export function kWeightingFilters(rate: number): [Biquad, Biquad] {
  // stage 1: high shelf, +4 dB above ~1.7 kHz (head effects)
  let K = Math.tan((Math.PI * 1681.974450955533) / rate);
  let Q = 0.7071752369554196;
  const Vh = 10 ** (3.999843853973347 / 20);
  const Vb = Vh ** 0.4996667741545416;
  let a0 = 1 + K / Q + K * K;
  const shelf: Biquad = {
    b0: (Vh + (Vb * K) / Q + K * K) / a0,
    b1: (2 * (K * K - Vh)) / a0,
    b2: (Vh - (Vb * K) / Q + K * K) / a0,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  };
  // stage 2: the "RLB" high-pass at ~38 Hz
  K = Math.tan((Math.PI * 38.13547087602444) / rate);
  Q = 0.5003270373238773;
  a0 = 1 + K / Q + K * K;
  const highpass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (K * K - 1)) / a0, a2: (1 - K / Q + K * K) / a0 };
  return [shelf, highpass];
}

function biquad(x: ArrayLike<number>, f: Biquad): Float64Array {
  const { b0, b1, b2, a1, a2 } = f;
  const y = new Float64Array(x.length);
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const v = b0 * xi + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = xi;
    y2 = y1;
    y1 = v;
    y[i] = v;
  }
  return y;
}

const toLufs = (meanSquare: number) => LUFS_OFFSET + 10 * log10(meanSquare);

/** Mean-square energies of the K-weighted gating blocks (400 ms, hop 100 ms); only whole blocks count. */
function blockEnergies(samples: Float32Array, rate: number): Float64Array {
  const [shelf, highpass] = kWeightingFilters(rate);
  const w = biquad(biquad(samples, shelf), highpass);
  const block = Math.round(0.4 * rate);
  const hop = Math.round(0.1 * rate);
  if (w.length < block) return new Float64Array(0);
  // prefix sums of squares make every block O(1)
  const cum = new Float64Array(w.length + 1);
  for (let i = 0; i < w.length; i++) cum[i + 1] = cum[i] + w[i] * w[i];
  const count = Math.floor((w.length - block) / hop) + 1;
  const energies = new Float64Array(count);
  for (let j = 0; j < count; j++) energies[j] = (cum[j * hop + block] - cum[j * hop]) / block;
  return energies;
}

function gatedMean(energies: Float64Array, gateLufs: number): number {
  let sum = 0,
    n = 0;
  for (const e of energies)
    if (toLufs(e) > gateLufs) {
      sum += e;
      n++;
    }
  return n === 0 ? 0 : sum / n;
}

/** Integrated loudness in LUFS; -Infinity for silence or input shorter than one 400 ms block (never throws). */
export function integratedLoudness(samples: Float32Array, rate: number): number {
  const energies = blockEnergies(samples, rate);
  const ungated = gatedMean(energies, ABSOLUTE_GATE_LUFS);
  if (ungated === 0) return -Infinity;
  return toLufs(gatedMean(energies, toLufs(ungated) + RELATIVE_GATE_LU));
}

/** Largest absolute sample value in dBFS (-Infinity for silence). */
export function samplePeakDb(samples: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = abs(samples[i]);
    if (v > peak) peak = v;
  }
  return 20 * log10(peak);
}

/** BS.1770-4 Annex 2: oversample 4x below 96 kHz, 2x below 192 kHz. */
function oversamplingFactor(rate: number): number {
  return rate < 96000 ? 4 : rate < 192000 ? 2 : 1;
}

const TAPS_PER_PHASE = 24;
const phaseCache = new Map<number, Float64Array[]>();

/**
 * Polyphase Kaiser-windowed sinc interpolator. 24 taps a phase (the Annex's example has 12) keeps the reading within
 * ~0.05 dB of ffmpeg's (which resamples to 192 kHz) on music-like signals; the final -1 dBTP ceiling leaves a margin for that.
 */
function interpolatorPhases(factor: number): Float64Array[] {
  const cached = phaseCache.get(factor);
  if (cached) return cached;
  const half = TAPS_PER_PHASE / 2;
  const beta = 7;
  const i0 = (x: number) => {
    let sum = 1,
      term = 1;
    for (let k = 1; k < 30; k++) {
      term *= (x / (2 * k)) ** 2;
      sum += term;
    }
    return sum;
  };
  const phases = Array.from({ length: factor }, (_, p) => {
    const taps = new Float64Array(TAPS_PER_PHASE);
    for (let j = 0; j < TAPS_PER_PHASE; j++) {
      const t = j - half + 1 - p / factor; // distance from the interpolated point, in input samples
      const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
      const r = t / half;
      taps[j] = abs(r) >= 1 ? 0 : (sinc * i0(beta * Math.sqrt(1 - r * r))) / i0(beta);
    }
    return taps;
  });
  phaseCache.set(factor, phases);
  return phases;
}

/**
 * True peak in dBTP: the largest magnitude of the oversampled signal (never below the sample peak). `rate` picks
 * the oversampling factor (default 48 kHz: 4x). -Infinity for silence.
 */
export function truePeakDb(samples: Float32Array, rate = 48000): number {
  const factor = oversamplingFactor(rate);
  const phases = interpolatorPhases(factor);
  const half = TAPS_PER_PHASE / 2;
  const n = samples.length;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const v = abs(samples[i]);
    if (v > peak) peak = v;
  }
  // only the points between samples remain; the edges see zeros outside the signal
  for (let p = 1; p < factor; p++) {
    const taps = phases[p];
    for (let i = 0; i < n; i++) {
      const base = i - half + 1;
      let acc = 0;
      if (base >= 0 && base + TAPS_PER_PHASE <= n) {
        for (let j = 0; j < TAPS_PER_PHASE; j++) acc += taps[j] * samples[base + j];
      } else {
        for (let j = 0; j < TAPS_PER_PHASE; j++) {
          const k = base + j;
          if (k >= 0 && k < n) acc += taps[j] * samples[k];
        }
      }
      const a = abs(acc);
      if (a > peak) peak = a;
    }
  }
  return 20 * log10(peak);
}

export interface LoudnessReport {
  integratedLufs: number;
  truePeakDbtp: number;
  samplePeakDbfs: number;
}

export function measureLoudness(samples: Float32Array, rate: number): LoudnessReport {
  return {
    integratedLufs: integratedLoudness(samples, rate),
    truePeakDbtp: truePeakDb(samples, rate),
    samplePeakDbfs: samplePeakDb(samples),
  };
}
