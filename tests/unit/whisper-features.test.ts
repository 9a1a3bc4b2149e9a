// Log-mel features against transformers.js's WhisperFeatureExtractor (the reference) on the same audio.
import { parseFeatureConfig } from "../../helper/voice/transcribe/config";
import { hannWindow, LogMelExtractor, melFilterBank } from "../../helper/voice/transcribe/features";
import { WHISPER_PREPROCESSOR_CONFIG } from "../../models/build/whisper/configs";
import { rng } from "../helpers/audio";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tjs = require("@huggingface/transformers");

const cfg = parseFeatureConfig(WHISPER_PREPROCESSOR_CONFIG);
const { sin, PI, abs, max } = Math;

/** Speech-like test signal: a gliding harmonic tone with noise and pauses. */
function voiceLike(seconds: number, seed = 7): Float32Array {
  const rnd = rng(seed);
  const x = new Float32Array(Math.round(16000 * seconds));
  let phase = 0;
  for (let i = 0; i < x.length; i++) {
    const t = i / 16000;
    const f0 = 140 + 40 * sin(2 * PI * 0.7 * t);
    phase += (2 * PI * f0) / 16000;
    const gate = sin(2 * PI * 1.3 * t) > -0.3 ? 1 : 0.02;
    x[i] = gate * (0.3 * sin(phase) + 0.15 * sin(2 * phase) + 0.08 * sin(3 * phase) + 0.02 * rnd());
  }
  return x;
}

async function reference(audio: Float32Array): Promise<Float32Array> {
  const fe = new tjs.WhisperFeatureExtractor({ ...WHISPER_PREPROCESSOR_CONFIG });
  const { input_features } = await fe(audio);
  expect(input_features.dims).toEqual([1, 80, 3000]);
  return input_features.data as Float32Array;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = max(m, abs(a[i] - b[i]));
  return m;
}

describe("Whisper log-mel features", () => {
  const extractor = new LogMelExtractor(cfg);

  it("match transformers.js on a 7 s voice-like clip (zero-padded to 30 s)", async () => {
    const audio = voiceLike(7);
    const ours = extractor.extract(audio);
    expect(ours).toHaveLength(80 * 3000);
    expect(maxAbsDiff(ours, await reference(audio))).toBeLessThan(1e-3);
  });

  it("match transformers.js on a clip longer than 30 s (trimmed)", async () => {
    const audio = voiceLike(31.5, 3);
    expect(maxAbsDiff(extractor.extract(audio), await reference(audio))).toBeLessThan(1e-3);
  });

  it("follow Whisper's normalization: floor at max - 8 in log10, then (x + 4) / 4", () => {
    const ours = extractor.extract(voiceLike(2));
    let hi = -Infinity;
    let lo = Infinity;
    for (const v of ours) {
      hi = max(hi, v);
      lo = Math.min(lo, v);
    }
    expect(hi - lo).toBeCloseTo(2, 5); // 8 decades / 4
    // the zero-padded tail sits on the floor
    expect(ours[10 * 3000 + 2999]).toBeCloseTo(lo, 6);
  });

  it("builds the mel bank and window HF's way", () => {
    const bank = melFilterBank(201, 80, 0, 8000, 16000);
    const fe = new tjs.WhisperFeatureExtractor({ ...WHISPER_PREPROCESSOR_CONFIG });
    const ref = fe.config.mel_filters as number[][];
    expect(ref).toHaveLength(80);
    let m = 0;
    for (let i = 0; i < 80; i++) for (let j = 0; j < 201; j++) m = max(m, abs(bank[i * 201 + j] - ref[i][j]));
    expect(m).toBeLessThan(1e-9);
    const win = hannWindow(400);
    const refWin = fe.window as Float64Array;
    expect(maxAbsDiff(Float32Array.from(win), Float32Array.from(refWin))).toBeLessThan(1e-9);
  });
});
