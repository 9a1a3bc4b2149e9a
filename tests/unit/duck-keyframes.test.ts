// The dip as keyframes agrees with the dip baked into the samples: same corners, same ramps.
import { duckingEnvelope, DUCK_DEFAULTS } from "../../helper/audio/duck";
import { duckKeyframes, keyframeGainDb } from "../../helper/audio/duck-keyframes";

const RATE = 48000;
const dbOf = (gain: number) => 20 * Math.log10(gain);

describe("duck keyframes", () => {
  const o = { ...DUCK_DEFAULTS, depthDb: 8 };

  it("gives each speech region its four corners, sorted, within the bed", () => {
    const kf = duckKeyframes([{ start: 1, end: 2 }], 5, RATE, o);
    expect(kf).toEqual([
      { time_sec: 0.95, gain_db: 0 },
      { time_sec: 1, gain_db: -8 },
      { time_sec: 2, gain_db: -8 },
      { time_sec: 2.3, gain_db: 0 },
    ]);
    expect(duckKeyframes([], 5, RATE, o)).toEqual([]);
    expect(duckKeyframes([{ start: 1, end: 2 }], 5, RATE, { ...o, depthDb: 0 })).toEqual([]);
  });

  it("cuts ramps at the bed's edges and joins regions whose ramps overlap where the ramps cross", () => {
    const kf = duckKeyframes(
      [
        { start: 0.02, end: 1 },
        { start: 1.2, end: 2.9 },
      ],
      3,
      RATE,
      o,
    );
    const times = kf.map((k) => k.time_sec);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBe(0);
    expect(times.at(-1)).toBe(3);
    expect(kf.every((k) => k.time_sec >= 0 && k.time_sec <= 3 && k.gain_db <= 0 && k.gain_db >= -8)).toBe(true);
    // 1.0 s release (0.3 s) meets the 1.2 s attack (0.05 s): they cross at (0.05·1 + 0.3·1.2) / 0.35
    const cross = kf.find((k) => k.time_sec > 1 && k.time_sec < 1.2)!;
    expect(cross.time_sec).toBeCloseTo((0.05 * 1 + 0.3 * 1.2) / 0.35, 5);
    expect(kf.length).toBeLessThan(10); // sparse: corners only
  });

  it("interpolated linearly in dB, equal the baked gain curve at the corners and in between", () => {
    const regions = [
      { start: 0.4, end: 1.1 },
      { start: 1.25, end: 2.0 },
      { start: 2.8, end: 3.5 },
    ];
    const duration = 4;
    const length = duration * RATE;
    const baked = duckingEnvelope(regions, length, RATE, o);
    const kf = duckKeyframes(regions, duration, RATE, o);
    for (const k of kf) {
      const i = Math.min(length - 1, Math.round(k.time_sec * RATE));
      expect(dbOf(baked[i])).toBeCloseTo(k.gain_db, 3);
    }
    let worst = 0;
    for (let i = 0; i < length; i += 7)
      worst = Math.max(worst, Math.abs(dbOf(baked[i]) - keyframeGainDb(kf, i / RATE)));
    expect(worst).toBeLessThan(0.01);
  });
});
