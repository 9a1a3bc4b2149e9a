/**
 * The panel's one door to Premiere Pro.
 *
 * Everything the panel needs from the host, in plain data: no `premierepro` type leaks out of here, times are
 * tick strings (Premiere's own unit, exact; see ./ticks), track indices are 0-based (A1 = 0).
 *
 * Implementations:
 * - PremiereHost (./premiere-host): the real thing, `require("premierepro")`; the only file that touches it.
 * - FakeHost (./fake-host): PremiereHost running against FakePpro, an in-memory Premiere that enforces the
 *   API's rules; for tests and the browser harness.
 *
 * No DOM and no Node APIs here: this folder compiles under the panel's tsconfig and the root (Node/jest) one.
 */
import type { TickString } from "../../shared/time";

export type { TickString } from "../../shared/time";

/** Name of the project bin imported beds go into. */
export const DEFAULT_BIN_NAME = "Cuesmith";

/** The active sequence. */
export interface SequenceInfo {
  /** The sequence's GUID, as a string. */
  id: string;
  name: string;
  /** Timebase: ticks per frame ("8475667200" at 29.97 fps, "10160640000" at 25). */
  ticksPerFrame: TickString;
  /** Frames per second derived from the timebase (29.97002997… for NTSC 29.97). Display only. */
  fps: number;
  videoTrackCount: number;
  audioTrackCount: number;
  /** End of the last clip in the sequence. */
  endTicks: TickString;
}

/**
 * Marker type, read through Premiere's MARKER_TYPE_* constants (Adobe's docs disagree on the raw strings).
 * Premiere has no constant for segmentation markers: that one is recognised by name.
 */
export type MarkerKind = "comment" | "chapter" | "segmentation" | "weblink" | "flvCuePoint" | "unknown";

/** A sequence marker. */
export interface MarkerInfo {
  /** The marker's GUID when Premiere exposes one. */
  id?: string;
  name: string;
  comments: string;
  /** Premiere's colour index 0–7 (the API's colour constants list only 7 of the 8 UI colours). */
  colorIndex: number;
  type: MarkerKind;
  /** The type string exactly as Premiere returned it. */
  rawType: string;
  startTicks: TickString;
  /** "0" for a point marker. */
  durationTicks: TickString;
}

export type TrackType = "audio" | "video";

/** A clip selected on the timeline. */
export interface ClipInfo {
  trackType: TrackType;
  /** 0-based within its track type (V1 / A1 = 0). */
  trackIndex: number;
  /** Sequence time of the clip's first and end tick. */
  startTicks: TickString;
  endTicks: TickString;
  /** In and out points inside the source media. */
  inPointTicks: TickString;
  outPointTicks: TickString;
  /** Absolute media path; "" for clips without a file (titles, graphics, nested sequences). */
  mediaPath: string;
  name: string;
  /**
   * Playback speed as a ratio (1 = 100 %, 0.5 = half speed, negative = reversed); null when Premiere does not
   * say. A retimed clip's media runs at another pace than the timeline, so its voice-over cannot be lined up.
   */
  speed: number | null;
}

/** One clip on an audio track, as far as free-space planning needs it. */
export interface TrackItemSpan {
  startTicks: TickString;
  endTicks: TickString;
  name: string;
  mediaPath: string;
}

/** What sits on one audio track. */
export interface AudioTrackOccupancy {
  trackIndex: number;
  /** Track name as Premiere shows it ("Audio 1", or the editor's own, e.g. "Dialogue"). */
  name: string;
  muted: boolean;
  /** Clips sorted by start. */
  items: TrackItemSpan[];
}

/** A project item created (or found) by importFiles: a handle for placeAudio. */
export interface ImportedItem {
  /** Premiere's project item id. */
  id: string;
  /** Absolute media path as Premiere reports it. */
  mediaPath: string;
  name: string;
  /** Media duration when Premiere reports it; null when it cannot be read. */
  durationTicks: TickString | null;
}

/** Put `item` on audio track `audioTrackIndex` so that it starts at `startTicks` (an overwrite edit). */
export interface AudioPlacement {
  item: ImportedItem;
  /** Decimal tick string; snap it to the sequence's frames first (snapTicksToFrame). */
  startTicks: TickString;
  /** 0-based; must be < SequenceInfo.audioTrackCount (the API cannot add tracks). */
  audioTrackIndex: number;
}

export interface PlaceAudioOptions {
  /**
   * Allow a placement to overwrite clips already on its track over its length. Off by default: a bed must
   * never land on top of dialogue. Needs the item's durationTicks; items without one are not checked.
   */
  allowOverwrite?: boolean;
  /** Read the tracks back after the edit and fail when a placed clip is missing (default true). */
  verify?: boolean;
}

export interface HostInfo {
  /** "premierepro" (the fake host reports the same, with "fake" in the version). */
  app: string;
  version: string;
  /** "darwin", "win32", … as UXP's os.platform() reports it; "unknown" when it cannot be read. */
  os: string;
  /** UXP's own version (`require("uxp").versions.uxp`); "unknown" when it cannot be read. */
  uxpVersion: string;
}

/** One host call the panel relies on, as the Premiere check exercised it. */
export interface CheckLine {
  /** What was exercised, in words ("Read markers"). */
  step: string;
  /** "pass", "fail", or "skip" (not run because an earlier step it needs failed). */
  result: "pass" | "fail" | "skip";
  /** What came back, or what went wrong, in words. */
  detail: string;
}

/** The Premiere check: every host call the panel uses, run on a scratch sequence in a scratch bin. */
export interface PremiereCheckReport {
  ok: boolean;
  host: HostInfo;
  lines: CheckLine[];
  /** Anything the check could not remove again, in words (empty when the project is as it was). */
  leftBehind: string[];
}

export type Unsubscribe = () => void;

/** What this Premiere offers beyond placement; the panel asks before offering the matching buttons. */
export interface HostCapabilities {
  /** SourceMonitor.openFilePath + play: Listen opens a take in the Source Monitor. */
  sourceMonitor: boolean;
  /** AudioClipTrackItem.getComponentChain + ComponentParam keyframes: editable bed level and duck. */
  levelKeyframes: boolean;
  /** UXP shell.openPath: reveal a take's folder in Finder / Explorer. */
  reveal: boolean;
}

/** A clip the panel placed, found again by where it sits and what it plays. */
export interface PlacedClipRef {
  /** 0-based audio track index. */
  trackIndex: number;
  /** Its timeline start (within one frame). */
  startTicks: TickString;
  /** Its media path (compared case-insensitively, slashes unified). */
  mediaPath: string;
}

/** One point of a level envelope: `offsetTicks` from the clip's first frame, the gain in dB there. */
export interface LevelPoint {
  offsetTicks: TickString;
  gainDb: number;
}

/**
 * A clip's volume as editable keyframes: `gainDb` everywhere plus the duck points (linear in dB between them,
 * 0 dB outside), exactly the helper's `bed_gain_db` + `duck_keyframes`.
 */
export interface LevelEnvelope {
  gainDb: number;
  points: LevelPoint[];
}

/** Everything the panel asks of Premiere. */
export interface Host {
  getHostInfo(): HostInfo;

  /** The active sequence, or null when no project or sequence is open. */
  getActiveSequence(): Promise<SequenceInfo | null>;

  /** Markers of the active sequence, sorted by start ([] when there is no active sequence). */
  getMarkers(): Promise<MarkerInfo[]>;

  /** Clips selected in the active sequence's timeline, sorted by start ([] when there is no active sequence). */
  getSelectedClips(): Promise<ClipInfo[]>;

  /** Every audio track of the active sequence with its clips ([] when there is no active sequence). */
  getAudioTrackOccupancy(): Promise<AudioTrackOccupancy[]>;

  /**
   * Imports absolute file paths into the project bin `binName` (created when missing), and returns one handle
   * per path, in order. Finds the new items by diffing the bin before and after (Premiere's importFiles
   * returns only a boolean, true even for a missing file); a path that is already in the bin is reused.
   * Throws HostError IMPORT_ITEM_NOT_FOUND when an item for a path cannot be found after the import.
   */
  importFiles(paths: string[], binName?: string): Promise<ImportedItem[]>;

  /**
   * Places all clips as ONE undoable transaction named `undoLabel` (one Edit > Undo removes them all).
   * Throws before touching the timeline when a track does not exist (TRACK_OUT_OF_RANGE: Premiere's API cannot
   * add tracks; pick an existing free track or ask the user to add one), when a clip would overwrite another
   * (TRACK_OCCUPIED, unless options.allowOverwrite), or when an item cannot be found (ITEM_NOT_FOUND).
   */
  placeAudio(placements: AudioPlacement[], undoLabel: string, options?: PlaceAudioOptions): Promise<void>;

  /** Timeline selection changed (re-read it with getSelectedClips). Returns an unsubscribe function. */
  onSelectionChanged(cb: () => void): Unsubscribe;

  /** Another sequence became active (re-read everything). Returns an unsubscribe function. */
  onActiveSequenceChanged(cb: () => void): Unsubscribe;

  /**
   * The project changed (Premiere's ProjectEvent.DIRTY, and a project opened, closed or activated): markers may
   * have moved. Premiere has no marker event, so this is the panel's cue to re-read them.
   */
  onProjectChanged(cb: () => void): Unsubscribe;

  /**
   * Exercises every host call the panel relies on, on a scratch sequence in a scratch bin that it removes
   * afterwards, and reports one line per call. Never throws: a failure is a line.
   */
  checkPremiere(): Promise<PremiereCheckReport>;

  /** What this Premiere offers for the take loop (Source Monitor, level keyframes, reveal). */
  getCapabilities(): HostCapabilities;

  /**
   * Opens a WAV in the Source Monitor and plays it (SourceMonitor.openFilePath + play). Nothing lands on the
   * timeline. Throws HostError MONITOR_FAILED when Premiere says no.
   */
  auditionFile(path: string): Promise<void>;

  /** Shows the folder holding `path` in Finder / Explorer. Throws HostError REVEAL_FAILED when it cannot. */
  revealFile(path: string): Promise<void>;

  /**
   * Swaps a placed clip for another item IN PLACE: same track, same start, as ONE undoable transaction
   * (remove + overwrite). The new item may be longer (an extended take) when the track is free over the extra
   * length. Throws CLIP_NOT_FOUND when the old clip is no longer there, TRACK_OCCUPIED when the longer item would
   * overwrite a neighbour.
   */
  swapClip(old: PlacedClipRef, item: ImportedItem, undoLabel: string): Promise<void>;

  /**
   * Writes a level envelope as keyframes on the clip's Volume > Level (one transaction), replacing the keyframes
   * there, and reads them back. Throws LEVELS_UNSUPPORTED when this Premiere has no component chain or the Volume
   * component is not found, LEVELS_NOT_VERIFIED when the clip's keyframes are not the ones written.
   */
  setClipLevels(clip: PlacedClipRef, envelope: LevelEnvelope, undoLabel: string): Promise<void>;
}

export type HostErrorCode =
  | "NO_PROJECT"
  | "NO_ACTIVE_SEQUENCE"
  | "INVALID_ARGUMENT"
  | "BAD_TIMEBASE"
  | "BIN_NOT_FOUND"
  | "IMPORT_FAILED"
  | "IMPORT_ITEM_NOT_FOUND"
  | "ITEM_NOT_FOUND"
  | "TRACK_OUT_OF_RANGE"
  | "TRACK_OCCUPIED"
  | "TRANSACTION_FAILED"
  | "PLACEMENT_NOT_VERIFIED"
  | "MONITOR_FAILED"
  | "REVEAL_FAILED"
  | "CLIP_NOT_FOUND"
  | "LEVELS_UNSUPPORTED"
  | "LEVELS_NOT_VERIFIED";

/** An error the panel can show as is; `code` says what went wrong, `cause` carries Premiere's own error. */
export class HostError extends Error {
  readonly code: HostErrorCode;
  override readonly cause?: unknown;

  constructor(code: HostErrorCode, message: string, cause?: unknown) {
    super(message);
    this.name = "HostError";
    this.code = code;
    if (cause !== undefined) this.cause = cause;
  }
}

export function isHostError(error: unknown, code?: HostErrorCode): error is HostError {
  return error instanceof HostError && (code === undefined || error.code === code);
}
