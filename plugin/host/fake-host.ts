/**
 * FakeHost: the Host for tests and the browser harness.
 *
 * It is PremiereHost — the production code — running against FakePpro, an in-memory Premiere built from a
 * plain description that enforces the API's rules (see ./fake). On top it offers test controls:
 * failure injection, a file missing on disk, the edit log with undo, selection and sequence events, markers
 * moved under the panel, and the Premiere check's WAV (a path it declares present, 1 s long).
 *
 * Files: `importFiles` asks `fileExists(path)`. The default knows the paths given with `files` / addFile(),
 * forgets those given to removeFile(), and otherwise asks Node's fs when it runs under Node (through
 * process.getBuiltinModule, so bundlers never see an `fs` import); in a browser, inject `fileExists`.
 * A WAV's duration is read from its header under Node; else `mediaDurationTicks` or 10 s.
 *
 * No DOM and no static Node imports: this file bundles for the browser harness as is.
 */
import {
  DEFAULT_BIN_NAME,
  type AudioPlacement,
  type AudioTrackOccupancy,
  type ClipInfo,
  type Host,
  type HostCapabilities,
  type HostInfo,
  type ImportedItem,
  type LevelEnvelope,
  type PlacedClipRef,
  type MarkerInfo,
  type PlaceAudioOptions,
  type PremiereCheckReport,
  type SequenceInfo,
  type Unsubscribe,
} from "./host";
import {
  FakePpro,
  type FakeBinItemSnapshot,
  type FakeEdit,
  type FakeFaultPoint,
  type FakeProjectDescription,
  type FakeTime,
  type FakeTrackItemSnapshot,
} from "./fake";
import { PremiereHost } from "./premiere-host";
import { TICKS_PER_SECOND, secondsToTicks, type TickString } from "../../shared/time";

/** The WAV the Premiere check imports, as the fake's disk has it. */
export const FAKE_CHECK_WAV = "/tmp/cuesmith/cuesmith-check.wav";

export type {
  FakeProjectDescription,
  FakeEdit,
  FakeFaultPoint,
  FakeTrackItemSnapshot,
  FakeBinItemSnapshot,
} from "./fake";
export { FakePpro, FakePproRuleError } from "./fake";

/** Host operations whose next call can be made to fail. */
export type FakeHostOperation = FakeFaultPoint;

export interface FakeHostOptions {
  /** Replaces the default file check (see the file comment). */
  fileExists?: (path: string) => boolean;
  /** Paths that exist on disk, in addition to what the file check finds. */
  files?: string[];
  /** Media duration of a file being imported (default: WAV header under Node, else 10 s). */
  mediaDurationTicks?: (path: string) => TickString | bigint | null | undefined;
  /** getHostInfo() values. */
  version?: string;
  os?: string;
  uxpVersion?: string;
  /** Imported items appear this long after importFiles resolves, ms (FakePpro's default: 30). */
  importDelayMs?: number;
  /** getTrackItems answers a plain array, as the types declare (default: a Promise). */
  syncTrackItems?: boolean;
  /** PremiereHost's wait for imported items, ms (default 2000 here). */
  importWaitMs?: number;
  /** PremiereHost's grace after an import completes, ms (default: PremiereHost's own). */
  importGraceMs?: number;
  /** The 26.x component chain and keyframes exist (default true). */
  componentChains?: boolean;
  /** SourceMonitor exists (default true). */
  sourceMonitor?: boolean;
  /** Fault injection: keyframes land on this tick grid (see FakePproOptions). */
  keyframeGridTicks?: bigint;
}

export interface FakeSelectionRef {
  trackType: "audio" | "video";
  trackIndex: number;
  /** Index among the track's clips by start (default 0), or pick by `name`. */
  clipIndex?: number;
  name?: string;
}

interface NodeFsLike {
  existsSync(path: string): boolean;
  statSync(path: string): { isFile(): boolean };
  openSync(path: string, flags: string): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
}

/** Node's fs when running under Node, without an `import`/`require` a bundler would follow. */
function nodeFs(): NodeFsLike | null {
  const proc = (
    globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }
  ).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== "function") return null;
  try {
    return (proc.getBuiltinModule("fs") as NodeFsLike) ?? null;
  } catch {
    return null;
  }
}

/** Duration of a PCM WAV from its RIFF header (fmt byte rate, data size), in ticks; null when not a WAV. */
export function wavDurationTicks(header: Uint8Array): bigint | null {
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const tag = (offset: number) => String.fromCharCode(...header.subarray(offset, offset + 4));
  if (header.byteLength < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") return null;
  let byteRate = 0;
  for (let offset = 12; offset + 8 <= header.byteLength;) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    if (id === "fmt " && offset + 16 <= header.byteLength) byteRate = view.getUint32(offset + 8 + 8, true);
    if (id === "data") {
      if (byteRate <= 0) return null;
      const rate = BigInt(byteRate);
      return (BigInt(size) * TICKS_PER_SECOND + rate / 2n) / rate;
    }
    offset += 8 + size + (size % 2);
  }
  return null;
}

function probeWav(fs: NodeFsLike, path: string): bigint | null {
  if (!/\.wav$/i.test(path)) return null;
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, "r");
    const header = new Uint8Array(65536);
    const read = fs.readSync(fd, header, 0, header.byteLength, 0);
    return wavDurationTicks(header.subarray(0, read));
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export class FakeHost implements Host {
  /** The fake `premierepro` module (for tests that poke at the API level). */
  readonly ppro: FakePpro;
  /** The production host, running against the fake. */
  readonly premiere: PremiereHost;
  private readonly present = new Set<string>();
  private readonly absent = new Set<string>();
  /** Folders shown through the host's openPath ("Finder / Explorer"), oldest first. */
  readonly revealed: string[] = [];

  constructor(description: FakeProjectDescription = {}, options: FakeHostOptions = {}) {
    for (const path of options.files ?? []) this.present.add(path);
    const fs = nodeFs();
    const baseExists =
      options.fileExists ??
      ((path: string) => {
        if (!fs) return false;
        try {
          return fs.existsSync(path) && fs.statSync(path).isFile();
        } catch {
          return false;
        }
      });
    const fileExists = (path: string) => !this.absent.has(path) && (this.present.has(path) || baseExists(path));
    const baseDuration =
      options.mediaDurationTicks ?? ((path: string) => (fs && !this.present.has(path) ? probeWav(fs, path) : null));
    const mediaDurationTicks = (path: string) => (path === FAKE_CHECK_WAV ? secondsToTicks(1) : baseDuration(path));
    this.ppro = new FakePpro(description, {
      fileExists,
      mediaDurationTicks,
      version: options.version,
      importDelayMs: options.importDelayMs,
      syncTrackItems: options.syncTrackItems,
      componentChains: options.componentChains,
      sourceMonitor: options.sourceMonitor,
      keyframeGridTicks: options.keyframeGridTicks,
    });
    this.premiere = new PremiereHost(this.ppro.asModule(), {
      hostVersion: options.version ?? "25.6.0 (fake)",
      os: options.os ?? "fake",
      uxpVersion: options.uxpVersion ?? "8.1.0 (fake)",
      importWaitMs: options.importWaitMs ?? 2000,
      importGraceMs: options.importGraceMs,
      openPath: async (path) => {
        this.revealed.push(path);
        return "";
      },
      checkWavPath: async () => {
        if (!this.absent.has(FAKE_CHECK_WAV)) this.present.add(FAKE_CHECK_WAV);
        return FAKE_CHECK_WAV;
      },
    });
  }

  // ---------------------------------------------------------------- Host (the production code path)

  getHostInfo(): HostInfo {
    return this.premiere.getHostInfo();
  }
  getActiveSequence(): Promise<SequenceInfo | null> {
    return this.premiere.getActiveSequence();
  }
  getMarkers(): Promise<MarkerInfo[]> {
    return this.premiere.getMarkers();
  }
  getSelectedClips(): Promise<ClipInfo[]> {
    return this.premiere.getSelectedClips();
  }
  getAudioTrackOccupancy(): Promise<AudioTrackOccupancy[]> {
    return this.premiere.getAudioTrackOccupancy();
  }
  importFiles(paths: string[], binName: string = DEFAULT_BIN_NAME): Promise<ImportedItem[]> {
    return this.premiere.importFiles(paths, binName);
  }
  placeAudio(placements: AudioPlacement[], undoLabel: string, options?: PlaceAudioOptions): Promise<void> {
    return this.premiere.placeAudio(placements, undoLabel, options);
  }
  onSelectionChanged(cb: () => void): Unsubscribe {
    return this.premiere.onSelectionChanged(cb);
  }
  onActiveSequenceChanged(cb: () => void): Unsubscribe {
    return this.premiere.onActiveSequenceChanged(cb);
  }
  onProjectChanged(cb: () => void): Unsubscribe {
    return this.premiere.onProjectChanged(cb);
  }
  checkPremiere(): Promise<PremiereCheckReport> {
    return this.premiere.checkPremiere();
  }
  getCapabilities(): HostCapabilities {
    return this.premiere.getCapabilities();
  }
  auditionFile(path: string): Promise<void> {
    return this.premiere.auditionFile(path);
  }
  revealFile(path: string): Promise<void> {
    return this.premiere.revealFile(path);
  }
  swapClip(old: PlacedClipRef, item: ImportedItem, undoLabel: string): Promise<void> {
    return this.premiere.swapClip(old, item, undoLabel);
  }
  setClipLevels(clip: PlacedClipRef, envelope: LevelEnvelope, undoLabel: string): Promise<void> {
    return this.premiere.setClipLevels(clip, envelope, undoLabel);
  }

  /** What the Source Monitor has open and whether it plays (null when this fake has no Source Monitor). */
  get sourceMonitor(): { opened: string | null; playing: boolean } | null {
    const monitor = this.ppro.SourceMonitor;
    return monitor ? { opened: monitor.opened, playing: monitor.playing } : null;
  }

  // ---------------------------------------------------------------- test controls

  /** The next `operation` fails with `error` (placeAudio / createBin fail half-way and roll back). */
  failNext(operation: FakeHostOperation, error?: Error): void {
    this.ppro.failNext(operation, error);
  }

  /** Committed transactions, oldest first. */
  get edits(): readonly FakeEdit[] {
    return this.ppro.edits;
  }

  /** Edit > Undo: reverts the last transaction as a whole and returns it. */
  undo(): FakeEdit {
    return this.ppro.undo();
  }

  /** The file now exists on disk. */
  addFile(path: string): void {
    this.absent.delete(path);
    this.present.add(path);
  }

  /** The file is gone from disk (Premiere's import will "succeed" and import nothing). */
  removeFile(path: string): void {
    this.present.delete(path);
    this.absent.add(path);
  }

  /** Selects timeline clips (a linked clip's other items come along unless linked: false) and fires the selection event. */
  setSelection(refs: FakeSelectionRef[], options?: { linked?: boolean }): void {
    this.ppro.setSelection(refs, options);
  }

  /** The editor drags a marker (by id or name) to a new start and/or length; the project turns dirty. */
  moveMarker(
    idOrName: string,
    change: { start?: FakeTime; duration?: FakeTime },
    options?: { silent?: boolean },
  ): void {
    this.ppro.moveMarker(idOrName, change, options);
  }

  /** The editor deletes a marker. */
  removeMarker(idOrName: string): void {
    this.ppro.removeMarker(idOrName);
  }

  /** Resolves once every import has landed its items in the project. */
  importsSettled(): Promise<void> {
    return this.ppro.importsSettled();
  }

  /** Names of the project's sequences. */
  sequenceNames(): string[] {
    return this.ppro.sequenceNames();
  }

  /** Activates a sequence by id or name (null: none) and fires the sequence event. */
  setActiveSequence(idOrName: string | null): void {
    this.ppro.setActiveSequence(idOrName);
  }

  /** Clips on an audio track of the active sequence. */
  audioTrackItems(trackIndex: number): FakeTrackItemSnapshot[] {
    return this.ppro.audioTrackItems(trackIndex);
  }

  /** Contents of a bin ("" for the root). */
  binItems(binName: string): FakeBinItemSnapshot[] {
    return this.ppro.binItems(binName);
  }

  binNames(): string[] {
    return this.ppro.binNames();
  }
}
