// The take loop's wire fields as the panel uses them: `variations`, `extend`, `levels` (docs/protocol.md). The
// shapes and limits are shared/protocol's; this module names them for the panel and checks what it sends.
import {
  MAX_VARIATIONS,
  parseServerMessage,
  type BedSpec,
  type DuckKeyframe,
  type ExtendSpec,
  type JobResult,
  type JobSpec,
  type LevelsMode,
} from "../../shared/protocol";

export { MAX_VARIATIONS };
export type { DuckKeyframe, ExtendSpec };

export type LevelsField = LevelsMode;

/** The fields a take-loop result adds to a plain bed's. */
export type TakeFields = Pick<JobResult, "take_index" | "extended_from" | "levels" | "bed_gain_db" | "duck_keyframes">;

/** A finished take (the protocol's JobResult carries the take-loop fields). */
export type TakeResult = JobResult;

/** A generate job with the take-loop fields (variations, levels). */
export type TakeJobSpec = JobSpec;

/**
 * What a bed under a voice-over was made from: the clip's media and source range, the typed transcript, the dip.
 * A new take sends it again as a `bed`, so the helper ducks the new music under the same speech.
 */
export type VoiceOverSource = Pick<BedSpec, "media_path" | "in_sec" | "out_sec" | "text" | "duck_db">;

/**
 * A marker or clip as its bed sees it at the click: its length and, for a clip with media, its voice-over's file
 * and source range.
 */
export interface BedTargetNow {
  durationSec: number;
  voiceOver?: Pick<VoiceOverSource, "media_path" | "in_sec" | "out_sec">;
}

/** From a raw `done` message (text or decoded): its result, and every take when there are several. */
export function takesOfDone(raw: unknown): { result: TakeResult | null; takes: TakeResult[] | null } {
  const parsed = parseServerMessage(raw);
  if (!parsed.ok || parsed.value.type !== "done") return { result: null, takes: null };
  return { result: parsed.value.result, takes: parsed.value.takes ?? null };
}

/** Checks a variations count before it goes out: whole, 1..MAX_VARIATIONS. */
export function checkVariations(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_VARIATIONS)
    throw new Error(`takes per request must be a whole number from 1 to ${MAX_VARIATIONS}, got ${n}`);
  return n;
}
