// Ducking baked into the bed: lower it under the voice (default 8 dB) with attack/release ramps, so it sits under
// a voice-over in Premiere without keyframes.
import type { Region } from "../voice/speech-regions";

export interface DuckOptions {
  depthDb: number;
  /** Ramp down before speech starts, and back up after it ends. */
  attackSec: number;
  releaseSec: number;
}

export const DUCK_DEFAULTS: DuckOptions = { depthDb: 8, attackSec: 0.05, releaseSec: 0.3 };

/** Per-sample gain: 1 between phrases, 10^(-depth/20) under speech, linear-in-dB ramps at the edges. */
export function duckingEnvelope(
  regions: Region[],
  length: number,
  rate: number,
  o: DuckOptions = DUCK_DEFAULTS,
): Float32Array {
  const depthDb = new Float32Array(length); // 0 = no ducking, 1 = full depth
  const attack = Math.max(1, Math.round(o.attackSec * rate));
  const release = Math.max(1, Math.round(o.releaseSec * rate));
  for (const r of regions) {
    const s = Math.round(r.start * rate);
    const e = Math.round(r.end * rate);
    for (let i = Math.max(0, s - attack); i < Math.min(length, e + release); i++) {
      const amount = i < s ? 1 - (s - i) / attack : i < e ? 1 : 1 - (i - e) / release;
      if (amount > depthDb[i]) depthDb[i] = amount;
    }
  }
  return depthDb.map((a) => 10 ** ((-o.depthDb * a) / 20));
}

export function applyDucking(
  samples: Float32Array,
  rate: number,
  regions: Region[],
  o: DuckOptions = DUCK_DEFAULTS,
): Float32Array {
  const env = duckingEnvelope(regions, samples.length, rate, o);
  return samples.map((v, i) => v * env[i]);
}
