// Level stages of the finishing chain: loudness normalisation, the bed level, the peak guard.
import { DEFAULT_BED_LEVEL_DB, DEFAULT_LOUDNESS_LUFS } from "../../shared/protocol/limits";
import { integratedLoudness, samplePeakDb, truePeakDb } from "./loudness";

/** Streaming platforms' reference level, and our normalisation target before the bed level. */
export const TARGET_LUFS = DEFAULT_LOUDNESS_LUFS;
/**
 * The source article's bed level: the bed sits this far below the normalised level. Baked into the file because
 * Premiere's UXP API has no clip-gain call, so the panel cannot lower the clip after import.
 */
export const BED_LEVEL_DB = DEFAULT_BED_LEVEL_DB;

export const dbToGain = (db: number): number => 10 ** (db / 20);
export const gainToDb = (gain: number): number => 20 * Math.log10(gain);

/** A new array, every sample multiplied by 10^(db/20). */
export function applyGain(samples: Float32Array, db: number): Float32Array {
  const g = dbToGain(db);
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] * g;
  return out;
}

/** Gain (dB) that brings the signal to `targetLufs`; 0 for silence or input under 400 ms (nothing to measure). */
export function normalizationGainDb(samples: Float32Array, rate: number, targetLufs = TARGET_LUFS): number {
  const measured = integratedLoudness(samples, rate);
  return Number.isFinite(measured) ? targetLufs - measured : 0;
}

export interface Normalized {
  samples: Float32Array;
  /** Integrated loudness before, LUFS (-Infinity for silence). */
  inputLufs: number;
  gainDb: number;
}

/** Brings the integrated loudness (BS.1770) to `targetLufs`; silence comes back unchanged. No limiting here. */
export function normalizeLoudness(samples: Float32Array, rate: number, targetLufs = TARGET_LUFS): Normalized {
  const inputLufs = integratedLoudness(samples, rate);
  const gainDb = Number.isFinite(inputLufs) ? targetLufs - inputLufs : 0;
  return { samples: applyGain(samples, gainDb), inputLufs, gainDb };
}

/** Lowers a normalised signal to the bed level (default -12 dB). */
export function bedLevel(samples: Float32Array, levelDb = BED_LEVEL_DB): Float32Array {
  return applyGain(samples, levelDb);
}

export interface PeakGuardOptions {
  /** The source article: a sample peak above -0.5 dBFS… */
  peakThresholdDbfs: number;
  /** …costs 3 dB. */
  reductionDb: number;
  /** And whatever else happens, the true peak ends at or below this. */
  truePeakCeilingDbtp: number;
}

export const PEAK_GUARD: PeakGuardOptions = { peakThresholdDbfs: -0.5, reductionDb: 3, truePeakCeilingDbtp: -1 };

export interface PeakGuardDecision {
  /** Total gain the guard applies (<= 0 dB). */
  gainDb: number;
  /** The fixed reduction was applied because the sample peak was over the threshold. */
  samplePeakTriggered: boolean;
  /** Extra reduction to meet the true-peak ceiling (<= 0 dB). */
  ceilingDb: number;
  samplePeakDbfs: number;
  truePeakDbtp: number;
}

/** What the peak guard would do to this signal, without doing it. */
export function peakGuardDecision(
  samples: Float32Array,
  rate: number,
  options: Partial<PeakGuardOptions> = {},
): PeakGuardDecision {
  const o = { ...PEAK_GUARD, ...options };
  const samplePeakDbfs = samplePeakDb(samples);
  const truePeakDbtp = truePeakDb(samples, rate);
  const samplePeakTriggered = samplePeakDbfs > o.peakThresholdDbfs;
  const fixedDb = samplePeakTriggered ? -o.reductionDb : 0;
  // the ceiling is checked after the fixed reduction: lower only as much as still needed
  const over = truePeakDbtp + fixedDb - o.truePeakCeilingDbtp;
  const ceilingDb = over > 0 ? -over : 0;
  return { gainDb: fixedDb + ceilingDb, samplePeakTriggered, ceilingDb, samplePeakDbfs, truePeakDbtp };
}

/**
 * The source article's peak guard: if the sample peak is above -0.5 dBFS, lower by 3 dB; then, if the true peak is
 * still above -1 dBTP, lower just enough to meet it. A plain gain (no limiter), so the music's dynamics are untouched.
 */
export function peakGuard(
  samples: Float32Array,
  rate: number,
  options: Partial<PeakGuardOptions> = {},
): PeakGuardDecision & { samples: Float32Array } {
  const decision = peakGuardDecision(samples, rate, options);
  return { ...decision, samples: decision.gainDb === 0 ? samples.slice() : applyGain(samples, decision.gainDb) };
}
