/**
 * FakePpro's vocabulary: the plain-data descriptions a fake project is built from, the records it reports, the
 * rules it enforces (FakePproRuleError), and the internal state every API object reads through FakePpro.
 * No DOM and no Node APIs (the browser harness bundles this folder).
 */
import { TICKS_PER_SECOND, isTickString, secondsToTicks, toTicks, type TickString } from "../../../shared/time";

// ------------------------------------------------------------------ descriptions (plain data in)

/** A time in a fake-project description: a tick string, or seconds (converted exactly to ticks). */
export type FakeTime = TickString | { seconds: number };

export interface FakeClipDescription {
  name?: string;
  /** Absolute media path; omit for a clip without a file (a title). */
  mediaPath?: string;
  start: FakeTime;
  /** End on the timeline; or give duration (default 5 s). */
  end?: FakeTime;
  duration?: FakeTime;
  inPoint?: FakeTime;
  /** Selected in the timeline. */
  selected?: boolean;
  /**
   * Link group: clips sharing it are one linked clip (a video item and its audio). Selecting one of them in
   * Premiere selects them all, as FakePpro.setSelection does.
   */
  link?: string;
  /** Playback speed as a ratio, as getSpeed() reports it (default 1 = 100 %). */
  speed?: number;
}

export interface FakeTrackDescription {
  name?: string;
  muted?: boolean;
  clips?: FakeClipDescription[];
}

export type FakeMarkerType = "comment" | "chapter" | "segmentation" | "weblink" | "flvCuePoint";

export interface FakeMarkerDescription {
  name: string;
  comments?: string;
  colorIndex?: number;
  /** Default "comment". A string that is not a kind is stored as Premiere's raw type string. */
  type?: FakeMarkerType | (string & {});
  start: FakeTime;
  duration?: FakeTime;
  id?: string;
}

export interface FakeSequenceDescription {
  id?: string;
  name?: string;
  /** Frame rate (29.97 means 30000/1001); or give ticksPerFrame. Default 25. */
  fps?: number;
  ticksPerFrame?: TickString;
  /** A track count, or the tracks. Defaults: 1 video, 2 audio. */
  videoTracks?: number | FakeTrackDescription[];
  audioTracks?: number | FakeTrackDescription[];
  markers?: FakeMarkerDescription[];
}

export interface FakeBinItemDescription {
  name?: string;
  mediaPath: string;
  duration?: FakeTime;
}

export interface FakeProjectDescription {
  /** false: Premiere with no project open. */
  project?: boolean;
  name?: string;
  path?: string;
  /** One sequence (active), or several with `sequences`. */
  sequence?: FakeSequenceDescription;
  sequences?: FakeSequenceDescription[];
  /** id or name of the active sequence; null for none. Default: the first. */
  activeSequence?: string | null;
  bins?: { name: string; items?: FakeBinItemDescription[] }[];
  rootItems?: FakeBinItemDescription[];
}

// ------------------------------------------------------------------ records (plain data out)

export interface FakePlacementRecord {
  itemId: string;
  name: string;
  mediaPath: string;
  startTicks: TickString;
  endTicks: TickString;
  audioTrackIndex: number;
  videoTrackIndex: number;
}

/** One committed transaction. */
export interface FakeEdit {
  label: string;
  placements: FakePlacementRecord[];
  binsCreated: string[];
  /** Every change in words ("created bin Cuesmith", "removed Check", "added marker #check"), in order. */
  changes: string[];
}

export interface FakeTrackItemSnapshot {
  id: string;
  name: string;
  mediaPath: string;
  startTicks: TickString;
  endTicks: TickString;
  inPointTicks: TickString;
  /** Volume > Level as the Effect Controls would show it, in dB (keyframe positions in media ticks). */
  volume: { timeVarying: boolean; levelDb: number; keyframes: { positionTicks: TickString; levelDb: number }[] };
}

export interface FakeBinItemSnapshot {
  id: string;
  name: string;
  kind: "bin" | "clip";
  mediaPath: string;
  durationTicks: TickString;
}

/** Host calls whose next use can be made to fail (FakeHost.failNext). */
export type FakeFaultPoint =
  | "getActiveSequence"
  | "getMarkers"
  | "getSelectedClips"
  | "getAudioTrackOccupancy"
  | "importFiles"
  | "createBin"
  | "placeAudio"
  | "createSequence"
  | "deleteSequence"
  | "setActiveSequence"
  | "addMarker"
  | "removeItems"
  | "removeBin";

export type FakeRule =
  | "ACTION_OUTSIDE_LOCK"
  | "PROMISE_FROM_LOCK"
  | "PROMISE_FROM_TRANSACTION"
  | "TRANSACTION_OUTSIDE_LOCK"
  | "NESTED_TRANSACTION"
  | "ADD_ACTION_OUTSIDE_TRANSACTION"
  | "STALE_ACTION"
  | "ACTION_REUSED"
  | "UNDEFINED_BIN"
  | "NOT_A_BIN"
  | "TRACK_INDEX"
  | "FLOAT_SECONDS"
  | "BAD_TICKS"
  | "NOT_A_CLIP"
  | "NOT_A_SEQUENCE"
  | "STALE_ITEM"
  | "NO_PROJECT"
  | "BAD_ARGUMENT"
  | "BAD_VALUE"
  | "NOT_TIME_VARYING"
  | "KEYFRAME_OUTSIDE_CLIP";

/** Thrown where the fake refuses a call Premiere would reject (or silently get wrong). */
export class FakePproRuleError extends Error {
  readonly rule: FakeRule;
  constructor(rule: FakeRule, message: string) {
    super(`[FakePpro ${rule}] ${message}`);
    this.name = "FakePproRuleError";
    this.rule = rule;
  }
}

// ------------------------------------------------------------------ internal state

/** @internal A project panel item: the root, a bin, a media clip, or a sequence's own item. */
export interface NodeState {
  kind: "root" | "bin" | "clip" | "sequence";
  id: string;
  name: string;
  parentId: string | null;
  mediaPath: string;
  durationTicks: bigint;
  /** For kind "sequence": the sequence it stands for. */
  sequenceGuid?: string;
}

/** @internal */
export interface TrackItemState {
  id: string;
  start: bigint;
  end: bigint;
  inPoint: bigint;
  name: string;
  nodeId: string | null;
  /** Link group (see FakeClipDescription.link). */
  link: string | null;
  speed: number;
  /** The Volume component's Level parameter (audio items; absent = untouched, the default level). */
  volume?: VolumeState;
}

/** @internal Volume > Level: Premiere's normalised value (1.0 = +15 dB), static or keyframed in media time. */
export interface VolumeState {
  timeVarying: boolean;
  value: number;
  keyframes: { position: bigint; value: number }[];
}

/** @internal */
export interface TrackState {
  name: string;
  muted: boolean;
  items: TrackItemState[];
}

/** @internal */
export interface MarkerState {
  guid: string;
  name: string;
  comments: string;
  colorIndex: number;
  type: string;
  start: bigint;
  duration: bigint;
}

/** @internal */
export interface SequenceState {
  guid: string;
  name: string;
  ticksPerFrame: bigint;
  video: TrackState[];
  audio: TrackState[];
  markers: MarkerState[];
  selection: string[];
}

/** @internal */
export interface ProjectState {
  guid: string;
  name: string;
  path: string;
  nodes: NodeState[];
  sequences: SequenceState[];
  active: string | null;
  nextId: number;
}

export const ROOT_ID = "root";
export const AUDIO_MEDIA_TYPE = "80b8e3d5-6dca-4195-aefb-cb5f407ab009";
export const VIDEO_MEDIA_TYPE = "228cda18-3625-4d2d-951e-348879e4ed93";
export const DEFAULT_CLIP_DURATION = 5n * TICKS_PER_SECOND;
export const DEFAULT_MEDIA_DURATION = 10n * TICKS_PER_SECOND;

/** Premiere's MARKER_TYPE_* strings as the fake reports them. */
export const FAKE_MARKER_TYPES = {
  comment: "Comment",
  chapter: "Chapter",
  segmentation: "Segmentation",
  weblink: "WebLink",
  flvCuePoint: "FlashCuePoint",
} as const;

export const PROJECT_ITEM_TYPES = {
  TYPE_CLIP: 1,
  TYPE_BIN: 2,
  TYPE_ROOT: 3,
  TYPE_FILE: 4,
  TYPE_STYLE: 5,
  TYPE_COMPOUND: 6,
} as const;

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function time(value: FakeTime | undefined, what: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") {
    if (!isTickString(value))
      throw new RangeError(`Fake project: ${what} must be a tick string or { seconds }, got ${JSON.stringify(value)}`);
    return toTicks(value);
  }
  if (typeof value === "object" && value !== null && typeof value.seconds === "number")
    return secondsToTicks(value.seconds);
  throw new RangeError(`Fake project: ${what} must be a tick string or { seconds }`);
}
