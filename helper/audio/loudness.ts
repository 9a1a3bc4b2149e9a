// ITU-R BS.1770-4 loudness for mono signals: K-weighting, 400 ms blocks with 75 % overlap, absolute (-70 LUFS)
// and relative (-10 LU) gates; true peak by 4x oversampling. Checked against ffmpeg's ebur128 filter in tests.

// Bound once: hot loops below call these millions of times (and property look-ups on Math are slow in test sandboxes).
const { abs, max } = Math;

type Biquad = { b: [number, number, number]; a: [number, number] };

/** The two K-weighting stages for any sample rate (the BS.1770 analog prototypes, as libebur128 derives them). */
function kWeighting(rate: number): Biquad[] {
  let f0 = 1681.974450955533;
  const G = 3.999843853973347;
  let Q = 0.7071752369554196;
  let K = Math.tan((Math.PI * f0) / rate);
  const Vh = 10 ** (G / 20);
  const Vb = Vh ** 0.4996667741545416;
  let a0 = 1 + K / Q + K * K;
  const shelf: Biquad = {
    b: [(Vh + (Vb * K) / Q + K * K) / a0, (2 * (K * K - Vh)) / a0, (Vh - (Vb * K) / Q + K * K) / a0],
    a: [(2 * (K * K - 1)) / a0, (1 - K / Q + K * K) / a0],
  };
  f0 = 38.13547087602444;
  Q = 0.5003270373238773;
  K = Math.tan((Math.PI * f0) / rate);
  a0 = 1 + K / Q + K * K;
  const highpass: Biquad = { b: [1, -2, 1], a: [(2 * (K * K - 1)) / a0, (1 - K / Q + K * K) / a0] };
  return [shelf, highpass];
}

function filter(x: Float32Array | Float64Array, { b, a }: Biquad): Float64Array {
  const y = new Float64Array(x.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = b[0] * x[i] + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2;
    x2 = x1; x1 = x[i]; y2 = y1; y1 = v;
    y[i] = v;
  }
  return y;
}

/** Integrated loudness in LUFS; -Infinity for silence or anything shorter than one 400 ms block. */
export function integratedLoudness(samples: Float32Array, rate: number): number {
  const weighted = kWeighting(rate).reduce<Float32Array | Float64Array>((x, f) => filter(x, f), samples);
  const block = Math.round(0.4 * rate);
  const step = Math.round(0.1 * rate);
  if (samples.length < block) return -Infinity;
  // prefix sums of squares make every block O(1)
  const cum = new Float64Array(weighted.length + 1);
  for (let i = 0; i < weighted.length; i++) cum[i + 1] = cum[i] + weighted[i] * weighted[i];
  const energies: number[] = [];
  for (let start = 0; start + block <= weighted.length; start += step) energies.push((cum[start + block] - cum[start]) / block);
  const lufs = (e: number) => -0.691 + 10 * Math.log10(e);
  const aboveAbsolute = energies.filter((e) => lufs(e) > -70);
  if (aboveAbsolute.length === 0) return -Infinity;
  const relativeGate = lufs(mean(aboveAbsolute)) - 10;
  const gated = aboveAbsolute.filter((e) => lufs(e) > relativeGate);
  return lufs(mean(gated));
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Largest absolute sample value, in dBFS. */
export function samplePeakDb(samples: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = max(peak, abs(samples[i]));
  return 20 * Math.log10(peak);
}

const OVERSAMPLE = 4;
const TAPS_PER_PHASE = 12;
/** Polyphase windowed-sinc interpolator for 4x oversampling (BS.1770 Annex 2's approach). */
const PHASES: Float64Array[] = Array.from({ length: OVERSAMPLE }, (_, p) => {
  const taps = new Float64Array(TAPS_PER_PHASE);
  const half = TAPS_PER_PHASE / 2;
  for (let j = 0; j < TAPS_PER_PHASE; j++) {
    const t = j - half + 1 - p / OVERSAMPLE; // distance in input samples
    const sinc = t === 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
    const window = 0.5 + 0.5 * Math.cos((Math.PI * t) / (half + 1)); // Hann over the support
    taps[j] = sinc * window;
  }
  return taps;
});

/** True peak in dBTP: the largest magnitude of the 4x oversampled signal. */
export function truePeakDb(samples: Float32Array): number {
  let peak = 0;
  const half = TAPS_PER_PHASE / 2;
  for (let i = 0; i < samples.length; i++) {
    peak = max(peak, abs(samples[i]));
    for (let p = 1; p < OVERSAMPLE; p++) {
      const taps = PHASES[p];
      let acc = 0;
      for (let j = 0; j < TAPS_PER_PHASE; j++) {
        const k = i + j - half + 1;
        if (k >= 0 && k < samples.length) acc += taps[j] * samples[k];
      }
      peak = max(peak, abs(acc));
    }
  }
  return 20 * Math.log10(peak);
}
