// Score Markers: every tagged marker of the active sequence -> one batch to the helper -> the finished WAVs imported
// and placed at their markers' in-points, on audio tracks free over each range, as ONE undo step. A marker whose bed
// failed is reported next to it; nothing is ever half-placed (the placement is one transaction or nothing).
import type { JobResult } from "../../shared/protocol";
import { MAX_DURATION_SEC, MIN_DURATION_SEC } from "../../shared/protocol";
import { snapTicksToFrame } from "../../shared/time";
import type { Host, LevelEnvelope, SequenceInfo } from "../host/host";
import { planAudioTracks } from "../host/occupancy";
import type { HelperClient, JobEvent } from "./helper-client";
import { applyTweak, ScoreItem, scoreItemsFromMarkers, type ItemTweak } from "./markers";
import type { LevelsField, TakeJobSpec, TakeResult, VoiceOverSource } from "./take-protocol";
import { applyLevels, envelopeOf } from "./take-levels";

export interface Take {
  path: string;
  seed: number;
  sha256: string;
  jobId: string;
  /** The audio track it was placed on (-1: in the bin only). */
  trackIndex: number;
  /** When it was made (ISO time). */
  at: string;
  /** The prompt MusicGen was given (a new take asks again with it). */
  prompt?: string;
  durationSec?: number;
  /** Where it starts on the timeline while placed. */
  startTicks?: string;
  /** The take it continues (Extend). */
  extendedFrom?: string;
  /** Its bed level and dip when it came with editable levels (written as Volume keyframes when placed). */
  levels?: LevelEnvelope;
  /** A bed under a voice-over: the clip it was made from (a new take dips under the same speech). */
  voiceOver?: VoiceOverSource;
}

/**
 * Every take of a marker (or clip bed), oldest first, and which one is on the timeline: new takes join the list
 * (and the bin), Use this take swaps the placed one.
 */
export class TakeHistory {
  private readonly takes = new Map<string, Take[]>();
  private readonly placedSha = new Map<string, string>();
  /** Adds a take; a take with a track index ≥ 0 is the placed one. */
  add(key: string, take: Take): void {
    this.takes.set(key, [...(this.takes.get(key) ?? []).filter((t) => t.sha256 !== take.sha256), take]);
    if (take.trackIndex >= 0) this.placedSha.set(key, take.sha256);
  }
  of(key: string): Take[] {
    return this.takes.get(key) ?? [];
  }
  /** The take on the timeline, if any. */
  placed(key: string): Take | undefined {
    const sha = this.placedSha.get(key);
    return sha === undefined ? undefined : this.of(key).find((t) => t.sha256 === sha);
  }
  /** Changes what is known of one take (its levels after the dip was tuned, say). */
  update(key: string, sha256: string, change: Partial<Omit<Take, "sha256">>): void {
    this.takes.set(
      key,
      this.of(key).map((t) => (t.sha256 === sha256 ? { ...t, ...change } : t)),
    );
  }
  /** `take` is now on the timeline at `trackIndex` / `startTicks` (the one before it goes back to the bin). */
  markPlaced(key: string, sha256: string, trackIndex: number, startTicks: string): void {
    this.takes.set(
      key,
      this.of(key).map((t) =>
        t.sha256 === sha256 ? { ...t, trackIndex, startTicks } : { ...t, trackIndex: -1, startTicks: undefined },
      ),
    );
    this.placedSha.set(key, sha256);
  }
}

export interface ScoreOptions {
  /** Seconds for a zero-length marker that is the last one. */
  defaultSeconds?: number;
  /** Where the helper writes the WAVs (e.g. next to the Premiere project). */
  outputDir?: string;
  /** Audio tracks never used for beds; default: tracks named like dialogue or voice-over. */
  excludeTrack?: (name: string, index: number) => boolean;
  /** Tracks to try first (e.g. the one named "Music"); the others follow in order. */
  preferTrack?: (name: string, index: number) => boolean;
  history?: TakeHistory;
  /** Keys (marker GUIDs) of the markers to score; default: every tagged marker. */
  only?: string[];
  /** The editor's tweaks by key, applied to the markers as they read at the click (never to a stale copy). */
  tweaks?: Record<string, ItemTweak>;
  /** Target tempo by key (30–300 BPM; absent: the helper picks it from the prompt). */
  bpm?: Record<string, number>;
  /** Loudness settings sent with every job (default: the helper's). */
  levels?: { loudness_lufs?: number; bed_level_db?: number };
  /** "keyframes": the helper leaves the bed level out of the WAV and the panel writes it as Volume keyframes. */
  levelsMode?: LevelsField;
  onJob?: (item: ScoreItem, event: JobEvent) => void;
}

export interface ScoreOutcome {
  placed: { item: ScoreItem; result: JobResult; trackIndex: number }[];
  failed: { item: ScoreItem; message: string }[];
  /** Beds placed whose editable levels could not be written (they play at their finished loudness). */
  levelWarnings?: string[];
  /** Markers whose bed was already on the timeline: their new take went to the bin and the list. */
  newTakes?: { item: ScoreItem; result: JobResult }[];
}

/** The "track" of a marker whose bed is already placed: its new take goes to the bin only. */
const NEW_TAKE_ONLY = -1;

/** Track names that hold speech: beds never go there unless the editor says otherwise. */
export const DIALOGUE = /dialog|voice|\bvo\b|narrat/i;

export async function scoreMarkers(
  host: Host,
  helper: HelperClient,
  options: ScoreOptions = {},
): Promise<ScoreOutcome> {
  const sequence = await host.getActiveSequence();
  if (!sequence) throw new Error("open a sequence first: Score Markers works on the active sequence");
  // Premiere has no marker-changed event: the markers are read now, at the click, and matched by identity.
  const outcome: ScoreOutcome = { placed: [], failed: [] };
  const current = scoreItemsFromMarkers(await host.getMarkers(), sequence, options.defaultSeconds);
  const items: ScoreItem[] = [];
  for (const key of options.only ?? current.map((i) => i.key)) {
    const item = current.find((i) => i.key === key);
    if (!item) {
      outcome.failed.push({
        item: { key, name: key, startTicks: "0", endTicks: "0", seconds: 0 },
        message: "this marker is no longer in the sequence (or lost its #tag)",
      });
      continue;
    }
    try {
      items.push(applyTweak(item, options.tweaks?.[key]));
    } catch (err) {
      outcome.failed.push({ item, message: (err as Error).message });
    }
  }
  if (items.length === 0) return outcome;

  const occupancy = await host.getAudioTrackOccupancy();
  const exclude = occupancy
    .filter((t) => (options.excludeTrack ?? ((name) => DIALOGUE.test(name)))(t.name, t.trackIndex))
    .map((t) => t.trackIndex);
  const prefer = options.preferTrack
    ? occupancy.filter((t) => options.preferTrack!(t.name, t.trackIndex)).map((t) => t.trackIndex)
    : [];
  // A marker whose placed take is still on the timeline where the marker starts gets a NEW TAKE (to the bin and
  // its list), never a second bed on another track: Use this take swaps it in when the editor prefers it.
  const stillPlaced = (item: ScoreItem): boolean => {
    const take = options.history?.placed(item.key);
    if (!take || take.startTicks === undefined) return false;
    if (take.startTicks !== snapTicksToFrame(item.startTicks, sequence.ticksPerFrame).toString()) return false;
    const track = occupancy.find((t) => t.trackIndex === take.trackIndex);
    const norm = (path: string) => path.replace(/\\/g, "/").toLowerCase();
    return Boolean(
      track?.items.some((it) => it.startTicks === take.startTicks && norm(it.mediaPath) === norm(take.path)),
    );
  };
  const again = new Set(items.filter(stillPlaced).map((i) => i.key));
  const toPlace = items.filter((i) => !again.has(i.key));
  const planned = planAudioTracks(
    occupancy,
    toPlace.map((i) => ({ startTicks: i.startTicks, endTicks: i.endTicks })),
    { exclude, prefer },
  );
  const tracks = items.map((item) => (again.has(item.key) ? NEW_TAKE_ONLY : planned[toPlace.indexOf(item)]));

  const runnable: { item: ScoreItem; trackIndex: number; job: TakeJobSpec }[] = [];
  items.forEach((item, i) => {
    if (item.seconds < MIN_DURATION_SEC || item.seconds > MAX_DURATION_SEC)
      return outcome.failed.push({
        item,
        message: `a bed must be ${MIN_DURATION_SEC} to ${MAX_DURATION_SEC} s long; this marker is ${item.seconds} s`,
      });
    const trackIndex = tracks[i];
    if (trackIndex === null)
      return outcome.failed.push({
        item,
        message: "no audio track is free over this marker: add an audio track (Sequence > Add Tracks) and score again",
      });
    const job: TakeJobSpec = {
      job_id: `mk${i}-${Date.now().toString(36)}`,
      ...(item.prompt !== undefined ? { prompt: item.prompt } : { scene_tag: item.tag! }),
      duration_sec: item.seconds,
      label: item.name,
      ...(options.bpm?.[item.key] !== undefined ? { target_bpm: options.bpm[item.key] } : {}),
      ...options.levels,
      ...(options.levelsMode === "keyframes" ? { levels: "keyframes" as const } : {}),
      ...(options.outputDir ? { output_dir: options.outputDir } : {}),
    };
    runnable.push({ item, trackIndex, job });
  });
  if (runnable.length === 0) return outcome;

  const results = await helper.generate(
    runnable.map((r) => r.job),
    (e) => {
      const r = runnable.find((x) => x.job.job_id === e.job_id);
      if (r) options.onJob?.(r.item, e);
    },
  );
  const done: { item: ScoreItem; trackIndex: number; result: JobResult }[] = [];
  results.forEach((o, i) => {
    if ("result" in o) done.push({ ...runnable[i], result: o.result });
    else outcome.failed.push({ item: runnable[i].item, message: o.error.message });
  });
  // New takes of markers whose bed is already there: into the bin and the list, not onto the timeline.
  const fresh = done.filter((d) => d.trackIndex === NEW_TAKE_ONLY);
  if (fresh.length > 0) {
    try {
      await host.importFiles(fresh.map((d) => d.result.path));
      const at = new Date().toISOString();
      for (const d of fresh) {
        options.history?.add(d.item.key, takeOf(d.result, -1, at));
        (outcome.newTakes ??= []).push({ item: d.item, result: d.result });
      }
    } catch (err) {
      for (const d of fresh)
        outcome.failed.push({ item: d.item, message: `the new take could not be imported: ${(err as Error).message}` });
    }
  }
  done.splice(0, done.length, ...done.filter((d) => d.trackIndex !== NEW_TAKE_ONLY));
  if (done.length === 0) return outcome;

  // The editor kept working while the beds were made: read the markers again and place each bed at its marker's
  // in-point as it is now. A marker deleted meanwhile gets no bed.
  const atPlacement = scoreItemsFromMarkers(await host.getMarkers(), sequence, options.defaultSeconds);
  for (let i = done.length - 1; i >= 0; i--) {
    const now = atPlacement.find((m) => m.key === done[i].item.key);
    if (!now) {
      outcome.failed.push({
        item: done[i].item,
        message: `the marker was deleted while its bed was made; the WAV is at ${done[i].result.path}`,
      });
      done.splice(i, 1);
    } else if (now.startTicks !== done[i].item.startTicks) {
      done[i] = {
        ...done[i],
        item: {
          ...done[i].item,
          startTicks: now.startTicks,
          endTicks: (
            BigInt(now.startTicks) +
            BigInt(done[i].item.endTicks) -
            BigInt(done[i].item.startTicks)
          ).toString(),
        },
      };
    }
  }
  if (done.length === 0) return outcome;

  const placement = await placeBeds(
    host,
    sequence,
    done.map((d) => ({ result: d.result, startTicks: d.item.startTicks, trackIndex: d.trackIndex })),
    done.length === 1 ? `Cuesmith: score ${done[0].item.name}` : `Cuesmith: score ${done.length} markers`,
  );
  if (placement.error) {
    for (const d of done) outcome.failed.push({ item: d.item, message: placement.error });
    return outcome;
  }
  for (const d of done) {
    outcome.placed.push(d);
    options.history?.add(
      d.item.key,
      takeOf(
        d.result,
        d.trackIndex,
        placement.at,
        snapTicksToFrame(d.item.startTicks, sequence.ticksPerFrame).toString(),
      ),
    );
  }
  // Editable levels: the bed level as Volume keyframes on each placed clip (its own transaction: the clip must
  // exist before its component chain can be read).
  for (const d of done) {
    const start = snapTicksToFrame(d.item.startTicks, sequence.ticksPerFrame).toString();
    const problem = await applyLevels(
      host,
      { trackIndex: d.trackIndex, startTicks: start, mediaPath: d.result.path },
      d.result,
      d.item.name,
    );
    if (problem) outcome.levelWarnings = [...(outcome.levelWarnings ?? []), `${d.item.name}: ${problem}`];
  }
  return outcome;
}

export interface BedToPlace {
  result: JobResult;
  /** Where it starts on the timeline (snapped to the sequence's frames here). */
  startTicks: string;
  trackIndex: number;
}

/**
 * Imports finished beds and places each at its start, on its track, as ONE undo step. When the import or the
 * placement fails, the transaction placed nothing: `error` says so in words for every bed of the batch.
 */
export async function placeBeds(
  host: Host,
  sequence: SequenceInfo,
  beds: BedToPlace[],
  undoLabel: string,
): Promise<{ at: string; error?: string }> {
  try {
    const imported = await host.importFiles(beds.map((b) => b.result.path));
    await host.placeAudio(
      beds.map((b, i) => ({
        item: imported[i],
        startTicks: snapTicksToFrame(b.startTicks, sequence.ticksPerFrame).toString(),
        audioTrackIndex: b.trackIndex,
      })),
      undoLabel,
    );
  } catch (err) {
    return {
      at: new Date().toISOString(),
      error: `the bed was made but could not be placed: ${(err as Error).message}`,
    };
  }
  return { at: new Date().toISOString() };
}

export function takeOf(result: JobResult, trackIndex: number, at: string, startTicks?: string): Take {
  return {
    path: result.path,
    seed: result.seed,
    sha256: result.sha256,
    jobId: result.job_id,
    trackIndex,
    at,
    prompt: result.prompt,
    durationSec: result.duration_sec,
    ...(startTicks !== undefined ? { startTicks } : {}),
    ...((result as TakeResult).extended_from ? { extendedFrom: (result as TakeResult).extended_from } : {}),
    ...(envelopeOf(result as TakeResult) ? { levels: envelopeOf(result as TakeResult)! } : {}),
  };
}
