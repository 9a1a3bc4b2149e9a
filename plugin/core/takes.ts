// The take loop: new takes go to the bin and the list (never onto a new track), Use this take swaps the placed
// clip in place (same track, same start, one undo step), Extend continues the placed take to its marker's new
// length and swaps the longer bed in. Listen and Reveal are host calls (Source Monitor, Finder / Explorer).
import type { Host, PlacedClipRef } from "../host/host";
import type { HelperClient, JobEvent } from "./helper-client";
import { takeOf, type Take, type TakeHistory } from "./score-markers";
import { levelsForSwap, writeLevels } from "./take-levels";
import { checkVariations, type BedTargetNow, type LevelsField, type VoiceOverSource } from "./take-protocol";

export interface NewTakeOptions {
  /** How many takes to ask for in one batched decode (1..4). */
  variations?: number;
  /** The prompt (default: the placed take's, so the new takes are the same music idea with other seeds). */
  prompt?: string;
  durationSec?: number;
  label?: string;
  outputDir?: string;
  levels?: LevelsField;
  /** How far a voice-over bed's new takes dip under the speech, dB (default: what its earlier take used). */
  duckDb?: number;
  /** The seed of the (first) new take: the placed take's seed makes the same music again. Default: random. */
  seed?: number;
  /**
   * The marker or clip as it is at the click (a clip: clipNow): new takes fit its length now (the cut changed)
   * and, for a bed under a voice-over, its new range (a trimmed voice-over). A voice-over is ignored for a bed
   * made from a prompt.
   */
  now?: BedTargetNow;
  onEvent?: (e: JobEvent) => void;
}

/** Where the placed take is on the timeline. */
export function placedRef(take: Take): PlacedClipRef {
  if (take.trackIndex < 0 || take.startTicks === undefined) throw new Error("this take is not on the timeline");
  return { trackIndex: take.trackIndex, startTicks: take.startTicks, mediaPath: take.path };
}

/** Asks for new takes of `key` and imports them into the Cuesmith bin; they join the list, unplaced. */
export async function newTakes(
  host: Host,
  helper: HelperClient,
  history: TakeHistory,
  key: string,
  options: NewTakeOptions = {},
): Promise<Take[]> {
  const base = history.placed(key) ?? history.of(key).at(-1);
  const prompt = options.prompt ?? base?.prompt;
  const durationSec = options.durationSec ?? options.now?.durationSec ?? base?.durationSec;
  if (!prompt || durationSec === undefined) throw new Error("score this marker first: a new take repeats its prompt");
  const variations = checkVariations(options.variations ?? 1);
  const common = {
    job_id: `nt-${Date.now().toString(36)}`,
    duration_sec: durationSec,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(variations > 1 ? { variations } : {}),
    ...(options.levels ? { levels: options.levels } : {}),
    ...(options.outputDir ? { output_dir: options.outputDir } : {}),
  };
  // a bed under a voice-over is asked for again as a bed: the helper ducks the new music under the same speech
  // (a plain generate would come back without the dip when levels are baked into the WAV)
  const earlier = options.prompt === undefined ? base?.voiceOver : undefined;
  const voiceOver: VoiceOverSource | undefined = earlier && {
    ...earlier,
    ...options.now?.voiceOver,
    ...(options.duckDb !== undefined ? { duck_db: options.duckDb } : {}),
  };
  const outcome = voiceOver
    ? await helper.bed({ ...voiceOver, ...common }, options.onEvent)
    : (
        await helper.generate(
          [{ ...common, prompt, ...(options.label ? { label: options.label } : {}) }],
          options.onEvent,
        )
      )[0];
  if ("error" in outcome) throw new Error(outcome.error.message);
  const results = outcome.takes ?? [outcome.result];
  if (variations > 1 && !outcome.takes)
    throw new Error(`the helper answered one take where ${variations} were asked for: it does not know "variations"`);
  await host.importFiles(results.map((r) => r.path));
  const at = new Date().toISOString();
  const takes = results.map((r) => ({ ...takeOf(r, -1, at), ...(voiceOver ? { voiceOver } : {}) }));
  for (const take of takes) history.add(key, take);
  return takes;
}

/**
 * Swaps the placed take of `key` for `take`, in place, as one undo step; then writes its editable levels (its
 * own, or the dip the previous take had). Returns a level problem in words, or null.
 */
export async function useTake(
  host: Host,
  history: TakeHistory,
  key: string,
  take: Take,
  name: string,
): Promise<string | null> {
  const placed = history.placed(key);
  if (!placed) throw new Error("no take of this marker is on the timeline: score it first");
  if (placed.sha256 === take.sha256) return null;
  const ref = placedRef(placed);
  const [item] = await host.importFiles([take.path]);
  await host.swapClip(ref, item, `Cuesmith: use take of ${name}`);
  history.markPlaced(key, take.sha256, ref.trackIndex, ref.startTicks);
  return writeLevels(host, { ...ref, mediaPath: take.path }, levelsForSwap(take.levels, placed.levels), name);
}

/**
 * The marker got longer than its placed take: the helper continues that take (same opening) to `seconds`, the
 * longer bed is imported and swapped in place (one undo step). Returns the new take.
 */
export async function extendTake(
  host: Host,
  helper: HelperClient,
  history: TakeHistory,
  key: string,
  seconds: number,
  options: { name: string; outputDir?: string; levels?: LevelsField; onEvent?: (e: JobEvent) => void },
): Promise<{ take: Take; levelProblem: string | null }> {
  const placed = history.placed(key);
  if (!placed) throw new Error("no take of this marker is on the timeline: score it first");
  if (placed.durationSec !== undefined && seconds <= placed.durationSec)
    throw new Error(
      `the marker (${seconds} s) is not longer than its take (${placed.durationSec} s): nothing to extend`,
    );
  const outcome = await helper.extend(
    {
      sha256: placed.sha256,
      duration_sec: seconds,
      job_id: `ex-${Date.now().toString(36)}`,
      ...(options.outputDir ? { output_dir: options.outputDir } : {}),
      ...(options.levels ? { levels: options.levels } : {}),
    },
    options.onEvent,
  );
  if ("error" in outcome) throw new Error(outcome.error.message);
  const ref = placedRef(placed);
  const [item] = await host.importFiles([outcome.result.path]);
  await host.swapClip(ref, item, `Cuesmith: extend ${options.name}`);
  const take = takeOf(outcome.result, ref.trackIndex, new Date().toISOString(), ref.startTicks);
  history.add(key, take);
  history.markPlaced(key, take.sha256, ref.trackIndex, ref.startTicks);
  const levelProblem = await writeLevels(
    host,
    { ...ref, mediaPath: take.path },
    levelsForSwap(take.levels, placed.levels),
    options.name,
  );
  return { take, levelProblem };
}
