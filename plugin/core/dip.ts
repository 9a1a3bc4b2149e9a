// Tuning the dip of a placed bed under a voice-over, after the fact: with editable levels its Volume keyframes are
// rewritten (the same WAV); baked into the WAV, the same music (the take's seed) is made again with the new dip and
// swapped in place. Either way one undo step brings the previous dip back.
import { DEFAULT_DUCK_DB, MAX_DUCK_DB, MIN_DUCK_DB } from "../../shared/protocol";
import type { Host } from "../host/host";
import type { HelperClient, JobEvent } from "./helper-client";
import type { TakeHistory } from "./score-markers";
import { redip } from "./take-levels";
import type { LevelsField } from "./take-protocol";
import { newTakes, placedRef, useTake } from "./takes";

export interface DipOptions {
  /** The row's name, for the undo label. */
  name: string;
  /** How a remade baked bed comes back (the Settings' choice); a bed placed with keyframes keeps keyframes. */
  levels?: LevelsField;
  outputDir?: string;
  onEvent?: (e: JobEvent) => void;
}

/** The dip a placed voice-over take has now, in dB (what it was asked with; the helper's default when not said). */
export function dipOf(take: { voiceOver?: { duck_db?: number } }): number {
  return take.voiceOver?.duck_db ?? DEFAULT_DUCK_DB;
}

/** Sets the placed bed of `key` to dip `depthDb` under its voice-over. Returns what happened, in words. */
export async function setDip(
  host: Host,
  helper: HelperClient,
  history: TakeHistory,
  key: string,
  depthDb: number,
  options: DipOptions,
): Promise<string> {
  if (!(depthDb >= MIN_DUCK_DB && depthDb <= MAX_DUCK_DB))
    throw new Error(`the dip must be ${MIN_DUCK_DB} to ${MAX_DUCK_DB} dB, got ${depthDb}`);
  const placed = history.placed(key);
  if (!placed) throw new Error("no bed of this clip is on the timeline: generate one first");
  if (!placed.voiceOver) throw new Error("this bed was made from a typed prompt: it has no voice to dip under");
  const from = dipOf(placed);
  if (depthDb === from) return `The bed already dips ${depthDb} dB under the voice.`;

  if (placed.levels && from > 0) {
    // editable levels: the keyframes are rewritten; the music and its file stay
    if (!placed.levels.points.some((p) => p.gainDb < 0))
      throw new Error("no speech was found under this bed: there is nothing to dip under");
    const envelope = redip(placed.levels, from, depthDb);
    await host.setClipLevels(placedRef(placed), envelope, `Cuesmith: dip of ${options.name}`);
    history.update(key, placed.sha256, {
      levels: envelope,
      voiceOver: { ...placed.voiceOver, duck_db: depthDb },
    });
    return `Dips ${depthDb} dB under the voice now (its Volume keyframes): Edit > Undo brings ${from} dB back.`;
  }

  // baked (or made without a dip, so with no shape to scale): the same seed and clip give the same music, and
  // only the dip differs
  const levels = placed.levels ? "keyframes" : options.levels;
  const [remade] = await newTakes(host, helper, history, key, {
    seed: placed.seed,
    duckDb: depthDb,
    ...(levels ? { levels } : {}),
    ...(options.outputDir ? { outputDir: options.outputDir } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  const problem = await useTake(host, history, key, remade, options.name);
  return (
    problem ?? `Dips ${depthDb} dB under the voice now (the same music, remade): Edit > Undo brings ${from} dB back.`
  );
}
