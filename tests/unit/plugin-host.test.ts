import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  FakeHost,
  FakePproRuleError,
  wavDurationTicks,
  type FakeProjectDescription,
} from "../../plugin/host/fake-host";
import { FakeTickTime, type FakeCompoundAction, type FakeProjectItem } from "../../plugin/host/fake";
import { HostError, isHostError, type HostErrorCode, type ImportedItem } from "../../plugin/host/host";
import { findFreeAudioTrack, planAudioTracks } from "../../plugin/host/occupancy";
import { PremiereHost } from "../../plugin/host/premiere-host";
import { secondsToTicks, snapTicksToFrame } from "../../shared/time";

const TPF_2997 = "8475667200";
const t = (seconds: number) => secondsToTicks(seconds).toString();

/** A 48 kHz 24-bit stereo PCM WAV of `seconds` of silence. */
function wav(seconds: number): Uint8Array {
  const byteRate = 48000 * 3 * 2;
  const dataSize = Math.round(seconds * byteRate);
  const bytes = new Uint8Array(44 + dataSize);
  const view = new DataView(bytes.buffer);
  const tag = (offset: number, s: string) => [...s].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  tag(0, "RIFF");
  view.setUint32(4, 36 + dataSize, true);
  tag(8, "WAVE");
  tag(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 2, true);
  view.setUint32(24, 48000, true);
  view.setUint32(28, byteRate, true);
  view.setUint16(32, 6, true);
  view.setUint16(34, 24, true);
  tag(36, "data");
  view.setUint32(40, dataSize, true);
  return bytes;
}

let dir: string;
let bedA: string;
let bedB: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cuesmith-host-"));
  bedA = join(dir, "unboxing-15s.wav");
  bedB = join(dir, "outro-3s.wav");
  writeFileSync(bedA, wav(2));
  writeFileSync(bedB, wav(3));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function description(): FakeProjectDescription {
  return {
    name: "Review",
    sequence: {
      id: "seq-1",
      name: "Unboxing cut",
      fps: 29.97,
      videoTracks: [
        { clips: [{ name: "A-roll", mediaPath: "/media/aroll.mp4", start: "0", end: t(60), selected: true }] },
      ],
      audioTracks: [
        {
          name: "Dialogue",
          clips: [{ name: "VO", mediaPath: "/media/vo.wav", start: "0", end: t(40), inPoint: t(2), selected: true }],
        },
        { name: "Music" },
        { name: "SFX", muted: true },
      ],
      markers: [
        { name: "#outro", comments: "3 s", type: "segmentation", colorIndex: 5, start: t(50), duration: t(3) },
        { name: "#unboxing", comments: "15 s", type: "comment", colorIndex: 2, start: "76281004800", duration: t(15) },
        { name: "Chapter 1", type: "chapter", start: "0" },
        // 10 hours in: past 2^53 ticks, must come back exact
        { name: "late", type: "weblink", start: "9144576000000000" },
        { name: "odd", type: "Mystery Type", start: t(1) },
      ],
    },
  };
}

async function expectHostError(promise: Promise<unknown>, code: HostErrorCode): Promise<HostError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  if (!isHostError(caught, code)) throw new Error(`expected HostError ${code}, got ${String(caught)}`);
  return caught;
}

function ruleOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof FakePproRuleError) return error.rule;
    throw error;
  }
  throw new Error("expected a FakePproRuleError");
}

async function ruleOfAsync(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FakePproRuleError) return error.rule;
    throw error;
  }
  throw new Error("expected a FakePproRuleError");
}

describe("host: reads", () => {
  it("reports the host", () => {
    const info = new FakeHost(description(), { os: "linux" }).getHostInfo();
    expect(info).toEqual({ app: "premierepro", version: "25.6.0 (fake)", os: "linux", uxpVersion: "8.1.0 (fake)" });
  });

  it("reads the active sequence with its timebase in ticks", async () => {
    const seq = await new FakeHost(description()).getActiveSequence();
    expect(seq).toEqual({
      id: "seq-1",
      name: "Unboxing cut",
      ticksPerFrame: TPF_2997,
      fps: expect.closeTo(29.97003, 5),
      videoTrackCount: 1,
      audioTrackCount: 3,
      endTicks: t(60),
    });
  });

  it("reads markers with exact ticks, sorted, types through the constants", async () => {
    const markers = await new FakeHost(description()).getMarkers();
    expect(markers.map((m) => [m.name, m.type, m.rawType, m.startTicks])).toEqual([
      ["Chapter 1", "chapter", "Chapter", "0"],
      ["#unboxing", "comment", "Comment", "76281004800"],
      ["odd", "unknown", "Mystery Type", t(1)],
      ["#outro", "segmentation", "Segmentation", t(50)],
      ["late", "weblink", "WebLink", "9144576000000000"],
    ]);
    expect(markers[1]).toMatchObject({ comments: "15 s", colorIndex: 2, durationTicks: t(15), id: "seq-1-marker-2" });
    expect(markers[0].durationTicks).toBe("0");
  });

  it("reads the timeline selection", async () => {
    const clips = await new FakeHost(description()).getSelectedClips();
    expect(clips).toEqual([
      {
        trackType: "video",
        trackIndex: 0,
        startTicks: "0",
        endTicks: t(60),
        inPointTicks: "0",
        outPointTicks: t(60),
        mediaPath: "/media/aroll.mp4",
        name: "A-roll",
        speed: 1,
      },
      {
        trackType: "audio",
        trackIndex: 0,
        startTicks: "0",
        endTicks: t(40),
        inPointTicks: t(2),
        outPointTicks: t(42),
        mediaPath: "/media/vo.wav",
        name: "VO",
        speed: 1,
      },
    ]);
  });

  it("reads what sits on each audio track, and plans free tracks around it", async () => {
    const occupancy = await new FakeHost(description()).getAudioTrackOccupancy();
    expect(occupancy).toEqual([
      {
        trackIndex: 0,
        name: "Dialogue",
        muted: false,
        items: [{ startTicks: "0", endTicks: t(40), name: "VO", mediaPath: "/media/vo.wav" }],
      },
      { trackIndex: 1, name: "Music", muted: false, items: [] },
      { trackIndex: 2, name: "SFX", muted: true, items: [] },
    ]);
    expect(findFreeAudioTrack(occupancy, t(5), t(20))).toBe(1);
    expect(findFreeAudioTrack(occupancy, t(45), t(50))).toBe(0);
    expect(findFreeAudioTrack(occupancy, t(5), t(20), { exclude: [1] })).toBeNull();
    expect(findFreeAudioTrack(occupancy, t(5), t(20), { exclude: [1], skipMuted: false })).toBe(2);
    expect(
      planAudioTracks(occupancy, [
        { startTicks: t(5), endTicks: t(20) },
        { startTicks: t(10), endTicks: t(12) },
        { startTicks: t(20), endTicks: t(30) },
      ]),
    ).toEqual([1, null, 1]);
  });

  it("answers empty (or null) without a project or an active sequence", async () => {
    const none = new FakeHost({ project: false });
    expect(await none.getActiveSequence()).toBeNull();
    expect(await none.getMarkers()).toEqual([]);
    await expectHostError(none.importFiles(["/x.wav"]), "NO_PROJECT");

    const idle = new FakeHost({ ...description(), activeSequence: null });
    expect(await idle.getActiveSequence()).toBeNull();
    expect(await idle.getSelectedClips()).toEqual([]);
    expect(await idle.getAudioTrackOccupancy()).toEqual([]);
  });
});

describe("host: events", () => {
  it("fires selection changes until unsubscribed", async () => {
    const host = new FakeHost(description());
    const seen: string[][] = [];
    const off = host.onSelectionChanged(() => {
      void host.getSelectedClips().then((clips) => seen.push(clips.map((c) => c.name)));
    });
    host.setSelection([{ trackType: "audio", trackIndex: 0, name: "VO" }]);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual([["VO"]]);
    off();
    off(); // idempotent
    host.setSelection([]);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toHaveLength(1);
    expect(host.ppro.listenerCount(host.ppro.Constants.SequenceEvent.SELECTION_CHANGED)).toBe(0);
  });

  it("fires active-sequence changes", async () => {
    const host = new FakeHost({
      sequences: [
        { id: "a", name: "A", fps: 25 },
        { id: "b", name: "B", fps: 23.976, audioTracks: 4 },
      ],
    });
    const cb = jest.fn();
    const off = host.onActiveSequenceChanged(cb);
    host.setActiveSequence("B");
    expect(cb).toHaveBeenCalledTimes(1);
    expect(await host.getActiveSequence()).toMatchObject({ id: "b", ticksPerFrame: "10594584000", audioTrackCount: 4 });
    host.setActiveSequence(null);
    expect(cb).toHaveBeenCalledTimes(2);
    expect(await host.getActiveSequence()).toBeNull();
    off();
    host.setActiveSequence("a");
    expect(cb).toHaveBeenCalledTimes(2);
  });
});

describe("host: import", () => {
  it("imports into a Cuesmith bin it creates once, and finds the new items", async () => {
    const host = new FakeHost(description());
    const [a] = await host.importFiles([bedA]);
    expect(a).toMatchObject({ mediaPath: bedA, name: "unboxing-15s.wav", durationTicks: t(2) });
    expect(host.binNames()).toEqual(["Cuesmith"]);
    expect(host.binItems("Cuesmith").map((i) => i.id)).toEqual([a.id]);
    expect(host.edits).toEqual([
      {
        label: "Cuesmith: create bin Cuesmith",
        placements: [],
        binsCreated: ["Cuesmith"],
        changes: ["created bin Cuesmith"],
      },
    ]);

    const [b, a2] = await host.importFiles([bedB, bedA]);
    expect(b).toMatchObject({ mediaPath: bedB, durationTicks: t(3) });
    expect(a2.mediaPath).toBe(bedA);
    expect(host.binNames()).toEqual(["Cuesmith"]); // not created twice
    expect(host.edits).toHaveLength(1);
  });

  it("uses another bin name when asked", async () => {
    const host = new FakeHost(description(), { files: ["/beds/x.wav"] });
    const [x] = await host.importFiles(["/beds/x.wav"], "Music beds");
    expect(host.binItems("Music beds").map((i) => i.id)).toEqual([x.id]);
    expect(x.durationTicks).toBe(t(10)); // no header to read: the fake's default
  });

  it("fails clearly when Premiere 'imports' a missing file", async () => {
    // a short grace after the import completes: the wait for an item that never comes is not what is tested here
    const host = new FakeHost(description(), { importGraceMs: 50 });
    const missing = join(dir, "never-rendered.wav");
    const error = await expectHostError(host.importFiles([bedA, missing]), "IMPORT_ITEM_NOT_FOUND");
    expect(error.message).toContain(missing);

    host.removeFile(bedB); // on disk, but gone by the time Premiere looks
    await expectHostError(host.importFiles([bedB]), "IMPORT_ITEM_NOT_FOUND");
    host.addFile(bedB);
    await expect(host.importFiles([bedB])).resolves.toHaveLength(1);
  });

  it("refuses relative paths", async () => {
    await expectHostError(new FakeHost(description()).importFiles(["beds/a.wav"]), "INVALID_ARGUMENT");
    await expectHostError(new FakeHost(description()).importFiles([]), "INVALID_ARGUMENT");
  });

  it("reads a WAV's duration from its header", () => {
    expect(wavDurationTicks(wav(1.5))).toBe(secondsToTicks(1.5));
    expect(wavDurationTicks(new Uint8Array(8))).toBeNull();
  });
});

describe("host: placement", () => {
  async function imported(host: FakeHost): Promise<[ImportedItem, ImportedItem]> {
    const [a, b] = await host.importFiles([bedA, bedB]);
    return [a, b];
  }

  it("places every bed at its exact tick on the requested track as ONE undo step", async () => {
    const host = new FakeHost(description());
    const [a, b] = await imported(host);
    const startA = snapTicksToFrame("76281004800", TPF_2997).toString();
    const startB = t(50);
    await host.placeAudio(
      [
        { item: a, startTicks: startA, audioTrackIndex: 1 },
        { item: b, startTicks: startB, audioTrackIndex: 1 },
      ],
      "Cuesmith: score 2 markers",
    );
    expect(host.audioTrackItems(1)).toEqual([
      expect.objectContaining({
        mediaPath: bedA,
        startTicks: "76281004800",
        endTicks: (76281004800n + secondsToTicks(2)).toString(),
      }),
      expect.objectContaining({ mediaPath: bedB, startTicks: startB, endTicks: t(53) }),
    ]);
    expect(host.edits).toHaveLength(2);
    expect(host.edits[1]).toEqual({
      label: "Cuesmith: score 2 markers",
      binsCreated: [],
      changes: [expect.stringMatching(/^placed .* on A2$/), expect.stringMatching(/^placed .* on A2$/)],
      placements: [
        expect.objectContaining({ itemId: a.id, startTicks: startA, audioTrackIndex: 1 }),
        expect.objectContaining({ itemId: b.id, startTicks: startB, audioTrackIndex: 1 }),
      ],
    });
    // the dialogue is untouched
    expect(host.audioTrackItems(0)).toEqual([
      expect.objectContaining({ name: "VO", startTicks: "0", endTicks: t(40) }),
    ]);

    const undone = host.undo();
    expect(undone.label).toBe("Cuesmith: score 2 markers");
    expect(host.audioTrackItems(1)).toEqual([]); // both gone at once
    expect(host.edits).toHaveLength(1);
  });

  it("refuses a track that does not exist (the API cannot add one) and touches nothing", async () => {
    const host = new FakeHost(description());
    const [a] = await imported(host);
    const error = await expectHostError(
      host.placeAudio([{ item: a, startTicks: t(1), audioTrackIndex: 3 }], "x"),
      "TRACK_OUT_OF_RANGE",
    );
    expect(error.message).toMatch(/A4 does not exist.*3 audio tracks.*cannot add tracks/);
    expect(host.edits).toHaveLength(1);
  });

  it("never overwrites dialogue unless told to", async () => {
    const host = new FakeHost(description());
    const [a, b] = await imported(host);
    await expectHostError(host.placeAudio([{ item: a, startTicks: t(10), audioTrackIndex: 0 }], "x"), "TRACK_OCCUPIED");
    // two beds of one batch overlapping each other
    await expectHostError(
      host.placeAudio(
        [
          { item: a, startTicks: t(10), audioTrackIndex: 1 },
          { item: b, startTicks: t(11), audioTrackIndex: 1 },
        ],
        "x",
      ),
      "TRACK_OCCUPIED",
    );
    expect(host.audioTrackItems(1)).toEqual([]);
    expect(host.edits).toHaveLength(1);

    await host.placeAudio([{ item: a, startTicks: t(10), audioTrackIndex: 0 }], "over", { allowOverwrite: true });
    expect(host.audioTrackItems(0).map((i) => [i.name, i.startTicks, i.endTicks, i.inPointTicks])).toEqual([
      ["VO", "0", t(10), t(2)],
      ["unboxing-15s.wav", t(10), t(12), "0"],
      ["VO", t(12), t(40), t(14)],
    ]);
    host.undo();
    expect(host.audioTrackItems(0).map((i) => [i.name, i.startTicks, i.endTicks])).toEqual([["VO", "0", t(40)]]);
  });

  it("wants tick strings, not seconds", async () => {
    const host = new FakeHost(description());
    const [a] = await imported(host);
    await expectHostError(
      host.placeAudio([{ item: a, startTicks: 1.5 as unknown as string, audioTrackIndex: 1 }], "x"),
      "INVALID_ARGUMENT",
    );
    await expectHostError(
      host.placeAudio([{ item: a, startTicks: "1.5", audioTrackIndex: 1 }], "x"),
      "INVALID_ARGUMENT",
    );
    await expectHostError(
      host.placeAudio([{ item: a, startTicks: "-1", audioTrackIndex: 1 }], "x"),
      "INVALID_ARGUMENT",
    );
    await expectHostError(
      host.placeAudio([{ item: a, startTicks: "0", audioTrackIndex: 0.5 }], "x"),
      "INVALID_ARGUMENT",
    );
    await expectHostError(host.placeAudio([], "x"), "INVALID_ARGUMENT");
    await expectHostError(host.placeAudio([{ item: a, startTicks: "0", audioTrackIndex: 1 }], " "), "INVALID_ARGUMENT");
  });

  it("needs an active sequence", async () => {
    const host = new FakeHost(description());
    const [a] = await imported(host);
    host.setActiveSequence(null);
    await expectHostError(
      host.placeAudio([{ item: a, startTicks: "0", audioTrackIndex: 1 }], "x"),
      "NO_ACTIVE_SEQUENCE",
    );
  });

  it("finds an imported item again from its handle alone (a reloaded panel)", async () => {
    const host = new FakeHost(description());
    const [a] = await imported(host);
    const fresh = new PremiereHost(host.ppro.asModule(), {});
    await fresh.placeAudio([{ item: a, startTicks: t(41), audioTrackIndex: 0 }], "again");
    expect(host.audioTrackItems(0).map((i) => i.mediaPath)).toEqual(["/media/vo.wav", bedA]);
    await expectHostError(
      fresh.placeAudio(
        [{ item: { ...a, id: "gone", mediaPath: "/nowhere.wav" }, startTicks: "0", audioTrackIndex: 1 }],
        "x",
      ),
      "ITEM_NOT_FOUND",
    );
  });

  it("notices an edit Premiere accepted but did not apply", async () => {
    const host = new FakeHost(description());
    const [a] = await imported(host);
    const spy = jest.spyOn(host.ppro, "executeTransaction").mockImplementation(() => true);
    await expectHostError(
      host.placeAudio([{ item: a, startTicks: t(1), audioTrackIndex: 1 }], "x"),
      "PLACEMENT_NOT_VERIFIED",
    );
    spy.mockImplementation(() => false);
    await expectHostError(
      host.placeAudio([{ item: a, startTicks: t(1), audioTrackIndex: 1 }], "x"),
      "TRANSACTION_FAILED",
    );
    spy.mockRestore();
  });
});

describe("host: failure injection", () => {
  it("a failed placement leaves no half-placed edit", async () => {
    const host = new FakeHost(description());
    const [a, b] = await host.importFiles([bedA, bedB]);
    host.failNext("placeAudio", new Error("Premiere hiccup"));
    const error = await expectHostError(
      host.placeAudio(
        [
          { item: a, startTicks: t(1), audioTrackIndex: 1 },
          { item: b, startTicks: t(50), audioTrackIndex: 1 },
        ],
        "x",
      ),
      "TRANSACTION_FAILED",
    );
    expect(error.message).toContain("Premiere hiccup");
    expect((error.cause as Error).message).toBe("Premiere hiccup");
    expect(host.audioTrackItems(1)).toEqual([]);
    expect(host.edits.map((e) => e.label)).toEqual(["Cuesmith: create bin Cuesmith"]);
    // the next try goes through
    await host.placeAudio([{ item: a, startTicks: t(1), audioTrackIndex: 1 }], "retry");
    expect(host.audioTrackItems(1)).toHaveLength(1);
  });

  it("a failed import or bin creation surfaces and leaves nothing behind", async () => {
    const host = new FakeHost(description());
    host.failNext("createBin");
    await expect(host.importFiles([bedA])).rejects.toThrow(/Injected failure: createBin/);
    expect(host.binNames()).toEqual([]);
    expect(host.edits).toEqual([]);

    host.failNext("importFiles", new Error("disk on fire"));
    const error = await expectHostError(host.importFiles([bedA]), "IMPORT_FAILED");
    expect(error.message).toContain("disk on fire");
    expect(host.binItems("Cuesmith")).toEqual([]);
  });

  it("read failures reach the caller once", async () => {
    const host = new FakeHost(description());
    host.failNext("getMarkers", new Error("markers unavailable"));
    await expect(host.getMarkers()).rejects.toThrow("markers unavailable");
    await expect(host.getMarkers()).resolves.toHaveLength(5);
    host.failNext("getActiveSequence");
    await expect(host.getActiveSequence()).rejects.toThrow(/Injected failure/);
    host.failNext("getSelectedClips");
    await expect(host.getSelectedClips()).rejects.toThrow(/Injected failure/);
    host.failNext("getAudioTrackOccupancy");
    await expect(host.getAudioTrackOccupancy()).rejects.toThrow(/Injected failure/);
  });
});

describe("FakePpro enforces Premiere's rules", () => {
  async function setup() {
    const host = new FakeHost(description(), { files: ["/beds/a.wav"] });
    const ppro = host.ppro;
    const project = (await ppro.Project.getActiveProject())!;
    const sequence = (await project.getActiveSequence())!;
    const root = await project.getRootItem();
    await project.importFiles(["/beds/a.wav"], true, null, false);
    await host.importsSettled(); // imported items appear a moment after importFiles resolves
    const item = (await root.getItems()).find((i) => i.name === "a.wav") as FakeProjectItem;
    const editor = ppro.SequenceEditor.getEditor(sequence);
    const at = ppro.TickTime.createWithTicks(t(1));
    return { host, ppro, project, root, item, editor, at };
  }

  it("actions must be created inside lockedAccess", async () => {
    const { editor, item, at, root } = await setup();
    expect(ruleOf(() => editor.createOverwriteItemAction(item, at, 0, 1))).toBe("ACTION_OUTSIDE_LOCK");
    expect(ruleOf(() => root.createBinAction("x", false))).toBe("ACTION_OUTSIDE_LOCK");
  });

  it("lock and transaction callbacks must not return a Promise", async () => {
    const { host, project, editor, item, at } = await setup();
    expect(ruleOf(() => project.lockedAccess((async () => undefined) as unknown as () => void))).toBe(
      "PROMISE_FROM_LOCK",
    );
    expect(
      ruleOf(() =>
        project.lockedAccess(() => {
          const action = editor.createOverwriteItemAction(item, at, 0, 1);
          project.executeTransaction(
            (async (ca: FakeCompoundAction) => {
              ca.addAction(action);
            }) as unknown as (ca: FakeCompoundAction) => void,
            "async",
          );
        }),
      ),
    ).toBe("PROMISE_FROM_TRANSACTION");
    expect(host.audioTrackItems(1)).toEqual([]);
    expect(host.ppro.locked).toBe(false);
  });

  it("transactions run inside the lock, with actions from that lock, once", async () => {
    const { project, editor, item, at } = await setup();
    expect(ruleOf(() => project.executeTransaction(() => undefined, "x"))).toBe("TRANSACTION_OUTSIDE_LOCK");
    let stale: ReturnType<typeof editor.createOverwriteItemAction> | undefined;
    project.lockedAccess(() => {
      stale = editor.createOverwriteItemAction(item, at, 0, 1);
    });
    expect(
      ruleOf(() => project.lockedAccess(() => void project.executeTransaction((ca) => void ca.addAction(stale!), "x"))),
    ).toBe("STALE_ACTION");
    expect(
      ruleOf(() =>
        project.lockedAccess(() => {
          const action = editor.createOverwriteItemAction(item, at, 0, 1);
          project.executeTransaction((ca) => {
            ca.addAction(action);
            ca.addAction(action);
          }, "x");
        }),
      ),
    ).toBe("ACTION_REUSED");
    let leaked: FakeCompoundAction | undefined;
    project.lockedAccess(() => {
      const action = editor.createOverwriteItemAction(item, at, 0, 1);
      project.executeTransaction((ca) => {
        leaked = ca;
        ca.addAction(action);
      }, "ok");
    });
    expect(
      ruleOf(() =>
        project.lockedAccess(() => {
          leaked!.addAction(editor.createOverwriteItemAction(item, at, 0, 1));
        }),
      ),
    ).toBe("ADD_ACTION_OUTSIDE_TRANSACTION");
    expect(
      ruleOf(() =>
        project.lockedAccess(
          () =>
            void project.executeTransaction(() => void project.executeTransaction(() => undefined, "inner"), "outer"),
        ),
      ),
    ).toBe("NESTED_TRANSACTION");
  });

  it("the root bin is null, never undefined", async () => {
    const { project, item } = await setup();
    expect(await ruleOfAsync(project.importFiles(["/beds/a.wav"], true, undefined, false))).toBe("UNDEFINED_BIN");
    expect(await ruleOfAsync(project.importFiles(["/beds/a.wav"], true, item, false))).toBe("NOT_A_BIN");
    await expect(project.importFiles(["/beds/a.wav"], true, null, false)).resolves.toBe(true);
  });

  it("track indices must exist", async () => {
    const { project, editor, item, at } = await setup();
    expect(ruleOf(() => project.lockedAccess(() => void editor.createOverwriteItemAction(item, at, 0, 3)))).toBe(
      "TRACK_INDEX",
    );
    expect(ruleOf(() => project.lockedAccess(() => void editor.createOverwriteItemAction(item, at, -1, 1)))).toBe(
      "TRACK_INDEX",
    );
    const sequence = (await project.getActiveSequence())!;
    expect(await ruleOfAsync(sequence.getAudioTrack(3))).toBe("TRACK_INDEX");
  });

  it("edits take ticks, not float seconds", async () => {
    const { ppro, project, editor, item } = await setup();
    expect(ruleOf(() => ppro.TickTime.createWithTicks(1.5))).toBe("FLOAT_SECONDS");
    expect(ruleOf(() => ppro.TickTime.createWithTicks("1.5"))).toBe("BAD_TICKS");
    const fromSeconds = ppro.TickTime.createWithSeconds(1.5);
    expect(fromSeconds).toBeInstanceOf(FakeTickTime);
    expect(
      ruleOf(() => project.lockedAccess(() => void editor.createOverwriteItemAction(item, fromSeconds, 0, 1))),
    ).toBe("FLOAT_SECONDS");
    expect(ruleOf(() => project.lockedAccess(() => void editor.createOverwriteItemAction(item, 1.5, 0, 1)))).toBe(
      "FLOAT_SECONDS",
    );
  });

  it("only clips go on the timeline", async () => {
    const { project, editor, root, at } = await setup();
    expect(ruleOf(() => project.lockedAccess(() => void editor.createOverwriteItemAction(root, at, 0, 1)))).toBe(
      "NOT_A_CLIP",
    );
  });

  it("PremiereHost itself breaks none of them (the whole flow runs on the strict fake)", async () => {
    const host = new FakeHost(description());
    const [a] = await host.importFiles([bedA]);
    await host.placeAudio([{ item: a, startTicks: t(1), audioTrackIndex: 1 }], "ok");
    expect(host.edits.map((e) => e.label)).toEqual(["Cuesmith: create bin Cuesmith", "ok"]);
  });
});
