// PremiereHost against the host's habits as FakePpro plays them: Promise-returning track items, imported items
// that appear late, markers that move under the panel, linked A/V selections, retimed clips, project events — and
// the Premiere check, all passing and with each call failing in turn.
import { FakeHost, FAKE_CHECK_WAV, type FakeFaultPoint } from "../../plugin/host/fake-host";
import { checkReportText, silentWav } from "../../plugin/host/premiere-check";
import { wavDurationTicks } from "../../plugin/host/fake-host";
import { isHostError } from "../../plugin/host/host";
import { secondsToTicks } from "../../shared/time";

const t = (s: number) => secondsToTicks(s).toString();

function project() {
  return {
    sequence: {
      id: "seq-1",
      name: "Cut",
      fps: 25,
      videoTracks: [
        {
          name: "V1",
          clips: [{ name: "Interview", mediaPath: "/media/interview.mov", start: t(0), duration: t(8), link: "i1" }],
        },
      ],
      audioTracks: [
        {
          name: "Dialogue",
          clips: [{ name: "Interview", mediaPath: "/media/interview.mov", start: t(0), duration: t(8), link: "i1" }],
        },
        {
          name: "Music",
          clips: [{ name: "slow", mediaPath: "/media/slow.wav", start: t(10), duration: t(4), speed: 0.5 }],
        },
        { name: "Beds" },
      ],
      markers: [{ name: "#unboxing", start: t(2), duration: t(3), id: "m-unboxing" }],
    },
  };
}

describe("the host's habits", () => {
  it("awaits getTrackItems whether Premiere answers with a Promise (as the samples expect) or an array (as the types say)", async () => {
    for (const syncTrackItems of [false, true]) {
      const host = new FakeHost(project(), { syncTrackItems });
      const tracks = await host.getAudioTrackOccupancy();
      expect(tracks.map((tr) => tr.items.length)).toEqual([1, 1, 0]);
    }
  });

  it("waits for imported items that appear after importFiles resolves", async () => {
    const host = new FakeHost(project(), { files: ["/beds/a.wav"], importDelayMs: 150 });
    const [item] = await host.importFiles(["/beds/a.wav"]);
    expect(item.mediaPath).toBe("/beds/a.wav");
  });

  it("gives up on a missing file soon after Premiere says the import completed, not at the end of the wait", async () => {
    const host = new FakeHost(project(), { importWaitMs: 60000 });
    const started = Date.now();
    const error = await host.importFiles(["/beds/missing.wav"]).catch((e: unknown) => e);
    expect(isHostError(error, "IMPORT_ITEM_NOT_FOUND")).toBe(true);
    expect(Date.now() - started).toBeLessThan(30000); // the import-complete event ended the wait
  });

  it("sees a marker where it is now, by its GUID, and fires a project change when it moves", async () => {
    const host = new FakeHost(project());
    let changes = 0;
    const off = host.onProjectChanged(() => changes++);
    const before = await host.getMarkers();
    host.moveMarker("m-unboxing", { start: { seconds: 4 }, duration: { seconds: 1 } });
    const after = await host.getMarkers();
    expect(before[0]).toMatchObject({ id: "m-unboxing", startTicks: t(2) }); // a list read earlier is a snapshot
    expect(after[0]).toMatchObject({ id: "m-unboxing", startTicks: t(4), durationTicks: t(1) });
    expect(changes).toBe(1);
    off();
    host.moveMarker("m-unboxing", { start: { seconds: 5 } });
    expect(changes).toBe(1);
  });

  it("selects a linked clip's video and audio together, and reads a clip's speed", async () => {
    const host = new FakeHost(project());
    host.setSelection([{ trackType: "video", trackIndex: 0 }]);
    const linked = await host.getSelectedClips();
    expect(linked.map((c) => `${c.trackType}${c.trackIndex}`)).toEqual(["video0", "audio0"]);
    host.setSelection([{ trackType: "video", trackIndex: 0 }], { linked: false });
    expect((await host.getSelectedClips()).map((c) => c.trackType)).toEqual(["video"]);
    host.setSelection([{ trackType: "audio", trackIndex: 1 }]);
    const [slow] = await host.getSelectedClips();
    expect(slow.speed).toBe(0.5);
    expect(slow.outPointTicks).toBe(t(2)); // 4 s on the timeline at half speed read 2 s of media
  });

  it("finds its bin with FolderItem.cast, never a clip that has the bin's name", async () => {
    const host = new FakeHost(
      { ...project(), rootItems: [{ name: "Cuesmith", mediaPath: "/media/Cuesmith" }] },
      { files: ["/beds/a.wav"] },
    );
    await host.importFiles(["/beds/a.wav"]);
    expect(host.binItems("Cuesmith").map((i) => i.mediaPath)).toEqual(["/beds/a.wav"]);
    expect(
      host
        .binItems("")
        .filter((i) => i.name === "Cuesmith")
        .map((i) => i.kind)
        .sort(),
    ).toEqual(["bin", "clip"]);
  });
});

describe("Check Premiere", () => {
  const snapshot = (host: FakeHost) => ({ bins: host.binNames().sort(), sequences: host.sequenceNames().sort() });

  it("passes every call on the fake, reports the versions, and leaves the project as it was", async () => {
    const host = new FakeHost(project());
    const before = snapshot(host);
    const report = await host.checkPremiere();
    expect(report.lines.filter((l) => l.result !== "pass")).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.leftBehind).toEqual([]);
    expect(report.lines.map((l) => l.step)).toEqual([
      "Versions",
      "Open project",
      "Read your active sequence",
      "Create a scratch bin",
      "Create a scratch sequence",
      "Make it the active sequence",
      "Read ticks and frame rate",
      "Add and read a marker",
      "Read the selection",
      "Read the audio tracks",
      "Import a short WAV",
      "Place it on a free track (one transaction)",
      "Write Volume keyframes (editable levels)",
      "Write them again (Set dip)",
      "Open the WAV in the Source Monitor (Listen)",
      "Take the placement back",
      "Restore your active sequence",
      "Delete the scratch sequence",
      "Remove the scratch bin",
    ]);
    expect(report.lines[0].detail).toMatch(/Premiere 25\.6\.0 \(fake\) · UXP 8\.1\.0 \(fake\)/);
    expect(report.lines.find((l) => l.step === "Take the placement back")?.detail).toMatch(/cannot call Edit > Undo/);
    expect(snapshot(host)).toEqual(before);
    expect((await host.getActiveSequence())?.id).toBe("seq-1");
    expect(host.edits.some((e) => e.placements.some((p) => p.mediaPath === FAKE_CHECK_WAV))).toBe(true);
    const text = checkReportText(report);
    expect(text.split("\n")).toHaveLength(report.lines.length + 1);
    expect(text).toMatch(/^Cuesmith Premiere check: all passed\nPASS {2}Versions: Premiere/);
  });

  const points: FakeFaultPoint[] = [
    "getActiveSequence",
    "createBin",
    "createSequence",
    "setActiveSequence",
    "addMarker",
    "getMarkers",
    "getSelectedClips",
    "getAudioTrackOccupancy",
    "importFiles",
    "placeAudio",
    "removeItems",
    "deleteSequence",
  ];
  it.each(points)("reports a failing %s plainly and leaves nothing behind", async (point) => {
    const host = new FakeHost(project());
    const before = snapshot(host);
    host.failNext(point, new Error(`Premiere said no to ${point}`));
    const report = await host.checkPremiere();
    expect(report.ok).toBe(false);
    const failed = report.lines.filter((l) => l.result === "fail");
    expect(failed).toHaveLength(1);
    expect(failed[0].detail).toContain(`Premiere said no to ${point}`);
    expect(report.leftBehind).toEqual([]);
    expect(snapshot(host)).toEqual(before);
    expect(checkReportText(report)).toMatch(/problems found[\s\S]*FAIL {2}/);
  });

  it("names what it could not remove when removing the scratch bin fails", async () => {
    const host = new FakeHost(project());
    host.failNext("removeBin", new Error("bin locked"));
    const report = await host.checkPremiere();
    expect(report.ok).toBe(false);
    expect(report.lines.find((l) => l.step === "Remove the scratch bin")).toMatchObject({
      result: "fail",
      detail: "bin locked",
    });
    expect(report.leftBehind).toEqual([expect.stringMatching(/^bin "Cuesmith check /)]);
    expect(checkReportText(report)).toMatch(/LEFT IN THE PROJECT \(remove by hand\): bin "Cuesmith check/);
  });

  it("writes a WAV Premiere can import: 1 s of 48 kHz mono silence", () => {
    expect(wavDurationTicks(silentWav())).toBe(secondsToTicks(1));
  });
});
