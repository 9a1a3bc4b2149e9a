import { estimateTempo, foldBpm, TEMPO } from "../../helper/audio/tempo";
import { rng } from "../helpers/audio";

/** A click track: a short decaying 2.3 kHz burst on every beat. */
function clicks(bpm: number, rate: number, seconds: number): Float32Array {
  const x = new Float32Array(Math.round(rate * seconds));
  const period = (60 / bpm) * rate;
  const len = Math.round(0.008 * rate);
  for (let b = 0; b * period < x.length; b++) {
    const at = Math.round(b * period);
    for (let i = 0; i < len && at + i < x.length; i++)
      x[at + i] = Math.sin((2 * Math.PI * 2300 * i) / rate) * Math.exp(-i / (len / 5));
  }
  return x;
}
/** Held chords under noise hits on the beat. */
function musicLike(bpm: number, rate: number, seconds: number): Float32Array {
  const rnd = rng(11);
  const beat = Math.round((60 / bpm) * rate);
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    x[i] =
      0.2 * Math.sin(2 * Math.PI * 220 * t) +
      0.15 * Math.sin(2 * Math.PI * 277 * t) +
      0.5 * Math.exp(-(i % beat) / (0.03 * rate)) * rnd();
  }
  return x;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const intervals = (beats: number[]) => beats.slice(1).map((b, i) => b - beats[i]);

describe("estimateTempo", () => {
  it.each([110, 90])("finds %d BPM in a 12 s click track at 48 kHz (±2), with beats on the clicks", (bpm) => {
    const t = estimateTempo(clicks(bpm, 48000, 12), 48000);
    expect(Math.abs(t.bpm! - bpm)).toBeLessThanOrEqual(2);
    expect(Math.abs(t.beats.length - (12 * bpm) / 60)).toBeLessThanOrEqual(2);
    expect(median(intervals(t.beats))).toBeCloseTo(60 / bpm, 1);
    // every beat within 30 ms of a click
    const period = 60 / bpm;
    for (const b of t.beats) expect(Math.abs(b - Math.round(b / period) * period)).toBeLessThan(0.03);
    expect(t.confidence).toBeGreaterThan(0.5);
  });

  it("undoes BeatRoot's doubling inside the range: 70 BPM read as 140 at 32 kHz", () => {
    const t = estimateTempo(clicks(70, 32000, 12), 32000);
    expect(Math.abs(t.bpm! - 70)).toBeLessThanOrEqual(2);
    expect(median(intervals(t.beats))).toBeCloseTo(60 / 70, 1);
  });

  it("finds 128 BPM in music-like material at 32 kHz", () => {
    const t = estimateTempo(musicLike(128, 32000, 12), 32000);
    expect(Math.abs(t.bpm! - 128)).toBeLessThanOrEqual(2);
  });

  it("says nothing for silence, noise, or input under 2 s, without throwing", () => {
    expect(estimateTempo(new Float32Array(48000 * 5), 48000)).toEqual({ bpm: null, beats: [], confidence: 0 });
    const rnd = rng(5);
    const noise = new Float32Array(48000 * 6).map(() => 0.3 * rnd());
    expect(estimateTempo(noise, 48000).bpm).toBeNull();
    expect(estimateTempo(clicks(120, 48000, 1.5), 48000).bpm).toBeNull();
    expect(estimateTempo(new Float32Array(0), 48000).bpm).toBeNull();
  });

  it("handles a 30 s bed at 48 kHz in well under the time a generation takes", () => {
    const x = musicLike(100, 48000, 30);
    const started = Date.now();
    const t = estimateTempo(x, 48000);
    const ms = Date.now() - started;
    console.log(`estimateTempo: 30 s at 48 kHz in ${ms} ms`);
    expect(Math.abs(t.bpm! - 100)).toBeLessThanOrEqual(2);
    expect(ms).toBeLessThan(10000);
  });
});

describe("foldBpm", () => {
  it("folds octave errors into [70, 180)", () => {
    expect(TEMPO).toMatchObject({ minBpm: 70, maxBpm: 180 });
    expect(foldBpm(220)).toBe(110);
    expect(foldBpm(55)).toBe(110);
    expect(foldBpm(43.5)).toBe(87);
    expect(foldBpm(174)).toBe(174);
    expect(foldBpm(180)).toBe(90);
    expect(foldBpm(70)).toBe(70);
    expect(foldBpm(100, 40, 80)).toBe(50);
  });
});
