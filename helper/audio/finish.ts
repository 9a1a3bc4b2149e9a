// The finishing chain, in the order the helper applies it to the engine's 32 kHz output:
// loudness normalisation -> bed level -> peak guard -> silence trim + exact length -> 48 kHz -> re-check -> tempo.
import { applyGain, normalizationGainDb, PEAK_GUARD, peakGuardGainDb, PeakGuardOptions } from "./gain";
import { integratedLoudness, truePeakDb } from "./loudness";
import { resample } from "./resample";
import { estimateTempo } from "./tempo";
import { fitToLength, silenceBounds, TRIM, TrimOptions } from "./trim";

export interface FinishOptions {
  sourceRate: number;
  targetSeconds: number;
  targetLufs?: number;
  /** The source article's bed level: this far below the normalised level, baked in (UXP has no clip-gain call). */
  bedLevelDb?: number;
  outRate?: number;
  peakGuard?: PeakGuardOptions;
  trim?: TrimOptions;
}

export interface FinishedBed {
  samples48k: Float32Array;
  sampleRate: number;
  samples: number;
  loudnessLufs: number;
  truePeakDbtp: number;
  bpm: number | null;
  beats: number[];
  steps: { normalizeDb: number; bedLevelDb: number; peakGuardDb: number; trimmedStartSec: number; resampleDb: number; finalGuardDb: number };
}

export async function finishBed(input: Float32Array, o: FinishOptions): Promise<FinishedBed> {
  const outRate = o.outRate ?? 48000;
  const targetLufs = o.targetLufs ?? -14;
  const bedLevelDb = o.bedLevelDb ?? -12;
  const guard = o.peakGuard ?? PEAK_GUARD;

  const length = Math.round(o.targetSeconds * o.sourceRate);
  // Where the kept stretch starts (after the silence trim) is found on a roughly levelled copy, so the dBFS
  // threshold means the same for any model output; the levels below are then measured on exactly the samples
  // that end up in the file, not on the margin that the exact-length cut throws away.
  const rough = applyGain(input, normalizationGainDb(input, o.sourceRate, targetLufs) + bedLevelDb);
  const { start } = silenceBounds(rough, o.sourceRate, o.trim ?? TRIM);
  const kept = input.subarray(start, start + length);

  const normalizeDb = normalizationGainDb(kept, o.sourceRate, targetLufs);
  const peakGuardDb = peakGuardGainDb(applyGain(kept, normalizeDb + bedLevelDb), guard);
  const leveled = applyGain(input, normalizeDb + bedLevelDb + peakGuardDb);
  const fitted = fitToLength(leveled, o.sourceRate, length, start);
  let out = await resample(fitted, o.sourceRate, outRate, Math.round(o.targetSeconds * outRate));

  // The resampler's anti-alias filter takes off whatever sits just under 16 kHz (little in music, up to ~0.7 dB
  // of a noise-like signal after K-weighting): settle the level on the file actually written.
  const measured = integratedLoudness(out, outRate);
  const resampleDb = Number.isFinite(measured) ? targetLufs + bedLevelDb + peakGuardDb - measured : 0;
  if (resampleDb !== 0) out = applyGain(out, resampleDb);

  // Resampling can raise inter-sample peaks a little: the ceiling is enforced on the file actually written.
  let truePeak = truePeakDb(out);
  let finalGuardDb = 0;
  if (truePeak > guard.truePeakCeilingDbtp) {
    finalGuardDb = guard.truePeakCeilingDbtp - truePeak - 0.05;
    out = applyGain(out, finalGuardDb);
    truePeak += finalGuardDb;
  }
  const tempo = estimateTempo(out, outRate);
  return {
    samples48k: out,
    sampleRate: outRate,
    samples: out.length,
    loudnessLufs: integratedLoudness(out, outRate),
    truePeakDbtp: truePeak,
    bpm: tempo.bpm,
    beats: tempo.beats,
    steps: { normalizeDb, bedLevelDb, peakGuardDb, trimmedStartSec: start / o.sourceRate, resampleDb, finalGuardDb },
  };
}
