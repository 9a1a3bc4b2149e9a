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
  const envelope = envelopeOf(result);
  if (!envelope) return null;
  try {
    await host.setClipLevels(clip, envelope, `Cuesmith: levels of ${name}`);
    return null;
  } catch (err) {
    return `its level could not be written as keyframes (${(err as Error).message}); set the clip's volume to ${envelope.gainDb} dB by hand`;
  }
}
