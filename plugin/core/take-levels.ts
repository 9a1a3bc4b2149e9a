// Editable levels: a result asked with `levels: "keyframes"` carries the bed level (`bed_gain_db`) and the duck's
// corners (`duck_keyframes`) instead of having them baked in; the panel writes them as keyframes on the placed
// clip's Volume > Level, where the editor can move them.
import { secondsToTicks } from "../../shared/time";
import type { Host, LevelEnvelope, PlacedClipRef } from "../host/host";
import type { TakeResult } from "./take-protocol";

/** The envelope a keyframes result asks for; null for a baked one (nothing to write). */
export function envelopeOf(result: TakeResult): LevelEnvelope | null {
  if (result.levels !== "keyframes" || result.bed_gain_db === undefined) return null;
  return {
    gainDb: result.bed_gain_db,
    points: (result.duck_keyframes ?? []).map((k) => ({
      offsetTicks: secondsToTicks(k.time_sec).toString(),
      gainDb: k.gain_db,
    })),
  };
}

/**
 * The levels a take gets when it replaces `previous` on the timeline: its own, with the previous take's dip when
 * it has none (the dip follows the voice, not the music: a new take or an extension of a bed under a voice-over
 * keeps ducking where the voice is). A baked take (no envelope of its own) gets only that dip, never the previous
 * take's bed level, which its WAV already holds. Null when there is nothing to write.
 */
export function levelsForSwap(
  next: LevelEnvelope | undefined,
  previous: LevelEnvelope | undefined,
): LevelEnvelope | null {
  if (!next) {
    // a baked take already holds its bed level: only the dip under the voice carries over, at unity gain
    return previous && previous.points.length > 0 ? { gainDb: 0, points: previous.points } : null;
  }
  return next.points.length === 0 && previous ? { gainDb: next.gainDb, points: previous.points } : next;
}

/**
 * The same dip made `toDb` deep instead of `fromDb`: every corner is -depth × how far into the dip it is (the
 * helper's duck keyframes are built that way), so scaling the gains keeps the ramps' shape and timing.
 */
export function redip(envelope: LevelEnvelope, fromDb: number, toDb: number): LevelEnvelope {
  if (!(fromDb > 0)) throw new RangeError(`a dip ${fromDb} dB deep has no shape to scale`);
  return {
    gainDb: envelope.gainDb,
    points: envelope.points.map((p) => ({
      ...p,
      // `|| 0`: a dip made 0 dB deep is 0, not -0
      gainDb: Math.round(((p.gainDb * toDb) / fromDb) * 1e6) / 1e6 || 0,
    })),
  };
}

/** Writes an envelope on a placed clip; null when done, else the problem in words (see applyLevels). */
export async function writeLevels(
  host: Host,
  clip: PlacedClipRef,
  envelope: LevelEnvelope | null,
  name: string,
): Promise<string | null> {
  if (!envelope) return null;
  try {
    await host.setClipLevels(clip, envelope, `Cuesmith: levels of ${name}`);
    return null;
  } catch (err) {
    return `its level could not be written as keyframes (${(err as Error).message}); set the clip's volume to ${envelope.gainDb} dB by hand`;
  }
}

/**
 * Writes a keyframes result's levels on its placed clip. Returns null when done (or nothing to write), else the
 * problem in words: the bed is then on the timeline at its finished loudness, and the editor is told the level
 * to set by hand.
 */
export async function applyLevels(
  host: Host,
  clip: PlacedClipRef,
  result: TakeResult,
  name: string,
): Promise<string | null> {
  return writeLevels(host, clip, envelopeOf(result), name);
}
