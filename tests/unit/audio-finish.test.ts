// The whole finishing chain on synthetic engine output (32 kHz, with a margin and silences), checked with our meter
// and, when installed, ffmpeg's ebur128 filter.
import { finishBed, TRUE_PEAK_MARGIN_DB } from "../../helper/audio/finish";
import { integratedLoudness, truePeakDb } from "../../helper/audio/loudness";
import { ffmpegEbur128, hasFfmpeg, musicLike } from "../helpers/audio";

if (!hasFfmpeg) console.warn("audio-finish: ffmpeg not found, skipping the checks against ffmpeg's ebur128 filter");

/** Index of the first sample above `db` dBFS. */
function firstAbove(x: Float32Array, db: number): number {
  const t = 10 ** (db / 20);
  return x.findIndex((v) => Math.abs(v) > t);
}

describe("finishBed", () => {
  // 1 s of silence, 15.5 s of music, 1 s of silence: 17.5 s from the engine for a 15 s bed
  const engineOut = new Float32Array(32000 * 17.5);
  engineOut.set(musicLike(32000, 15.5), 32000);
  let bed: Awaited<ReturnType<typeof finishBed>>;
  beforeAll(async () => {
    bed = await finishBed(engineOut, { sourceRate: 32000, targetSeconds: 15 });
  });

  it("is exactly 15 s at 48 kHz", () => {
    expect(bed.samples).toBe(720000);
    expect(bed.samples48k.length).toBe(720000);
    expect(bed.sampleRate).toBe(48000);
    expect(bed.steps.resample).toEqual({ fromRate: 32000, toRate: 48000, samples: 720000 });
  });

  it("measures -14 LUFS - 12 dB = -26 LUFS, with the true peak under -1 dBTP (our meter)", () => {
    expect(Math.abs(bed.loudnessLufs - -26)).toBeLessThanOrEqual(0.5);
    expect(integratedLoudness(bed.samples48k, 48000)).toBe(bed.loudnessLufs); // reported = measured on the output
    expect(bed.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(truePeakDb(bed.samples48k, 48000)).toBeCloseTo(bed.truePeakDbtp, 4);
  });

  (hasFfmpeg ? it : it.skip)(
    "ffmpeg agrees: -26 LUFS within 0.5 LU (and within 0.1 of ours), true peak <= -1 dBTP",
    () => {
      const ref = ffmpegEbur128(bed.samples48k, 48000);
      expect(Math.abs(ref.integrated - -26)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(ref.integrated - bed.loudnessLufs)).toBeLessThanOrEqual(0.1);
      expect(ref.truePeak).toBeLessThanOrEqual(-1);
    },
  );

  it("trims the leading second of silence to 0.1 s and ends on a fade to 0", () => {
    expect(bed.steps.trim.startSec).toBeCloseTo(0.9, 2);
    const lead = firstAbove(bed.samples48k, -60) / 48000;
    expect(lead).toBeGreaterThanOrEqual(0.09);
    expect(lead).toBeLessThanOrEqual(0.11);
    expect(bed.samples48k[719999]).toBeCloseTo(0, 4);
    expect(bed.steps.trim.paddedSec).toBe(0); // the margin covered it
    expect(bed.steps.trim.fadeIn).toBe(false); // it starts on kept silence
  });

  it("reports what each stage did, in order", () => {
    const s = bed.steps;
    expect(s.normalize.gainDb).toBeCloseTo(-14 - s.normalize.inputLufs, 10);
    expect(s.bedLevel.gainDb).toBe(-12);
    expect(s.peakGuard.samplePeakTriggered).toBe(false); // at -26 LUFS this material peaks well under -0.5 dBFS
    expect(s.peakGuard.gainDb).toBe(0);
    expect(Math.abs(s.settle.gainDb)).toBeLessThan(0.5); // a touch-up, not a second normalisation
    expect(s.settle.limitedByTruePeak).toBe(false);
  });

  it("finds the 120 BPM beat in the finished bed", () => {
    expect(Math.abs(bed.bpm! - 120)).toBeLessThanOrEqual(2);
    expect(bed.beats.length).toBeGreaterThan(25);
    expect(bed.tempoConfidence).toBeGreaterThan(0.5);
  });

  it("keeps the -1 dBTP ceiling through resampling when the peak guard had to act (loud target, bright material)", async () => {
    // full-band noise hits at 32 kHz: their inter-sample peaks are under-read at 32 kHz, so the guard alone is not
    // enough at 48 kHz; the settle stage has to hold the ceiling
    const hot = musicLike(32000, 7, 120, 99);
    for (let i = 0; i < hot.length; i += 8000) hot[i] = 1; // sparse full-scale spikes
    const loud = await finishBed(hot, { sourceRate: 32000, targetSeconds: 6, targetLufs: -8, bedLevelDb: 0 });
    expect(loud.samples).toBe(288000);
    expect(loud.steps.peakGuard.gainDb).toBeLessThan(0);
    expect(loud.truePeakDbtp).toBeLessThanOrEqual(-1);
    expect(loud.truePeakDbtp).toBeGreaterThanOrEqual(-1 - TRUE_PEAK_MARGIN_DB - 0.01); // lowered only as far as needed
    if (hasFfmpeg) expect(ffmpegEbur128(loud.samples48k, 48000).truePeak).toBeLessThanOrEqual(-1);
  });

  it("pads short engine output with silence to the exact length", async () => {
    const short = await finishBed(musicLike(32000, 3), { sourceRate: 32000, targetSeconds: 4.00001, tempo: false });
    expect(short.samples).toBe(Math.round(4.00001 * 48000));
    expect(short.steps.trim.paddedSec).toBeCloseTo(1, 3);
    expect(short.steps.trim.fadeIn).toBe(true); // the model started mid-sound: 5 ms fade-in, no click
    expect(Math.abs(short.samples48k[0])).toBeLessThan(1e-3); // 0 at 32 kHz; the resampler's pre-ring is < -60 dBFS
    expect(short.samples48k.subarray(3 * 48000 + 100).every((v) => Math.abs(v) < 1e-4)).toBe(true);
    expect(short.bpm).toBeNull();
  });

  it("turns silence into silence of the right length without throwing", async () => {
    const quiet = await finishBed(new Float32Array(32000 * 3), { targetSeconds: 2.5 });
    expect(quiet.samples).toBe(120000);
    expect(quiet.samples48k.every((v) => v === 0)).toBe(true);
    expect(quiet.loudnessLufs).toBe(-Infinity);
    expect(quiet.truePeakDbtp).toBe(-Infinity);
    expect(quiet.bpm).toBeNull();
    expect(quiet.steps.normalize.gainDb).toBe(0);
  });

  it("rejects a non-positive length", async () => {
    await expect(finishBed(new Float32Array(10), { targetSeconds: 0 })).rejects.toThrow(RangeError);
  });
});
