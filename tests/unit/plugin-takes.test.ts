// The take loop on FakePpro: new takes never add a track, Use this take swaps in place as one undo step, Extend
// swaps the longer bed in, levels land as Volume keyframes, Listen plays in the Source Monitor, Reveal opens the
// folder. The helper is stubbed at its client interface with the take-loop protocol's answer shapes.
import type { HelperClient, JobOutcome } from "../../plugin/core/helper-client";
import { scoreMarkers, TakeHistory, takeOf } from "../../plugin/core/score-markers";
import { levelsToRequest } from "../../plugin/core/settings";
import { applyLevels, envelopeOf, levelsForSwap, redip } from "../../plugin/core/take-levels";
import { setDip } from "../../plugin/core/dip";
import { takesOfDone, type ExtendSpec, type TakeJobSpec, type TakeResult } from "../../plugin/core/take-protocol";
import { extendTake, newTakes, useTake } from "../../plugin/core/takes";
import { bedsUnderClips, clipKey, clipNow } from "../../plugin/core/clip-bed";
import { FakeHost } from "../../plugin/host/fake-host";
import { isHostError } from "../../plugin/host/host";
import { dbFromLevel, levelFromDb } from "../../plugin/host/levels";
import { secondsToTicks } from "../../shared/time";
import { fakeJobResult, fakeSha } from "../helpers/take-results";

const t = (s: number) => secondsToTicks(s).toString();
const SHA = fakeSha;

function result(path: string, seconds: number, extra: Partial<TakeResult> = {}): TakeResult {
  return { ...fakeJobResult(path, seconds), ...extra };
}

const durations = new Map<string, number>();
function fakeHost(options: { componentChains?: boolean; keyframeGridTicks?: bigint } = {}) {
  return new FakeHost(
    {
      sequence: {
        name: "Unboxing",
        fps: 25,
        audioTracks: [
          { name: "Dialogue", clips: [{ name: "VO", mediaPath: "/media/vo.wav", start: "0", end: { seconds: 40 } }] },
          { name: "Music" },
        ],
        markers: [{ name: "#unboxing", start: { seconds: 3 }, duration: { seconds: 15 } }],
      },
    },
    {
      fileExists: () => true,
      mediaDurationTicks: (p) => secondsToTicks(durations.get(p) ?? 15),
      importDelayMs: 0,
      ...options,
    },
  );
}

/** A helper client stub answering with the protocol's shapes; records what it was sent. */
function stubHelper(answers: { generate?: JobOutcome; extend?: JobOutcome }) {
  const sent: { generate: TakeJobSpec[][]; extend: ExtendSpec[] } = { generate: [], extend: [] };
  const helper = {
    generate: async (jobs: TakeJobSpec[]) => {
      sent.generate.push(jobs);
      return [answers.generate!];
    },
    extend: async (spec: ExtendSpec) => {
      sent.extend.push(spec);
      return answers.extend!;
    },
  } as unknown as HelperClient;
  return { helper, sent };
}

/** The 8 dB dip the helper finds under the fake project's voice-over (speech from 4.25 to 10 s). */
const VO_DUCK = [
  { time_sec: 4, gain_db: 0 },
  { time_sec: 4.25, gain_db: -8 },
  { time_sec: 10, gain_db: -8 },
  { time_sec: 10.5, gain_db: 0 },
];

/** Selects the voice-over clip on Dialogue (A1) and returns it as the panel reads it. */
async function selectedVoiceOver(host: FakeHost) {
  host.setSelection([{ trackType: "audio", trackIndex: 0 }]);
  const [vo] = await host.getSelectedClips();
  return vo;
}

/** Places take 1 at the marker (as Score Markers does) and records it in the history. */
async function placeFirstTake(host: FakeHost, history: TakeHistory) {
  const first = result("/beds/take1.wav", 15, { sha256: SHA("1") });
  durations.set(first.path, 15);
  const [item] = await host.importFiles([first.path]);
  await host.placeAudio([{ item, startTicks: t(3), audioTrackIndex: 1 }], "Cuesmith: score #unboxing");
  history.add("m1", takeOf(first, 1, "now", t(3)));
  return first;
}

describe("take loop on FakePpro", () => {
  test("new takes go to the bin and the list, never onto a track; Use this take swaps in place as one undo step", async () => {
    const host = fakeHost();
    const history = new TakeHistory();
    await placeFirstTake(host, history);
    const tracksBefore = (await host.getActiveSequence())!.audioTrackCount;
    const editsBefore = host.edits.length;

    const takes = [2, 3, 4].map((n, i) =>
      result(`/beds/take${n}.wav`, 15, { sha256: SHA(String(n)), seed: 8 + i, take_index: i }),
    );
    const { helper, sent } = stubHelper({ generate: { job_id: "nt", result: takes[0], takes } });
    const added = await newTakes(host, helper, history, "m1", { variations: 3, label: "#unboxing" });

    expect(sent.generate[0][0]).toMatchObject({ prompt: "warm synth pop", duration_sec: 15, variations: 3 });
    expect(added.map((a) => a.path)).toEqual(takes.map((x) => x.path));
    expect(history.of("m1")).toHaveLength(4);
    expect((await host.getActiveSequence())!.audioTrackCount).toBe(tracksBefore);
    expect(host.edits).toHaveLength(editsBefore); // nothing placed
    expect(host.audioTrackItems(1).map((c) => c.mediaPath)).toEqual(["/beds/take1.wav"]);
    expect(host.binItems("Cuesmith").map((i) => i.mediaPath)).toEqual(
      expect.arrayContaining(["/beds/take1.wav", "/beds/take2.wav", "/beds/take3.wav", "/beds/take4.wav"]),
    );

    await useTake(host, history, "m1", history.of("m1")[1], "#unboxing");
    expect(host.edits).toHaveLength(editsBefore + 1);
    expect(host.edits.at(-1)!.label).toBe("Cuesmith: use take of #unboxing");
    const [swapped] = host.audioTrackItems(1);
    expect(host.audioTrackItems(1)).toHaveLength(1);
    expect(swapped).toMatchObject({
      mediaPath: "/beds/take2.wav",
      startTicks: t(3),
      endTicks: t(18),
      inPointTicks: "0",
    });
    expect(history.placed("m1")!.path).toBe("/beds/take2.wav");

    host.undo(); // one Edit > Undo brings take 1 back
    expect(host.audioTrackItems(1).map((c) => [c.mediaPath, c.startTicks, c.endTicks])).toEqual([
      ["/beds/take1.wav", t(3), t(18)],
    ]);
  });

  test("asking for 3 takes from a helper that answers one says what is missing", async () => {
    const host = fakeHost();
    const history = new TakeHistory();
    await placeFirstTake(host, history);
    const { helper } = stubHelper({ generate: { job_id: "nt", result: result("/beds/x.wav", 15) } });
    await expect(newTakes(host, helper, history, "m1", { variations: 3 })).rejects.toThrow(/variations/);
  });

  test("new takes fit the marker as it is now: a cut that shortened it gets takes of its new length", async () => {
    const host = fakeHost();
    const history = new TakeHistory();
    await placeFirstTake(host, history);
    durations.set("/beds/short.wav", 12);
    const { helper, sent } = stubHelper({ generate: { job_id: "nt", result: result("/beds/short.wav", 12) } });
    const [take] = await newTakes(host, helper, history, "m1", { now: { durationSec: 12 } });
    expect(sent.generate[0][0]).toMatchObject({ prompt: "warm synth pop", duration_sec: 12 });
    expect(take.durationSec).toBe(12);
  });

  test("Extend continues the placed take and swaps the longer bed in place, one undo step", async () => {
    const host = fakeHost();
    const history = new TakeHistory();
    const first = await placeFirstTake(host, history);
    host.moveMarker("#unboxing", { duration: { seconds: 20 } });
    durations.set("/beds/take1-ext.wav", 20);
    const extended = result("/beds/take1-ext.wav", 20, { sha256: SHA("e"), extended_from: first.sha256 });
    const { helper, sent } = stubHelper({ extend: { job_id: "ex", result: extended } });
    const editsBefore = host.edits.length;

    const { take } = await extendTake(host, helper, history, "m1", 20, { name: "#unboxing" });
    expect(sent.extend[0]).toMatchObject({ sha256: first.sha256, duration_sec: 20 });
    expect(take.extendedFrom).toBe(first.sha256);
    expect(host.edits).toHaveLength(editsBefore + 1);
    expect(host.audioTrackItems(1).map((c) => [c.mediaPath, c.startTicks, c.endTicks])).toEqual([
      ["/beds/take1-ext.wav", t(3), t(23)],
    ]);
    host.undo();
    expect(host.audioTrackItems(1).map((c) => c.mediaPath)).toEqual(["/beds/take1.wav"]);
  });

  test("Extend refuses to overwrite the clip after the take", async () => {
    const host = fakeHost();
    const history = new TakeHistory();
    await placeFirstTake(host, history);
    durations.set("/beds/next.wav", 5);
    const [next] = await host.importFiles(["/beds/next.wav"]);
    await host.placeAudio([{ item: next, startTicks: t(19), audioTrackIndex: 1 }], "next");
    durations.set("/beds/long.wav", 20);
    const { helper } = stubHelper({ extend: { job_id: "ex", result: result("/beds/long.wav", 20) } });
    const failure = await extendTake(host, helper, history, "m1", 20, { name: "#unboxing" }).catch((e) => e);
    expect(isHostError(failure, "TRACK_OCCUPIED")).toBe(true);
    expect(host.audioTrackItems(1).map((c) => c.mediaPath)).toEqual(["/beds/take1.wav", "/beds/next.wav"]);
  });

  test("keyframes results land as Volume > Level keyframes (dB on Premiere's scale), the fake shows them", async () => {
    const host = fakeHost();
    const history = new TakeHistory();
    await placeFirstTake(host, history);
    const raw = {
      type: "done",
      id: "x",
      job_id: "j",
      result: {
        ...result("/beds/take1.wav", 15),
        levels: "keyframes",
        bed_gain_db: -12,
        duck_keyframes: [
          { time_sec: 2, gain_db: 0 },
          { time_sec: 2.5, gain_db: -8 },
          { time_sec: 6, gain_db: -8 },
          { time_sec: 6.5, gain_db: 0 },
        ],
      },
    };
    const parsed = takesOfDone(raw).result!;
    expect(envelopeOf(parsed)!.gainDb).toBe(-12);
    expect(host.getCapabilities().levelKeyframes).toBe(true);
    const problem = await applyLevels(
      host,
      { trackIndex: 1, startTicks: t(3), mediaPath: "/beds/take1.wav" },
      parsed,
      "#unboxing",
    );
    expect(problem).toBeNull();
    const [clip] = host.audioTrackItems(1);
    expect(clip.volume.timeVarying).toBe(true);
    const kfs = clip.volume.keyframes.map((k) => [
      Number(k.positionTicks) / Number(secondsToTicks(1)),
      Math.round(k.levelDb * 10) / 10,
    ]);
    expect(kfs).toEqual([
      [0, -12],
      [2, -12],
      [2.5, -20],
      [6, -20],
      [6.5, -12],
      [15, -12],
    ]);
    expect(host.edits.at(-1)!.label).toBe("Cuesmith: levels of #unboxing");
  });

  test("levels written again replace the clip's keyframes (no old corner left), and are read back", async () => {
    const ref = { trackIndex: 1, startTicks: t(3), mediaPath: "/beds/take1.wav" };
    const dip = (at: number, depth: number) => ({
      gainDb: -12,
      points: [at, at + 0.5, at + 4, at + 4.5].map((s, i) => ({
        offsetTicks: t(s),
        gainDb: i === 1 || i === 2 ? -depth : 0,
      })),
    });
    const corners = (host: FakeHost) =>
      host
        .audioTrackItems(1)[0]
        .volume.keyframes.map((k) => [
          Number(k.positionTicks) / Number(secondsToTicks(1)),
          Math.round(k.levelDb * 10) / 10,
        ]);
    const host = fakeHost();
    await placeFirstTake(host, new TakeHistory());
    await host.setClipLevels(ref, dip(2, 8), "first");
    await host.setClipLevels(ref, dip(1, 14), "again");
    expect(corners(host)).toEqual([
      [0, -12],
      [1, -12],
      [1.5, -26],
      [5, -26],
      [5.5, -12],
      [15, -12],
    ]);

    // a Premiere that moved keyframes onto its own grid: within a frame is the dip written; half a second is not
    const onFrames = fakeHost({ keyframeGridTicks: secondsToTicks(1 / 25) });
    await placeFirstTake(onFrames, new TakeHistory());
    await onFrames.setClipLevels(ref, dip(2.01, 8), "frames");
    const onSeconds = fakeHost({ keyframeGridTicks: secondsToTicks(1) });
    await placeFirstTake(onSeconds, new TakeHistory());
    const failure = await onSeconds.setClipLevels(ref, dip(2, 8), "seconds").catch((e) => e);
    expect(isHostError(failure, "LEVELS_NOT_VERIFIED")).toBe(true);
    expect(failure.message).toMatch(/not the ones written.*Edit > Undo/);
  });

  test("dB to Premiere's Level value: 0 dB = 0.1778, +15 dB = 1", () => {
    expect(levelFromDb(0)).toBeCloseTo(0.17782794, 7);
    expect(levelFromDb(15)).toBe(1);
    expect(levelFromDb(40)).toBe(1);
    expect(dbFromLevel(levelFromDb(-12))).toBeCloseTo(-12, 9);
  });

  test("without a component chain the panel asks for baked levels and the host says so", async () => {
    const host = fakeHost({ componentChains: false });
    const history = new TakeHistory();
    await placeFirstTake(host, history);
    expect(host.getCapabilities().levelKeyframes).toBe(false);
    expect(levelsToRequest({ levelsMode: "keyframes" }, false)).toBe("baked");
    expect(levelsToRequest({ levelsMode: "baked" }, true)).toBe("baked");
    expect(levelsToRequest({ levelsMode: "keyframes" }, true)).toBe("keyframes");
    const failure = await host
      .setClipLevels(
        { trackIndex: 1, startTicks: t(3), mediaPath: "/beds/take1.wav" },
        { gainDb: -12, points: [] },
        "x",
      )
      .catch((e) => e);
    expect(isHostError(failure, "LEVELS_UNSUPPORTED")).toBe(true);
  });

  test("Listen opens the take in the Source Monitor and plays it; Reveal opens its folder", async () => {
    const host = fakeHost();
    await host.auditionFile("/beds/take1.wav");
    expect(host.sourceMonitor).toEqual({ opened: "/beds/take1.wav", playing: true });
    await host.revealFile("/beds/takes/take1.wav");
    expect(host.revealed).toEqual(["/beds/takes"]);
    const noMonitor = new FakeHost({}, { sourceMonitor: false });
    expect(noMonitor.getCapabilities().sourceMonitor).toBe(false);
    await expect(noMonitor.auditionFile("/beds/take1.wav")).rejects.toThrow(/Source Monitor/);
  });

  test("a clip bed under the voice gets its level and dip as keyframes; its new take dips under the same speech", async () => {
    const host = fakeHost();
    const vo = await selectedVoiceOver(host);
    durations.set("/beds/vo-bed.wav", 40);
    const bedResult = result("/beds/vo-bed.wav", 40, {
      sha256: SHA("b"),
      levels: "keyframes",
      bed_gain_db: -12,
      duck_keyframes: VO_DUCK,
    });
    const secondResult = result("/beds/vo-bed-2.wav", 40, {
      sha256: SHA("c"),
      levels: "keyframes",
      bed_gain_db: -12,
      duck_keyframes: VO_DUCK,
    });
    const sentBeds: Record<string, unknown>[] = [];
    const helper = {
      bed: async (spec: Record<string, unknown>) => {
        sentBeds.push(spec);
        return { job_id: spec.job_id, result: sentBeds.length === 1 ? bedResult : secondResult };
      },
      generate: async () => {
        throw new Error("a clip bed's new take is asked for as a bed, not a generate");
      },
    } as unknown as HelperClient;
    const history = new TakeHistory();
    const outcome = await bedsUnderClips(host, helper, [vo], { history, levelsMode: "keyframes" });
    expect(outcome.failed).toEqual([]);
    expect(sentBeds[0]).toMatchObject({ levels: "keyframes" });
    const track = outcome.placed[0].trackIndex;
    const dbAt = () =>
      host
        .audioTrackItems(track)[0]
        .volume.keyframes.map((k) => [
          Number(k.positionTicks) / Number(secondsToTicks(1)),
          Math.round(k.levelDb * 10) / 10,
        ]);
    const expected = [
      [0, -12],
      [4, -12],
      [4.25, -20],
      [10, -20],
      [10.5, -12],
      [40, -12],
    ];
    expect(dbAt()).toEqual(expected);

    durations.set("/beds/vo-bed-2.wav", 40);
    const key = clipKey(vo);
    const [second] = await newTakes(host, helper, history, key, { levels: "keyframes" });
    // the same clip, range and dip as the first bed, so the helper ducks the new music under the same speech
    const { job_id: _first, ...source } = sentBeds[0];
    expect(sentBeds[1]).toEqual({ ...source, job_id: expect.stringMatching(/^nt-/) });
    expect(source).toMatchObject({ media_path: "/media/vo.wav", in_sec: 0, out_sec: 40, duration_sec: 40 });
    expect(second.voiceOver).toEqual(history.of(key)[0].voiceOver);
    expect(await useTake(host, history, key, second, "VO")).toBeNull();
    expect(host.audioTrackItems(track)[0].mediaPath).toBe("/beds/vo-bed-2.wav");
    expect(dbAt()).toEqual(expected); // the dip follows the voice, not the music
  });

  test("baked into the WAV: three new takes of a voice-over bed are one bed request; a typed-prompt bed's are a generate", async () => {
    const host = fakeHost();
    const vo = await selectedVoiceOver(host);
    const sent: { type: string; spec: Record<string, unknown> }[] = [];
    let n = 0;
    const answer = (spec: Record<string, unknown>) => {
      const count = Number(spec.variations ?? 1);
      const takes = Array.from({ length: count }, () => {
        n += 1;
        durations.set(`/beds/baked${n}.wav`, 40);
        return result(`/beds/baked${n}.wav`, 40, { sha256: SHA(`d${n}`) });
      });
      return { job_id: String(spec.job_id), result: takes[0], ...(count > 1 ? { takes } : {}) };
    };
    const helper = {
      bed: async (spec: Record<string, unknown>) => (sent.push({ type: "bed", spec }), answer(spec)),
      generate: async (jobs: Record<string, unknown>[]) => (
        sent.push({ type: "generate", spec: jobs[0] }),
        [answer(jobs[0])]
      ),
    } as unknown as HelperClient;
    const history = new TakeHistory();
    await bedsUnderClips(host, helper, [vo], { history, transcript: "Welcome back.", duckDb: 12 });
    const made = await newTakes(host, helper, history, clipKey(vo), { variations: 3 });
    expect(made).toHaveLength(3);
    expect(sent.map((s) => s.type)).toEqual(["bed", "bed"]);
    expect(sent[1].spec).toMatchObject({
      media_path: "/media/vo.wav",
      text: "Welcome back.",
      duck_db: 12,
      variations: 3,
    });
    expect(sent[1].spec).not.toHaveProperty("levels");
    expect(sent[1].spec).not.toHaveProperty("prompt");
    expect(history.of(clipKey(vo)).every((t) => t.voiceOver?.media_path === "/media/vo.wav")).toBe(true);
    // the editor changed the dip in Settings: the next new take dips that deep
    await newTakes(host, helper, history, clipKey(vo), { duckDb: 20 });
    expect(sent[2].spec).toMatchObject({ media_path: "/media/vo.wav", duck_db: 20 });
    expect(history.of(clipKey(vo)).at(-1)!.voiceOver!.duck_db).toBe(20);
    // the editor trimmed the voice-over: new takes fit the clip as it is at the click (clipNow), same transcript
    const trimmed = { ...vo, endTicks: t(30), outPointTicks: t(30) };
    await newTakes(host, helper, history, clipKey(vo), { now: clipNow(trimmed), duckDb: 20 });
    expect(sent[3].spec).toMatchObject({
      media_path: "/media/vo.wav",
      in_sec: 0,
      out_sec: 30,
      duration_sec: 30,
      text: "Welcome back.",
    });

    // a bed made from a typed prompt has no voice to dip under: its new take repeats the prompt
    host.undo();
    const typed = new TakeHistory();
    await bedsUnderClips(host, helper, [vo], { history: typed, prompt: "soft piano" });
    await newTakes(host, helper, typed, clipKey(vo));
    expect(sent.slice(4).map((s) => s.type)).toEqual(["generate", "generate"]);
    expect(typed.of(clipKey(vo)).some((t) => t.voiceOver)).toBe(false);
  });

  test("redip scales every corner of a dip by the new depth: ramps keep their shape and timing", () => {
    const envelope = {
      gainDb: -12,
      points: [
        { offsetTicks: t(4), gainDb: 0 },
        { offsetTicks: t(4.25), gainDb: -8 },
        { offsetTicks: t(6), gainDb: -2 }, // where a release crosses the next attack
        { offsetTicks: t(10.5), gainDb: 0 },
      ],
    };
    expect(redip(envelope, 8, 14)).toEqual({
      gainDb: -12,
      points: [
        { offsetTicks: t(4), gainDb: 0 },
        { offsetTicks: t(4.25), gainDb: -14 },
        { offsetTicks: t(6), gainDb: -3.5 },
        { offsetTicks: t(10.5), gainDb: 0 },
      ],
    });
    expect(redip(envelope, 8, 0).points.map((p) => p.gainDb)).toEqual([0, 0, 0, 0]);
    expect(() => redip(envelope, 0, 8)).toThrow(RangeError);
  });

  test("Set dip: with keyframes the placed bed's Volume keyframes are rewritten in one undo step; baked, the same seed is remade and swapped", async () => {
    const host = fakeHost();
    const vo = await selectedVoiceOver(host);
    durations.set("/beds/dip-kf.wav", 40);
    durations.set("/beds/dip-baked.wav", 40);
    durations.set("/beds/dip-remade.wav", 40);
    const sent: Record<string, unknown>[] = [];
    const answers = [
      result("/beds/dip-kf.wav", 40, {
        sha256: SHA("k"),
        levels: "keyframes",
        bed_gain_db: -12,
        duck_keyframes: VO_DUCK,
      }),
      result("/beds/dip-baked.wav", 40, { sha256: SHA("e"), seed: 4242 }),
      result("/beds/dip-remade.wav", 40, { sha256: SHA("f"), seed: 4242 }),
    ];
    const helper = {
      bed: async (spec: Record<string, unknown>) => {
        sent.push(spec);
        return { job_id: String(spec.job_id), result: answers[sent.length - 1] };
      },
    } as unknown as HelperClient;

    // editable keyframes: no new audio, the dip's corners scaled from 8 to 14 dB, one edit that Undo takes back
    const kf = new TakeHistory();
    const { placed, failed } = await bedsUnderClips(host, helper, [vo], {
      history: kf,
      levelsMode: "keyframes",
      duckDb: 8,
    });
    expect(failed).toEqual([]);
    const track = placed[0].trackIndex;
    const key = clipKey(vo);
    const dbAt = () => host.audioTrackItems(track)[0].volume.keyframes.map((k) => Math.round(k.levelDb * 10) / 10);
    expect(Math.min(...dbAt())).toBe(-20);
    const edits = host.edits.length;
    expect(await setDip(host, helper, kf, key, 14, { name: "VO" })).toMatch(/Dips 14 dB.*Undo brings 8 dB back/);
    expect(sent).toHaveLength(1);
    expect(host.edits).toHaveLength(edits + 1);
    expect(host.edits.at(-1)!.label).toBe("Cuesmith: dip of VO");
    expect(Math.min(...dbAt())).toBe(-26);
    expect(kf.placed(key)!.voiceOver!.duck_db).toBe(14);
    host.undo();
    expect(Math.min(...dbAt())).toBe(-20);
    host.undo(); // its first levels, then the bed itself, for the baked round
    host.undo();
    expect(host.audioTrackItems(track)).toEqual([]);

    // baked into the WAV: the same seed, clip and transcript asked again with the new dip, swapped in place
    const baked = new TakeHistory();
    await bedsUnderClips(host, helper, [vo], { history: baked, duckDb: 8 });
    expect(await setDip(host, helper, baked, key, 20, { name: "VO" })).toMatch(/Dips 20 dB.*same music/);
    expect(sent[2]).toMatchObject({ media_path: "/media/vo.wav", seed: 4242, duck_db: 20 });
    expect(sent[2]).not.toHaveProperty("levels");
    expect(baked.placed(key)!.path).toBe("/beds/dip-remade.wav");
    expect(host.audioTrackItems(track).map((c) => c.mediaPath)).toEqual(["/beds/dip-remade.wav"]);

    await expect(setDip(host, helper, baked, key, 31, { name: "VO" })).rejects.toThrow(/0 to 30 dB/);
    expect(await setDip(host, helper, baked, key, 20, { name: "VO" })).toMatch(/already dips 20 dB/);
  });

  test("Score Markers again: a marker whose bed is still there gets a new take in the bin, not a second bed", async () => {
    const host = fakeHost();
    const history = new TakeHistory();
    let n = 0;
    const helper = {
      generate: async (jobs: TakeJobSpec[]) =>
        jobs.map((job) => {
          n += 1;
          durations.set(`/beds/score${n}.wav`, 15);
          return { job_id: job.job_id!, result: result(`/beds/score${n}.wav`, 15, { sha256: SHA(String(n)) }) };
        }),
    } as unknown as HelperClient;
    const first = await scoreMarkers(host, helper, { history });
    expect(first.placed).toHaveLength(1);
    const edits = host.edits.length;
    const again = await scoreMarkers(host, helper, { history });
    expect(again.placed).toEqual([]);
    expect(again.newTakes?.map((t) => t.result.path)).toEqual(["/beds/score2.wav"]);
    expect(host.edits).toHaveLength(edits);
    expect(host.audioTrackItems(1).map((c) => c.mediaPath)).toEqual(["/beds/score1.wav"]);
    const key = first.placed[0].item.key;
    expect(history.of(key).map((t) => t.path)).toEqual(["/beds/score1.wav", "/beds/score2.wav"]);
    expect(history.placed(key)!.path).toBe("/beds/score1.wav");

    host.undo(); // the bed is gone: scoring again places one
    const third = await scoreMarkers(host, helper, { history });
    expect(third.placed).toHaveLength(1);
  });
});

describe("levels a swapped-in take gets", () => {
  const dip = [
    { offsetTicks: secondsToTicks(1).toString(), gainDb: 0 },
    { offsetTicks: secondsToTicks(1.5).toString(), gainDb: -8 },
  ];
  it("its own envelope, with the previous take's dip when it brings none", () => {
    expect(levelsForSwap({ gainDb: -12, points: dip }, undefined)).toEqual({ gainDb: -12, points: dip });
    expect(levelsForSwap({ gainDb: -11, points: [] }, { gainDb: -12, points: dip })).toEqual({
      gainDb: -11,
      points: dip,
    });
  });
  it("a baked take gets only the dip at unity gain (its WAV already holds the bed level), or nothing", () => {
    expect(levelsForSwap(undefined, { gainDb: -12, points: dip })).toEqual({ gainDb: 0, points: dip });
    expect(levelsForSwap(undefined, { gainDb: -12, points: [] })).toBeNull();
    expect(levelsForSwap(undefined, undefined)).toBeNull();
  });
});
