// Generate bed: for each selected clip, a bed of the clip's exact length under it. A clip with media goes to the
// helper's voice-over flow (decode → speech regions → transcript/emotion → prompt → bed ducked under the voice);
// with a typed prompt, or a clip without media, the prompt is used as is. All beds land in ONE undo step, each on
// an audio track free over its clip (never the clip's own track, never dialogue); nothing is half-placed.
import type { JobResult } from "../../shared/protocol";
import { MAX_DURATION_SEC, MIN_DURATION_SEC } from "../../shared/protocol";
import { snapTicksToFrame, ticksToSeconds, toTicks } from "../../shared/time";
import type { ClipInfo, Host } from "../host/host";
import { planAudioTracks } from "../host/occupancy";
import type { HelperClient, JobEvent, JobOutcome } from "./helper-client";
import { DIALOGUE, placeBeds, takeOf, type TakeHistory } from "./score-markers";
import { applyLevels } from "./take-levels";
import type { BedTargetNow, LevelsField, VoiceOverSource } from "./take-protocol";

export interface ClipBedOptions {
  /** A transcript the editor typed or pasted (used instead of, or besides, Whisper). */
  transcript?: string;
  /** A prompt the editor typed: skips the voice-over analysis. */
  prompt?: string;
  /** How far the bed dips under speech, dB (helper default 8). */
  duckDb?: number;
  /** Target tempo by clip key (30–300 BPM; absent: the helper picks it from the prompt). */
  bpm?: Record<string, number>;
  outputDir?: string;
  excludeTrack?: (name: string, index: number) => boolean;
  history?: TakeHistory;
  /** "keyframes": the bed level and the dip come back as numbers and are written as Volume keyframes. */
  levelsMode?: LevelsField;
  onJob?: (clip: ClipInfo, event: JobEvent) => void;
}

export interface ClipBedOutcome {
  placed: { clip: ClipInfo; result: JobResult; trackIndex: number; mode: "voice-over" | "prompt" }[];
  failed: { clip: ClipInfo; message: string }[];
  /** Beds placed whose editable levels could not be written (they play at their finished loudness). */
  levelWarnings?: string[];
}

/** Key of a clip in the take history: its track and timeline start. */
export function clipKey(clip: ClipInfo): string {
  return `clip:${clip.trackType}${clip.trackIndex}@${clip.startTicks}`;
}

const seconds = (ticks: string | bigint) => Math.round(ticksToSeconds(toTicks(ticks)) * 1000) / 1000;

/** The clip as a bed sees it now: its length in seconds and, with media, its voice-over (file and source range). */
export function clipNow(clip: ClipInfo): BedTargetNow {
  return {
    durationSec: seconds(toTicks(clip.endTicks) - toTicks(clip.startTicks)),
    ...(clip.mediaPath
      ? {
          voiceOver: {
            media_path: clip.mediaPath,
            in_sec: seconds(clip.inPointTicks),
            out_sec: seconds(clip.outPointTicks),
          },
        }
      : {}),
  };
}

export interface BedTargets {
  /** One clip per bed: a linked clip's video and audio items count once (its audio item). */
  targets: ClipInfo[];
  /** Clips that get no bed, with why in words. */
  refused: { clip: ClipInfo; message: string }[];
}

/**
 * Which selected clips get a bed. Selecting a linked clip in Premiere selects its video and its audio item: the
 * two share media and range, so they are one bed (under the audio item, which is what the helper listens to).
 * Without a typed prompt, a video item alone gets a plain refusal instead of a bed (its voice is not selected),
 * and so does a retimed clip (its voice runs at another pace than the timeline, so the dip cannot line up).
 */
export function bedTargets(clips: ClipInfo[], hasPrompt = false): BedTargets {
  const groups = new Map<string, ClipInfo[]>();
  clips.forEach((clip, i) => {
    const key = clip.mediaPath ? `${clip.mediaPath}|${clip.startTicks}|${clip.endTicks}` : `#${i}`;
    groups.set(key, [...(groups.get(key) ?? []), clip]);
  });
  const result: BedTargets = { targets: [], refused: [] };
  for (const group of groups.values()) {
    const clip = group.find((c) => c.trackType === "audio") ?? group[0];
    if (!hasPrompt && clip.trackType === "video" && clip.mediaPath) {
      result.refused.push({
        clip,
        message:
          "only the video of this clip is selected: select its audio too (or the linked clip) for a bed under the voice, or type a prompt",
      });
    } else if (!hasPrompt && clip.mediaPath && clip.speed !== null && Math.abs(clip.speed - 1) > 1e-6) {
      result.refused.push({
        clip,
        message: `this clip plays at ${Math.round(clip.speed * 100)} % speed, so the dip under its voice would not line up: set it to 100 % (Clip > Speed/Duration) or type a prompt`,
      });
    } else result.targets.push(clip);
  }
  return result;
}

/** A bed asked for, before its answer: the clip, its track, and what it was made from. */
interface PendingBed {
  clip: ClipInfo;
  trackIndex: number;
  mode: "voice-over" | "prompt";
  voiceOver?: VoiceOverSource;
  outcome: Promise<JobOutcome>;
}

export async function bedsUnderClips(
  host: Host,
  helper: HelperClient,
  selected: ClipInfo[],
  options: ClipBedOptions = {},
): Promise<ClipBedOutcome> {
  const outcome: ClipBedOutcome = { placed: [], failed: [] };
  if (selected.length === 0) throw new Error("select one or more clips on the timeline first");
  const { targets: clips, refused } = bedTargets(selected, Boolean(options.prompt?.trim()));
  outcome.failed.push(...refused);
  if (clips.length === 0) return outcome;
  const sequence = await host.getActiveSequence();
  if (!sequence) throw new Error("open a sequence first");

  const occupancy = await host.getAudioTrackOccupancy();
  const isExcluded = options.excludeTrack ?? ((name: string) => DIALOGUE.test(name));
  const exclude = occupancy.filter((t) => isExcluded(t.name, t.trackIndex)).map((t) => t.trackIndex);
  // the clip's own audio track is never a candidate for the bed under it
  exclude.push(...selected.filter((c) => c.trackType === "audio").map((c) => c.trackIndex));
  const tracks = planAudioTracks(
    occupancy,
    clips.map((c) => ({ startTicks: c.startTicks, endTicks: c.endTicks })),
    { exclude },
  );

  const prompt = options.prompt?.trim();
  const pending: PendingBed[] = [];
  clips.forEach((clip, i) => {
    const now = clipNow(clip);
    const length = now.durationSec;
    if (length < MIN_DURATION_SEC || length > MAX_DURATION_SEC)
      return outcome.failed.push({
        clip,
        message: `a bed must be ${MIN_DURATION_SEC} to ${MAX_DURATION_SEC} s long; this clip is ${length} s`,
      });
    const trackIndex = tracks[i];
    if (trackIndex === null)
      return outcome.failed.push({
        clip,
        message: "no audio track is free under this clip: add an audio track and try again",
      });
    const onEvent = (e: JobEvent) => options.onJob?.(clip, e);
    const bpm = options.bpm?.[clipKey(clip)];
    const common = {
      duration_sec: length,
      ...(options.outputDir ? { output_dir: options.outputDir } : {}),
      ...(options.levelsMode === "keyframes" ? { levels: "keyframes" as const } : {}),
    };
    if (prompt || !clip.mediaPath) {
      if (!prompt)
        return outcome.failed.push({
          clip,
          message: "this clip has no media file to listen to: type a prompt for its bed",
        });
      const job = {
        job_id: `cb${i}-${Date.now().toString(36)}`,
        prompt,
        label: clip.name,
        ...(bpm !== undefined ? { target_bpm: bpm } : {}),
        ...common,
      };
      pending.push({ clip, trackIndex, mode: "prompt", outcome: helper.generate([job], onEvent).then((o) => o[0]) });
      return;
    }
    // the voice-over flow takes its tempo from the voice (the bed message has no target_bpm)
    if (bpm !== undefined)
      return outcome.failed.push({
        clip,
        message: "a tempo goes with a typed prompt: type one, or clear the BPM to let the voice set the pace",
      });
    const voiceOver: VoiceOverSource = {
      ...now.voiceOver!,
      ...(options.transcript?.trim() ? { text: options.transcript.trim() } : {}),
      ...(options.duckDb !== undefined ? { duck_db: options.duckDb } : {}),
    };
    pending.push({
      clip,
      trackIndex,
      mode: "voice-over",
      voiceOver,
      outcome: helper.bed({ job_id: `vo${i}-${Date.now().toString(36)}`, ...voiceOver, ...common }, onEvent),
    });
  });

  const done: (Omit<PendingBed, "outcome"> & { result: JobResult })[] = [];
  for (const { outcome: pendingOutcome, ...p } of pending) {
    const o = await pendingOutcome;
    if ("result" in o) done.push({ ...p, result: o.result });
    else outcome.failed.push({ clip: p.clip, message: o.error.message });
  }
  if (done.length === 0) return outcome;

  const placement = await placeBeds(
    host,
    sequence,
    done.map((d) => ({ result: d.result, startTicks: d.clip.startTicks, trackIndex: d.trackIndex })),
    done.length === 1 ? `Cuesmith: bed under ${done[0].clip.name}` : `Cuesmith: beds under ${done.length} clips`,
  );
  if (placement.error) {
    for (const d of done) outcome.failed.push({ clip: d.clip, message: placement.error });
    return outcome;
  }
  for (const { voiceOver, ...d } of done) {
    outcome.placed.push(d);
    const start = snapTicksToFrame(d.clip.startTicks, sequence.ticksPerFrame).toString();
    const take = takeOf(d.result, d.trackIndex, placement.at, start);
    options.history?.add(clipKey(d.clip), voiceOver ? { ...take, voiceOver } : take);
    // Editable levels: bed level + dip as Volume keyframes (its own transaction: the clip exists only now).
    const ref = { trackIndex: d.trackIndex, startTicks: start, mediaPath: d.result.path };
    const problem = await applyLevels(host, ref, d.result, d.clip.name);
    if (problem) outcome.levelWarnings = [...(outcome.levelWarnings ?? []), `${d.clip.name}: ${problem}`];
  }
  return outcome;
}
