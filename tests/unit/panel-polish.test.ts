// The panel's small pure pieces that make a run readable: overall progress and time left, the warning that a bed
// runs past the next marker, the feedback body that names its take, the BPM field, the track words of Settings,
// and which keys score or cancel.
import { parseBpm } from "../../plugin/core/bpm";
import { bedsUnderClips, clipKey } from "../../plugin/core/clip-bed";
import type { HelperClient, JobOutcome } from "../../plugin/core/helper-client";
import { scoreMarkers, takeOf } from "../../plugin/core/score-markers";
import { FakeHost } from "../../plugin/host/fake-host";
import type { JobResult, JobSpec } from "../../shared/protocol";
import { feedbackBody, GOOD_FIT, PANEL_FEEDBACK_REASONS, takeLine, takeRef } from "../../plugin/core/feedback";
import { findOverruns, overrunText } from "../../plugin/core/overrun";
import { overallProgress, timeLeftText } from "../../plugin/core/run-progress";
import type { Take } from "../../plugin/core/score-markers";
import { trackPolicy, DEFAULT_SETTINGS } from "../../plugin/core/settings";
import { patternToWords, wordsToPattern } from "../../plugin/core/track-words";
import { shortcutAction } from "../../plugin/ui/shortcuts";
import { statusText } from "../../plugin/ui/status-text";
import { secondsToTicks } from "../../shared/time";

const at = (s: number) => secondsToTicks(s).toString();
const SHA = "ab".repeat(32);

describe("overall progress of a run", () => {
  it("is the mean of the jobs' fractions; time left is the longest running estimate (a batch shares one)", () => {
    // three jobs decoded together report the same eta: the run has 4 s left, not 12
    const p = overallProgress([
      { fraction: 0.5, etaMs: 4000 },
      { fraction: 0.5, etaMs: 4000 },
      { fraction: 0.5, etaMs: 4000 },
    ]);
    expect(p).toEqual({ fraction: 0.5, etaMs: 4000 });
    expect(
      overallProgress([
        { fraction: 1, etaMs: 0 },
        { fraction: 0.25, etaMs: 9000 },
      ]),
    ).toEqual({ fraction: 0.625, etaMs: 9000 });
  });

  it("counts jobs that wait in the queue as 0 and estimates their time from the pace so far", () => {
    // 10 s elapsed for a quarter of the run: about 30 s left, more than the running job's own 2 s
    const p = overallProgress(
      [
        { fraction: 0.5, etaMs: 2000 },
        { fraction: 0, etaMs: null },
      ],
      10_000,
    );
    expect(p.fraction).toBe(0.25);
    expect(p.etaMs).toBe(30_000);
  });

  it("knows no time left before any estimate, and none once everything is done; clamps odd fractions", () => {
    expect(overallProgress([])).toEqual({ fraction: 0, etaMs: null });
    expect(overallProgress([{ fraction: 0, etaMs: null }], 5000)).toEqual({ fraction: 0, etaMs: null });
    expect(
      overallProgress([
        { fraction: 1, etaMs: 300 },
        { fraction: 1.2, etaMs: null },
      ]),
    ).toEqual({
      fraction: 1,
      etaMs: 0,
    });
    expect(overallProgress([{ fraction: Number.NaN, etaMs: -5 }]).fraction).toBe(0);
  });

  it("says the time left in words", () => {
    expect(timeLeftText(null)).toBe("");
    expect(timeLeftText(800)).toBe("almost done");
    expect(timeLeftText(12_400)).toBe("about 12 s left");
    expect(timeLeftText(125_000)).toBe("about 2 min 5 s left");
    expect(timeLeftText(121_000)).toBe("about 2 min left");
  });
});

describe("a bed that runs past the next marker", () => {
  const beds = [
    { key: "u", name: "#unboxing", startTicks: at(2), seconds: 3 },
    { key: "t", name: "#tutorial", startTicks: at(6), seconds: 3 },
    { key: "m", name: "Morning", startTicks: at(9), seconds: 2 },
  ];

  it("warns nothing when every bed ends at or before the next marker", () => {
    expect(findOverruns(beds).size).toBe(0);
    expect(findOverruns([{ ...beds[0], seconds: 4 }, beds[1]]).size).toBe(0); // ends exactly at 6 s
  });

  it("names the marker it runs into and by how much, in any order of rows", () => {
    const found = findOverruns([beds[2], { ...beds[0], seconds: 5 }, { ...beds[1], seconds: 3.5 }]);
    expect([...found.keys()].sort()).toEqual(["t", "u"]);
    expect(found.get("u")).toEqual({ nextName: "#tutorial", overSeconds: 1 });
    expect(found.get("t")).toEqual({ nextName: "Morning", overSeconds: 0.5 });
    expect(overrunText(found.get("u")!)).toMatch(/^Runs 1 s past the next marker \(#tutorial\)/);
  });

  it("never warns for the last bed, beds that start together, or a length that is not a number", () => {
    expect(findOverruns([{ ...beds[2], seconds: 300 }]).size).toBe(0);
    expect(findOverruns([beds[0], { ...beds[0], key: "u2", seconds: 30 }]).size).toBe(0);
    expect(findOverruns([{ ...beds[0], seconds: Number.NaN }, beds[1]]).size).toBe(0);
  });
});

describe("feedback on a take", () => {
  const takes: Take[] = [
    { path: "/w/a.wav", seed: 11, sha256: "11".repeat(32), jobId: "j1", trackIndex: 1, at: "t" },
    { path: "/w/b.wav", seed: 42, prompt: "calm piano", sha256: SHA, jobId: "j2", trackIndex: 1, at: "t" },
  ];

  it("offers a positive answer first and preselects nothing", () => {
    expect(PANEL_FEEDBACK_REASONS[0]).toBe(GOOD_FIT);
    expect(PANEL_FEEDBACK_REASONS).toContain("too_loud");
    expect(new Set(PANEL_FEEDBACK_REASONS).size).toBe(PANEL_FEEDBACK_REASONS.length);
    expect(() => feedbackBody({ jobId: "j2", sha256: SHA }, "", "")).toThrow(/choose/);
  });

  it("names the take by its number, seed and prompt", () => {
    const ref = takeRef(takes, { jobId: "j2", sha256: SHA });
    expect(ref).toEqual({ jobId: "j2", sha256: SHA, take: 2, seed: 42, prompt: "calm piano" });
    expect(takeLine(ref)).toBe("Take 2 · seed 42 · calm piano");
    expect(takeLine(takeRef(takes, { jobId: "j1", sha256: "11".repeat(32) }))).toBe("Take 1 · seed 11");
    expect(takeLine(takeRef([], { jobId: "x", sha256: SHA }))).toBe("This take");
  });

  it("sends the take's sha256 (lower case), its job id, the reason and the trimmed note", () => {
    expect(feedbackBody({ jobId: "j2", sha256: SHA.toUpperCase() }, "good_fit", "  ")).toEqual({
      job_id: "j2",
      sha256: SHA,
      reason: "good_fit",
    });
    expect(feedbackBody({ jobId: "j2", sha256: SHA }, "tempo_slow", " drags ")).toEqual({
      job_id: "j2",
      sha256: SHA,
      reason: "tempo_slow",
      note: "drags",
    });
    expect(feedbackBody({ jobId: "j", sha256: SHA }, "other", "x".repeat(5000)).note).toHaveLength(2000);
    expect(() => feedbackBody({ jobId: "j", sha256: "" }, "good_fit", "")).toThrow(/sha256/);
  });
});

describe("the BPM field", () => {
  it("is optional, and a tempo the helper accepts (30–300)", () => {
    expect(parseBpm("")).toBeUndefined();
    expect(parseBpm(" 120 ")).toBe(120);
    expect(parseBpm("30")).toBe(30);
    expect(parseBpm("300")).toBe(300);
    expect(parseBpm("92.44")).toBe(92.4);
    for (const bad of ["29", "301", "fast", "1e9"]) expect(() => parseBpm(bad)).toThrow(/30 to 300 BPM/);
  });
});

describe("the BPM sent with a bed", () => {
  /** A helper that records the jobs it is given and refuses them all (nothing to place). */
  function recordingHelper() {
    const jobs: JobSpec[] = [];
    const refuse = (job_id: string): JobOutcome => ({ job_id, error: { code: "model_missing", message: "no model" } });
    const helper = {
      generate: async (batch: JobSpec[]) => {
        jobs.push(...batch);
        return batch.map((j) => refuse(j.job_id ?? "?"));
      },
      bed: async () => refuse("bed"),
    } as unknown as HelperClient;
    return { jobs, helper };
  }
  const host = () =>
    new FakeHost({
      sequence: {
        name: "cut",
        fps: 25,
        audioTracks: [
          { name: "Dialogue", clips: [{ name: "VO", mediaPath: "/media/vo.wav", start: at(0), end: at(6) }] },
          { name: "Music" },
        ],
        markers: [
          { id: "m-a", name: "#unboxing", start: at(2), duration: at(3) },
          { id: "m-b", name: "#tutorial", start: at(6), duration: at(2) },
        ],
      },
    });

  it("goes with the marker it was typed for as target_bpm, and nowhere else", async () => {
    const { jobs, helper } = recordingHelper();
    await scoreMarkers(host(), helper, { bpm: { "m-b": 96 } });
    expect(jobs.map((j) => [j.scene_tag, j.target_bpm])).toEqual([
      ["unboxing", undefined],
      ["tutorial", 96],
    ]);
  });

  it("goes with a typed prompt under a clip; under a voice-over (no tempo in a bed message) it is refused in words", async () => {
    const h = host();
    h.setSelection([{ trackType: "audio", trackIndex: 0, name: "VO" }]);
    const clips = await h.getSelectedClips();
    const key = clipKey(clips[0]);
    const withPrompt = recordingHelper();
    await bedsUnderClips(h, withPrompt.helper, clips, { prompt: "calm piano", bpm: { [key]: 80 } });
    expect(withPrompt.jobs.map((j) => j.target_bpm)).toEqual([80]);
    const voice = recordingHelper();
    const outcome = await bedsUnderClips(h, voice.helper, clips, { bpm: { [key]: 80 } });
    expect(voice.jobs).toEqual([]);
    expect(outcome.failed[0].message).toMatch(/a tempo goes with a typed prompt/);
  });

  it("keeps the prompt of each take, for the feedback line", () => {
    const result = { path: "/w/a.wav", seed: 7, sha256: SHA, job_id: "j", prompt: "warm pads" } as JobResult;
    expect(takeOf(result, 1, "now")).toMatchObject({ seed: 7, prompt: "warm pads", sha256: SHA });
  });
});

describe("the tracks beds never use, as words", () => {
  it("reads the default rule as words and writes the same rule back", () => {
    expect(patternToWords(DEFAULT_SETTINGS.avoidTracksPattern)).toBe("dialog, voice, vo, narrat");
    expect(wordsToPattern("dialog, voice, vo, narrat")).toBe(DEFAULT_SETTINGS.avoidTracksPattern);
  });

  it("matches words inside names, short words only whole, any case; escapes what a regex would read", () => {
    const avoid = trackPolicy({
      ...DEFAULT_SETTINGS,
      avoidTracksPattern: wordsToPattern("Dialog, VO; sfx (old)"),
    }).excludeTrack;
    expect(avoid("Dialogue 1")).toBe(true);
    expect(avoid("vo 2")).toBe(true);
    expect(avoid("Vox pops")).toBe(false);
    expect(avoid("SFX (old)")).toBe(true);
    expect(avoid("Music")).toBe(false);
    expect(wordsToPattern("  ")).toBe("");
  });

  it("leaves a hand-written expression alone (null: shown as it is)", () => {
    expect(patternToWords("dia(l|logue)")).toBeNull();
    expect(patternToWords("")).toBe("");
  });
});

describe("the panel's keys", () => {
  it("Enter scores from the panel or a one-line field; Esc cancels", () => {
    expect(shortcutAction({ key: "Enter", targetTag: "DIV" })).toBe("score");
    expect(shortcutAction({ key: "Enter", targetTag: "INPUT" })).toBe("score");
    expect(shortcutAction({ key: "Escape", targetTag: "INPUT" })).toBe("cancel");
    expect(shortcutAction({ key: "Escape", targetTag: "TEXTAREA" })).toBe("cancel");
  });

  it("leaves Enter to a multi-line field, a button or a list, and ignores modified, repeated or composing keys", () => {
    expect(shortcutAction({ key: "Enter", targetTag: "TEXTAREA" })).toBeNull();
    expect(shortcutAction({ key: "Enter", targetTag: "BUTTON" })).toBeNull();
    expect(shortcutAction({ key: "Enter", targetTag: "SELECT" })).toBeNull();
    expect(shortcutAction({ key: "Enter", targetTag: "DIV", shiftKey: true })).toBeNull();
    expect(shortcutAction({ key: "Enter", targetTag: "DIV", metaKey: true })).toBeNull();
    expect(shortcutAction({ key: "Enter", targetTag: "INPUT", isComposing: true })).toBeNull();
    expect(shortcutAction({ key: "Enter", targetTag: "DIV", repeat: true })).toBeNull();
    expect(shortcutAction({ key: "a", targetTag: "DIV" })).toBeNull();
  });
});

describe("the status line", () => {
  it("is one string with the state, the helper and the detail (the bar shows what fits, the title all)", () => {
    expect(
      statusText({
        state: "offline",
        message: "cannot reach the Cuesmith helper at ws://127.0.0.1:8001",
        retryInMs: 4200,
        health: null,
        url: "ws://127.0.0.1:8001",
      }),
    ).toBe("Helper not reachable · cannot reach the Cuesmith helper at ws://127.0.0.1:8001 — retrying in 5 s");
  });
});
