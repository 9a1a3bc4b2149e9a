/**
 * PremiereHost: Host over Premiere Pro's UXP API. The ONLY file that touches `premierepro`.
 *
 * Rules it keeps (from Adobe's UXP Premiere Pro docs and samples, see docs/plugin.md; FakePpro enforces each of them
 * in tests):
 * - edits are `project.lockedAccess(() => { create actions; project.executeTransaction(…, label) })`, fully
 *   synchronous: every async read happens before the lock, nothing is awaited inside it (26.3+ requires the
 *   actions to be created inside lockedAccess);
 * - all placements of one call are ONE transaction = one undo step;
 * - times go in as `TickTime.createWithTicks(tickString)`, never float seconds (those can land a frame early);
 * - audio track indices are checked against `getAudioTrackCount()` (an overwrite onto a missing track silently
 *   does nothing, and the API cannot add tracks);
 * - importFiles' boolean is not trusted: new items are found by diffing the bin, and since nothing documents
 *   that they exist when it resolves, the bin is read again (briefly, with back-off) until they appear or
 *   the import-complete event has come and gone;
 * - everything Adobe's samples await is awaited, `track.getTrackItems()` included (the types say it is
 *   synchronous; a Promise-returning Premiere must not break the panel);
 * - bins are recognised with `FolderItem.cast()` as the samples do (the item type is the fallback);
 * - marker types are read through `Marker.MARKER_TYPE_*`.
 *
 * The module is a constructor argument (default: `require("premierepro")` inside Premiere), so tests run this
 * very code against FakePpro.
 */
import type {
  Action,
  AudioClipTrackItem,
  FolderItem,
  Marker,
  premierepro,
  Project,
  ProjectItem,
  Sequence,
  TickTime,
  VideoClipTrackItem,
} from "@adobe/premierepro";
import {
  DEFAULT_BIN_NAME,
  HostError,
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
  type MarkerKind,
  type PlaceAudioOptions,
  type PremiereCheckReport,
  type SequenceInfo,
  type TrackItemSpan,
  type Unsubscribe,
} from "./host";
import { LEVEL_PARAM_INDEX, levelFromDb, VOLUME_DISPLAY_NAME, VOLUME_MATCH_NAME_PREFIX } from "./levels";
import { runPremiereCheck, writeCheckWav } from "./premiere-check";
import { fpsFromTicksPerFrame, isTickString, rangesOverlap, toTicks } from "../../shared/time";

// UXP's CommonJS `require`; declared here so this file needs neither Node's nor UXP's typings for it.
declare const require: (id: string) => unknown;

/** Loads Premiere's module (only inside Premiere: webpack keeps `premierepro` external). */
export function loadPremiereModule(): premierepro {
  return require("premierepro") as premierepro;
}

/** Host facts that come from UXP rather than from `premierepro`. */
export interface PremiereHostEnv {
  /** Premiere's version (UXP `require("uxp").host.version`). */
  hostVersion?: string;
  /** UXP `require("os").platform()`. */
  os?: string;
  /** UXP's version (`require("uxp").versions.uxp`). */
  uxpVersion?: string;
  /** Reported as HostInfo.app (default "premierepro"). */
  app?: string;
  /** Longest wait for imported items to appear in their bin, ms (default 5000). */
  importWaitMs?: number;
  /** How long to keep looking after Premiere says an import completed, ms (default IMPORT_GRACE_MS). */
  importGraceMs?: number;
  /** A short WAV on disk for the Premiere check to import (default: written to UXP's temporary folder). */
  checkWavPath?: () => Promise<string>;
  /** Opens a file or folder in the system's own app (UXP `shell.openPath`); resolves "" on success, else the error. */
  openPath?: (path: string) => Promise<string>;
}

function readUxpEnv(): PremiereHostEnv {
  const env: PremiereHostEnv = {};
  try {
    const uxp = require("uxp") as { host?: { version?: unknown }; versions?: { uxp?: unknown } };
    if (uxp.host?.version !== undefined) env.hostVersion = String(uxp.host.version);
    if (uxp.versions?.uxp !== undefined) env.uxpVersion = String(uxp.versions.uxp);
  } catch {
    /* not in UXP */
  }
  try {
    const uxp = require("uxp") as { shell?: { openPath?: (path: string, why: string) => Promise<string> } };
    const shell = uxp.shell;
    if (shell && typeof shell.openPath === "function")
      env.openPath = (path) => shell.openPath!(path, "Cuesmith shows the folder that holds this take.");
  } catch {
    /* not in UXP */
  }
  try {
    const os = require("os") as { platform?: () => string };
    if (typeof os.platform === "function") env.os = os.platform();
  } catch {
    /* not in UXP */
  }
  return env;
}

type TrackItem = AudioClipTrackItem | VideoClipTrackItem;

/**
 * The video track index passed with an audio-only item. The overwrite action takes both indices; a WAV has no
 * video, so nothing lands on V1.
 */
const VIDEO_TRACK_FOR_AUDIO_ONLY = 0;

/** How long to keep looking for imported items after Premiere said the import completed, ms. */
const IMPORT_GRACE_MS = 750;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const ABSOLUTE_PATH = /^(?:[a-zA-Z]:[\\/]|\\\\|\/)/;

/** Paths as Premiere may echo them: slashes unified; compared case-insensitively as a fallback. */
function normalizePath(path: string): string {
  return path.replace(/\\/g, "/").replace(/\/+/g, "/");
}

function samePath(a: string, b: string): boolean {
  const na = normalizePath(a);
  const nb = normalizePath(b);
  return na === nb || na.toLowerCase() === nb.toLowerCase();
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function ticksOf(time: TickTime | null | undefined, what: string): string {
  const ticks = time?.ticks;
  if (!isTickString(ticks)) throw new HostError("INVALID_ARGUMENT", `Premiere returned no tick time for ${what}`);
  return ticks;
}

/** One frame of the sequence in ticks, for "within a frame" read-backs (1 tick when Premiere gives no timebase). */
async function frameTicks(sequence: Sequence): Promise<bigint> {
  const timebase = String(await sequence.getTimebase());
  return isTickString(timebase) && toTicks(timebase) > 0n ? toTicks(timebase) : 1n;
}

export class PremiereHost implements Host {
  private readonly ppro: premierepro;
  private readonly env: PremiereHostEnv;
  /** Project items this host imported, by id: placeAudio's fast path from an ImportedItem back to Premiere's object. */
  private readonly imported = new Map<string, ProjectItem>();

  constructor(ppro?: premierepro, env?: PremiereHostEnv) {
    this.ppro = ppro ?? loadPremiereModule();
    this.env = env ?? (ppro ? {} : readUxpEnv());
  }

  getHostInfo(): HostInfo {
    let version = this.env.hostVersion;
    if (version === undefined) {
      try {
        const appVersion = (this.ppro as { Application?: { version?: unknown } }).Application?.version;
        if (appVersion !== undefined && appVersion !== null) version = String(appVersion);
      } catch {
        /* leave unknown */
      }
    }
    return {
      app: this.env.app ?? "premierepro",
      version: version ?? "unknown",
      os: this.env.os ?? "unknown",
      uxpVersion: this.env.uxpVersion ?? "unknown",
    };
  }

  // ---------------------------------------------------------------- reads

  private async project(): Promise<Project | null> {
    const project = await this.ppro.Project.getActiveProject();
    return project ?? null;
  }

  private async requireProject(): Promise<Project> {
    const project = await this.project();
    if (!project) throw new HostError("NO_PROJECT", "No Premiere Pro project is open.");
    return project;
  }

  private async activeSequence(project: Project | null): Promise<Sequence | null> {
    if (!project) return null;
    const sequence = await project.getActiveSequence();
    return sequence ?? null;
  }

  private async requireSequence(project: Project): Promise<Sequence> {
    const sequence = await this.activeSequence(project);
    if (!sequence)
      throw new HostError("NO_ACTIVE_SEQUENCE", "No sequence is active: open a sequence in the Timeline first.");
    return sequence;
  }

  async getActiveSequence(): Promise<SequenceInfo | null> {
    const sequence = await this.activeSequence(await this.project());
    if (!sequence) return null;
    const timebase = await sequence.getTimebase();
    if (!isTickString(String(timebase)) || toTicks(String(timebase)) <= 0n) {
      throw new HostError(
        "BAD_TIMEBASE",
        `Premiere returned an unreadable timebase for "${sequence.name}": ${String(timebase)}`,
      );
    }
    const ticksPerFrame = toTicks(String(timebase)).toString();
    const [videoTrackCount, audioTrackCount, end] = [
      await sequence.getVideoTrackCount(),
      await sequence.getAudioTrackCount(),
      await sequence.getEndTime(),
    ];
    return {
      id: sequence.guid.toString(),
      name: sequence.name,
      ticksPerFrame,
      fps: fpsFromTicksPerFrame(ticksPerFrame),
      videoTrackCount,
      audioTrackCount,
      endTicks: ticksOf(end, "the sequence end"),
    };
  }

  private markerKind(raw: string): MarkerKind {
    const M = this.ppro.Marker;
    const byConstant: [string | undefined, MarkerKind][] = [
      [M?.MARKER_TYPE_COMMENT, "comment"],
      [M?.MARKER_TYPE_CHAPTER, "chapter"],
      [M?.MARKER_TYPE_WEBLINK, "weblink"],
      [M?.MARKER_TYPE_FLVCUEPOINT, "flvCuePoint"],
    ];
    for (const [constant, kind] of byConstant) if (constant !== undefined && raw === constant) return kind;
    // No constant matched (or none exists, as for segmentation): Adobe's docs spell these several ways.
    switch (raw.toLowerCase().replace(/[^a-z]/g, "")) {
      case "comment":
        return "comment";
      case "chapter":
        return "chapter";
      case "segmentation":
        return "segmentation";
      case "weblink":
        return "weblink";
      case "flashcuepoint":
      case "flvcuepoint":
      case "cuepoint":
        return "flvCuePoint";
      default:
        return "unknown";
    }
  }

  async getMarkers(): Promise<MarkerInfo[]> {
    const sequence = await this.activeSequence(await this.project());
    if (!sequence) return [];
    const markers = await this.ppro.Markers.getMarkers(sequence);
    const list: Marker[] = markers ? markers.getMarkers() : [];
    const infos = list.map((marker): MarkerInfo => {
      const rawType = String(marker.getType() ?? "");
      const info: MarkerInfo = {
        name: marker.getName() ?? "",
        comments: marker.getComments() ?? "",
        colorIndex: marker.getColorIndex(),
        type: this.markerKind(rawType),
        rawType,
        startTicks: ticksOf(marker.getStart(), `marker "${marker.getName()}" start`),
        durationTicks: ticksOf(marker.getDuration(), `marker "${marker.getName()}" duration`),
      };
      const guid = marker.guid;
      if (guid !== undefined && guid !== null) info.id = guid.toString();
      return info;
    });
    return infos.sort((a, b) => {
      const d = toTicks(a.startTicks) - toTicks(b.startTicks);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    });
  }

  private async mediaPathOfTrackItem(item: TrackItem): Promise<string> {
    try {
      const projectItem = await item.getProjectItem();
      if (!projectItem) return "";
      const clip = this.ppro.ClipProjectItem.cast(projectItem);
      return clip ? ((await clip.getMediaFilePath()) ?? "") : "";
    } catch {
      return ""; // titles, graphics, nested sequences: no media file
    }
  }

  /** getSpeed() as a ratio (1 = 100 %). Premiere's types do not say the unit: a value above 10 is read as percent. */
  private async speedOf(item: TrackItem): Promise<number | null> {
    try {
      if (typeof item.getSpeed !== "function") return null;
      const raw = Number(await item.getSpeed());
      if (!Number.isFinite(raw)) return null;
      return Math.abs(raw) > 10 ? raw / 100 : raw;
    } catch {
      return null;
    }
  }

  async getSelectedClips(): Promise<ClipInfo[]> {
    const sequence = await this.activeSequence(await this.project());
    if (!sequence) return [];
    const selection = await sequence.getSelection();
    const items: TrackItem[] = selection ? await selection.getTrackItems() : [];
    if (items.length === 0) return [];

    // A selected item does not say which track type it is on: compare its media-type GUID with the tracks'.
    const audioCount = await sequence.getAudioTrackCount();
    const videoCount = await sequence.getVideoTrackCount();
    const audioType = audioCount > 0 ? (await (await sequence.getAudioTrack(0)).getMediaType()).toString() : undefined;
    const videoType = videoCount > 0 ? (await (await sequence.getVideoTrack(0)).getMediaType()).toString() : undefined;

    const clips: ClipInfo[] = [];
    for (const item of items) {
      const mediaType = (await item.getMediaType()).toString();
      const trackType =
        mediaType === audioType
          ? "audio"
          : mediaType === videoType
            ? "video"
            : "createAddVideoTransitionAction" in item
              ? "video"
              : "audio";
      clips.push({
        trackType,
        trackIndex: await item.getTrackIndex(),
        startTicks: ticksOf(await item.getStartTime(), "a clip start"),
        endTicks: ticksOf(await item.getEndTime(), "a clip end"),
        inPointTicks: ticksOf(await item.getInPoint(), "a clip in point"),
        outPointTicks: ticksOf(await item.getOutPoint(), "a clip out point"),
        mediaPath: await this.mediaPathOfTrackItem(item),
        name: (await item.getName()) ?? "",
        speed: await this.speedOf(item),
      });
    }
    // By start; at the same start video above audio, then by track, as the Timeline shows them.
    return clips.sort((a, b) => {
      const d = toTicks(a.startTicks) - toTicks(b.startTicks);
      if (d !== 0n) return d < 0n ? -1 : 1;
      if (a.trackType !== b.trackType) return a.trackType === "video" ? -1 : 1;
      return a.trackIndex - b.trackIndex;
    });
  }

  private async readAudioTracks(sequence: Sequence, only?: Set<number>): Promise<AudioTrackOccupancy[]> {
    const count = await sequence.getAudioTrackCount();
    const tracks: AudioTrackOccupancy[] = [];
    for (let trackIndex = 0; trackIndex < count; trackIndex++) {
      if (only && !only.has(trackIndex)) continue;
      const track = await sequence.getAudioTrack(trackIndex);
      const items: TrackItemSpan[] = [];
      // Awaited although the types say synchronous: Adobe's samples await it, and a Promise iterates as nothing.
      const trackItems = await track.getTrackItems(this.ppro.Constants.TrackItemType.CLIP, false);
      for (const item of trackItems) {
        items.push({
          startTicks: ticksOf(await item.getStartTime(), "a clip start"),
          endTicks: ticksOf(await item.getEndTime(), "a clip end"),
          name: (await item.getName()) ?? "",
          mediaPath: await this.mediaPathOfTrackItem(item),
        });
      }
      items.sort((a, b) => {
        const d = toTicks(a.startTicks) - toTicks(b.startTicks);
        return d < 0n ? -1 : d > 0n ? 1 : 0;
      });
      tracks.push({
        trackIndex,
        name: track.name ?? `Audio ${trackIndex + 1}`,
        muted: Boolean(await track.isMuted()),
        items,
      });
    }
    return tracks;
  }

  async getAudioTrackOccupancy(): Promise<AudioTrackOccupancy[]> {
    const sequence = await this.activeSequence(await this.project());
    if (!sequence) return [];
    return this.readAudioTracks(sequence);
  }

  // ---------------------------------------------------------------- import

  /** The bin as a FolderItem when `item` is one: `FolderItem.cast()` as Adobe's samples do, the item type as the fallback. */
  asFolder(item: ProjectItem): FolderItem | null {
    try {
      const folder = this.ppro.FolderItem.cast(item);
      if (folder) return folder;
    } catch {
      /* cast refused or unavailable: the type decides */
    }
    return item.type === this.ppro.ProjectItem.TYPE_BIN ? (item as unknown as FolderItem) : null;
  }

  private async findBin(root: FolderItem, name: string): Promise<ProjectItem | null> {
    const items = await root.getItems();
    return items.find((item) => item.name === name && this.asFolder(item) !== null) ?? null;
  }

  private async mediaPathOf(item: ProjectItem): Promise<string | null> {
    if (item.type === this.ppro.ProjectItem.TYPE_BIN || item.type === this.ppro.ProjectItem.TYPE_ROOT) return null;
    try {
      const clip = this.ppro.ClipProjectItem.cast(item);
      if (!clip) return null;
      const path = await clip.getMediaFilePath();
      return path ? String(path) : null;
    } catch {
      return null;
    }
  }

  private async durationOf(item: ProjectItem): Promise<string | null> {
    try {
      const clip = this.ppro.ClipProjectItem.cast(item);
      const audio = this.ppro.Constants.MediaType.AUDIO;
      const inPoint = toTicks(ticksOf(await clip.getInPoint(audio), "media in point"));
      const outPoint = toTicks(ticksOf(await clip.getOutPoint(audio), "media out point"));
      return outPoint > inPoint ? (outPoint - inPoint).toString() : null;
    } catch {
      return null;
    }
  }

  private async describe(item: ProjectItem, mediaPath: string): Promise<ImportedItem> {
    return { id: item.getId(), mediaPath, name: item.name, durationTicks: await this.durationOf(item) };
  }

  async importFiles(paths: string[], binName: string = DEFAULT_BIN_NAME): Promise<ImportedItem[]> {
    if (!Array.isArray(paths) || paths.length === 0)
      throw new HostError("INVALID_ARGUMENT", "importFiles needs at least one file path.");
    for (const path of paths) {
      if (typeof path !== "string" || !ABSOLUTE_PATH.test(path)) {
        throw new HostError("INVALID_ARGUMENT", `importFiles needs absolute file paths, got ${JSON.stringify(path)}.`);
      }
    }
    if (typeof binName !== "string" || binName.trim() === "")
      throw new HostError("INVALID_ARGUMENT", "importFiles needs a bin name.");
    const unique = paths.filter((p, i) => paths.findIndex((q) => samePath(p, q)) === i);

    const project = await this.requireProject();
    const root = await project.getRootItem();

    // The bin: found, or created in its own small transaction (Premiere has no synchronous "find or create").
    let binItem = await this.findBin(root, binName);
    if (!binItem) {
      let created = false;
      project.lockedAccess(() => {
        const action = root.createBinAction(binName, false);
        created = project.executeTransaction((compound) => {
          compound.addAction(action);
        }, `Cuesmith: create bin ${binName}`);
      });
      binItem = await this.findBin(root, binName);
      if (!binItem) {
        throw new HostError(
          "BIN_NOT_FOUND",
          `Could not create the project bin "${binName}"${created ? " (Premiere accepted the edit but the bin is not there)" : ""}.`,
        );
      }
    }
    const bin = this.asFolder(binItem);
    if (!bin) throw new HostError("BIN_NOT_FOUND", `"${binName}" in the project is not a bin.`);

    const before = new Set((await bin.getItems()).map((item) => item.getId()));
    const rootBefore = new Set((await root.getItems()).map((item) => item.getId()));

    // Listen before importing: the event may come before importFiles resolves.
    let completedAt: number | null = null;
    const stopListening = this.listenIfAvailable(
      this.ppro.Constants.OperationCompleteEvent?.IMPORT_MEDIA_COMPLETE,
      () => {
        completedAt ??= Date.now();
      },
    );
    let ok: boolean;
    try {
      ok = await project.importFiles(unique, true, binItem, false);
    } catch (error) {
      stopListening();
      throw new HostError(
        "IMPORT_FAILED",
        `Premiere could not import ${unique.join(", ")}: ${errorMessage(error)}`,
        error,
      );
    }
    if (!ok) {
      stopListening();
      throw new HostError("IMPORT_FAILED", `Premiere refused to import ${unique.join(", ")}.`);
    }

    // New items: in the bin, or (should Premiere ignore the target bin) at the root. They may appear a moment
    // after importFiles resolves: read again with back-off until every path has its item, the wait runs out,
    // or the import-complete event came and a short grace after it passed.
    const fresh: { item: ProjectItem; path: string }[] = [];
    const existing: { item: ProjectItem; path: string }[] = [];
    const started = Date.now();
    const waitMs = this.env.importWaitMs ?? 5000;
    const graceMs = this.env.importGraceMs ?? IMPORT_GRACE_MS;
    try {
      for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
        fresh.length = 0;
        existing.length = 0;
        for (const item of await bin.getItems()) {
          const path = await this.mediaPathOf(item);
          if (path === null) continue;
          (before.has(item.getId()) ? existing : fresh).push({ item, path });
        }
        for (const item of await root.getItems()) {
          if (rootBefore.has(item.getId())) continue;
          const path = await this.mediaPathOf(item);
          if (path !== null) fresh.push({ item, path });
        }
        const found = (path: string) =>
          fresh.some((c) => samePath(c.path, path)) || existing.some((c) => samePath(c.path, path));
        if (unique.every(found)) break;
        const now = Date.now();
        if (now - started >= waitMs || (completedAt !== null && now - completedAt >= graceMs)) break;
        await sleep(delay);
      }
    } finally {
      stopListening();
    }

    const result: ImportedItem[] = [];
    for (const path of paths) {
      // Newest first: a re-import of the same file gives a fresh item; an identical item already in the bin is reused.
      const match = fresh.find((c) => samePath(c.path, path)) ?? existing.find((c) => samePath(c.path, path));
      if (!match) {
        throw new HostError(
          "IMPORT_ITEM_NOT_FOUND",
          `Premiere reported the import of ${path} as done, but no project item for it is in the "${binName}" bin. ` +
            "Check that the file exists and that Premiere can read it (the helper's output folder must be reachable from Premiere).",
        );
      }
      this.imported.set(match.item.getId(), match.item);
      result.push(await this.describe(match.item, match.path));
    }
    return result;
  }

  // ---------------------------------------------------------------- placement

  /** Finds Premiere's project item for a handle: cached from importFiles, else by id, else by media path. */
  private async resolveItem(project: Project, handle: ImportedItem): Promise<ProjectItem> {
    const cached = this.imported.get(handle.id);
    if (cached) return cached;
    const root = await project.getRootItem();
    const queue: FolderItem[] = [root];
    let byPath: ProjectItem | null = null;
    while (queue.length > 0) {
      const folder = queue.shift() as FolderItem;
      for (const item of await folder.getItems()) {
        const folder = this.asFolder(item);
        if (folder) {
          queue.push(folder);
          continue;
        }
        if (item.getId() === handle.id) {
          this.imported.set(handle.id, item);
          return item;
        }
        if (!byPath && handle.mediaPath) {
          const path = await this.mediaPathOf(item);
          if (path !== null && samePath(path, handle.mediaPath)) byPath = item;
        }
      }
    }
    if (byPath) return byPath;
    throw new HostError(
      "ITEM_NOT_FOUND",
      `The project item "${handle.name}" (${handle.mediaPath}) is no longer in the project.`,
    );
  }

  private validatePlacements(placements: AudioPlacement[], undoLabel: string): void {
    if (!Array.isArray(placements) || placements.length === 0)
      throw new HostError("INVALID_ARGUMENT", "placeAudio needs at least one placement.");
    if (typeof undoLabel !== "string" || undoLabel.trim() === "")
      throw new HostError("INVALID_ARGUMENT", "placeAudio needs an undo label.");
    for (const p of placements) {
      if (!p || !p.item || typeof p.item.id !== "string")
        throw new HostError("INVALID_ARGUMENT", "Each placement needs an imported item.");
      if (!isTickString(p.startTicks)) {
        throw new HostError(
          "INVALID_ARGUMENT",
          `Placement start must be a tick string, got ${JSON.stringify(p.startTicks)} (convert seconds with secondsToTicks and snap to a frame).`,
        );
      }
      if (toTicks(p.startTicks) < 0n)
        throw new HostError("INVALID_ARGUMENT", `Placement start ${p.startTicks} is before the sequence start.`);
      if (!Number.isInteger(p.audioTrackIndex) || p.audioTrackIndex < 0) {
        throw new HostError(
          "INVALID_ARGUMENT",
          `Audio track index must be a whole number ≥ 0, got ${String(p.audioTrackIndex)}.`,
        );
      }
    }
  }

  async placeAudio(placements: AudioPlacement[], undoLabel: string, options: PlaceAudioOptions = {}): Promise<void> {
    this.validatePlacements(placements, undoLabel);

    // 1. Every async read first.
    const project = await this.requireProject();
    const sequence = await this.requireSequence(project);
    const audioTrackCount = await sequence.getAudioTrackCount();
    const ticksPerFrame = await frameTicks(sequence);
    for (const p of placements) {
      if (p.audioTrackIndex >= audioTrackCount) {
        throw new HostError(
          "TRACK_OUT_OF_RANGE",
          `Audio track A${p.audioTrackIndex + 1} does not exist: "${sequence.name}" has ${audioTrackCount} audio track${audioTrackCount === 1 ? "" : "s"}. ` +
            "Premiere's UXP API cannot add tracks; choose a free existing track or add one (Sequence > Add Tracks) and try again.",
        );
      }
    }
    const items = await Promise.all(placements.map((p) => this.resolveItem(project, p.item)));
    const spans = placements.map((p) => {
      const start = toTicks(p.startTicks);
      return {
        start,
        end:
          p.item.durationTicks !== null && isTickString(p.item.durationTicks)
            ? start + toTicks(p.item.durationTicks)
            : null,
      };
    });

    if (!options.allowOverwrite) {
      const tracks = await this.readAudioTracks(sequence, new Set(placements.map((p) => p.audioTrackIndex)));
      placements.forEach((p, i) => {
        const { start, end } = spans[i];
        if (end === null) return; // duration unknown: cannot check
        const track = tracks.find((t) => t.trackIndex === p.audioTrackIndex);
        const clash = track?.items.find((it) => rangesOverlap(it.startTicks, it.endTicks, start, end));
        if (clash) {
          throw new HostError(
            "TRACK_OCCUPIED",
            `"${p.item.name}" would overwrite "${clash.name}" on A${p.audioTrackIndex + 1}; choose a free audio track.`,
          );
        }
        placements.forEach((q, j) => {
          const other = spans[j];
          if (
            j < i &&
            q.audioTrackIndex === p.audioTrackIndex &&
            other.end !== null &&
            rangesOverlap(other.start, other.end, start, end)
          ) {
            throw new HostError(
              "TRACK_OCCUPIED",
              `"${p.item.name}" and "${q.item.name}" would overlap on A${p.audioTrackIndex + 1}.`,
            );
          }
        });
      });
    }
    const editor = this.ppro.SequenceEditor.getEditor(sequence);

    // 2. One synchronous block: actions created inside the lock, one transaction, no await.
    this.commitEdit(project, undoLabel, () =>
      placements.map((p, i) =>
        editor.createOverwriteItemAction(
          items[i],
          this.ppro.TickTime.createWithTicks(p.startTicks),
          VIDEO_TRACK_FOR_AUDIO_ONLY,
          p.audioTrackIndex,
        ),
      ),
    );

    // 3. Trust but verify: an overwrite can silently do nothing. (Premiere may snap a start to the frame grid.)
    if (options.verify ?? true) {
      const tracks = await this.readAudioTracks(sequence, new Set(placements.map((p) => p.audioTrackIndex)));
      const missing = placements.filter((p) => {
        const track = tracks.find((t) => t.trackIndex === p.audioTrackIndex);
        const wanted = toTicks(p.startTicks);
        return !track?.items.some((it) => {
          const delta = toTicks(it.startTicks) - wanted;
          return (
            (delta < 0n ? -delta : delta) < ticksPerFrame && (!it.mediaPath || samePath(it.mediaPath, p.item.mediaPath))
          );
        });
      });
      if (missing.length > 0) {
        throw new HostError(
          "PLACEMENT_NOT_VERIFIED",
          `Premiere accepted "${undoLabel}" but ${missing.map((p) => `"${p.item.name}" on A${p.audioTrackIndex + 1}`).join(", ")} ` +
            "did not appear on the timeline. Check the timeline (Edit > Undo reverts the whole edit).",
        );
      }
    }
  }

  // ---------------------------------------------------------------- events

  /** listen(), or nothing when this Premiere has no such event constant. */
  private listenIfAvailable(eventName: unknown, cb: () => void): Unsubscribe {
    if (eventName === undefined || eventName === null) return () => undefined;
    try {
      return this.listen(eventName, cb);
    } catch {
      return () => undefined;
    }
  }

  private listen(eventName: unknown, cb: () => void): Unsubscribe {
    type EventName = Parameters<premierepro["EventManager"]["addGlobalEventListener"]>[0];
    const handler = () => cb();
    this.ppro.EventManager.addGlobalEventListener(eventName as EventName, handler);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.ppro.EventManager.removeGlobalEventListener(eventName as EventName, handler);
    };
  }

  onSelectionChanged(cb: () => void): Unsubscribe {
    return this.listen(this.ppro.Constants.SequenceEvent.SELECTION_CHANGED, cb);
  }

  onActiveSequenceChanged(cb: () => void): Unsubscribe {
    return this.listen(this.ppro.Constants.SequenceEvent.ACTIVATED, cb);
  }

  onProjectChanged(cb: () => void): Unsubscribe {
    // As Adobe's sample: DIRTY for any change (a marker moved counts), plus a project opened, closed, activated.
    const events = this.ppro.Constants.ProjectEvent;
    const offs = [events?.DIRTY, events?.OPENED, events?.CLOSED, events?.ACTIVATED].map((name) =>
      this.listenIfAvailable(name, cb),
    );
    return () => offs.forEach((off) => off());
  }

  /**
   * One undo step: `makeActions` runs inside project.lockedAccess (26.3 wants actions created there), its actions
   * go into ONE executeTransaction named `undoLabel`. Nothing may be awaited in either callback.
   */
  private commitEdit(project: Project, undoLabel: string, makeActions: () => Action[]): void {
    let committed = false;
    try {
      project.lockedAccess(() => {
        const actions = makeActions();
        committed = project.executeTransaction((compound) => {
          for (const action of actions) compound.addAction(action);
        }, undoLabel);
      });
    } catch (error) {
      if (error instanceof HostError) throw error;
      throw new HostError(
        "TRANSACTION_FAILED",
        `Premiere rejected the edit "${undoLabel}": ${errorMessage(error)}`,
        error,
      );
    }
    if (!committed) throw new HostError("TRANSACTION_FAILED", `Premiere did not apply the edit "${undoLabel}".`);
  }

  // ---------------------------------------------------------------- the take loop

  getCapabilities(): HostCapabilities {
    const module = this.ppro as unknown as Record<string, unknown>;
    const monitor = module.SourceMonitor as { openFilePath?: unknown; play?: unknown } | undefined;
    return {
      sourceMonitor: typeof monitor?.openFilePath === "function" && typeof monitor?.play === "function",
      // Present on the module object from the release that has AudioClipTrackItem.getComponentChain on.
      levelKeyframes: module.AudioComponentChain !== undefined && module.ComponentParam !== undefined,
      reveal: typeof this.env.openPath === "function",
    };
  }

  async auditionFile(path: string): Promise<void> {
    if (typeof path !== "string" || !ABSOLUTE_PATH.test(path))
      throw new HostError("INVALID_ARGUMENT", `Listen needs an absolute file path, got ${JSON.stringify(path)}.`);
    if (!this.getCapabilities().sourceMonitor)
      throw new HostError(
        "MONITOR_FAILED",
        "This Premiere has no Source Monitor call for plugins (Premiere 26 or later has).",
      );
    const monitor = this.ppro.SourceMonitor;
    let opened: boolean;
    try {
      opened = await monitor.openFilePath(path);
    } catch (error) {
      throw new HostError(
        "MONITOR_FAILED",
        `Premiere could not open ${path} in the Source Monitor: ${errorMessage(error)}`,
        error,
      );
    }
    if (!opened)
      throw new HostError(
        "MONITOR_FAILED",
        `Premiere could not open ${path} in the Source Monitor (is the file there?).`,
      );
    if (!(await monitor.play(1.0)))
      throw new HostError(
        "MONITOR_FAILED",
        "The take is open in the Source Monitor but Premiere did not start playing it: press Space there.",
      );
  }

  async revealFile(path: string): Promise<void> {
    if (typeof path !== "string" || !ABSOLUTE_PATH.test(path))
      throw new HostError("INVALID_ARGUMENT", `Reveal needs an absolute file path, got ${JSON.stringify(path)}.`);
    const openPath = this.env.openPath;
    if (!openPath) throw new HostError("REVEAL_FAILED", `This panel cannot open folders here; the file is at ${path}`);
    // shell.openPath opens a file in its own app; its folder opens in Finder / Explorer, which is the reveal.
    const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
    const folder = cut > 0 ? path.slice(0, cut) : path;
    const answer = await openPath(folder).catch((error: unknown) => errorMessage(error));
    if (answer) throw new HostError("REVEAL_FAILED", `Could not open ${folder}: ${answer}. The file is at ${path}`);
  }

  /** The track item a PlacedClipRef names: on its track, starting within one frame, playing its media. */
  private async findPlaced(sequence: Sequence, ref: PlacedClipRef): Promise<AudioClipTrackItem> {
    const count = await sequence.getAudioTrackCount();
    if (!Number.isInteger(ref.trackIndex) || ref.trackIndex < 0 || ref.trackIndex >= count)
      throw new HostError("CLIP_NOT_FOUND", `Audio track A${ref.trackIndex + 1} is no longer in "${sequence.name}".`);
    if (!isTickString(ref.startTicks))
      throw new HostError("INVALID_ARGUMENT", "The placed clip's start must be a tick string.");
    const frame = await frameTicks(sequence);
    const track = await sequence.getAudioTrack(ref.trackIndex);
    const items = (await track.getTrackItems(this.ppro.Constants.TrackItemType.CLIP, false)) as AudioClipTrackItem[];
    for (const item of items) {
      const delta = toTicks(ticksOf(await item.getStartTime(), "a clip start")) - toTicks(ref.startTicks);
      if ((delta < 0n ? -delta : delta) >= frame) continue;
      const path = await this.mediaPathOfTrackItem(item);
      if (!ref.mediaPath || samePath(path, ref.mediaPath)) return item;
    }
    throw new HostError(
      "CLIP_NOT_FOUND",
      `The placed take is no longer on A${ref.trackIndex + 1} where Cuesmith put it (moved or deleted in the timeline); place the take again.`,
    );
  }

  async swapClip(old: PlacedClipRef, handle: ImportedItem, undoLabel: string): Promise<void> {
    if (typeof undoLabel !== "string" || undoLabel.trim() === "")
      throw new HostError("INVALID_ARGUMENT", "swapClip needs an undo label.");
    const project = await this.requireProject();
    const sequence = await this.requireSequence(project);
    const current = await this.findPlaced(sequence, old);
    const item = await this.resolveItem(project, handle);
    const start = toTicks(ticksOf(await current.getStartTime(), "the placed clip start"));
    const end = toTicks(ticksOf(await current.getEndTime(), "the placed clip end"));
    const newEnd =
      handle.durationTicks !== null && isTickString(handle.durationTicks) ? start + toTicks(handle.durationTicks) : end;
    if (newEnd > end) {
      // A longer take (extended) must not overwrite the neighbour that follows the old one.
      const [track] = await this.readAudioTracks(sequence, new Set([old.trackIndex]));
      const clash = track?.items.find(
        (it) => toTicks(it.startTicks) >= end && rangesOverlap(it.startTicks, it.endTicks, end, newEnd),
      );
      if (clash)
        throw new HostError(
          "TRACK_OCCUPIED",
          `"${handle.name}" is longer than the placed take and would overwrite "${clash.name}" on A${old.trackIndex + 1}; move that clip first.`,
        );
    }
    const editor = this.ppro.SequenceEditor.getEditor(sequence);
    const startTicks = start.toString();
    type Selection = Parameters<typeof editor.createRemoveItemsAction>[0];
    // One transaction, two actions (as Adobe's samples build compound edits): out with the old take, the new one
    // overwritten at the same start on the same track. One Edit > Undo brings the old take back.
    this.commitEdit(project, undoLabel, () => {
      let selection: Selection | null = null;
      this.ppro.TrackItemSelection.createEmptySelection((s) => {
        selection = s;
      });
      if (!selection) throw new HostError("TRANSACTION_FAILED", "Premiere gave no track item selection.");
      (selection as Selection).addItem(current, false);
      return [
        editor.createRemoveItemsAction(selection as Selection, false, this.ppro.Constants.MediaType.AUDIO),
        editor.createOverwriteItemAction(
          item,
          this.ppro.TickTime.createWithTicks(startTicks),
          VIDEO_TRACK_FOR_AUDIO_ONLY,
          old.trackIndex,
        ),
      ];
    });
    try {
      await this.findPlaced(sequence, { trackIndex: old.trackIndex, startTicks, mediaPath: handle.mediaPath });
    } catch {
      throw new HostError(
        "PLACEMENT_NOT_VERIFIED",
        `Premiere accepted "${undoLabel}" but the new take is not on A${old.trackIndex + 1}. Check the timeline (Edit > Undo reverts the swap).`,
      );
    }
  }

  async setClipLevels(clip: PlacedClipRef, envelope: LevelEnvelope, undoLabel: string): Promise<void> {
    if (!Number.isFinite(envelope?.gainDb) || !Array.isArray(envelope.points))
      throw new HostError("INVALID_ARGUMENT", "setClipLevels needs a gain in dB and a list of points.");
    if (!this.getCapabilities().levelKeyframes)
      throw new HostError(
        "LEVELS_UNSUPPORTED",
        "This Premiere has no component chain for plugins: levels stay baked into the WAV.",
      );
    const project = await this.requireProject();
    const sequence = await this.requireSequence(project);
    const item = await this.findPlaced(sequence, clip);
    if (typeof item.getComponentChain !== "function")
      throw new HostError("LEVELS_UNSUPPORTED", "This Premiere's audio clips have no component chain for plugins.");
    const chain = await item.getComponentChain();
    // The Volume component by match name (language-independent); its display name, then the first slot, as fallbacks.
    let volume = null;
    const count = chain.getComponentCount();
    for (let i = 0; i < count && !volume; i++) {
      const component = chain.getComponentAtIndex(i);
      if (String(await component.getMatchName()).startsWith(VOLUME_MATCH_NAME_PREFIX)) volume = component;
    }
    for (let i = 0; i < count && !volume; i++) {
      const component = chain.getComponentAtIndex(i);
      if ((await component.getDisplayName()) === VOLUME_DISPLAY_NAME) volume = component;
    }
    if (!volume) throw new HostError("LEVELS_UNSUPPORTED", "The clip has no Volume component to write its level on.");
    const level = volume.getParam(LEVEL_PARAM_INDEX);
    if (!(await level.areKeyframesSupported()))
      throw new HostError("LEVELS_UNSUPPORTED", "Premiere does not offer keyframes on this clip's Volume level.");

    const inPoint = toTicks(ticksOf(await item.getInPoint(), "the clip in point"));
    const length =
      toTicks(ticksOf(await item.getEndTime(), "the clip end")) -
      toTicks(ticksOf(await item.getStartTime(), "the clip start"));
    // Keyframe positions are media time (in point + offset). The envelope's corners, plus the clip's two ends,
    // carry the total gain bed + duck at that point.
    const offsets = [0n, length, ...envelope.points.map((p) => toTicks(p.offsetTicks))]
      .filter((t) => t >= 0n && t <= length)
      .filter((t, i, all) => all.indexOf(t) === i)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const values = offsets.map((t) => levelFromDb(envelope.gainDb + duckDbAt(envelope, t)));
    const keyframes = offsets.map((t, i) => {
      const kf = level.createKeyframe(values[i]);
      kf.position = this.ppro.TickTime.createWithTicks((inPoint + t).toString());
      return kf;
    });
    // Keyframes written again (Set dip) replace what is there, so no old corner (nor one an editor added) is left
    // between the new ones. Cleared after the Level is time-varying: a parameter without keyframes has none.
    const ticks = (t: bigint) => this.ppro.TickTime.createWithTicks(t.toString());
    this.commitEdit(project, undoLabel, () => [
      level.createSetTimeVaryingAction(true),
      level.createRemoveKeyframeRangeAction(ticks(inPoint), ticks(inPoint + length), false),
      ...keyframes.map((kf) => level.createAddKeyframeAction(kf)),
    ]);
    // Read back: the clip has the keyframes written, each within a frame of where it was asked for (Premiere may
    // move a keyframe onto its own grid; a corner more or less would change the dip).
    const frame = await frameTicks(sequence);
    const found = level.getKeyframeListAsTickTimes().map((t) => toTicks(ticksOf(t, "a keyframe")) - inPoint);
    const off = (a: bigint, b: bigint) => (a > b ? a - b : b - a) >= frame;
    if (found.length !== offsets.length || found.some((t, i) => off(t, offsets[i])))
      throw new HostError(
        "LEVELS_NOT_VERIFIED",
        `Premiere accepted "${undoLabel}" but the clip's Volume keyframes are not the ones written (${found.length} there, ${offsets.length} written). Check the clip's Volume > Level (Edit > Undo reverts the change).`,
      );
  }

  // ---------------------------------------------------------------- the Premiere check

  checkPremiere(): Promise<PremiereCheckReport> {
    return runPremiereCheck(this.ppro, this, this.env.checkWavPath ?? writeCheckWav);
  }
}

/** The duck part of an envelope at `offset` ticks: linear in dB between its points, 0 outside them. */
export function duckDbAt(envelope: LevelEnvelope, offset: bigint): number {
  const points = envelope.points
    .map((p) => ({ t: toTicks(p.offsetTicks), db: p.gainDb }))
    .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  if (points.length === 0 || offset < points[0].t || offset > points[points.length - 1].t) return 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (offset <= b.t) return b.t === a.t ? b.db : a.db + ((b.db - a.db) * Number(offset - a.t)) / Number(b.t - a.t);
  }
  return points[points.length - 1].db;
}
