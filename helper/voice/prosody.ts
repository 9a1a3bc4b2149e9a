// How lively the voice is, from the audio itself: its pace (words or characters per second of speech, when there
// is a transcript), its pauses, and how much its loudness moves. 0.5 is an ordinary narration; faster, more
// animated reads push the bed's tempo up, slow reads with long pauses pull it down.
import type { Region } from "./speech-regions";

const ORDINARY_PACE = { en: 2.5, zh: 4.5 }; // words / characters per second of speech
/** Loudness movement of ordinary read speech: std of 50 ms frame levels over speech, dB. */
const ORDINARY_VARIATION_DB = 6;
/** Share of the spoken stretch that is pause in an ordinary read. */
const ORDINARY_PAUSE_RATIO = 0.15;

export interface Prosody {
  /** Seconds of speech. */
  speechSec: number;
  /** Pace relative to an ordinary read (1 = ordinary); null without a transcript. */
  paceRatio: number | null;
  /** Pauses of at least `minPauseSec` between speech regions. */
  pauses: number;
  /** Pause time / time from the first word to the last. */
  pauseRatio: number;
  /** Standard deviation of the 50 ms frame levels over speech, dB; null without audio. */
  loudnessVariationDb: number | null;
  /** 0..1, 0.5 ordinary; null when there is too little speech to judge. */
  energy: number | null;
}

/** Units of speech per second relative to an ordinary pace, or null (no speech, no words). */
export function paceRatio(transcript: string, language: "zh" | "en", regions: Region[]): number | null {
  const speechSec = regions.reduce((s, r) => s + (r.end - r.start), 0);
  if (speechSec < 0.5) return null;
  const units =
    language === "zh"
      ? (transcript.match(/[\u3400-\u9fff]/g) ?? []).length
      : transcript.split(/\s+/).filter(Boolean).length;
  if (units === 0) return null;
  return units / speechSec / ORDINARY_PACE[language];
}

/** Gaps between consecutive regions of at least `minPauseSec`, and their share of the spoken stretch. */
export function pauseStats(regions: Region[], minPauseSec = 0.25): { pauses: number; pauseRatio: number } {
  if (regions.length < 2) return { pauses: 0, pauseRatio: 0 };
  let pauses = 0;
  let pauseSec = 0;
  for (let i = 1; i < regions.length; i++) {
    const gap = regions[i].start - regions[i - 1].end;
    if (gap >= minPauseSec) {
      pauses++;
      pauseSec += gap;
    }
  }
  const span = regions[regions.length - 1].end - regions[0].start;
  return { pauses, pauseRatio: span > 0 ? pauseSec / span : 0 };
}

/**
 * Standard deviation, in dB, of the RMS level of 50 ms frames inside speech regions (frames below −60 dBFS, the
 * gaps between syllables, are left out so silence does not count as "movement"). Null with under 10 frames.
 */
export function loudnessVariationDb(samples: Float32Array, sampleRate: number, regions: Region[]): number | null {
  const { log10, sqrt } = Math;
  const frame = Math.round(sampleRate * 0.05);
  const levels: number[] = [];
  for (const r of regions) {
    const end = Math.min(samples.length, Math.round(r.end * sampleRate));
    for (let start = Math.max(0, Math.round(r.start * sampleRate)); start + frame <= end; start += frame) {
      let sum = 0;
      for (let i = start; i < start + frame; i++) sum += samples[i] * samples[i];
      const db = 10 * log10(sum / frame + 1e-12);
      if (db > -60) levels.push(db);
    }
  }
  if (levels.length < 10) return null;
  const mean = levels.reduce((a, b) => a + b, 0) / levels.length;
  return sqrt(levels.reduce((a, b) => a + (b - mean) ** 2, 0) / levels.length);
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

/**
 * Energy from what is known: pace dominates when there is a transcript (±0.5), loudness movement adds up to
 * ±0.2, long pauses take up to 0.15 away. Each term is zero at an ordinary read.
 */
export function combineEnergy(p: {
  paceRatio: number | null;
  loudnessVariationDb: number | null;
  pauseRatio: number;
}): number {
  let e = 0.5;
  if (p.paceRatio !== null) e += clamp(p.paceRatio - 1, -0.5, 0.5);
  if (p.loudnessVariationDb !== null) e += clamp((p.loudnessVariationDb - ORDINARY_VARIATION_DB) / 15, -0.2, 0.2);
  e -= clamp((p.pauseRatio - ORDINARY_PAUSE_RATIO) * 0.5, -0.05, 0.15);
  return clamp(e, 0, 1);
}

/** Everything above for one clip: its 16 kHz samples and speech regions, and its transcript when there is one. */
export function prosody(
  samples: Float32Array | null,
  sampleRate: number,
  regions: Region[],
  transcript: string | null,
  language: "zh" | "en",
): Prosody {
  const speechSec = regions.reduce((s, r) => s + (r.end - r.start), 0);
  const pace = transcript !== null ? paceRatio(transcript, language, regions) : null;
  const { pauses, pauseRatio } = pauseStats(regions);
  const variation = samples ? loudnessVariationDb(samples, sampleRate, regions) : null;
  const energy =
    speechSec < 0.5 || (pace === null && variation === null)
      ? null
      : combineEnergy({ paceRatio: pace, loudnessVariationDb: variation, pauseRatio });
  return { speechSec, paceRatio: pace, pauses, pauseRatio, loudnessVariationDb: variation, energy };
}

/** The pace-only energy (kept for callers without audio samples). */
export function speechEnergy(transcript: string, language: "zh" | "en", regions: Region[]): number | null {
  const pace = paceRatio(transcript, language, regions);
  return pace === null ? null : clamp(0.5 + (pace - 1), 0, 1);
}
