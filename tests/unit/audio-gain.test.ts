import {
  applyGain,
  BED_LEVEL_DB,
  bedLevel,
  dbToGain,
  gainToDb,
  normalizationGainDb,
  normalizeLoudness,
  PEAK_GUARD,
  peakGuard,
  TARGET_LUFS,
} from "../../helper/audio/gain";
import { integratedLoudness, samplePeakDb, truePeakDb } from "../../helper/audio/loudness";

function sine(freq: number, rate: number, seconds: number, amp: number, phase = 0): Float32Array {
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate + phase);
  return x;
}
function noise(rate: number, seconds: number, amp: number): Float32Array {
  let s = 7;
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amp * (((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1);
  return x;
}
/** fs/4 sampled at 45 degrees with raised-cosine ends: the true peak is sqrt(2) (+3.01 dB) above every sample. */
function interSamplePeaky(samplePeakDbfs: number): Float32Array {
  const x = sine(12000, 48000, 1, dbToGain(samplePeakDbfs) * Math.SQRT2, Math.PI / 4);
  for (let i = 0; i < 2400; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * i) / 2400);
    x[i] *= g;
    x[x.length - 1 - i] *= g;
  }
  return x;
}

describe("dB helpers", () => {
  it("convert both ways and apply gain to a copy", () => {
    expect(dbToGain(-6.0206)).toBeCloseTo(0.5, 5);
    expect(dbToGain(20)).toBeCloseTo(10, 10);
    expect(gainToDb(0.5)).toBeCloseTo(-6.0206, 4);
    const x = Float32Array.from([0.5, -0.25]);
    const y = applyGain(x, -6.0206);
    expect(y[0]).toBeCloseTo(0.25, 5);
    expect(y[1]).toBeCloseTo(-0.125, 5);
    expect(Array.from(x)).toEqual([0.5, -0.25]); // pure: input untouched
  });
  it("defaults: -14 LUFS target, bed 12 dB under it, the article's peak guard", () => {
    expect(TARGET_LUFS).toBe(-14);
    expect(BED_LEVEL_DB).toBe(-12);
    expect(PEAK_GUARD).toEqual({ peakThresholdDbfs: -0.5, reductionDb: 3, truePeakCeilingDbtp: -1 });
  });
});

describe("normalizeLoudness", () => {
  it("brings a -23 LUFS tone to -14 LUFS by default (+9 dB)", () => {
    const x = sine(997, 32000, 3, dbToGain(-20));
    const n = normalizeLoudness(x, 32000);
    expect(n.inputLufs).toBeCloseTo(-23.0, 1);
    expect(n.gainDb).toBeCloseTo(-14 - n.inputLufs, 10);
    expect(integratedLoudness(n.samples, 32000)).toBeCloseTo(-14, 3);
    expect(normalizationGainDb(x, 32000, -20)).toBeCloseTo(n.gainDb - 6, 6);
  });
  it("reaches any target on noise, down as well as up", () => {
    const x = noise(48000, 3, 0.5);
    expect(integratedLoudness(normalizeLoudness(x, 48000, -30).samples, 48000)).toBeCloseTo(-30, 3);
  });
  it("leaves silence alone without throwing", () => {
    const n = normalizeLoudness(new Float32Array(48000), 48000);
    expect(n).toMatchObject({ inputLufs: -Infinity, gainDb: 0 });
    expect(n.samples.every((v) => v === 0)).toBe(true);
  });
});

describe("bedLevel", () => {
  it("lowers the normalised signal by 12 dB by default, or as configured", () => {
    const x = normalizeLoudness(noise(48000, 3, 0.3), 48000).samples;
    expect(integratedLoudness(bedLevel(x), 48000)).toBeCloseTo(-26, 3);
    expect(integratedLoudness(bedLevel(x, -6), 48000)).toBeCloseTo(-20, 3);
  });
});

describe("peakGuard", () => {
  it("lowers by 3 dB when the sample peak is above -0.5 dBFS", () => {
    const g = peakGuard(sine(100, 48000, 1, dbToGain(-0.2)), 48000);
    expect(g).toMatchObject({ samplePeakTriggered: true, gainDb: -3, ceilingDb: 0 });
    expect(g.samplePeakDbfs).toBeCloseTo(-0.2, 3);
    expect(samplePeakDb(g.samples)).toBeCloseTo(-3.2, 3);
  });

  it("leaves a signal under both limits alone (a low tone peaking at -1.2 dBFS)", () => {
    const x = sine(100, 48000, 1, dbToGain(-1.2));
    const g = peakGuard(x, 48000);
    expect(g).toMatchObject({ samplePeakTriggered: false, gainDb: 0, ceilingDb: 0 });
    expect(g.samples).toEqual(x);
    expect(g.samples).not.toBe(x);
  });

  it("below the sample threshold but over -1 dBTP: lowers just enough to meet the ceiling", () => {
    const x = interSamplePeaky(-0.6); // true peak +2.41 dBTP
    const g = peakGuard(x, 48000);
    expect(g.samplePeakTriggered).toBe(false);
    expect(g.truePeakDbtp).toBeCloseTo(2.41, 1);
    expect(g.gainDb).toBeCloseTo(-1 - g.truePeakDbtp, 10);
    expect(truePeakDb(g.samples, 48000)).toBeCloseTo(-1, 3);
  });

  it("over both: 3 dB first, then only the rest that the ceiling still needs", () => {
    const x = interSamplePeaky(-0.2); // true peak +2.81 dBTP; -3 dB leaves -0.19, still over -1
    const g = peakGuard(x, 48000);
    expect(g.samplePeakTriggered).toBe(true);
    expect(g.ceilingDb).toBeCloseTo(-1 - (g.truePeakDbtp - 3), 10);
    expect(g.ceilingDb).toBeCloseTo(-0.81, 1);
    expect(truePeakDb(g.samples, 48000)).toBeCloseTo(-1, 3);
  });

  it("takes its thresholds from options", () => {
    const g = peakGuard(sine(100, 48000, 1, dbToGain(-2)), 48000, {
      peakThresholdDbfs: -3,
      reductionDb: 6,
      truePeakCeilingDbtp: -9,
    });
    expect(g.samplePeakTriggered).toBe(true);
    expect(samplePeakDb(g.samples)).toBeCloseTo(-9, 3); // -2 - 6 = -8, then 1 dB more for the -9 ceiling
  });

  it("does nothing to silence", () => {
    expect(peakGuard(new Float32Array(100), 48000)).toMatchObject({ gainDb: 0, samplePeakTriggered: false });
  });
});
