/**
 * The Premiere check: one click that exercises, inside the editor's Premiere, every host call the panel relies on
 * — on a scratch sequence in a scratch bin, both removed afterwards — and reports one line per call with
 * Premiere's and UXP's versions, to paste into a bug report.
 *
 * The reads, the import and the placement go through PremiereHost's own methods (the code the panel runs); the
 * scratch set-up and tear-down use `premierepro` directly, with calls that exist in the 26.3 types only:
 * `createBinAction`, `Project.createSequence`, `createMoveItemAction`, `Project.setActiveSequence`,
 * `Markers.createAddMarkerAction`, `SequenceEditor.createRemoveItemsAction`, `Project.deleteSequence`,
 * `FolderItem.createRemoveItemAction`.
 *
 * What the API cannot do is said in the report instead of pretended: plugins have no Edit > Undo call, so the
 * placement is taken back with a remove edit; and anything the tear-down could not remove is listed by name.
 */
import type { FolderItem, premierepro, Project } from "@adobe/premierepro";
import type { CheckLine, ImportedItem, PremiereCheckReport, SequenceInfo } from "./host";
import type { PremiereHost } from "./premiere-host";
import { toTicks } from "../../shared/time";

// UXP's CommonJS `require`; declared here so this file needs neither Node's nor UXP's typings for it.
declare const require: (id: string) => unknown;

/** Name stem of the scratch bin and sequence (a time stamp follows, so two checks never collide). */
export const CHECK_NAME = "Cuesmith check";
export const CHECK_MARKER_NAME = "#cuesmith_check";

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A 16-bit mono PCM WAV of `seconds` of silence at `rate` Hz: the file the check imports and places. */
export function silentWav(seconds = 1, rate = 48000): Uint8Array {
  const samples = Math.round(seconds * rate);
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const text = (offset: number, s: string) => [...s].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + samples * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, samples * 2, true);
  return bytes;
}

interface UxpStorage {
  storage: {
    localFileSystem: {
      getTemporaryFolder(): Promise<{ createFile(name: string, options: { overwrite: boolean }): Promise<UxpFile> }>;
    };
    formats: { binary: unknown };
  };
}
interface UxpFile {
  nativePath: string;
  write(data: ArrayBuffer, options: { format: unknown }): Promise<unknown>;
}

/**
 * Writes the check's WAV into the plugin's temporary folder (UXP grants its own sandbox folders without the
 * localFileSystem permission) and returns its path for Premiere to import.
 */
export async function writeCheckWav(): Promise<string> {
  const { storage } = require("uxp") as UxpStorage;
  const folder = await storage.localFileSystem.getTemporaryFolder();
  const file = await folder.createFile("cuesmith-check.wav", { overwrite: true });
  await file.write(silentWav().buffer as ArrayBuffer, { format: storage.formats.binary });
  return file.nativePath;
}

/** Runs the check; never throws (every failure is a line). */
export async function runPremiereCheck(
  ppro: premierepro,
  host: PremiereHost,
  wavPath: () => Promise<string>,
): Promise<PremiereCheckReport> {
  const info = host.getHostInfo();
  const lines: CheckLine[] = [
    { step: "Versions", result: "pass", detail: `Premiere ${info.version} · UXP ${info.uxpVersion} · ${info.os}` },
  ];
  const leftBehind: string[] = [];
  const finish = (): PremiereCheckReport => ({
    ok: lines.every((l) => l.result !== "fail") && leftBehind.length === 0,
    host: info,
    lines,
    leftBehind,
  });

  /** Runs one step; its line says what came back, or the error in words. */
  async function step<T>(name: string, run: () => Promise<{ value: T; detail: string }>): Promise<T | undefined> {
    try {
      const { value, detail } = await run();
      lines.push({ step: name, result: "pass", detail });
      return value;
    } catch (error) {
      lines.push({ step: name, result: "fail", detail: message(error) });
      return undefined;
    }
  }
  const skip = (name: string, why: string) => lines.push({ step: name, result: "skip", detail: why });

  /** One synchronous lock + transaction, as every edit in the panel. */
  function edit(project: Project, label: string, create: () => ReturnType<FolderItem["createBinAction"]>): void {
    let committed = false;
    project.lockedAccess(() => {
      const action = create();
      committed = project.executeTransaction((compound) => {
        compound.addAction(action);
      }, label);
    });
    if (!committed) throw new Error(`Premiere did not apply "${label}".`);
  }

  const project = await step("Open project", async () => {
    const p = await ppro.Project.getActiveProject();
    if (!p) throw new Error("no project is open: open a project and run the check again");
    return { value: p, detail: `"${p.name}"` };
  });
  if (!project) return finish();

  // The editor's active sequence, to give back at the end (creating a sequence makes the new one active).
  const previous =
    (await step("Read your active sequence", async () => {
      const seq = (await project.getActiveSequence()) ?? null;
      return { value: seq, detail: seq ? `"${seq.name}"` : "none open" };
    })) ?? null;
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", " ").slice(0, 15);
  const name = `${CHECK_NAME} ${stamp}`;
  const root = await project.getRootItem();

  // ---- scratch bin and sequence
  const bin = await step("Create a scratch bin", async () => {
    edit(project, "Cuesmith check: scratch bin", () => root.createBinAction(name, true));
    const item = (await root.getItems()).find((i) => i.name.startsWith(name) && host.asFolder(i) !== null);
    if (!item) throw new Error("Premiere accepted the edit, but the bin is not in the project");
    return { value: item, detail: `"${item.name}"` };
  });
  const binName = bin?.name ?? name;

  const sequence = bin
    ? await step("Create a scratch sequence", async () => {
        const seq = await project.createSequence(name);
        if (!seq) throw new Error("createSequence returned no sequence");
        let where = "in the scratch bin";
        try {
          const seqItem = await seq.getProjectItem();
          const folder = host.asFolder(bin);
          if (!folder) throw new Error("the scratch bin is not a folder");
          edit(project, "Cuesmith check: move sequence", () => root.createMoveItemAction(seqItem, folder));
        } catch (error) {
          where = `left in its default bin (${message(error)})`;
        }
        return { value: seq, detail: `"${seq.name}", ${where}` };
      })
    : (skip("Create a scratch sequence", "needs the scratch bin"), undefined);

  const active = sequence
    ? await step("Make it the active sequence", async () => {
        await project.setActiveSequence(sequence);
        const now = await host.getActiveSequence();
        if (!now || now.id !== sequence.guid.toString())
          throw new Error("setActiveSequence returned, but another sequence is active");
        return { value: now, detail: `"${now.name}" is active` };
      })
    : undefined;
  const need = (what: string) => (active ? null : `needs ${what}`);

  // ---- reads
  let sequenceInfo: SequenceInfo | undefined;
  if (active) {
    sequenceInfo = await step("Read ticks and frame rate", async () => {
      const s = await host.getActiveSequence();
      if (!s) throw new Error("no active sequence");
      if (s.audioTrackCount === 0) throw new Error("the new sequence has no audio track to place on");
      return {
        value: s,
        detail: `${s.ticksPerFrame} ticks per frame (${s.fps.toFixed(3)} fps), ${s.audioTrackCount} audio tracks`,
      };
    });
  } else skip("Read ticks and frame rate", need("the scratch sequence") ?? "");

  let markerStart: string | undefined;
  if (active && sequence && sequenceInfo) {
    const perFrame = toTicks(sequenceInfo.ticksPerFrame);
    const start = (perFrame * 10n).toString();
    const duration = (perFrame * 25n).toString();
    markerStart = await step("Add and read a marker", async () => {
      const markers = await ppro.Markers.getMarkers(sequence);
      edit(project, "Cuesmith check: marker", () =>
        markers.createAddMarkerAction(
          CHECK_MARKER_NAME,
          ppro.Marker.MARKER_TYPE_COMMENT,
          ppro.TickTime.createWithTicks(start),
          ppro.TickTime.createWithTicks(duration),
          "Cuesmith check",
        ),
      );
      const read = (await host.getMarkers()).find((m) => m.name === CHECK_MARKER_NAME);
      if (!read) throw new Error("the marker was added but getMarkers does not list it");
      if (read.startTicks !== start || read.durationTicks !== duration) {
        throw new Error(
          `the marker reads back at ${read.startTicks} + ${read.durationTicks} ticks, expected ${start} + ${duration}`,
        );
      }
      return {
        value: start,
        detail: `"${read.name}" at ${read.startTicks} ticks, ${read.durationTicks} long, id ${read.id ?? "none"}`,
      };
    });
  } else skip("Add and read a marker", need("the scratch sequence") ?? "needs the frame rate");

  if (active) {
    await step("Read the selection", async () => {
      const clips = await host.getSelectedClips();
      return { value: clips, detail: `${clips.length} clip${clips.length === 1 ? "" : "s"} selected` };
    });
  } else skip("Read the selection", need("the scratch sequence") ?? "");

  const freeTrack = active
    ? await step("Read the audio tracks", async () => {
        const tracks = await host.getAudioTrackOccupancy();
        const free = tracks.find((t) => t.items.length === 0);
        if (!free) throw new Error("no empty audio track in the new sequence");
        return { value: free.trackIndex, detail: `${tracks.length} tracks, A${free.trackIndex + 1} free` };
      })
    : (skip("Read the audio tracks", need("the scratch sequence") ?? ""), undefined);

  // ---- import and place
  const imported: ImportedItem | undefined = bin
    ? await step("Import a short WAV", async () => {
        const path = await wavPath();
        const [item] = await host.importFiles([path], binName);
        return { value: item, detail: `${path} → "${item.name}" in "${binName}"` };
      })
    : (skip("Import a short WAV", "needs the scratch bin"), undefined);

  let placed = false;
  if (active && imported && freeTrack !== undefined && markerStart !== undefined) {
    placed =
      (await step("Place it on a free track (one transaction)", async () => {
        await host.placeAudio(
          [{ item: imported, startTicks: markerStart as string, audioTrackIndex: freeTrack }],
          "Cuesmith check: place",
        );
        return { value: true, detail: `on A${freeTrack + 1} at the marker, read back from the timeline` };
      })) ?? false;
  } else
    skip(
      "Place it on a free track (one transaction)",
      "needs the sequence, a free track, the marker and the imported WAV",
    );

  // ---- the take loop's calls on the placed scratch clip: Volume keyframes, then the Source Monitor
  if (placed && imported && freeTrack !== undefined && markerStart !== undefined) {
    const clip = { trackIndex: freeTrack, startTicks: markerStart as string, mediaPath: imported.mediaPath };
    if (host.getCapabilities().levelKeyframes) {
      // the bed level at -12 dB with one dip corner: written once, then again as Set dip does (replacing the first)
      const dip = (label: string, offsetTicks: string, gainDb: number) =>
        host.setClipLevels(
          clip,
          {
            gainDb: -12,
            points: [
              { offsetTicks: "0", gainDb: 0 },
              { offsetTicks, gainDb },
            ],
          },
          label,
        );
      const written = await step("Write Volume keyframes (editable levels)", async () => {
        await dip("Cuesmith check: levels", "127008000000", -8); // 0.5 s
        return { value: true, detail: "Level keyframes on the Volume component (−12 dB, a −8 dB dip at 0.5 s)" };
      });
      if (written)
        await step("Write them again (Set dip)", async () => {
          await dip("Cuesmith check: levels again", "63504000000", -14); // 0.25 s
          return {
            value: true,
            detail: "the earlier keyframes replaced, read back as written (a −14 dB dip at 0.25 s)",
          };
        });
      else skip("Write them again (Set dip)", "needs the first keyframes");
    } else {
      skip("Write Volume keyframes (editable levels)", "this Premiere has no component chain: beds keep baked levels");
      skip("Write them again (Set dip)", "this Premiere has no component chain");
    }
    if (host.getCapabilities().sourceMonitor) {
      await step("Open the WAV in the Source Monitor (Listen)", async () => {
        await host.auditionFile(imported.mediaPath);
        return { value: true, detail: `${imported.mediaPath} open and playing in the Source Monitor` };
      });
    } else skip("Open the WAV in the Source Monitor (Listen)", "this Premiere has no SourceMonitor call for plugins");
  }

  if (placed && sequence && freeTrack !== undefined) {
    await step("Take the placement back", async () => {
      // Plugins have no Edit > Undo call: a remove edit of the placed clip stands in for it.
      const track = await sequence.getAudioTrack(freeTrack);
      const items = await track.getTrackItems(ppro.Constants.TrackItemType.CLIP, false);
      const editor = ppro.SequenceEditor.getEditor(sequence);
      let selection: Parameters<typeof editor.createRemoveItemsAction>[0] | null = null;
      ppro.TrackItemSelection.createEmptySelection((s) => {
        selection = s;
      });
      if (!selection) throw new Error("could not create a track item selection");
      for (const item of items)
        (selection as Parameters<typeof editor.createRemoveItemsAction>[0]).addItem(item, false);
      edit(project, "Cuesmith check: remove", () =>
        editor.createRemoveItemsAction(
          selection as Parameters<typeof editor.createRemoveItemsAction>[0],
          false,
          ppro.Constants.MediaType.AUDIO,
        ),
      );
      const after = (await host.getAudioTrackOccupancy()).find((t) => t.trackIndex === freeTrack);
      if (after && after.items.length > 0)
        throw new Error(`A${freeTrack + 1} still holds ${after.items.length} clip(s)`);
      return {
        value: true,
        detail:
          "removed with a remove edit: plugins cannot call Edit > Undo. In the panel, one Edit > Undo takes back one placement (all beds of one click)",
      };
    });
  } else skip("Take the placement back", "nothing was placed");

  // ---- tear-down: always, whatever failed above
  if (previous && sequence) {
    const restore = previous;
    await step("Restore your active sequence", async () => {
      await project.setActiveSequence(restore);
      return { value: true, detail: `"${restore.name}"` };
    });
  }
  const seqName = sequence?.name;
  if (sequence) {
    await step("Delete the scratch sequence", async () => {
      // When this fails, removing the scratch bin below still takes the sequence's project item along.
      if (!(await project.deleteSequence(sequence))) throw new Error("deleteSequence returned false");
      return { value: true, detail: `"${seqName}" deleted` };
    });
  }
  if (bin) {
    await step("Remove the scratch bin", async () => {
      edit(project, "Cuesmith check: remove scratch bin", () => root.createRemoveItemAction(bin));
      if ((await root.getItems()).some((i) => i.name === binName)) throw new Error("the bin is still in the project");
      return { value: true, detail: `"${binName}" and what was imported into it` };
    });
  }
  // What is still there, by name, whatever the steps said.
  try {
    if (bin && (await root.getItems()).some((i) => i.name === binName)) leftBehind.push(`bin "${binName}"`);
    if (sequence && (await project.getSequences()).some((s) => s.guid.toString() === sequence.guid.toString()))
      leftBehind.push(`sequence "${seqName}"`);
  } catch (error) {
    leftBehind.push(`unknown: the project could not be read back (${message(error)})`);
  }
  return finish();
}

/** The report as plain text, one line per call, for a bug report. */
export function checkReportText(report: PremiereCheckReport): string {
  const mark = { pass: "PASS", fail: "FAIL", skip: "SKIP" } as const;
  return [
    `Cuesmith Premiere check: ${report.ok ? "all passed" : "problems found"}`,
    ...report.lines.map((l) => `${mark[l.result]}  ${l.step}: ${l.detail}`),
    ...(report.leftBehind.length > 0 ? [`LEFT IN THE PROJECT (remove by hand): ${report.leftBehind.join(", ")}`] : []),
  ].join("\n");
}
