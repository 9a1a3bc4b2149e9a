/**
 * FakePpro: an in-memory stand-in for the part of Premiere Pro's `premierepro` module that PremiereHost uses,
 * shaped like the real API (Project / Sequence / FolderItem / ClipProjectItem / Markers / SequenceEditor /
 * TickTime / EventManager / Constants) so that `new PremiereHost(fake.asModule())` runs the production code.
 *
 * It is stricter than Premiere where Premiere fails silently or late, and throws FakePproRuleError for:
 * - ACTION_OUTSIDE_LOCK: an action created outside `project.lockedAccess` (Premiere 26.3+ rejects it);
 * - PROMISE_FROM_LOCK / PROMISE_FROM_TRANSACTION: a lock or transaction callback returned a Promise (an
 *   `async` callback or an `await` inside: the lock is gone by the time it resumes);
 * - TRANSACTION_OUTSIDE_LOCK, NESTED_TRANSACTION, ADD_ACTION_OUTSIDE_TRANSACTION, STALE_ACTION (an action from
 *   another lock), ACTION_REUSED;
 * - UNDEFINED_BIN: `importFiles(paths, ui, undefined)` — the root bin is `null`; NOT_A_BIN for a clip as bin;
 * - TRACK_INDEX: an audio track index that does not exist (Premiere would silently drop the edit);
 * - FLOAT_SECONDS: a number, or a TickTime made with `createWithSeconds`, where an edit needs exact ticks;
 *   BAD_TICKS: `createWithTicks` given anything but a decimal integer string;
 * - NOT_A_CLIP, NOT_A_SEQUENCE, STALE_ITEM (an object whose item no longer exists).
 *
 * Like Premiere, `importFiles` resolves true for a file that does not exist (and imports nothing for it), and a
 * transaction is all-or-nothing: a failure half-way restores the project as it was.
 *
 * No DOM and no Node APIs: file checks and media durations are injected (see FakeHost).
 */
import type { premierepro } from "@adobe/premierepro";
import { isTickString, secondsToTicks, ticksPerFrameForFps, ticksToSeconds, toTicks, type TickString } from "./ticks";

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
}

export interface FakeTrackItemSnapshot {
  id: string;
  name: string;
  mediaPath: string;
  startTicks: TickString;
  endTicks: TickString;
  inPointTicks: TickString;
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
  | "placeAudio";

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
  | "NO_PROJECT";

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

interface NodeState {
  kind: "root" | "bin" | "clip";
  id: string;
  name: string;
  parentId: string | null;
  mediaPath: string;
  durationTicks: bigint;
}

interface TrackItemState {
  id: string;
  start: bigint;
  end: bigint;
  inPoint: bigint;
  name: string;
  nodeId: string | null;
}

interface TrackState {
  name: string;
  muted: boolean;
  items: TrackItemState[];
}

interface MarkerState {
  guid: string;
  name: string;
  comments: string;
  colorIndex: number;
  type: string;
  start: bigint;
  duration: bigint;
}

interface SequenceState {
  guid: string;
  name: string;
  ticksPerFrame: bigint;
  video: TrackState[];
  audio: TrackState[];
  markers: MarkerState[];
  selection: string[];
}

interface ProjectState {
  guid: string;
  name: string;
  path: string;
  nodes: NodeState[];
  sequences: SequenceState[];
  active: string | null;
  nextId: number;
}

const ROOT_ID = "root";
const AUDIO_MEDIA_TYPE = "80b8e3d5-6dca-4195-aefb-cb5f407ab009";
const VIDEO_MEDIA_TYPE = "228cda18-3625-4d2d-951e-348879e4ed93";
const DEFAULT_CLIP_DURATION = 5n * 254016000000n;
const DEFAULT_MEDIA_DURATION = 10n * 254016000000n;

/** Premiere's MARKER_TYPE_* strings as the fake reports them. */
export const FAKE_MARKER_TYPES = {
  comment: "Comment",
  chapter: "Chapter",
  segmentation: "Segmentation",
  weblink: "WebLink",
  flvCuePoint: "FlashCuePoint",
} as const;

const PROJECT_ITEM_TYPES = {
  TYPE_CLIP: 1,
  TYPE_BIN: 2,
  TYPE_ROOT: 3,
  TYPE_FILE: 4,
  TYPE_STYLE: 5,
  TYPE_COMPOUND: 6,
} as const;

function clone<T>(value: T): T {
  return structuredClone(value);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

function time(value: FakeTime | undefined, what: string): bigint | undefined {
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

// ------------------------------------------------------------------ API objects

export class FakeGuid {
  constructor(private readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export class FakeTickTime {
  /** True when made from float seconds: the fake refuses those where an edit needs exact ticks. */
  readonly fromSeconds: boolean;
  readonly value: bigint;
  constructor(value: bigint, fromSeconds = false) {
    this.value = value;
    this.fromSeconds = fromSeconds;
  }
  get ticks(): string {
    return this.value.toString();
  }
  get ticksNumber(): number {
    return Number(this.value);
  }
  get seconds(): number {
    return ticksToSeconds(this.value);
  }
  equals(other: FakeTickTime): boolean {
    return other instanceof FakeTickTime && other.value === this.value;
  }
  add(other: FakeTickTime): FakeTickTime {
    return new FakeTickTime(this.value + other.value, this.fromSeconds || other.fromSeconds);
  }
  subtract(other: FakeTickTime): FakeTickTime {
    return new FakeTickTime(this.value - other.value, this.fromSeconds || other.fromSeconds);
  }
}

interface FakeActionSpec {
  describe: string;
  apply(state: ProjectState, edit: FakeEdit): void;
  isPlacement: boolean;
  isBin: boolean;
}

export class FakeAction {
  used = false;
  constructor(
    readonly session: number,
    readonly spec: FakeActionSpec,
  ) {}
}

export class FakeCompoundAction {
  readonly actions: FakeAction[] = [];
  closed = false;
  constructor(
    private readonly fake: FakePpro,
    readonly session: number,
  ) {}
  get empty(): boolean {
    return this.actions.length === 0;
  }
  addAction(action: FakeAction): boolean {
    if (this.closed)
      throw new FakePproRuleError(
        "ADD_ACTION_OUTSIDE_TRANSACTION",
        "addAction called after the executeTransaction callback returned.",
      );
    if (!(action instanceof FakeAction))
      throw new TypeError("[FakePpro] addAction needs an Action created by the API.");
    if (action.session !== this.session || !this.fake.inLockSession(action.session)) {
      throw new FakePproRuleError(
        "STALE_ACTION",
        `Action "${action.spec.describe}" was created in another lockedAccess call; create actions in the lock that commits them.`,
      );
    }
    if (action.used || this.actions.includes(action))
      throw new FakePproRuleError(
        "ACTION_REUSED",
        `Action "${action.spec.describe}" was already added to a transaction.`,
      );
    action.used = true;
    this.actions.push(action);
    return true;
  }
}

export class FakeProjectItem {
  constructor(
    private readonly fake: FakePpro,
    readonly nodeId: string,
  ) {}
  /** @internal */
  node(): NodeState {
    const node = this.fake.requireState().nodes.find((n) => n.id === this.nodeId);
    if (!node) throw new FakePproRuleError("STALE_ITEM", `Project item ${this.nodeId} no longer exists.`);
    return node;
  }
  private folder(what: string): NodeState {
    const node = this.node();
    if (node.kind === "clip") throw new FakePproRuleError("NOT_A_BIN", `${what} called on a clip, not a bin.`);
    return node;
  }
  private clip(what: string): NodeState {
    const node = this.node();
    if (node.kind !== "clip") throw new FakePproRuleError("NOT_A_CLIP", `${what} called on a bin, not a clip.`);
    return node;
  }
  get name(): string {
    return this.node().name;
  }
  get type(): number {
    const kind = this.node().kind;
    return kind === "root"
      ? PROJECT_ITEM_TYPES.TYPE_ROOT
      : kind === "bin"
        ? PROJECT_ITEM_TYPES.TYPE_BIN
        : PROJECT_ITEM_TYPES.TYPE_CLIP;
  }
  getId(): string {
    return this.node().id;
  }
  getParentBin(): FakeProjectItem | null {
    const parent = this.node().parentId;
    return parent ? new FakeProjectItem(this.fake, parent) : null;
  }
  async getProject(): Promise<FakeProject> {
    return new FakeProject(this.fake);
  }
  // FolderItem
  async getItems(): Promise<FakeProjectItem[]> {
    const folder = this.folder("getItems");
    return this.fake
      .requireState()
      .nodes.filter((n) => n.parentId === folder.id)
      .map((n) => new FakeProjectItem(this.fake, n.id));
  }
  createBinAction(name: string, makeUnique: boolean): FakeAction {
    this.fake.requireLock("createBinAction");
    const folderId = this.folder("createBinAction").id;
    if (typeof name !== "string" || name === "") throw new TypeError("[FakePpro] createBinAction needs a name.");
    return this.fake.newAction({
      describe: `create bin ${name}`,
      isPlacement: false,
      isBin: true,
      apply: (state, edit) => {
        let finalName = name;
        const siblings = state.nodes.filter((n) => n.parentId === folderId);
        if (makeUnique)
          for (let i = 1; siblings.some((n) => n.name === finalName); i++)
            finalName = `${name} ${String(i).padStart(2, "0")}`;
        state.nodes.push({
          kind: "bin",
          id: `bin-${state.nextId++}`,
          name: finalName,
          parentId: folderId,
          mediaPath: "",
          durationTicks: 0n,
        });
        edit.binsCreated.push(finalName);
      },
    });
  }
  // ClipProjectItem
  async getMediaFilePath(): Promise<string> {
    return this.clip("getMediaFilePath").mediaPath;
  }
  async getInPoint(_mediaType?: unknown): Promise<FakeTickTime> {
    this.clip("getInPoint");
    return new FakeTickTime(0n);
  }
  async getOutPoint(_mediaType?: unknown): Promise<FakeTickTime> {
    return new FakeTickTime(this.clip("getOutPoint").durationTicks);
  }
  async isSequence(): Promise<boolean> {
    return false;
  }
  async isOffline(): Promise<boolean> {
    return false;
  }
}

export class FakeTrackItem {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string,
    readonly itemId: string,
  ) {}
  private locate(): { item: TrackItemState; type: "audio" | "video"; index: number } {
    const seq = this.fake.sequenceState(this.sequenceGuid);
    for (const type of ["audio", "video"] as const) {
      const tracks = type === "audio" ? seq.audio : seq.video;
      for (let index = 0; index < tracks.length; index++) {
        const item = tracks[index].items.find((it) => it.id === this.itemId);
        if (item) return { item, type, index };
      }
    }
    throw new FakePproRuleError("STALE_ITEM", `Track item ${this.itemId} no longer exists.`);
  }
  async getStartTime(): Promise<FakeTickTime> {
    return new FakeTickTime(this.locate().item.start);
  }
  async getEndTime(): Promise<FakeTickTime> {
    return new FakeTickTime(this.locate().item.end);
  }
  async getDuration(): Promise<FakeTickTime> {
    const { item } = this.locate();
    return new FakeTickTime(item.end - item.start);
  }
  async getInPoint(): Promise<FakeTickTime> {
    return new FakeTickTime(this.locate().item.inPoint);
  }
  async getOutPoint(): Promise<FakeTickTime> {
    const { item } = this.locate();
    return new FakeTickTime(item.inPoint + (item.end - item.start));
  }
  async getTrackIndex(): Promise<number> {
    return this.locate().index;
  }
  async getName(): Promise<string> {
    return this.locate().item.name;
  }
  async getType(): Promise<number> {
    return 1;
  }
  async getMediaType(): Promise<FakeGuid> {
    return new FakeGuid(this.locate().type === "audio" ? AUDIO_MEDIA_TYPE : VIDEO_MEDIA_TYPE);
  }
  async getProjectItem(): Promise<FakeProjectItem | null> {
    const nodeId = this.locate().item.nodeId;
    return nodeId ? new FakeProjectItem(this.fake, nodeId) : null;
  }
  async isDisabled(): Promise<boolean> {
    return false;
  }
}

export class FakeTrack {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string,
    readonly trackType: "audio" | "video",
    readonly index: number,
  ) {}
  private state(): TrackState {
    const seq = this.fake.sequenceState(this.sequenceGuid);
    const track = (this.trackType === "audio" ? seq.audio : seq.video)[this.index];
    if (!track) throw new FakePproRuleError("STALE_ITEM", `${this.trackType} track ${this.index} no longer exists.`);
    return track;
  }
  get name(): string {
    return this.state().name;
  }
  get id(): number {
    return this.index;
  }
  async getIndex(): Promise<number> {
    return this.index;
  }
  async isMuted(): Promise<boolean> {
    return this.state().muted;
  }
  async getMediaType(): Promise<FakeGuid> {
    return new FakeGuid(this.trackType === "audio" ? AUDIO_MEDIA_TYPE : VIDEO_MEDIA_TYPE);
  }
  getTrackItems(trackItemType: unknown, _includeEmptyTrackItems: boolean): FakeTrackItem[] {
    if (trackItemType !== 1) return []; // only Constants.TrackItemType.CLIP is modelled
    return [...this.state().items]
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
      .map((it) => new FakeTrackItem(this.fake, this.sequenceGuid, it.id));
  }
}

export class FakeTrackItemSelection {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string,
    private readonly ids: string[],
  ) {}
  async getTrackItems(): Promise<FakeTrackItem[]> {
    const seq = this.fake.sequenceState(this.sequenceGuid);
    const alive = new Set([...seq.audio, ...seq.video].flatMap((t) => t.items.map((it) => it.id)));
    return this.ids.filter((id) => alive.has(id)).map((id) => new FakeTrackItem(this.fake, this.sequenceGuid, id));
  }
}

export class FakeSequence {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string,
  ) {}
  private state(): SequenceState {
    return this.fake.sequenceState(this.sequenceGuid);
  }
  get guid(): FakeGuid {
    return new FakeGuid(this.sequenceGuid);
  }
  get name(): string {
    return this.state().name;
  }
  async getTimebase(): Promise<string> {
    return this.state().ticksPerFrame.toString();
  }
  async getAudioTrackCount(): Promise<number> {
    return this.state().audio.length;
  }
  async getVideoTrackCount(): Promise<number> {
    return this.state().video.length;
  }
  async getCaptionTrackCount(): Promise<number> {
    return 0;
  }
  private track(type: "audio" | "video", index: number): FakeTrack {
    const count = type === "audio" ? this.state().audio.length : this.state().video.length;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new FakePproRuleError(
        "TRACK_INDEX",
        `${type} track index ${String(index)} does not exist (the sequence has ${count}).`,
      );
    }
    return new FakeTrack(this.fake, this.sequenceGuid, type, index);
  }
  async getAudioTrack(index: number): Promise<FakeTrack> {
    this.fake.fault("getAudioTrackOccupancy");
    return this.track("audio", index);
  }
  async getVideoTrack(index: number): Promise<FakeTrack> {
    return this.track("video", index);
  }
  async getEndTime(): Promise<FakeTickTime> {
    const seq = this.state();
    let end = 0n;
    for (const track of [...seq.audio, ...seq.video])
      for (const item of track.items) if (item.end > end) end = item.end;
    return new FakeTickTime(end);
  }
  async getZeroPoint(): Promise<FakeTickTime> {
    return new FakeTickTime(0n);
  }
  async getSelection(): Promise<FakeTrackItemSelection> {
    this.fake.fault("getSelectedClips");
    return new FakeTrackItemSelection(this.fake, this.sequenceGuid, [...this.state().selection]);
  }
  async getProjectItem(): Promise<null> {
    return null;
  }
}

export class FakeMarker {
  constructor(private readonly marker: MarkerState) {}
  get guid(): FakeGuid {
    return new FakeGuid(this.marker.guid);
  }
  getName(): string {
    return this.marker.name;
  }
  getComments(): string {
    return this.marker.comments;
  }
  getColorIndex(): number {
    return this.marker.colorIndex;
  }
  getType(): string {
    return this.marker.type;
  }
  getStart(): FakeTickTime {
    return new FakeTickTime(this.marker.start);
  }
  getDuration(): FakeTickTime {
    return new FakeTickTime(this.marker.duration);
  }
  getUrl(): string {
    return "";
  }
  getTarget(): string {
    return "";
  }
}

export class FakeMarkers {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string,
  ) {}
  getMarkers(filters?: string[]): FakeMarker[] {
    const markers = this.fake.sequenceState(this.sequenceGuid).markers;
    return markers
      .filter((m) => !filters || filters.length === 0 || filters.includes(m.type))
      .map((m) => new FakeMarker(clone(m)));
  }
}

export class FakeSequenceEditor {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string,
  ) {}

  createOverwriteItemAction(
    projectItem: unknown,
    when: unknown,
    videoTrackIndex: number,
    audioTrackIndex: number,
  ): FakeAction {
    const fake = this.fake;
    fake.requireLock("createOverwriteItemAction");
    if (!(projectItem instanceof FakeProjectItem) || projectItem.node().kind !== "clip") {
      throw new FakePproRuleError("NOT_A_CLIP", "createOverwriteItemAction needs a clip project item.");
    }
    if (typeof when === "number") {
      throw new FakePproRuleError(
        "FLOAT_SECONDS",
        `createOverwriteItemAction got the number ${when}; pass TickTime.createWithTicks(tickString).`,
      );
    }
    if (!(when instanceof FakeTickTime)) throw new TypeError("[FakePpro] createOverwriteItemAction needs a TickTime.");
    if (when.fromSeconds) {
      throw new FakePproRuleError(
        "FLOAT_SECONDS",
        `TickTime made from float seconds (${when.seconds} s); use TickTime.createWithTicks(tickString): float seconds can land a frame early.`,
      );
    }
    if (when.value < 0n) throw new RangeError("[FakePpro] createOverwriteItemAction: time before the sequence start.");
    const seq = fake.sequenceState(this.sequenceGuid);
    if (!Number.isInteger(videoTrackIndex) || videoTrackIndex < 0) {
      throw new FakePproRuleError("TRACK_INDEX", `Video track index ${String(videoTrackIndex)} is not a valid index.`);
    }
    if (!Number.isInteger(audioTrackIndex) || audioTrackIndex < 0 || audioTrackIndex >= seq.audio.length) {
      throw new FakePproRuleError(
        "TRACK_INDEX",
        `Audio track index ${String(audioTrackIndex)} does not exist (the sequence has ${seq.audio.length}); Premiere would silently drop this edit.`,
      );
    }
    const nodeId = projectItem.nodeId;
    const start = when.value;
    const sequenceGuid = this.sequenceGuid;
    return fake.newAction({
      describe: `overwrite ${projectItem.name} at ${start} on A${audioTrackIndex + 1}`,
      isPlacement: true,
      isBin: false,
      apply: (state, edit) => {
        const node = state.nodes.find((n) => n.id === nodeId);
        if (!node) throw new FakePproRuleError("STALE_ITEM", `Project item ${nodeId} no longer exists.`);
        const sequence = state.sequences.find((s) => s.guid === sequenceGuid);
        if (!sequence) throw new FakePproRuleError("STALE_ITEM", `Sequence ${sequenceGuid} no longer exists.`);
        const item: TrackItemState = {
          id: `ti-${state.nextId++}`,
          start,
          end: start + node.durationTicks,
          inPoint: 0n,
          name: node.name,
          nodeId,
        };
        overwrite(state, sequence.audio[audioTrackIndex], item);
        edit.placements.push({
          itemId: node.id,
          name: node.name,
          mediaPath: node.mediaPath,
          startTicks: item.start.toString(),
          endTicks: item.end.toString(),
          audioTrackIndex,
          videoTrackIndex,
        });
      },
    });
  }
}

/** An overwrite edit: the new item replaces whatever overlaps it on the track (trimmed or split). */
function overwrite(state: ProjectState, track: TrackState, item: TrackItemState): void {
  const kept: TrackItemState[] = [];
  for (const it of track.items) {
    if (it.end <= item.start || it.start >= item.end) {
      kept.push(it);
      continue;
    }
    const left = it.start < item.start;
    if (left) kept.push({ ...it, end: item.start });
    if (it.end > item.end)
      kept.push({
        ...it,
        id: left ? `ti-${state.nextId++}` : it.id,
        start: item.end,
        inPoint: it.inPoint + (item.end - it.start),
      });
  }
  kept.push(item);
  track.items = kept.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

export class FakeProject {
  constructor(private readonly fake: FakePpro) {}
  get name(): string {
    return this.fake.requireState().name;
  }
  get path(): string {
    return this.fake.requireState().path;
  }
  get guid(): FakeGuid {
    return new FakeGuid(this.fake.requireState().guid);
  }
  async getActiveSequence(): Promise<FakeSequence | null> {
    this.fake.fault("getActiveSequence");
    const active = this.fake.requireState().active;
    return active ? new FakeSequence(this.fake, active) : null;
  }
  async getSequences(): Promise<FakeSequence[]> {
    return this.fake.requireState().sequences.map((s) => new FakeSequence(this.fake, s.guid));
  }
  async getRootItem(): Promise<FakeProjectItem> {
    this.fake.requireState();
    return new FakeProjectItem(this.fake, ROOT_ID);
  }
  async importFiles(...args: unknown[]): Promise<boolean> {
    return this.fake.importFiles(args);
  }
  lockedAccess(callback: () => void): void {
    this.fake.lockedAccess(callback);
  }
  executeTransaction(callback: (compound: FakeCompoundAction) => void, undoString?: string): boolean {
    return this.fake.executeTransaction(callback, undoString);
  }
}

// ------------------------------------------------------------------ the module

export interface FakePproOptions {
  /** Does this file exist on disk? (Premiere imports nothing for a missing file, yet resolves true.) */
  fileExists?: (path: string) => boolean;
  /** Media duration of a file being imported, in ticks; null/undefined → 10 s. */
  mediaDurationTicks?: (path: string) => TickString | bigint | null | undefined;
  /** Application.version. */
  version?: string;
}

type Listener = (event?: object) => void;

export class FakePpro {
  private state: ProjectState | null;
  private lockDepth = 0;
  private lockSession = 0;
  private openCompound: FakeCompoundAction | null = null;
  private readonly faults = new Map<FakeFaultPoint, Error[]>();
  private readonly listeners = new Map<unknown, Set<Listener>>();
  private readonly history: { edit: FakeEdit; before: ProjectState }[] = [];
  /** Every committed transaction, oldest first (undo removes the last). */
  readonly edits: FakeEdit[] = [];
  fileExists: (path: string) => boolean;
  mediaDurationTicks: (path: string) => TickString | bigint | null | undefined;

  // ---- the `premierepro` surface PremiereHost uses
  readonly Project = {
    getActiveProject: async (): Promise<FakeProject | null> => (this.state ? new FakeProject(this) : null),
  };
  readonly Markers = {
    getMarkers: async (owner: unknown): Promise<FakeMarkers> => {
      this.fault("getMarkers");
      if (!(owner instanceof FakeSequence))
        throw new FakePproRuleError("NOT_A_SEQUENCE", "Markers.getMarkers needs a Sequence (or ClipProjectItem).");
      return new FakeMarkers(this, owner.sequenceGuid);
    },
  };
  readonly Marker = {
    MARKER_TYPE_COMMENT: FAKE_MARKER_TYPES.comment,
    MARKER_TYPE_CHAPTER: FAKE_MARKER_TYPES.chapter,
    MARKER_TYPE_FLVCUEPOINT: FAKE_MARKER_TYPES.flvCuePoint,
    MARKER_TYPE_WEBLINK: FAKE_MARKER_TYPES.weblink,
  };
  readonly TickTime = {
    createWithTicks: (ticks: unknown): FakeTickTime => {
      if (typeof ticks !== "string") {
        throw new FakePproRuleError(
          typeof ticks === "number" ? "FLOAT_SECONDS" : "BAD_TICKS",
          `TickTime.createWithTicks needs a tick string, got ${typeof ticks} ${String(ticks)}.`,
        );
      }
      if (!isTickString(ticks))
        throw new FakePproRuleError(
          "BAD_TICKS",
          `TickTime.createWithTicks needs a decimal integer string, got ${JSON.stringify(ticks)}.`,
        );
      return new FakeTickTime(toTicks(ticks));
    },
    createWithSeconds: (seconds: number): FakeTickTime => new FakeTickTime(secondsToTicks(seconds), true),
    TIME_ZERO: new FakeTickTime(0n),
    TIME_ONE_SECOND: new FakeTickTime(254016000000n),
  };
  readonly SequenceEditor = {
    getEditor: (sequence: unknown): FakeSequenceEditor => {
      if (!(sequence instanceof FakeSequence))
        throw new FakePproRuleError("NOT_A_SEQUENCE", "SequenceEditor.getEditor needs a Sequence.");
      return new FakeSequenceEditor(this, sequence.sequenceGuid);
    },
  };
  readonly ProjectItem = {
    ...PROJECT_ITEM_TYPES,
    cast: (item: unknown): FakeProjectItem | null => (item instanceof FakeProjectItem ? item : null),
  };
  readonly ClipProjectItem = {
    cast: (item: unknown): FakeProjectItem | null =>
      item instanceof FakeProjectItem && item.node().kind === "clip" ? item : null,
  };
  readonly FolderItem = {
    cast: (item: unknown): FakeProjectItem | null =>
      item instanceof FakeProjectItem && item.node().kind !== "clip" ? item : null,
  };
  readonly EventManager = {
    addGlobalEventListener: (eventName: unknown, handler: Listener): void => {
      if (typeof handler !== "function") throw new TypeError("[FakePpro] addGlobalEventListener needs a function.");
      let set = this.listeners.get(eventName);
      if (!set) this.listeners.set(eventName, (set = new Set()));
      set.add(handler);
    },
    removeGlobalEventListener: (eventName: unknown, handler: Listener): void => {
      this.listeners.get(eventName)?.delete(handler);
    },
  };
  readonly Constants = {
    SequenceEvent: {
      ACTIVATED: "fake:SequenceEvent.ACTIVATED",
      CLOSED: "fake:SequenceEvent.CLOSED",
      SELECTION_CHANGED: "fake:SequenceEvent.SELECTION_CHANGED",
    },
    TrackItemType: { EMPTY: 0, CLIP: 1, TRANSITION: 2, PREVIEW: 3, FEEDBACK: 4 },
    MediaType: { ANY: 0, DATA: 1, VIDEO: 2, AUDIO: 3 },
  };
  readonly Application: { version: string };

  constructor(description: FakeProjectDescription = {}, options: FakePproOptions = {}) {
    this.state = description.project === false ? null : buildState(description);
    this.fileExists = options.fileExists ?? (() => false);
    this.mediaDurationTicks = options.mediaDurationTicks ?? (() => null);
    this.Application = { version: options.version ?? "25.6.0 (fake)" };
  }

  /** This object as the `premierepro` module type, for `new PremiereHost(fake.asModule())`. */
  asModule(): premierepro {
    return this as unknown as premierepro;
  }

  // ---- rules

  /** @internal */
  requireState(): ProjectState {
    if (!this.state) throw new FakePproRuleError("NO_PROJECT", "No project is open.");
    return this.state;
  }

  /** @internal */
  sequenceState(guid: string): SequenceState {
    const seq = this.requireState().sequences.find((s) => s.guid === guid);
    if (!seq) throw new FakePproRuleError("STALE_ITEM", `Sequence ${guid} no longer exists.`);
    return seq;
  }

  /** @internal */
  requireLock(what: string): void {
    if (this.lockDepth === 0) {
      throw new FakePproRuleError(
        "ACTION_OUTSIDE_LOCK",
        `${what} must be called inside project.lockedAccess() (Premiere 26.3+ rejects actions created outside it).`,
      );
    }
  }

  /** @internal */
  inLockSession(session: number): boolean {
    return this.lockDepth > 0 && this.lockSession === session;
  }

  /** @internal */
  newAction(spec: FakeActionSpec): FakeAction {
    return new FakeAction(this.lockSession, spec);
  }

  /** @internal Throws the error queued for this point, if any. */
  fault(point: FakeFaultPoint): void {
    const queue = this.faults.get(point);
    const error = queue?.shift();
    if (error) throw error;
  }

  private takeFault(point: FakeFaultPoint): Error | undefined {
    return this.faults.get(point)?.shift();
  }

  /** The next call at `point` fails with `error`. */
  failNext(point: FakeFaultPoint, error: Error = new Error(`Injected failure: ${point}`)): void {
    const queue = this.faults.get(point) ?? [];
    queue.push(error);
    this.faults.set(point, queue);
  }

  lockedAccess(callback: () => void): void {
    if (typeof callback !== "function") throw new TypeError("[FakePpro] lockedAccess needs a function.");
    this.requireState();
    this.lockDepth++;
    if (this.lockDepth === 1) this.lockSession++;
    let result: unknown;
    try {
      result = callback();
    } finally {
      this.lockDepth--;
    }
    if (isThenable(result)) {
      Promise.resolve(result).catch(() => undefined);
      throw new FakePproRuleError(
        "PROMISE_FROM_LOCK",
        "The lockedAccess callback returned a Promise: it must be synchronous (no async/await inside the lock).",
      );
    }
  }

  executeTransaction(callback: (compound: FakeCompoundAction) => void, undoString?: string): boolean {
    if (this.lockDepth === 0)
      throw new FakePproRuleError(
        "TRANSACTION_OUTSIDE_LOCK",
        "executeTransaction must run inside project.lockedAccess().",
      );
    if (this.openCompound)
      throw new FakePproRuleError("NESTED_TRANSACTION", "executeTransaction called inside another transaction.");
    const compound = new FakeCompoundAction(this, this.lockSession);
    this.openCompound = compound;
    let result: unknown;
    try {
      result = callback(compound);
    } finally {
      this.openCompound = null;
      compound.closed = true;
    }
    if (isThenable(result)) {
      Promise.resolve(result).catch(() => undefined);
      throw new FakePproRuleError(
        "PROMISE_FROM_TRANSACTION",
        "The executeTransaction callback returned a Promise: add actions synchronously.",
      );
    }
    if (compound.actions.length === 0) return false;

    const state = this.requireState();
    const before = clone(state);
    const edit: FakeEdit = { label: undoString ?? "", placements: [], binsCreated: [] };
    const placementFault = compound.actions.some((a) => a.spec.isPlacement) ? this.takeFault("placeAudio") : undefined;
    const binFault = compound.actions.some((a) => a.spec.isBin) ? this.takeFault("createBin") : undefined;
    try {
      compound.actions.forEach((action, i) => {
        action.spec.apply(state, edit);
        // An injected failure strikes after the first action is in: the rollback below must undo it.
        if (i === 0 && (placementFault || binFault)) throw placementFault ?? binFault;
      });
    } catch (error) {
      this.state = before;
      throw error;
    }
    this.history.push({ edit, before });
    this.edits.push(edit);
    return true;
  }

  /** @internal project.importFiles(filePaths, suppressUI?, targetBin?, asNumberedStills?) */
  async importFiles(args: unknown[]): Promise<boolean> {
    this.fault("importFiles");
    const state = this.requireState();
    const [paths, , targetBin] = args;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === "string"))
      throw new TypeError("[FakePpro] importFiles needs an array of path strings.");
    if (args.length >= 3 && targetBin === undefined) {
      throw new FakePproRuleError(
        "UNDEFINED_BIN",
        "importFiles got undefined for targetBin: pass null for the root bin (undefined fails in Premiere).",
      );
    }
    let parentId = ROOT_ID;
    if (targetBin !== null && targetBin !== undefined) {
      if (!(targetBin instanceof FakeProjectItem) || targetBin.node().kind === "clip") {
        throw new FakePproRuleError("NOT_A_BIN", "importFiles targetBin must be a bin (or null for the root).");
      }
      parentId = targetBin.nodeId;
    }
    for (const path of paths as string[]) {
      if (!this.fileExists(path)) continue; // Premiere: nothing imported, still resolves true
      const duration = this.mediaDurationTicks(path);
      state.nodes.push({
        kind: "clip",
        id: `item-${state.nextId++}`,
        name: basename(path),
        parentId,
        mediaPath: path,
        durationTicks: duration === null || duration === undefined ? DEFAULT_MEDIA_DURATION : toTicks(duration),
      });
    }
    return true;
  }

  // ---- test controls

  /** Reverts the last committed transaction as a whole; returns it. */
  undo(): FakeEdit {
    const last = this.history.pop();
    if (!last) throw new Error("[FakePpro] Nothing to undo.");
    this.state = last.before;
    this.edits.pop();
    return last.edit;
  }

  /** Calls the listeners of a Constants.SequenceEvent (or any event name). */
  emit(eventName: unknown, event: object = {}): void {
    for (const listener of [...(this.listeners.get(eventName) ?? [])]) listener(event);
  }

  listenerCount(eventName: unknown): number {
    return this.listeners.get(eventName)?.size ?? 0;
  }

  /** Makes a sequence (by id or name) active, or none; emits ACTIVATED. */
  setActiveSequence(idOrName: string | null): void {
    const state = this.requireState();
    if (idOrName === null) state.active = null;
    else {
      const seq = state.sequences.find((s) => s.guid === idOrName || s.name === idOrName);
      if (!seq) throw new Error(`[FakePpro] No sequence ${idOrName}.`);
      state.active = seq.guid;
    }
    this.emit(this.Constants.SequenceEvent.ACTIVATED, { name: idOrName });
  }

  /** Selects timeline clips of the active sequence; emits SELECTION_CHANGED. */
  setSelection(refs: { trackType: "audio" | "video"; trackIndex: number; clipIndex?: number; name?: string }[]): void {
    const seq = this.activeSequenceState();
    seq.selection = refs.map((ref) => {
      const track = (ref.trackType === "audio" ? seq.audio : seq.video)[ref.trackIndex];
      if (!track) throw new Error(`[FakePpro] No ${ref.trackType} track ${ref.trackIndex}.`);
      const sorted = [...track.items].sort((a, b) => (a.start < b.start ? -1 : 1));
      const item = ref.name !== undefined ? sorted.find((it) => it.name === ref.name) : sorted[ref.clipIndex ?? 0];
      if (!item)
        throw new Error(
          `[FakePpro] No clip ${ref.name ?? ref.clipIndex ?? 0} on ${ref.trackType} track ${ref.trackIndex}.`,
        );
      return item.id;
    });
    this.emit(this.Constants.SequenceEvent.SELECTION_CHANGED, {});
  }

  private activeSequenceState(): SequenceState {
    const state = this.requireState();
    if (!state.active) throw new Error("[FakePpro] No active sequence.");
    return this.sequenceState(state.active);
  }

  /** Clips on an audio track of the active sequence, sorted by start. */
  audioTrackItems(trackIndex: number): FakeTrackItemSnapshot[] {
    const track = this.activeSequenceState().audio[trackIndex];
    if (!track) throw new Error(`[FakePpro] No audio track ${trackIndex}.`);
    const nodes = this.requireState().nodes;
    return [...track.items]
      .sort((a, b) => (a.start < b.start ? -1 : 1))
      .map((it) => ({
        id: it.id,
        name: it.name,
        mediaPath: nodes.find((n) => n.id === it.nodeId)?.mediaPath ?? "",
        startTicks: it.start.toString(),
        endTicks: it.end.toString(),
        inPointTicks: it.inPoint.toString(),
      }));
  }

  /** Items of a bin by name ("" or "/" for the root). Throws when the bin does not exist. */
  binItems(binName: string): FakeBinItemSnapshot[] {
    const state = this.requireState();
    const bin =
      binName === "" || binName === "/"
        ? state.nodes.find((n) => n.kind === "root")
        : state.nodes.find((n) => n.kind === "bin" && n.name === binName);
    if (!bin) throw new Error(`[FakePpro] No bin ${binName}.`);
    return state.nodes
      .filter((n) => n.parentId === bin.id)
      .map((n) => ({
        id: n.id,
        name: n.name,
        kind: n.kind === "clip" ? "clip" : "bin",
        mediaPath: n.mediaPath,
        durationTicks: n.durationTicks.toString(),
      }));
  }

  /** Names of the bins directly under the root. */
  binNames(): string[] {
    return this.requireState()
      .nodes.filter((n) => n.kind === "bin" && n.parentId === ROOT_ID)
      .map((n) => n.name);
  }

  /** True while inside lockedAccess (for tests of the rules). */
  get locked(): boolean {
    return this.lockDepth > 0;
  }
}

// ------------------------------------------------------------------ description → state

function buildState(description: FakeProjectDescription): ProjectState {
  const state: ProjectState = {
    guid: "fake-project-0001",
    name: description.name ?? "Fake Project",
    path: description.path ?? "/projects/Fake Project.prproj",
    nodes: [{ kind: "root", id: ROOT_ID, name: "", parentId: null, mediaPath: "", durationTicks: 0n }],
    sequences: [],
    active: null,
    nextId: 1,
  };
  const clipNodeFor = (mediaPath: string, name: string, duration: bigint): string => {
    const existing = state.nodes.find((n) => n.kind === "clip" && n.mediaPath === mediaPath);
    if (existing) return existing.id;
    const id = `item-${state.nextId++}`;
    state.nodes.push({ kind: "clip", id, name, parentId: ROOT_ID, mediaPath, durationTicks: duration });
    return id;
  };
  for (const item of description.rootItems ?? []) {
    state.nodes.push({
      kind: "clip",
      id: `item-${state.nextId++}`,
      name: item.name ?? basename(item.mediaPath),
      parentId: ROOT_ID,
      mediaPath: item.mediaPath,
      durationTicks: time(item.duration, "bin item duration") ?? DEFAULT_MEDIA_DURATION,
    });
  }
  for (const bin of description.bins ?? []) {
    const binId = `bin-${state.nextId++}`;
    state.nodes.push({ kind: "bin", id: binId, name: bin.name, parentId: ROOT_ID, mediaPath: "", durationTicks: 0n });
    for (const item of bin.items ?? []) {
      state.nodes.push({
        kind: "clip",
        id: `item-${state.nextId++}`,
        name: item.name ?? basename(item.mediaPath),
        parentId: binId,
        mediaPath: item.mediaPath,
        durationTicks: time(item.duration, "bin item duration") ?? DEFAULT_MEDIA_DURATION,
      });
    }
  }

  const sequences = description.sequences ?? (description.sequence ? [description.sequence] : []);
  sequences.forEach((desc, n) => {
    const ticksPerFrame =
      desc.ticksPerFrame !== undefined ? toTicks(desc.ticksPerFrame) : ticksPerFrameForFps(desc.fps ?? 25);
    const guid = desc.id ?? `fake-sequence-${String(n + 1).padStart(4, "0")}`;
    const selection: string[] = [];
    const tracks = (
      spec: number | FakeTrackDescription[] | undefined,
      fallback: number,
      label: string,
    ): TrackState[] => {
      const list: FakeTrackDescription[] =
        typeof spec === "number"
          ? Array.from({ length: spec }, () => ({}))
          : (spec ?? Array.from({ length: fallback }, () => ({})));
      return list.map((t, i) => ({
        name: t.name ?? `${label} ${i + 1}`,
        muted: t.muted ?? false,
        items: (t.clips ?? []).map((c) => {
          const start = time(c.start, "clip start") as bigint;
          const end = time(c.end, "clip end") ?? start + (time(c.duration, "clip duration") ?? DEFAULT_CLIP_DURATION);
          if (end <= start) throw new RangeError(`Fake project: clip ${c.name ?? ""} ends before it starts`);
          const name = c.name ?? (c.mediaPath ? basename(c.mediaPath) : "Graphic");
          const nodeId = c.mediaPath ? clipNodeFor(c.mediaPath, basename(c.mediaPath), end - start) : null;
          const item: TrackItemState = {
            id: `ti-${state.nextId++}`,
            start,
            end,
            inPoint: time(c.inPoint, "clip in point") ?? 0n,
            name,
            nodeId,
          };
          if (c.selected) selection.push(item.id);
          return item;
        }),
      }));
    };
    const video = tracks(desc.videoTracks, 1, "Video");
    const audio = tracks(desc.audioTracks, 2, "Audio");
    const markers: MarkerState[] = (desc.markers ?? []).map((m, i) => {
      const kind = m.type ?? "comment";
      return {
        guid: m.id ?? `${guid}-marker-${i + 1}`,
        name: m.name,
        comments: m.comments ?? "",
        colorIndex: m.colorIndex ?? 0,
        type: kind in FAKE_MARKER_TYPES ? FAKE_MARKER_TYPES[kind as FakeMarkerType] : kind,
        start: time(m.start, "marker start") as bigint,
        duration: time(m.duration, "marker duration") ?? 0n,
      };
    });
    state.sequences.push({
      guid,
      name: desc.name ?? `Sequence ${n + 1}`,
      ticksPerFrame,
      video,
      audio,
      markers,
      selection,
    });
  });
  if (description.activeSequence === null) state.active = null;
  else if (description.activeSequence !== undefined) {
    const seq = state.sequences.find(
      (s) => s.guid === description.activeSequence || s.name === description.activeSequence,
    );
    if (!seq) throw new Error(`Fake project: no sequence ${description.activeSequence}`);
    state.active = seq.guid;
  } else state.active = state.sequences[0]?.guid ?? null;
  return state;
}
