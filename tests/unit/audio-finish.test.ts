import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { finishBed } from "../../helper/audio/finish";
import { applyGain, dbToGain, peakGuardGainDb } from "../../helper/audio/gain";
import { integratedLoudness, samplePeakDb, truePeakDb } from "../../helper/audio/loudness";
import { estimateTempo, foldBpm } from "../../helper/audio/tempo";
import { fitToLength, silenceBounds } from "../../helper/audio/trim";
import { encodeWav } from "../../helper/audio/wav";

const hasFfmpeg = spawnSync("ffmpeg", ["-version"]).status === 0;
const sine = (freq: number, rate: number, seconds: number, amp: number) => Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / rate));

/** A seeded music-like test signal: chords of sines with noise bursts on a beat. */
function musicLike(rate: number, seconds: number, bpm = 120): Float32Array {
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const beat = Math.round((60 / bpm) * rate);
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => {
    const t = i / rate;
    const tone = 0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.15 * Math.sin(2 * Math.PI * 277 * t) + 0.1 * Math.sin(2 * Math.PI * 330 * t);
    const env = Math.exp(-(i % beat) / (0.03 * rate));
    return tone + 0.5 * env * rnd();
  });
}

function ffmpegMeasure(samples: Float32Array, rate: number): { integrated: number; truePeak: number } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-lufs-")), "x.wav");
  fs.writeFileSync(file, encodeWav(samples, rate, "32f"));
  const r = spawnSync("ffmpeg", ["-nostats", "-hide_banner", "-i", file, "-filter_complex", "ebur128=peak=true", "-f", "null", "-"], { encoding: "utf8" });
  const summary = r.stderr.slice(r.stderr.lastIndexOf("Summary:"));
  return { integrated: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)![1]), truePeak: Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)![1]) };
}

describe("BS.1770 loudness", () => {
  it("a 997 Hz sine at -20 dBFS peak in mono reads about -23 LUFS", () => {
    // -20 dBFS peak = -23.01 dB RMS; K-weighting is ~0 dB at 1 kHz; -0.691 offset; mono weight 1
    expect(integratedLoudness(sine(997, 48000, 5, dbToGain(-20)), 48000)).toBeCloseTo(-23.0, 0);
  });
  it("is -Infinity for silence and short input, without throwing", () => {
    expect(integratedLoudness(new Float32Array(48000), 48000)).toBe(-Infinity);
    expect(integratedLoudness(new Float32Array(100), 48000)).toBe(-Infinity);
  });
  (hasFfmpeg ? it : it.skip)("agrees with ffmpeg's ebur128 within 0.1 LU at 32 and 48 kHz", () => {
    for (const [signal, rate] of [[musicLike(48000, 8), 48000], [musicLike(32000, 8), 32000], [sine(440, 48000, 4, 0.3), 48000]] as const) {
      const ref = ffmpegMeasure(signal, rate);
      expect(Math.abs(integratedLoudness(signal, rate) - ref.integrated)).toBeLessThanOrEqual(0.1);
    }
  });
  it("true peak finds inter-sample peaks a sample peak misses", () => {
    // a sine at fs/4 sampled at 45 degrees: every sample is at 0.707 of the real peak
    const x = Float32Array.from({ length: 4800 }, (_, i) => Math.sin((Math.PI / 2) * i + Math.PI / 4));
    expect(samplePeakDb(x)).toBeCloseTo(-3.01, 1);
    expect(truePeakDb(x)).toBeGreaterThan(-0.5);
  });
});

describe("peak guard", () => {
  it("lowers a signal peaking above -0.5 dBFS by 3 dB", () => {
    expect(peakGuardGainDb(sine(100, 48000, 1, dbToGain(-0.2)))).toBeCloseTo(-3, 1);
  });
  it("leaves a quiet signal alone and always meets the -1 dBTP ceiling", () => {
    expect(peakGuardGainDb(sine(100, 48000, 1, dbToGain(-6)))).toBe(0);
    const hot = Float32Array.from({ length: 4800 }, (_, i) => dbToGain(-0.6) * Math.sin((Math.PI / 2) * i + Math.PI / 4) / Math.SQRT1_2);
    const g = peakGuardGainDb(hot);
    expect(truePeakDb(applyGain(hot, g))).toBeLessThanOrEqual(-1 + 1e-6);
  });
});

describe("silence trim and exact length", () => {
  it("cuts leading and trailing silence over 0.3 s down to 0.1 s", () => {
    const x = new Float32Array(48000 * 3);
    x.set(sine(440, 48000, 1, 0.5), 48000);
    const { start, end } = silenceBounds(x, 48000);
    expect(start / 48000).toBeCloseTo(0.9, 2);
    expect(end / 48000).toBeCloseTo(2.1, 2);
  });
  it("keeps short silences", () => {
    const x = new Float32Array(48000 * 2);
    x.set(sine(440, 48000, 1.8, 0.5), 9600);
    expect(silenceBounds(x, 48000)).toEqual({ start: 0, end: x.length });
  });
  it("fits exactly, fading out to zero", () => {
    const y = fitToLength(sine(440, 48000, 2, 0.5).map(() => 0.5), 48000, 48000, 100);
    expect(y.length).toBe(48000);
    expect(y[47999]).toBe(0);
    expect(y[0]).toBe(0); // cut inside sound: a click-free fade-in
    expect(y[24000]).toBe(0.5);
    expect(fitToLength(new Float32Array(10).fill(1), 48000, 20).length).toBe(20);
  });
});

describe("tempo", () => {
  const clicks = (bpm: number, rate = 48000, seconds = 12) => {
    const x = new Float32Array(rate * seconds);
    const period = (60 / bpm) * rate;
    for (let b = 0; b * period < x.length; b++) for (let i = 0; i < 400; i++) x[Math.round(b * period) + i] = Math.sin(i * 0.3) * Math.exp(-i / 80);
    return x;
  };
  it.each([110, 90, 128])("finds %d BPM in a click track (±2)", (bpm) => {
    const t = estimateTempo(clicks(bpm), 48000);
    expect(Math.abs(t.bpm! - bpm)).toBeLessThanOrEqual(2);
    expect(t.beats.length).toBeGreaterThan(10);
  });
  it("folds octave errors into 70–180 BPM", () => {
    expect(foldBpm(220)).toBe(110);
    expect(foldBpm(55)).toBe(110);
    expect(foldBpm(174)).toBe(174);
  });
  it("says nothing for silence", () => {
    expect(estimateTempo(new Float32Array(48000 * 3), 48000).bpm).toBeNull();
  });
});

describe("finishBed", () => {
  it("makes an exact-length 48 kHz bed at -14 LUFS - 12 dB with the true peak under -1 dBTP", async () => {
    const x = new Float32Array(32000 * 17);
    x.set(musicLike(32000, 15.5), 32000); // 1 s of silence first, 0.5 s after
    const bed = await finishBed(x, { sourceRate: 32000, targetSeconds: 15 });
    expect(bed.samples).toBe(720000);
    expect(bed.sampleRate).toBe(48000);
    expect(Math.abs(bed.loudnessLufs - -26)).toBeLessThanOrEqual(0.5);
    expect(bed.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(bed.steps.trimmedStartSec).toBeCloseTo(0.9, 1);
    expect(Math.abs(bed.bpm! - 120)).toBeLessThanOrEqual(3);
    if (hasFfmpeg) {
      const ref = ffmpegMeasure(bed.samples48k, 48000);
      expect(Math.abs(ref.integrated - bed.loudnessLufs)).toBeLessThanOrEqual(0.1);
      expect(ref.truePeak).toBeLessThanOrEqual(-0.9);
    }
  });
  it("applies the peak guard when normalising would clip", async () => {
    const spiky = musicLike(32000, 6);
    for (let i = 0; i < spiky.length; i += 8000) spiky[i] = 1; // sparse full-scale spikes
    const bed = await finishBed(spiky, { sourceRate: 32000, targetSeconds: 5, bedLevelDb: 0, targetLufs: -8 });
    expect(bed.steps.peakGuardDb).toBeLessThan(0);
    expect(bed.truePeakDbtp).toBeLessThanOrEqual(-1);
  });
});
