// The finishing chain: the engine's mono 32 kHz output (a little longer than asked) becomes a loudness-safe 48 kHz bed
// of exactly the requested length. Stages, in this order:
//   1. loudness normalisation (-14 LUFS)   2. bed level (-12 dB)   3. peak guard (-0.5 dBFS / 3 dB, -1 dBTP)
//   4. silence trim + exact length, at the source rate   5. resample to 48 kHz   6. settle and re-measure   7. tempo
//
// Order subtleties:
// - The levels are measured on exactly the stretch that ends up in the file, not on the margin that the exact-length
//   cut throws away (a loud margin would otherwise pull the bed down, or trip the peak guard for nothing). So where the
//   bed starts is decided first; the trim threshold means dBFS *of the levelled bed*, so the decision is made with
//   the level the input is about to get.
// - The true-peak ceiling does not survive the later stages by itself: the peak guard measures at 32 kHz, where its
//   4x interpolator under-reads content near 16 kHz; the fades are harmless, but the resampler's filter rings and
//   the 48 kHz signal has its own inter-sample peaks. The fades and the resampler's anti-alias band also move the
//   loudness a little (up to ~0.7 LU for noise-like content). Stage 6 therefore measures the 48 kHz signal itself,
//   puts the loudness back where the chain meant it, and lets the true-peak ceiling (minus a 0.1 dB margin for
//   meter differences, e.g. ffmpeg's 192 kHz meter) win over loudness. The reported numbers are of the final signal.
import { OUTPUT_SAMPLE_RATE } from "../../shared/protocol/limits";
import {
  applyGain,
  BED_LEVEL_DB,
  bedLevel,
  normalizationGainDb,
  normalizeLoudness,
  PEAK_GUARD,
  peakGuard,
  PeakGuardDecision,
  PeakGuardOptions,
  TARGET_LUFS,
} from "./gain";
import { integratedLoudness, truePeakDb } from "./loudness";
import { resample } from "./resample";
import { estimateTempo, TempoOptions } from "./tempo";
import { FitOptions, fitToLength, silenceBounds, startsInSound, TRIM, TrimOptions } from "./trim";

/** Room left under the true-peak ceiling in the final file, for meters that read a little higher than ours. */
export const TRUE_PEAK_MARGIN_DB = 0.1;

export interface FinishOptions {
  /** The engine's rate (MusicGen: 32 kHz). */
  sourceRate?: number;
  targetSeconds: number;
  targetLufs?: number;
  /** The source article's bed level: this far below the normalised level, baked in (UXP has no clip-gain call). */
  bedLevelDb?: number;
  outRate?: number;
  peakGuard?: Partial<PeakGuardOptions>;
  trim?: Partial<TrimOptions>;
  fit?: Partial<FitOptions>;
  /** false skips the tempo estimate. */
  tempo?: Partial<TempoOptions> | false;
  /** Start the bed here (seconds into the input) instead of where the silence trim would: a continued take starts
   * where the take it continues started, so their openings line up. */
  startAtSec?: number;
}

export interface FinishSteps {
  normalize: { inputLufs: number; gainDb: number };
  bedLevel: { gainDb: number };
  peakGuard: PeakGuardDecision;
  trim: {
    /** Where the kept stretch starts and ends in the input, s. */
    startSec: number;
    endSec: number;
    /** Seconds of silence appended because the input (after trimming) was shorter than asked. */
    paddedSec: number;
    fadeIn: boolean;
  };
  resample: { fromRate: number; toRate: number; samples: number };
  /** Stage 6: a small gain on the 48 kHz signal; positive restores loudness, negative enforces the ceiling. */
  settle: { measuredLufs: number; measuredTruePeakDbtp: number; gainDb: number; limitedByTruePeak: boolean };
}

export interface FinishedBed {
  samples48k: Float32Array;
  sampleRate: number;
  /** Exactly round(sampleRate · targetSeconds). */
  samples: number;
  /** Measured on the final signal. */
  loudnessLufs: number;
  truePeakDbtp: number;
  bpm: number | null;
  beats: number[];
  tempoConfidence: number;
  steps: FinishSteps;
}

export async function finishBed(input: Float32Array, o: FinishOptions): Promise<FinishedBed> {
  const rate = o.sourceRate ?? 32000;
  const outRate = o.outRate ?? OUTPUT_SAMPLE_RATE;
  const targetLufs = o.targetLufs ?? TARGET_LUFS;
  const bedLevelDb = o.bedLevelDb ?? BED_LEVEL_DB;
  const guardOptions = { ...PEAK_GUARD, ...o.peakGuard };
  if (!(o.targetSeconds > 0)) throw new RangeError(`targetSeconds must be > 0, got ${o.targetSeconds}`);
  const length = Math.round(o.targetSeconds * rate);
  const outLength = Math.round(o.targetSeconds * outRate);

  // Where the bed starts and ends (see the top: decided first, at the level the input is about to get)
  const trimOptions = { ...TRIM, ...o.trim };
  const levelAboutToGet = normalizationGainDb(input, rate, targetLufs) + bedLevelDb;
  const bounds =
    o.startAtSec !== undefined
      ? { start: Math.min(input.length, Math.max(0, Math.round(o.startAtSec * rate))), end: input.length }
      : silenceBounds(input, rate, { ...trimOptions, thresholdDbfs: trimOptions.thresholdDbfs - levelAboutToGet });
  const kept = input.subarray(bounds.start, Math.min(bounds.end, bounds.start + length));

  // 1-3: levels, on the kept stretch
  const normalized = normalizeLoudness(kept, rate, targetLufs);
  const bed = bedLevel(normalized.samples, bedLevelDb);
  const { samples: guarded, ...guard } = peakGuard(bed, rate, guardOptions);

  // 4: exact length at the source rate, with the fades
  const fitOptions = { soundThresholdDbfs: trimOptions.thresholdDbfs, ...o.fit };
  const fadeIn = startsInSound(guarded, rate, fitOptions.soundThresholdDbfs);
  const fitted = fitToLength(guarded, rate, length, fitOptions);

  // 5: 48 kHz, exactly round(48000 · targetSeconds) samples (resampling the exact 32 kHz length could be off by one)
  let out = await resample(fitted, rate, outRate, outLength);

  // 6: settle on the signal actually written
  const measuredLufs = integratedLoudness(out, outRate);
  const measuredTruePeakDbtp = truePeakDb(out, outRate);
  const intended = targetLufs + bedLevelDb + guard.gainDb;
  let gainDb = Number.isFinite(measuredLufs) ? intended - measuredLufs : 0;
  const ceiling = guardOptions.truePeakCeilingDbtp - TRUE_PEAK_MARGIN_DB;
  const limitedByTruePeak = measuredTruePeakDbtp + gainDb > ceiling;
  if (limitedByTruePeak) gainDb = ceiling - measuredTruePeakDbtp;
  if (gainDb !== 0) out = applyGain(out, gainDb);

  // 7: tempo of what the editor hears
  const tempo = o.tempo === false ? { bpm: null, beats: [], confidence: 0 } : estimateTempo(out, outRate, o.tempo);

  return {
    samples48k: out,
    sampleRate: outRate,
    samples: out.length,
    loudnessLufs: integratedLoudness(out, outRate),
    // a plain gain scales the oversampled peak exactly: no need for a second true-peak pass
    truePeakDbtp: measuredTruePeakDbtp + gainDb,
    bpm: tempo.bpm,
    beats: tempo.beats,
    tempoConfidence: tempo.confidence,
    steps: {
      normalize: { inputLufs: normalized.inputLufs, gainDb: normalized.gainDb },
      bedLevel: { gainDb: bedLevelDb },
      peakGuard: guard,
      trim: {
        startSec: bounds.start / rate,
        endSec: (bounds.start + kept.length) / rate,
        paddedSec: Math.max(0, length - kept.length) / rate,
        fadeIn,
      },
      resample: { fromRate: rate, toRate: outRate, samples: outLength },
      settle: { measuredLufs, measuredTruePeakDbtp, gainDb, limitedByTruePeak },
    },
  };
}
