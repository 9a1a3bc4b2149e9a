// Level stages of the finishing chain: loudness normalisation, the bed level, the peak guard.
import { integratedLoudness, samplePeakDb, truePeakDb } from "./loudness";

export const dbToGain = (db: number) => 10 ** (db / 20);

export function applyGain(samples: Float32Array, db: number): Float32Array {
  const g = dbToGain(db);
  return samples.map((v) => v * g);
}

/** Gain (dB) that brings the signal to `targetLufs`; 0 for silence (nothing to normalise). */
export function normalizationGainDb(samples: Float32Array, rate: number, targetLufs: number): number {
  const measured = integratedLoudness(samples, rate);
  return Number.isFinite(measured) ? targetLufs - measured : 0;
}

export interface PeakGuardOptions {
  /** The source article: above -0.5 dBFS sample peak, lower by 3 dB. */
  peakThresholdDbfs: number;
  reductionDb: number;
  /** And never let the true peak exceed this. */
  truePeakCeilingDbtp: number;
}

export const PEAK_GUARD: PeakGuardOptions = { peakThresholdDbfs: -0.5, reductionDb: 3, truePeakCeilingDbtp: -1 };

/** Gain (dB, <= 0) the peak guard applies to this signal. */
export function peakGuardGainDb(samples: Float32Array, options: PeakGuardOptions = PEAK_GUARD): number {
  let gain = samplePeakDb(samples) > options.peakThresholdDbfs ? -options.reductionDb : 0;
  const tp = truePeakDb(samples) + gain;
  if (tp > options.truePeakCeilingDbtp) gain -= tp - options.truePeakCeilingDbtp;
  return gain;
}
