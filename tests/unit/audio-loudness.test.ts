// BS.1770 loudness and true peak against known values, ebur128-wasm (always) and ffmpeg's ebur128 filter (when installed).
import * as fs from "node:fs";
import {
  integratedLoudness,
  kWeightingFilters,
  measureLoudness,
  samplePeakDb,
  truePeakDb,
} from "../../helper/audio/loudness";
import { ffmpegEbur128, hasFfmpeg, musicLike, rng } from "../helpers/audio";

if (!hasFfmpeg) console.warn("audio-loudness: ffmpeg not found, skipping the checks against ffmpeg's ebur128 filter");

const dbToGain = (db: number) => 10 ** (db / 20);
function sine(freq: number, rate: number, seconds: number, amp: number, phase = 0): Float32Array {
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate + phase);
  return x;
}
/** Paul Kellet's pink-noise filter over white noise: -3 dB/octave. */
function pinkNoise(rate: number, seconds: number, amp = 0.15, seed = 3): Float32Array {
  const rnd = rng(seed);
  let b0 = 0,
    b1 = 0,
    b2 = 0;
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) {
    const w = rnd();
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    b2 = 0.57 * b2 + w * 1.0526913;
    x[i] = amp * (b0 + b1 + b2 + w * 0.1848);
  }
  return x;
}
/** Raised-cosine fades at both ends, so edge overshoot does not decide a true-peak reading. */
function faded(x: Float32Array, rate: number, sec = 0.05): Float32Array {
  const n = Math.round(sec * rate);
  const y = x.slice();
  for (let i = 0; i < n; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * i) / n);
    y[i] *= g;
    y[y.length - 1 - i] *= g;
  }
  return y;
}

/** Node's WebAssembly global, typed just enough (the project's lib is ES2022 without DOM). */
const WebAssemblyApi = (
  globalThis as unknown as {
    WebAssembly: {
      Module: { new (bytes: Uint8Array): object; imports(m: object): { module: string; name: string }[] };
      Instance: new (m: object, imports: object) => { exports: unknown };
    };
  }
).WebAssembly;

/** ebur128-wasm (Rust port of libebur128) ships a bundler-target build: instantiate its .wasm directly. */
function loadEbur128() {
  const mod = new WebAssemblyApi.Module(fs.readFileSync(require.resolve("ebur128-wasm/ebur128_wasm_bg.wasm")));
  const imports: Record<string, Record<string, () => never>> = {};
  for (const imp of WebAssemblyApi.Module.imports(mod)) {
    (imports[imp.module] ??= {})[imp.name] = () => {
      throw new Error("ebur128-wasm panicked"); // only its panic hook imports anything
    };
  }
  const e = new WebAssemblyApi.Instance(mod, imports).exports as {
    memory: { buffer: ArrayBuffer };
    __wbindgen_malloc(bytes: number): number;
    ebur128_integrated_mono(rate: number, ptr: number, len: number): number;
    ebur128_true_peak_mono(rate: number, ptr: number, len: number): number;
  };
  // the Rust side takes ownership of the buffer (a Vec<f32>) and frees it
  const call = (fn: (rate: number, ptr: number, len: number) => number, x: Float32Array, rate: number) => {
    const ptr = e.__wbindgen_malloc(x.length * 4);
    new Float32Array(e.memory.buffer, ptr, x.length).set(x);
    return fn(rate, ptr, x.length);
  };
  return {
    integrated: (x: Float32Array, rate: number) => call(e.ebur128_integrated_mono, x, rate),
    truePeak: (x: Float32Array, rate: number) => call(e.ebur128_true_peak_mono, x, rate),
  };
}

describe("integrated loudness (BS.1770-4)", () => {
  it.each([48000, 32000])("reads a 997 Hz sine at -20 dBFS peak, mono, as -23.0 LUFS at %d Hz", (rate) => {
    // -20 dBFS peak = -23.01 dB RMS; K-weighting adds +0.69 dB at 1 kHz, which the -0.691 constant takes off;
    // a single channel is weighted 1.0 (ffmpeg agrees: -23.0)
    expect(integratedLoudness(sine(997, rate, 5, dbToGain(-20)), rate)).toBeCloseTo(-23.0, 1);
  });

  it("K-weighting: about +4 dB at 10 kHz, +0.7 dB at 1 kHz, a steep cut at 20 Hz", () => {
    // gain of the weighting = loudness - (-0.691 + RMS in dB); a sine's RMS is its amplitude / sqrt(2)
    const weighting = (freq: number) =>
      integratedLoudness(sine(freq, 48000, 3, 0.1), 48000) - (-0.691 + 20 * Math.log10(0.1 / Math.SQRT2));
    expect(weighting(10000)).toBeCloseTo(4.0, 0);
    expect(weighting(997)).toBeCloseTo(0.69, 1);
    expect(weighting(20)).toBeLessThan(-10);
    const [shelf, highpass] = kWeightingFilters(48000);
    // BS.1770-4's published 48 kHz coefficients
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 8);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 8);
    expect(highpass.a1).toBeCloseTo(-1.99004745483398, 8);
    expect(highpass.a2).toBeCloseTo(0.99007225036621, 8);
  });

  it("moves by exactly the gain applied", () => {
    const x = pinkNoise(48000, 4);
    const louder = x.map((v) => v * dbToGain(7.5));
    expect(integratedLoudness(louder, 48000) - integratedLoudness(x, 48000)).toBeCloseTo(7.5, 3);
  });

  it("gates: silence does not count (absolute gate) and a part 20 dB down drops out (relative gate)", () => {
    const tone = sine(997, 48000, 5, dbToGain(-20)); // 5 s: 47 whole 400 ms blocks at a 100 ms hop
    const base = integratedLoudness(tone, 48000);
    const withSilence = new Float32Array(tone.length * 2);
    withSilence.set(tone);
    // the three blocks straddling the end hold 75, 50 and 25 % of a block's energy and still pass both gates;
    // the 47 silent ones fall under the absolute gate
    expect(integratedLoudness(withSilence, 48000)).toBeCloseTo(base + 10 * Math.log10((47 + 1.5) / 50), 3);
    const withQuiet = withSilence.slice();
    withQuiet.set(
      tone.map((v) => v * dbToGain(-20)),
      tone.length,
    );
    // ungated the mean would be ~3 LU lower; the relative gate (mean - 10 LU) drops the 47 quiet blocks
    const straddling = 0.75 + 0.25 * 0.01 + 0.5 + 0.5 * 0.01 + 0.25 + 0.75 * 0.01;
    expect(integratedLoudness(withQuiet, 48000)).toBeCloseTo(base + 10 * Math.log10((47 + straddling) / 50), 3);
  });

  it("is -Infinity for silence, input under 400 ms and empty input, without throwing", () => {
    expect(integratedLoudness(new Float32Array(48000 * 2), 48000)).toBe(-Infinity);
    expect(integratedLoudness(sine(997, 48000, 0.3, 0.5), 48000)).toBe(-Infinity);
    expect(integratedLoudness(new Float32Array(0), 48000)).toBe(-Infinity);
    expect(measureLoudness(new Float32Array(4800), 48000)).toEqual({
      integratedLufs: -Infinity,
      truePeakDbtp: -Infinity,
      samplePeakDbfs: -Infinity,
    });
  });
});

describe("true peak", () => {
  it("finds the inter-sample peak a sample peak misses", () => {
    // fs/4 sampled at 45 degrees: every sample is at 0.707 of the real peak of 1.0 (0 dBTP)
    const x = faded(sine(12000, 48000, 1, 1, Math.PI / 4), 48000);
    expect(samplePeakDb(x)).toBeCloseTo(-3.01, 2);
    expect(Math.abs(truePeakDb(x, 48000))).toBeLessThan(0.05);
  });
  it("equals the sample peak for a low tone", () => {
    const x = faded(sine(100, 48000, 1, 0.5), 48000);
    expect(truePeakDb(x, 48000)).toBeCloseTo(-6.02, 2);
  });
});

describe("agreement with ebur128-wasm (libebur128 in Rust)", () => {
  const ebur = loadEbur128();
  const cases: [string, () => Float32Array, number][] = [
    ["997 Hz sine -20 dBFS, 48 kHz", () => sine(997, 48000, 5, dbToGain(-20)), 48000],
    ["pink noise, 48 kHz", () => pinkNoise(48000, 6), 48000],
    ["pink noise, 32 kHz", () => pinkNoise(32000, 6), 32000],
    ["music-like, 32 kHz", () => musicLike(32000, 6), 32000],
  ];
  it.each(cases)("integrated loudness within 0.01 LU: %s", (_, make, rate) => {
    const x = make();
    expect(Math.abs(integratedLoudness(x, rate) - ebur.integrated(x, rate))).toBeLessThanOrEqual(0.01);
  });
  it("true peak within 0.1 dB on a band-limited signal", () => {
    const x = faded(pinkNoise(48000, 3), 48000);
    expect(Math.abs(truePeakDb(x, 48000) - ebur.truePeak(x, 48000))).toBeLessThanOrEqual(0.1);
  });
});

(hasFfmpeg ? describe : describe.skip)("agreement with ffmpeg's ebur128 filter", () => {
  const cases: [string, () => Float32Array, number][] = [
    ["997 Hz sine -20 dBFS, 48 kHz", () => sine(997, 48000, 5, dbToGain(-20)), 48000],
    ["pink noise, 48 kHz", () => pinkNoise(48000, 6), 48000],
    ["music-like, 48 kHz", () => musicLike(48000, 6), 48000],
    ["music-like, 32 kHz (ffmpeg resamples to 48 kHz itself)", () => musicLike(32000, 6), 32000],
  ];
  it.each(cases)("integrated loudness within 0.1 LU: %s", (_, make, rate) => {
    const x = make();
    const ours = integratedLoudness(x, rate);
    // ffmpeg prints one decimal: allow 0.05 of rounding on top of a 0.05 LU agreement
    expect(Math.abs(ours - ffmpegEbur128(x, rate).integrated)).toBeLessThanOrEqual(0.1);
  });
  it("true peak within 0.15 dB on a band-limited signal", () => {
    const x = faded(pinkNoise(48000, 3), 48000);
    expect(Math.abs(truePeakDb(x, 48000) - ffmpegEbur128(x, 48000).truePeak)).toBeLessThanOrEqual(0.15);
  });
  it("reads silence as -70 LUFS (its floor) where we say -Infinity", () => {
    expect(ffmpegEbur128(new Float32Array(48000), 48000).integrated).toBe(-70);
    expect(integratedLoudness(new Float32Array(48000), 48000)).toBe(-Infinity);
  });
});
