// Tempo and beat times of a finished bed (music-tempo's BeatRoot), folded into the range editors cut to.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MusicTempo = require("music-tempo") as new (data: Float32Array | number[], params?: object) => { tempo: string | number; beats: number[] };

export interface TempoEstimate {
  bpm: number | null;
  beats: number[];
}

/** BeatRoot halves or doubles the tempo now and then: fold into [70, 180) BPM. */
export function foldBpm(bpm: number, low = 70, high = 180): number {
  while (bpm < low) bpm *= 2;
  while (bpm >= high) bpm /= 2;
  return bpm;
}

export function estimateTempo(samples: Float32Array, rate: number): TempoEstimate {
  try {
    // music-tempo assumes 10 ms hops; keep that at any sample rate
    const mt = new MusicTempo(samples, { hopSize: Math.round(rate / 100), timeStep: 0.01 });
    const bpm = Number(mt.tempo);
    if (!Number.isFinite(bpm) || bpm <= 0) return { bpm: null, beats: [] };
    return { bpm: foldBpm(bpm), beats: mt.beats };
  } catch {
    return { bpm: null, beats: [] }; // silence or too short: no tempo to speak of
  }
}
