// Tempo and beat times of a finished bed (music-tempo: spectral-flux onsets + BeatRoot's multi-agent beat tracking),
// folded into the range editors cut to, so the panel can snap cuts to beats.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MusicTempo = require("music-tempo") as new (data: number[], params?: object) => MusicTempoResult;

interface MusicTempoResult {
  tempo: string | number;
  /** Beat times, s. */
  beats: number[];
  /** Onset strength per frame, normalised to mean 0 and deviation 1. */
  spectralFlux: number[];
}

export interface TempoOptions {
  /** Plausible range for a music bed; BeatRoot's octave errors are folded into [minBpm, maxBpm). */
  minBpm: number;
  maxBpm: number;
  /** Below this sample peak the input counts as silence. */
  silenceDbfs: number;
  /** Below this pulse clarity (see `confidence`) there is no beat worth snapping to: bpm null. */
  minConfidence: number;
}

export const TEMPO: TempoOptions = { minBpm: 70, maxBpm: 180, silenceDbfs: -60, minConfidence: 0.15 };

export interface TempoEstimate {
  bpm: number | null;
  /** Beat times in seconds, consistent with `bpm` (thinned or filled in when the tempo was folded). */
  beats: number[];
  /**
   * Pulse clarity, 0..1: autocorrelation of the onset strength at the beat period. ~0.9 for a steady beat, < 0.1
   * for noise; 0 when there is no tempo.
   */
  confidence: number;
}

const NONE: TempoEstimate = { bpm: null, beats: [], confidence: 0 };
/** music-tempo is tuned for 10 ms frames (441 samples at 44.1 kHz); keep that at any sample rate. */
const FRAME_SEC = 0.01;

/** BeatRoot halves or doubles the tempo now and then (87 -> 174 BPM): fold by octaves into [low, high). */
export function foldBpm(bpm: number, low = TEMPO.minBpm, high = TEMPO.maxBpm): number {
  if (!(bpm > 0) || !Number.isFinite(bpm)) return bpm;
  while (bpm < low) bpm *= 2;
  while (bpm >= high) bpm /= 2;
  return bpm;
}

function trackerParams(rate: number, o: TempoOptions) {
  const hopSize = Math.round(rate * FRAME_SEC);
  let bufferSize = 1024; // its FFT needs a power of two: 2048 at 44.1/48 kHz, 1024 at 32 kHz (~30-46 ms)
  while (bufferSize < 0.03 * rate) bufferSize *= 2;
  return {
    hopSize,
    bufferSize,
    timeStep: hopSize / rate,
    // let the tracker look a little beyond the folding range so it can lock on, then fold
    minBeatInterval: 60 / (o.maxBpm * 1.1),
    maxBeatInterval: 60 / (o.minBpm * 0.9),
  };
}

/**
 * Tempo (BPM) and beat times (s). `bpm: null` for silence, input under 2 s, or no clear pulse. Never throws.
 */
export function estimateTempo(samples: Float32Array, rate: number, options: Partial<TempoOptions> = {}): TempoEstimate {
  const o = { ...TEMPO, ...options };
  if (samples.length < 2 * rate) return NONE;
  const floor = 10 ** (o.silenceDbfs / 20);
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]));
  if (peak < floor) return NONE;

  const params = trackerParams(rate, o);
  let mt: MusicTempoResult;
  try {
    // a plain Array: the library checks `instanceof Float32Array`, which fails across realms (jest, workers)
    mt = new MusicTempo(Array.from(samples), params);
  } catch {
    return NONE; // it throws strings ("Tempo extraction failed") when it finds no periodic onsets
  }
  const raw = Number(mt.tempo);
  if (!Number.isFinite(raw) || raw <= 0 || mt.beats.length < 2) return NONE;

  const framesPerMinute = 60 / params.timeStep;
  let bpm = foldBpm(raw, o.minBpm, o.maxBpm);
  let confidence = pulseClarity(mt.spectralFlux, framesPerMinute / bpm);
  // BeatRoot also doubles inside the range (70 -> 140): then every other beat has no onset, and the onset strength
  // repeats far more clearly at twice its period than at the period itself (5 % leeway: 139.9 -> 69.96 is 70 BPM)
  if (bpm / 2 >= 0.95 * o.minBpm) {
    const half = pulseClarity(mt.spectralFlux, (2 * framesPerMinute) / bpm);
    if (confidence < 0.5 * half) {
      bpm /= 2;
      confidence = half;
    }
  }
  if (confidence < o.minConfidence) return NONE;
  const strength = (beats: number[]) =>
    beats.reduce((s, b) => s + (mt.spectralFlux[Math.round(b / params.timeStep)] ?? 0), 0) / Math.max(1, beats.length);
  return { bpm, beats: refold(mt.beats, raw / bpm, strength), confidence };
}

/**
 * Beat list for the folded tempo (`ratio` = tracked / folded BPM): every other beat when halved (the phase on the
 * stronger onsets), midpoints added when doubled.
 */
function refold(beats: number[], ratio: number, strength: (beats: number[]) => number): number[] {
  let out = beats.slice();
  for (; ratio > 1.5; ratio /= 2) {
    const even = out.filter((_, i) => i % 2 === 0);
    const odd = out.filter((_, i) => i % 2 === 1);
    out = strength(odd) > strength(even) ? odd : even;
  }
  for (; ratio < 0.75; ratio *= 2) {
    out = out.flatMap((b, i) => (i + 1 < out.length ? [b, (b + out[i + 1]) / 2] : [b]));
  }
  return out;
}

/**
 * Autocorrelation of the normalised onset strength at a lag of `periodFrames` (best of the neighbouring whole
 * lags), clamped to 0..1: high for a steady pulse, near 0 for noise or held chords (where BeatRoot still answers).
 */
function pulseClarity(flux: number[], periodFrames: number): number {
  let best = 0;
  for (
    let lag = Math.max(1, Math.floor(periodFrames) - 1);
    lag <= Math.ceil(periodFrames) + 1 && lag < flux.length;
    lag++
  ) {
    let sum = 0;
    for (let i = 0; i + lag < flux.length; i++) sum += flux[i] * flux[i + lag];
    best = Math.max(best, sum / (flux.length - lag));
  }
  return Math.min(1, best);
}
