// Score Markers end to end: a fake Premiere (FakeHost, enforcing the API's rules) with five tagged markers ->
// the real helper on a free port with a tiny contract model, over a real WebSocket -> WAVs imported and placed.
import * as fs from "node:fs";
import WebSocket from "ws";
import { decodeWav } from "../../helper/audio/wav";
import type { RunningHelper } from "../../helper/server/app";
import { secondsToTicks } from "../../shared/time";
import { FakeHost } from "../../plugin/host/fake-host";
import { HelperClient, SocketLike } from "../../plugin/core/helper-client";
import { scoreItemsFromMarkers } from "../../plugin/core/markers";
import { scoreMarkers, TakeHistory } from "../../plugin/core/score-markers";
import { bedsUnderClips, clipKey } from "../../plugin/core/clip-bed";
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { startTestHelper } from "../helpers/daemon";
import { extendTake, newTakes, useTake } from "../../plugin/core/takes";
import { setDip } from "../../plugin/core/dip";

const t = (s: number) => secondsToTicks(s).toString();
const openWs = (url: string) => new WebSocket(url) as unknown as SocketLike;

function project() {
  return {
    name: "Review",
    sequence: {
      id: "seq-1",
      name: "Unboxing cut",
      fps: 25,
      audioTracks: [
        { name: "Dialogue", clips: [{ name: "VO", mediaPath: "/media/vo.wav", start: "0", end: t(60) }] },
        { name: "Music", clips: [{ name: "old bed", mediaPath: "/media/old.wav", start: t(30), end: t(40) }] },
        { name: "Beds" },
      ],
      markers: [
        { name: "#unboxing", comments: "open the box", start: t(2), duration: t(3) },
        { name: "#tutorial", start: t(6) }, // zero length: runs to the next marker at 9 s
        { name: "Morning", comments: "#vlog_morning", start: t(9), duration: t(2) },
        { name: "intro", comments: "prompt: calm piano, no vocals", start: t(12), duration: t(1.5) },
        { name: "#logo_sting", start: t(31), duration: t(1) }, // over the old bed on Music: must go elsewhere
        { name: "Chapter 1", type: "chapter", start: t(20) }, // no tag: not scored
      ],
    },
  };
}

describe("which markers are scored", () => {
  it("takes #tags and prompt lines, and gives zero-length markers the time to the next one", () => {
    const host = new FakeHost(project());
    return host.getMarkers().then(async (markers) => {
      const items = scoreItemsFromMarkers(markers, (await host.getActiveSequence())!);
      expect(items.map((i) => [i.name, i.tag ?? i.prompt, i.seconds])).toEqual([
        ["#unboxing", "unboxing", 3],
        ["#tutorial", "tutorial", 3],
        ["Morning", "vlog_morning", 2],
        ["intro", "calm piano, no vocals", 1.5],
        ["#logo_sting", "logo_sting", 1],
      ]);
    });
  });
});

describe("Score Markers against a real helper", () => {
  let helper: RunningHelper;
  beforeAll(async () => {
    helper = await startTestHelper();
  });
  afterAll(() => helper.close());

  it("places five beds at their markers' in-points on free tracks, in one undo step, and keeps takes", async () => {
    const host = new FakeHost(project());
    const client = await HelperClient.connect(helper.url.replace("http", "ws"), openWs);
    const history = new TakeHistory();
    const progress: string[] = [];
    const outcome = await scoreMarkers(host, client, {
      history,
      onJob: (item, e) => progress.push(`${item.name}:${e.kind}`),
    });
    expect(outcome.failed).toEqual([]);
    expect(outcome.placed).toHaveLength(5);
    expect(progress.some((p) => p.endsWith(":progress"))).toBe(true);

    // one undo step holds the whole batch (creating the "Cuesmith" bin the first time is a step of its own)
    const withPlacements = host.edits.filter((e) => e.placements.length > 0);
    expect(withPlacements).toHaveLength(1);
    expect(host.edits.every((e) => e.placements.length > 0 || e.binsCreated.length > 0)).toBe(true);
    const placements = withPlacements[0].placements;
    expect(placements.map((p) => [p.startTicks, p.audioTrackIndex])).toEqual([
      [t(2), 1],
      [t(6), 1],
      [t(9), 1],
      [t(12), 1],
      [t(31), 2],
    ]);
    for (const { result } of outcome.placed) {
      const wav = decodeWav(fs.readFileSync(result.path));
      expect(wav.sampleRate).toBe(48000);
      expect(wav.channels[0].length).toBe(Math.round(result.duration_sec * 48000));
    }
    // each bed ends exactly where its marker ends (to the sample)
    expect(placements[1].endTicks).toBe(t(9));

    // re-scoring adds a take per marker and keeps the first; feedback on a placed take round-trips
    host.undo();
    await scoreMarkers(host, client, { history });
    expect(history.of(outcome.placed[0].item.key)).toHaveLength(2);
    await expect(
      client.feedback({ job_id: outcome.placed[0].result.job_id, reason: "too_loud", note: "under the VO" }),
    ).resolves.toBeUndefined();
    client.close();
  });

  it("a helper that dies mid-batch leaves nothing placed and says why", async () => {
    const dying = await startTestHelper();
    const host = new FakeHost(project());
    const client = await HelperClient.connect(dying.url.replace("http", "ws"), openWs);
    let closing: Promise<void> | undefined;
    const outcome = await scoreMarkers(host, client, {
      onJob: (_item, e) => {
        if (e.kind === "progress" && !closing) closing = dying.close();
      },
    });
    await closing;
    expect(outcome.placed).toEqual([]);
    expect(outcome.failed).toHaveLength(5);
    expect(outcome.failed[0].message).toMatch(/helper stopped/);
    expect(host.edits.filter((e) => e.placements.length > 0)).toHaveLength(0);
  });
});

const voiceTools = spawnSync("espeak-ng", ["--version"]).status === 0 && spawnSync("ffmpeg", ["-version"]).status === 0;

describe("Score Markers while the editor keeps working", () => {
  let helper: RunningHelper;
  beforeAll(async () => {
    helper = await startTestHelper();
  });
  afterAll(() => helper.close());

  it("scores a marker where it is at the click, not where the list last saw it", async () => {
    const host = new FakeHost(project());
    const client = await HelperClient.connect(helper.url.replace("http", "ws"), openWs);
    const listed = scoreItemsFromMarkers(await host.getMarkers(), (await host.getActiveSequence())!);
    const unboxing = listed.find((i) => i.name === "#unboxing")!;
    host.moveMarker("#unboxing", { start: t(3), duration: t(2) }); // dragged and shortened after the list loaded
    const outcome = await scoreMarkers(host, client, { only: [unboxing.key] });
    expect(outcome.failed).toEqual([]);
    const placed = host.edits.filter((e) => e.placements.length > 0)[0].placements;
    expect(placed.map((p) => [p.startTicks, p.endTicks])).toEqual([[t(3), t(5)]]);
    client.close();
  });

  it("places a bed at its marker's new in-point when the marker moves while the bed is made, and skips a deleted one", async () => {
    const host = new FakeHost(project());
    const client = await HelperClient.connect(helper.url.replace("http", "ws"), openWs);
    const keys = scoreItemsFromMarkers(await host.getMarkers(), (await host.getActiveSequence())!).map((i) => i.key);
    let moved = false;
    const outcome = await scoreMarkers(host, client, {
      only: keys.slice(0, 2),
      onJob: () => {
        if (moved) return;
        moved = true;
        host.moveMarker("#unboxing", { start: t(3) });
        host.removeMarker("#tutorial");
      },
    });
    expect(outcome.placed.map((p) => p.item.name)).toEqual(["#unboxing"]);
    expect(outcome.failed).toEqual([
      {
        item: expect.objectContaining({ name: "#tutorial" }),
        message: expect.stringMatching(/deleted while its bed was made/),
      },
    ]);
    const placed = host.edits.filter((e) => e.placements.length > 0)[0].placements;
    expect(placed.map((p) => [p.startTicks, p.endTicks])).toEqual([[t(3), t(6)]]); // the 3 s bed, at the new in-point
    client.close();
  });

  it("keeps the editor's typed text for a marker, and reports one that is gone", async () => {
    const host = new FakeHost(project());
    const client = await HelperClient.connect(helper.url.replace("http", "ws"), openWs);
    const keys = scoreItemsFromMarkers(await host.getMarkers(), (await host.getActiveSequence())!).map((i) => i.key);
    host.removeMarker("Morning");
    const outcome = await scoreMarkers(host, client, {
      only: [keys[0], keys[2]],
      tweaks: { [keys[0]]: { text: "calm piano, no vocals" } },
    });
    expect(outcome.placed.map((p) => p.result.prompt)).toEqual([expect.stringMatching(/calm piano/)]);
    expect(outcome.failed.map((f) => f.message)).toEqual([expect.stringMatching(/no longer in the sequence/)]);
    client.close();
  });
});

describe("Score Markers when something goes wrong", () => {
  it("a placement that fails half-way leaves nothing on the timeline, and every marker says why", async () => {
    const helper = await startTestHelper();
    try {
      const host = new FakeHost(project());
      const client = await HelperClient.connect(helper.url.replace("http", "ws"), openWs);
      host.failNext("placeAudio", new Error("the sequence is locked"));
      const outcome = await scoreMarkers(host, client);
      expect(outcome.placed).toEqual([]);
      expect(outcome.failed).toHaveLength(5);
      for (const f of outcome.failed) expect(f.message).toMatch(/made but could not be placed: .*locked/);
      expect(host.edits.filter((e) => e.placements.length > 0)).toHaveLength(0);
      for (let a = 0; a < 3; a++)
        expect(
          host.audioTrackItems(a).filter((i) => i.mediaPath.endsWith(".wav") && !i.mediaPath.startsWith("/media")),
        ).toEqual([]);
      client.close();
    } finally {
      await helper.close();
    }
  });

  it("a helper without its model says so next to each marker, with the fetch command", async () => {
    const helper = await startTestHelper({}, path.join(os.tmpdir(), "cuesmith-no-model-here"));
    try {
      const host = new FakeHost(project());
      const client = await HelperClient.connect(helper.url.replace("http", "ws"), openWs);
      const outcome = await scoreMarkers(host, client);
      expect(outcome.placed).toEqual([]);
      expect(outcome.failed).toHaveLength(5);
      expect(outcome.failed[0].message).toMatch(/npx cuesmith models fetch musicgen-small/);
      expect(host.edits).toHaveLength(0);
      client.close();
    } finally {
      await helper.close();
    }
  });
});

/** Correlation of two WAVs' first channels (1: the same signal up to a gain). */
function correlation(fileA: string, fileB: string): number {
  const [a, b] = [fileA, fileB].map((f) => decodeWav(fs.readFileSync(f)).channels[0]);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe("Generate bed under selected clips, against a real helper", () => {
  let helper: RunningHelper;
  let voiceOver: string;
  beforeAll(async () => {
    helper = await startTestHelper();
    voiceOver = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-clip-")), "vo.wav");
    if (voiceTools)
      spawnSync("espeak-ng", [
        "-v",
        "en",
        "-w",
        voiceOver,
        "We spent three months on the details. It is finally ready.",
      ]);
  });
  afterAll(() => helper.close());

  const clipProject = () => ({
    sequence: {
      fps: 25,
      videoTracks: [{ name: "V1", clips: [{ name: "Title", start: t(20), duration: t(3), selected: true }] }],
      audioTracks: [
        {
          name: "Dialogue",
          clips: [
            { name: "VO take 3", mediaPath: voiceOver, start: t(4), duration: t(4), inPoint: t(0.5), selected: true },
          ],
        },
        { name: "Music", clips: [{ name: "old bed", mediaPath: "/media/old.wav", start: t(5), end: t(6) }] },
        { name: "Beds" },
      ],
    },
  });

  (voiceTools ? it : it.skip)(
    "listens to a voice-over clip and places a ducked bed of its exact length under it; its new takes dip too, and Set dip remakes it deeper; a clip without media asks for a prompt",
    async () => {
      const host = new FakeHost(clipProject());
      const client = await HelperClient.connect(helper.url.replace("http", "ws"), openWs);
      const history = new TakeHistory();
      const clips = await host.getSelectedClips();
      expect(clips.map((c) => c.name).sort()).toEqual(["Title", "VO take 3"]);
      const outcome = await bedsUnderClips(host, client, clips, { history });
      expect(outcome.failed.map((f) => [f.clip.name, f.message])).toEqual([
        ["Title", expect.stringMatching(/no media file.*type a prompt/)],
      ]);
      expect(outcome.placed).toHaveLength(1);
      const [bed] = outcome.placed;
      expect(bed.mode).toBe("voice-over");
      expect(bed.result.prompt).toMatch(/no vocals/);
      const placements = host.edits.filter((e) => e.placements.length > 0);
      expect(placements).toHaveLength(1);
      // at the clip's start, as long as the clip, on the only track free over it (not Dialogue, not Music's old bed)
      expect(placements[0].placements.map((p) => [p.startTicks, p.endTicks, p.audioTrackIndex])).toEqual([
        [t(4), t(8), 2],
      ]);
      expect(decodeWav(fs.readFileSync(bed.result.path)).channels[0].length).toBe(4 * 48000);
      expect(history.of(clipKey(bed.clip))).toHaveLength(1);

      // New take: asked for again as a bed of the same clip, so both takes dip under its speech (as keyframes here,
      // where the dip is visible in the answer; baked, it is in the WAV)
      const made = await newTakes(host, client, history, clipKey(bed.clip), {
        variations: 2,
        levels: "keyframes",
        duckDb: 12,
      });
      expect(made.map((take) => take.voiceOver?.media_path)).toEqual([voiceOver, voiceOver]);
      for (const take of made) expect(take.levels?.points.some((p) => p.gainDb === -12)).toBe(true);
      expect(history.of(clipKey(bed.clip))).toHaveLength(3);

      // Set dip on the placed (baked) bed: the same seed remade with a 20 dB dip, swapped in place
      const key = clipKey(bed.clip);
      const edits = host.edits.length;
      expect(await setDip(host, client, history, key, 20, { name: bed.clip.name })).toMatch(/Dips 20 dB/);
      const remade = history.placed(key)!;
      expect([remade.seed, remade.voiceOver?.duck_db]).toEqual([bed.result.seed, 20]);
      expect(remade.sha256).not.toBe(bed.result.sha256);
      expect(host.edits).toHaveLength(edits + 1);
      expect(host.audioTrackItems(2).map((c) => c.mediaPath)).toEqual([remade.path]);
      // the same music under another dip: the two beds' samples move together, far more than another seed's
      const same = correlation(bed.result.path, remade.path);
      expect(same).toBeGreaterThan(0.8);
      expect(correlation(bed.result.path, made[0].path)).toBeLessThan(same - 0.2);
      client.close();
    },
  );

  it("a linked clip (its video and audio selected together) gets one bed, not two stacked", async () => {
    const host = new FakeHost({
      sequence: {
        fps: 25,
        videoTracks: [
          {
            name: "V1",
            clips: [{ name: "Interview", mediaPath: "/media/interview.mov", start: t(2), duration: t(3), link: "i" }],
          },
        ],
        audioTracks: [
          {
            name: "Dialogue",
            clips: [{ name: "Interview", mediaPath: "/media/interview.mov", start: t(2), duration: t(3), link: "i" }],
          },
          { name: "Beds" },
          { name: "Beds 2" },
        ],
      },
    });
    host.setSelection([{ trackType: "video", trackIndex: 0 }]);
    const clips = await host.getSelectedClips();
    expect(clips).toHaveLength(2);
    const client = await HelperClient.connect(helper.url.replace("http", "ws"), openWs);
    const outcome = await bedsUnderClips(host, client, clips, { prompt: "soft pads, no vocals" });
    expect(outcome.failed).toEqual([]);
    expect(outcome.placed).toHaveLength(1);
    expect(outcome.placed[0].clip.trackType).toBe("audio");
    expect(
      host.edits.filter((e) => e.placements.length > 0)[0].placements.map((p) => [p.startTicks, p.audioTrackIndex]),
    ).toEqual([[t(2), 1]]);
    // the video item alone, without a prompt: a plain refusal, no job
    host.setSelection([{ trackType: "video", trackIndex: 0 }], { linked: false });
    const alone = await bedsUnderClips(host, client, await host.getSelectedClips());
    expect(alone.placed).toEqual([]);
    expect(alone.failed.map((f) => f.message)).toEqual([
      expect.stringMatching(/only the video of this clip is selected/),
    ]);
    client.close();
  });

  it("with a typed prompt, every selected clip gets a bed in one undo step", async () => {
    const host = new FakeHost(clipProject());
    const client = await HelperClient.connect(helper.url.replace("http", "ws"), openWs);
    const outcome = await bedsUnderClips(host, client, await host.getSelectedClips(), {
      prompt: "soft pads, no vocals",
    });
    expect(outcome.failed).toEqual([]);
    expect(outcome.placed.map((p) => p.mode)).toEqual(["prompt", "prompt"]);
    const placements = host.edits.filter((e) => e.placements.length > 0);
    expect(placements).toHaveLength(1);
    expect(placements[0].placements.map((p) => [p.startTicks, p.audioTrackIndex]).sort()).toEqual(
      [
        [t(20), 1],
        [t(4), 2],
      ].sort(),
    );
    await expect(bedsUnderClips(host, client, [])).rejects.toThrow(/select one or more clips/);
    client.close();
  });
});

describe("the take loop against a real helper", () => {
  let helper: RunningHelper;
  beforeAll(async () => {
    helper = await startTestHelper();
  });
  afterAll(() => helper.close());

  /** #unboxing scored alone: its first take placed at 2 s. */
  async function scored(levelsMode?: "keyframes") {
    const host = new FakeHost(project());
    const client = await HelperClient.connect(helper.url.replace("http", "ws"), openWs);
    const history = new TakeHistory();
    const key = scoreItemsFromMarkers(await host.getMarkers(), (await host.getActiveSequence())!)[0].key;
    const first = await scoreMarkers(host, client, { history, only: [key], ...(levelsMode ? { levelsMode } : {}) });
    expect(first.failed).toEqual([]);
    return { host, client, history, key, placed: first.placed[0] };
  }

  it("a new take goes to the bin; Use this take swaps it in place in one undo step", async () => {
    const { host, client, history, key, placed } = await scored("keyframes");
    const edits = host.edits.length;
    const [second] = await newTakes(host, client, history, key);
    expect(host.edits.length).toBe(edits);
    expect(second.seed).not.toBe(placed.result.seed);
    expect(fs.existsSync(second.path)).toBe(true);
    await useTake(host, history, key, second, "#unboxing");
    const onTrack = host.audioTrackItems(placed.trackIndex).filter((c) => c.startTicks === t(2));
    expect(onTrack.map((c) => [c.mediaPath, c.endTicks])).toEqual([[second.path, t(5)]]);
    expect(host.edits.length).toBe(edits + 1 + (history.placed(key)?.levels ? 1 : 0));
    client.close();
  });

  it("variations: 3 takes from one request, seeds seed+i, each on disk", async () => {
    const { host, client, history, key } = await scored();
    const takes = await newTakes(host, client, history, key, { variations: 3 });
    expect(takes).toHaveLength(3);
    expect(takes.map((x) => x.seed - takes[0].seed)).toEqual([0, 1, 2]);
    for (const take of takes) expect(fs.existsSync(take.path)).toBe(true);
    client.close();
  });

  it("extend: the marker grows, the take is continued and swapped in place", async () => {
    const { host, client, history, key, placed } = await scored();
    host.moveMarker("#unboxing", { duration: { seconds: 3.5 } });
    const { take } = await extendTake(host, client, history, key, 3.5, { name: "#unboxing" });
    expect(take.extendedFrom).toBe(placed.result.sha256);
    const onTrack = host.audioTrackItems(placed.trackIndex).filter((c) => c.startTicks === t(2));
    expect(onTrack.map((c) => [c.mediaPath, c.endTicks])).toEqual([[take.path, t(5.5)]]);
    client.close();
  });

  it('levels: "keyframes" puts the bed level on the clip as Volume keyframes', async () => {
    const { host, client, placed } = await scored("keyframes");
    expect(client.levelsUnsupported).toBe(false);
    const [clip] = host.audioTrackItems(placed.trackIndex).filter((c) => c.startTicks === t(2));
    expect(clip.volume.timeVarying).toBe(true);
    expect(clip.volume.keyframes.length).toBeGreaterThanOrEqual(2);
    client.close();
  });
});
