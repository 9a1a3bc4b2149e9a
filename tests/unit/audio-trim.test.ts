import { fitToLength, silenceBounds, startsInSound, TRIM, trimSilence } from "../../helper/audio/trim";

const RATE = 48000;
const dbToGain = (db: number) => 10 ** (db / 20);
function sine(seconds: number, amp: number, freq = 440): Float32Array {
  const x = new Float32Array(Math.round(RATE * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / RATE);
  return x;
}
/** `lead` s of silence, `sound` s of tone, `trail` s of silence. */
function padded(lead: number, sound: number, trail: number, amp = 0.5): Float32Array {
  const x = new Float32Array(Math.round(RATE * (lead + sound + trail)));
  x.set(sine(sound, amp), Math.round(RATE * lead));
  return x;
}

describe("silence trim", () => {
  it("uses the source article's defaults: over 0.3 s of silence is cut, keeping 0.1 s, at -50 dBFS", () => {
    expect(TRIM).toEqual({ thresholdDbfs: -50, windowSec: 0.01, maxSilenceSec: 0.3, keepSec: 0.1 });
  });

  it("cuts 1 s of leading and trailing silence down to 0.1 s each", () => {
    const x = padded(1, 1, 1);
    expect(silenceBounds(x, RATE)).toEqual({ start: 0.9 * RATE, end: 2.1 * RATE });
    const t = trimSilence(x, RATE);
    expect(t.samples.length).toBe(1.2 * RATE);
    expect(t.samples[0.1 * RATE + 100]).toBe(x[RATE + 100]); // the tone starts 0.1 s in
  });

  it("keeps silences of 0.3 s or less", () => {
    const x = padded(0.3, 1, 0.2);
    expect(silenceBounds(x, RATE)).toEqual({ start: 0, end: x.length });
  });

  it("judges silence by RMS against the threshold, which is configurable", () => {
    // a tone at -45 dBFS RMS is sound, at -55 dBFS RMS silence (under the default -50)
    const rmsAmp = (db: number) => dbToGain(db) * Math.SQRT2;
    expect(silenceBounds(padded(1, 1, 0, rmsAmp(-45)), RATE).start).toBe(0.9 * RATE);
    expect(silenceBounds(padded(1, 1, 0, rmsAmp(-55)), RATE)).toEqual({ start: 0, end: 2 * RATE }); // all "silence": kept whole
    const withFaintTone = padded(1, 1, 0, 0.5);
    withFaintTone.set(sine(0.5, rmsAmp(-55)), 0.5 * RATE); // faint from 0.5 s
    expect(silenceBounds(withFaintTone, RATE).start).toBe(0.9 * RATE);
    expect(silenceBounds(withFaintTone, RATE, { thresholdDbfs: -60 }).start).toBe(0.4 * RATE);
    expect(silenceBounds(padded(1, 1, 0), RATE, { keepSec: 0.25 }).start).toBe(0.75 * RATE);
  });

  it("keeps all-silent and empty input whole", () => {
    expect(silenceBounds(new Float32Array(RATE), RATE)).toEqual({ start: 0, end: RATE });
    expect(silenceBounds(new Float32Array(0), RATE)).toEqual({ start: 0, end: 0 });
  });
});

describe("fitToLength", () => {
  it("cuts to exactly the requested length with a 50 ms linear fade-out ending at 0", () => {
    const y = fitToLength(new Float32Array(2 * RATE).fill(0.5), RATE, RATE);
    expect(y.length).toBe(RATE);
    expect(y[RATE - 1]).toBe(0);
    expect(y[RATE - 1 - 1200]).toBeCloseTo(0.25, 6); // halfway through the 2400-sample fade
    expect(y[RATE - 1 - 2400]).toBe(0.5); // before the fade: untouched
  });

  it("pads with silence only when short, fading the real audio's end", () => {
    const y = fitToLength(new Float32Array(RATE).fill(0.5), RATE, 1.5 * RATE);
    expect(y.length).toBe(1.5 * RATE);
    expect(y[RATE - 1]).toBe(0);
    expect(y[RATE - 2401]).toBe(0.5);
    expect(y.subarray(RATE).every((v) => v === 0)).toBe(true);
  });

  it("fades in over 5 ms only when it starts inside sound", () => {
    const inSound = fitToLength(new Float32Array(RATE).fill(0.5), RATE, RATE / 2);
    expect(inSound[0]).toBe(0);
    expect(inSound[120]).toBeCloseTo(0.25, 6); // halfway through 240 samples
    expect(inSound[240]).toBe(0.5);
    const quietStart = padded(0.1, 1, 0);
    const kept = fitToLength(quietStart, RATE, RATE);
    expect(kept.subarray(0, 0.1 * RATE + 240)).toEqual(quietStart.subarray(0, 0.1 * RATE + 240)); // nothing to fade
    expect(startsInSound(quietStart, RATE)).toBe(false);
    expect(startsInSound(sine(1, 0.5, 1000).subarray(12), RATE)).toBe(true);
    expect(fitToLength(new Float32Array(100).fill(0.5), RATE, 100, { fadeInSec: 0, fadeOutSec: 0 })[0]).toBe(0.5);
  });

  it("copies: the input is not changed", () => {
    const x = new Float32Array(RATE).fill(0.5);
    fitToLength(x, RATE, RATE / 2);
    expect(x.every((v) => v === 0.5)).toBe(true);
  });
});
