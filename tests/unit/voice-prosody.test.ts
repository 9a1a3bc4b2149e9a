// Prosody: pace, pauses and loudness movement of a voice-over, each against values worked out by hand.
import {
  combineEnergy,
  loudnessVariationDb,
  paceRatio,
  pauseStats,
  prosody,
  speechEnergy,
} from "../../helper/voice/prosody";

const RATE = 16000;
/** Speech-like test signal: a 200 Hz tone whose amplitude follows `level(t)` (linear), over `seconds`. */
function tone(seconds: number, level: (t: number) => number): Float32Array {
  const x = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < x.length; i++) x[i] = level(i / RATE) * Math.sin((2 * Math.PI * 200 * i) / RATE);
  return x;
}

describe("pace", () => {
  it("counts words (en) or characters (zh) per second of speech against an ordinary read", () => {
    const regions = [
      { start: 0, end: 2 },
      { start: 3, end: 4 },
    ]; // 3 s of speech
    expect(paceRatio("one two three four five six seven", "en", regions)).toBeCloseTo(7 / 3 / 2.5, 10);
    expect(paceRatio("这个新功能真的太棒了", "zh", regions)).toBeCloseTo(10 / 3 / 4.5, 10);
    expect(paceRatio("", "en", regions)).toBeNull();
    expect(paceRatio("words", "en", [{ start: 0, end: 0.2 }])).toBeNull();
    expect(speechEnergy("one two three four five six seven", "en", regions)).toBeCloseTo(0.5 + (7 / 3 / 2.5 - 1), 10);
  });
});

describe("pauses", () => {
  it("counts gaps of at least 0.25 s and their share of the spoken stretch", () => {
    expect(
      pauseStats([
        { start: 0, end: 1 },
        { start: 1.1, end: 2 },
        { start: 3, end: 4 },
      ]),
    ).toEqual({ pauses: 1, pauseRatio: 1 / 4 });
    expect(pauseStats([{ start: 0, end: 1 }])).toEqual({ pauses: 0, pauseRatio: 0 });
  });
});

describe("loudness movement", () => {
  it("is 0 dB for a steady voice and the level's own spread for a moving one", () => {
    const steady = tone(2, () => 0.3);
    expect(loudnessVariationDb(steady, RATE, [{ start: 0, end: 2 }])).toBeCloseTo(0, 3);
    // alternating 0.5 s at 0 dB and at -12 dB relative: frame levels are two values 12 dB apart -> std 6 dB
    const moving = tone(2, (t) => (Math.floor(t / 0.5) % 2 === 0 ? 0.3 : 0.3 * 10 ** (-12 / 20)));
    expect(loudnessVariationDb(moving, RATE, [{ start: 0, end: 2 }])).toBeCloseTo(6, 1);
  });
  it("leaves silence out, and says nothing about too little speech", () => {
    const withGap = new Float32Array(RATE * 2);
    withGap.set(tone(1, () => 0.3));
    expect(loudnessVariationDb(withGap, RATE, [{ start: 0, end: 2 }])).toBeCloseTo(0, 3);
    expect(
      loudnessVariationDb(
        tone(0.3, () => 0.3),
        RATE,
        [{ start: 0, end: 0.3 }],
      ),
    ).toBeNull();
  });
});

describe("energy", () => {
  it("is 0.5 for an ordinary read, and each cue moves it its own way", () => {
    expect(combineEnergy({ paceRatio: 1, loudnessVariationDb: 6, pauseRatio: 0.15 })).toBeCloseTo(0.5, 10);
    expect(combineEnergy({ paceRatio: 1.3, loudnessVariationDb: 6, pauseRatio: 0.15 })).toBeCloseTo(0.8, 10);
    expect(combineEnergy({ paceRatio: null, loudnessVariationDb: 9, pauseRatio: 0.15 })).toBeCloseTo(0.7, 10);
    expect(combineEnergy({ paceRatio: null, loudnessVariationDb: 20, pauseRatio: 0.15 })).toBeCloseTo(0.7, 10); // capped
    expect(combineEnergy({ paceRatio: null, loudnessVariationDb: 6, pauseRatio: 0.45 })).toBeCloseTo(0.35, 10);
    expect(combineEnergy({ paceRatio: 3, loudnessVariationDb: 30, pauseRatio: 0 })).toBe(1);
  });
  it("comes from the audio alone when there is no transcript, and is null without enough speech", () => {
    const audio = tone(3, (t) => (Math.floor(t / 0.5) % 2 === 0 ? 0.3 : 0.3 * 10 ** (-12 / 20)));
    const p = prosody(audio, RATE, [{ start: 0, end: 3 }], null, "en");
    expect(p.paceRatio).toBeNull();
    expect(p.loudnessVariationDb).toBeCloseTo(6, 1);
    expect(p.energy).toBeCloseTo(0.55, 2); // ordinary movement (+0), no pauses at all (+0.05)
    expect(prosody(null, RATE, [{ start: 0, end: 0.3 }], "hi", "en").energy).toBeNull();
  });
});
