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
 * And it has the host's habits, which a panel must survive:
 * - `track.getTrackItems()` answers with a Promise (the types say array; Adobe's samples await it);
 * - items imported by `importFiles` appear a moment after it resolves (importDelayMs), then
 *   `OperationCompleteEvent.IMPORT_MEDIA_COMPLETE` fires;
 * - markers move and change length under the panel (moveMarker), and a marker list read earlier is a snapshot;
 * - selecting one item of a linked clip selects its video and audio items;
 * - every committed edit, sequence created or deleted, and marker moved fires `ProjectEvent.DIRTY`;
 * - createSequence makes the new sequence active (a check that creates one must restore the editor's).
 *
 * Like Premiere, `importFiles` resolves true for a file that does not exist (and imports nothing for it), and a
 * transaction is all-or-nothing: a failure half-way restores the project as it was.
 *
 * No DOM and no Node APIs: file checks and media durations are injected (see FakeHost). One module per API area
 * sits beside this one (project, project-items, timeline, markers, sequence-editor, values); types holds the data.
 */

import type { premierepro } from "@adobe/premierepro";
import { isTickString, secondsToTicks, toTicks, type TickString } from "../../../shared/time";
import { dbFromLevel, levelFromDb } from "../levels";
import { buildState } from "./build-state";

const FAKE_UNITY_LEVEL_VALUE = levelFromDb(0);
import { FakeAudioComponentChain, FakeSourceMonitor, valueAt } from "./components";
import { FakeMarkers } from "./markers";
import { FakeProject } from "./project";
import { FakeProjectItem } from "./project-items";
import { FakeSequenceEditor } from "./sequence-editor";
import { FakeSequence, FakeTrackItemSelection } from "./timeline";
import {
  basename,
  clone,
  DEFAULT_MEDIA_DURATION,
  FAKE_MARKER_TYPES,
  FakePproRuleError,
  isThenable,
  PROJECT_ITEM_TYPES,
  ROOT_ID,
  time,
  type FakeBinItemSnapshot,
  type FakeEdit,
  type FakeFaultPoint,
  type FakeProjectDescription,
  type FakeTime,
  type FakeTrackItemSnapshot,
  type ProjectState,
  type SequenceState,
} from "./types";
import { FakeAction, FakeCompoundAction, FakeTickTime, type FakeActionSpec } from "./values";

export interface FakePproOptions {
  /** Does this file exist on disk? (Premiere imports nothing for a missing file, yet resolves true.) */
  fileExists?: (path: string) => boolean;
  /** Media duration of a file being imported, in ticks; null/undefined → 10 s. */
  mediaDurationTicks?: (path: string) => TickString | bigint | null | undefined;
  /** Application.version. */
  version?: string;
  /** How long imported items take to appear after importFiles resolves, ms (default 30; 0: at once). */
  importDelayMs?: number;
  /** getTrackItems returns a plain array, as the types declare, instead of a Promise. */
  syncTrackItems?: boolean;
  /**
   * The 26.x calls for editable levels (AudioClipTrackItem.getComponentChain, ComponentParam keyframes) and
   * the Source Monitor exist (default true); false models a Premiere without them.
   */
  componentChains?: boolean;
  sourceMonitor?: boolean;
  /**
   * A fault to inject: keyframes land on this grid of ticks instead of where they were asked for (no Premiere is
   * known to do it; the host's read-back of written levels must notice when it would change the dip).
   */
  keyframeGridTicks?: bigint;
}

/** Default delay before imported items appear in their bin. */
export const FAKE_IMPORT_DELAY_MS = 30;

type Listener = (event?: object) => void;

export class FakePpro {
  /** The API objects reach each other through these, so the area modules never import one another. */
  project(): FakeProject {
    return new FakeProject(this);
  }

  projectItem(id: string): FakeProjectItem {
    return new FakeProjectItem(this, id);
  }

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
  importDelayMs: number;
  syncTrackItems: boolean;
  /** Imports whose items have not appeared yet. */
  private pendingImports = 0;

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
      item instanceof FakeProjectItem && (item.node().kind === "clip" || item.node().kind === "sequence") ? item : null,
  };
  readonly FolderItem = {
    cast: (item: unknown): FakeProjectItem | null =>
      item instanceof FakeProjectItem && (item.node().kind === "bin" || item.node().kind === "root") ? item : null,
  };
  readonly TrackItemSelection = {
    createEmptySelection: (callback: (selection: FakeTrackItemSelection) => void): boolean => {
      if (typeof callback !== "function") throw new TypeError("[FakePpro] createEmptySelection needs a callback.");
      callback(new FakeTrackItemSelection(this, null, []));
      return true;
    },
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
    ProjectEvent: {
      OPENED: "fake:ProjectEvent.OPENED",
      CLOSED: "fake:ProjectEvent.CLOSED",
      DIRTY: "fake:ProjectEvent.DIRTY",
      ACTIVATED: "fake:ProjectEvent.ACTIVATED",
      PROJECT_ITEM_SELECTION_CHANGED: "fake:ProjectEvent.PROJECT_ITEM_SELECTION_CHANGED",
    },
    OperationCompleteEvent: { IMPORT_MEDIA_COMPLETE: "fake:OperationCompleteEvent.IMPORT_MEDIA_COMPLETE" },
    OperationCompleteState: { SUCCESS: 0, CANCELLED: 1, FAILED: 2 },
    TrackItemType: { EMPTY: 0, CLIP: 1, TRANSITION: 2, PREVIEW: 3, FEEDBACK: 4 },
    MediaType: { ANY: 0, DATA: 1, VIDEO: 2, AUDIO: 3 },
  };
  readonly Application: { version: string };
  /** SourceMonitor (absent when FakePproOptions.sourceMonitor is false). */
  readonly SourceMonitor?: FakeSourceMonitor;
  /** Present as in the 26.3 module object when component chains are modelled. */
  readonly AudioComponentChain?: object;
  readonly ComponentParam?: object;
  readonly componentChains: boolean;
  readonly keyframeGridTicks?: bigint;

  constructor(description: FakeProjectDescription = {}, options: FakePproOptions = {}) {
    this.state = description.project === false ? null : buildState(description);
    this.fileExists = options.fileExists ?? (() => false);
    this.mediaDurationTicks = options.mediaDurationTicks ?? (() => null);
    this.Application = { version: options.version ?? "25.6.0 (fake)" };
    this.importDelayMs = options.importDelayMs ?? FAKE_IMPORT_DELAY_MS;
    this.syncTrackItems = options.syncTrackItems ?? false;
    this.componentChains = options.componentChains ?? true;
    this.keyframeGridTicks = options.keyframeGridTicks;
    if (this.componentChains) {
      this.AudioComponentChain = {};
      this.ComponentParam = {};
    }
    if (options.sourceMonitor ?? true) this.SourceMonitor = new FakeSourceMonitor(this);
  }

  /** @internal AudioClipTrackItem.getComponentChain's answer (the timeline reaches the components through here). */
  componentChain(sequenceGuid: string, itemId: string): FakeAudioComponentChain {
    return new FakeAudioComponentChain(this, sequenceGuid, itemId);
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
    const edit: FakeEdit = { label: undoString ?? "", placements: [], binsCreated: [], changes: [] };
    const points = new Set<FakeFaultPoint>();
    for (const a of compound.actions) {
      if (a.spec.isPlacement) points.add("placeAudio");
      if (a.spec.isBin) points.add("createBin");
      if (a.spec.fault) points.add(a.spec.fault);
    }
    const injected = [...points].map((p) => this.takeFault(p)).find((e) => e !== undefined);
    try {
      compound.actions.forEach((action, i) => {
        action.spec.apply(state, edit);
        // An injected failure strikes after the first action is in: the rollback below must undo it.
        if (i === 0 && injected) throw injected;
      });
    } catch (error) {
      this.state = before;
      throw error;
    }
    this.history.push({ edit, before });
    this.edits.push(edit);
    this.projectChanged();
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
    // What is on disk is decided now; the items appear a moment later (nothing documents that they exist when
    // importFiles resolves), then the import-complete event fires.
    const found = (paths as string[]).filter((path) => this.fileExists(path)); // Premiere: a missing file imports nothing, still true
    const land = () => {
      const now = this.state;
      if (!now || !now.nodes.some((n) => n.id === parentId)) return;
      for (const path of found) {
        const duration = this.mediaDurationTicks(path);
        now.nodes.push({
          kind: "clip",
          id: `item-${now.nextId++}`,
          name: basename(path),
          parentId,
          mediaPath: path,
          durationTicks: duration === null || duration === undefined ? DEFAULT_MEDIA_DURATION : toTicks(duration),
        });
      }
      this.emit(this.Constants.OperationCompleteEvent.IMPORT_MEDIA_COMPLETE, {
        state: this.Constants.OperationCompleteState.SUCCESS,
      });
      this.projectChanged();
    };
    if (this.importDelayMs <= 0) land();
    else {
      this.pendingImports++;
      setTimeout(() => {
        this.pendingImports--;
        land();
      }, this.importDelayMs);
    }
    void state;
    return true;
  }

  /** Resolves once every import has landed its items. */
  async importsSettled(): Promise<void> {
    while (this.pendingImports > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  /** @internal Fires ProjectEvent.DIRTY, as Premiere does after any change to the project. */
  projectChanged(): void {
    this.emit(this.Constants.ProjectEvent.DIRTY, { name: this.state?.name ?? "" });
  }

  // ---- test controls

  /** Reverts the last committed transaction as a whole; returns it. */
  undo(): FakeEdit {
    const last = this.history.pop();
    if (!last) throw new Error("[FakePpro] Nothing to undo.");
    this.state = last.before;
    this.edits.pop();
    this.projectChanged();
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

  /**
   * Selects timeline clips of the active sequence, as a click does: the other items of a linked clip come along
   * (unless `linked: false`, Premiere's "Linked Selection" turned off). Emits SELECTION_CHANGED.
   */
  setSelection(
    refs: { trackType: "audio" | "video"; trackIndex: number; clipIndex?: number; name?: string }[],
    options: { linked?: boolean } = {},
  ): void {
    const seq = this.activeSequenceState();
    const picked = refs.map((ref) => {
      const track = (ref.trackType === "audio" ? seq.audio : seq.video)[ref.trackIndex];
      if (!track) throw new Error(`[FakePpro] No ${ref.trackType} track ${ref.trackIndex}.`);
      const sorted = [...track.items].sort((a, b) => (a.start < b.start ? -1 : 1));
      const item = ref.name !== undefined ? sorted.find((it) => it.name === ref.name) : sorted[ref.clipIndex ?? 0];
      if (!item)
        throw new Error(
          `[FakePpro] No clip ${ref.name ?? ref.clipIndex ?? 0} on ${ref.trackType} track ${ref.trackIndex}.`,
        );
      return item;
    });
    const all = [...seq.video, ...seq.audio].flatMap((t) => t.items);
    const ids = new Set<string>();
    for (const item of picked) {
      ids.add(item.id);
      if (options.linked !== false && item.link !== null)
        for (const other of all) if (other.link === item.link) ids.add(other.id);
    }
    seq.selection = [...ids];
    this.emit(this.Constants.SequenceEvent.SELECTION_CHANGED, {});
  }

  /**
   * Moves or re-lengthens a marker of the active sequence (by id or name), as an editor dragging it does.
   * Premiere has no marker event; the project turns dirty (ProjectEvent.DIRTY) unless `silent`.
   */
  moveMarker(
    idOrName: string,
    change: { start?: FakeTime; duration?: FakeTime },
    options: { silent?: boolean } = {},
  ): void {
    const seq = this.activeSequenceState();
    const marker = seq.markers.find((m) => m.guid === idOrName) ?? seq.markers.find((m) => m.name === idOrName);
    if (!marker) throw new Error(`[FakePpro] No marker ${idOrName}.`);
    marker.start = time(change.start, "marker start") ?? marker.start;
    marker.duration = time(change.duration, "marker duration") ?? marker.duration;
    if (!options.silent) this.projectChanged();
  }

  /** Removes a marker of the active sequence (by id or name). */
  removeMarker(idOrName: string): void {
    const seq = this.activeSequenceState();
    const before = seq.markers.length;
    seq.markers = seq.markers.filter((m) => m.guid !== idOrName && m.name !== idOrName);
    if (seq.markers.length === before) throw new Error(`[FakePpro] No marker ${idOrName}.`);
    this.projectChanged();
  }

  /** Names of every sequence in the project. */
  sequenceNames(): string[] {
    return this.requireState().sequences.map((s) => s.name);
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
        volume: {
          timeVarying: it.volume?.timeVarying ?? false,
          levelDb: dbFromLevel(it.volume ? valueAt(it.volume, it.inPoint) : FAKE_UNITY_LEVEL_VALUE),
          keyframes: (it.volume?.timeVarying ? it.volume.keyframes : []).map((k) => ({
            positionTicks: k.position.toString(),
            levelDb: dbFromLevel(k.value),
          })),
        },
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
