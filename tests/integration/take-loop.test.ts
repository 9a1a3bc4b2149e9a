// The editor's take loop against the real helper (free port, tiny contract model, real HTTP and WebSocket):
// variations in one batched decode, extending a take from its kept codes, and levels returned as keyframes.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import WebSocket from "ws";
import { keyframeGainDb } from "../../helper/audio/duck-keyframes";
import { decodeWav } from "../../helper/audio/wav";
import type { RunningHelper } from "../../helper/server/app";
import { startTestHelper } from "../helpers/daemon";

async function post(helper: RunningHelper, route: string, body: unknown) {
  const res = await fetch(`${helper.url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

/** Sends one message and collects replies until one matches `last`. */
async function exchange(helper: RunningHelper, msg: unknown, last: (m: any) => boolean): Promise<any[]> {
  const ws = new WebSocket(helper.url.replace("http", "ws"));
  const seen: any[] = [];
  try {
    await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
    return await new Promise<any[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no final reply")), 120_000);
      ws.on("message", (data) => {
        const m = JSON.parse(data.toString());
        seen.push(m);
        if (!last(m)) return;
        clearTimeout(timer);
        resolve(seen);
      });
      ws.send(JSON.stringify(msg));
    });
  } finally {
    ws.close();
  }
}

const finalFor = (id: string) => (m: any) => m.id === id && (m.type === "done" || m.type === "error");

function samplesOf(file: string): Float32Array {
  return decodeWav(fs.readFileSync(file)).channels[0];
}

/** Pearson correlation of the first n samples: level-independent, so it compares level-matched audio. */
function correlation(a: Float32Array, b: Float32Array, n: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  for (let i = 0; i < n; i++) {
    const x = a[i] - ma;
    const y = b[i] - mb;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(aa * bb);
}

const hasVoiceTools = ["espeak-ng", "ffmpeg"].every(
  (cmd) => spawnSync(cmd, ["--version"]).status === 0 || spawnSync(cmd, ["-version"]).status === 0,
);
const itVoice = hasVoiceTools ? it : it.skip;

function rmsDb(x: Float32Array, from: number, to: number): number {
  let e = 0;
  for (let i = from; i < to; i++) e += x[i] * x[i];
  return 10 * Math.log10(e / (to - from));
}

describe("the take loop", () => {
  let helper: RunningHelper;
  beforeAll(async () => {
    helper = await startTestHelper();
  });
  afterAll(() => helper.close());

  it("POST /generate with variations answers {takes} from one batched decode, seeds seed + i", async () => {
    const { status, json } = await post(helper, "/generate", {
      job_id: "var",
      prompt: "calm piano",
      duration_sec: 1,
      seed: 2 ** 31 - 2,
      variations: 3,
    });
    expect(status).toBe(200);
    expect(Object.keys(json)).toEqual(["takes"]);
    expect(json.takes.map((t: any) => [t.job_id, t.take_index, t.seed, t.batch_size])).toEqual([
      ["var", 0, 2 ** 31 - 2, 3],
      ["var#1", 1, 2 ** 31 - 1, 3],
      ["var#2", 2, 0, 3],
    ]);
    expect(new Set(json.takes.map((t: any) => t.sha256)).size).toBe(3);
    for (const t of json.takes) expect(fs.existsSync(t.path)).toBe(true);
    // each take is reproducible alone with its own seed (from the render cache: same key)
    const alone = await post(helper, "/generate", { prompt: "calm piano", duration_sec: 1, seed: 2 ** 31 - 1 });
    expect(alone.json).toMatchObject({ sha256: json.takes[1].sha256, levels: "baked" });
    expect(alone.json.takes).toBeUndefined();
    expect(alone.json.take_index).toBeUndefined();
  });

  it("a WebSocket job with variations is done with result (take 0) and every take", async () => {
    const replies = await exchange(
      helper,
      {
        type: "generate",
        id: "g1",
        jobs: [{ job_id: "wv", prompt: "lo-fi beat", duration_sec: 0.5, seed: 4, variations: 2 }],
      },
      finalFor("g1"),
    );
    const done = replies.at(-1);
    expect(done).toMatchObject({ type: "done", job_id: "wv", result: { job_id: "wv", take_index: 0, seed: 4 } });
    expect(done.takes.map((t: any) => [t.job_id, t.seed])).toEqual([
      ["wv", 4],
      ["wv#1", 5],
    ]);
    expect(replies.filter((m) => m.type === "queued").every((m) => m.job_id === "wv")).toBe(true);
  });

  it("cancelling a job with variations ends it as cancelled and the helper goes on", async () => {
    const ws = new WebSocket(helper.url.replace("http", "ws"));
    const seen: any[] = [];
    ws.on("message", (d) => seen.push(JSON.parse(d.toString())));
    await new Promise((resolve) => ws.once("open", resolve));
    ws.send(
      JSON.stringify({
        type: "generate",
        id: "gc2",
        jobs: [{ job_id: "vc2", prompt: "slow ambient drone", duration_sec: 20, seed: 5, variations: 3 }],
      }),
    );
    while (!seen.some((m) => m.type === "queued")) await new Promise((r) => setTimeout(r, 10));
    ws.send(JSON.stringify({ type: "cancel", id: "c1", job_id: "vc2" }));
    while (!seen.some((m) => m.job_id === "vc2" && (m.type === "error" || m.type === "done")))
      await new Promise((r) => setTimeout(r, 10));
    ws.close();
    expect(seen.find((m) => m.id === "c1")).toMatchObject({ type: "ack" });
    expect(seen.find((m) => m.job_id === "vc2" && m.type === "error")).toMatchObject({ error: { code: "cancelled" } });
    // the helper is free again: a small job is made at once
    const after = await post(helper, "/generate", { prompt: "calm piano", duration_sec: 0.5, seed: 1 });
    expect(after.status).toBe(200);
  });

  it("POST /extend continues a take: same opening (level-matched), longer, extended_from", async () => {
    const take = (await post(helper, "/generate", { prompt: "warm strings", duration_sec: 1.5, seed: 21 })).json;
    const { status, json } = await post(helper, "/extend", { sha256: take.sha256, duration_sec: 3 });
    expect(status).toBe(200);
    expect(json).toMatchObject({ extended_from: take.sha256, duration_sec: 3, seed: 21, prompt: "warm strings" });
    expect(json.samples).toBe(144000);
    const n = Math.round((1.5 - 0.5) * 48000);
    expect(correlation(samplesOf(take.path), samplesOf(json.path), n)).toBeGreaterThanOrEqual(0.999);
    // an extended take can be extended again
    const again = await post(helper, "/extend", { sha256: json.sha256, duration_sec: 4 });
    expect(again.json.extended_from).toBe(json.sha256);
    expect(correlation(samplesOf(take.path), samplesOf(again.json.path), n)).toBeGreaterThanOrEqual(0.999);
  });

  it("POST /extend refuses an unknown take (404 not_found) and a length that is not longer (400)", async () => {
    const unknown = await post(helper, "/extend", { sha256: "ab".repeat(32), duration_sec: 5 });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("not_found");
    const take = (await post(helper, "/generate", { prompt: "warm strings", duration_sec: 1.5, seed: 21 })).json;
    const shorter = await post(helper, "/extend", { sha256: take.sha256, duration_sec: 1 });
    expect(shorter.status).toBe(400);
    expect(shorter.json.error).toMatchObject({ code: "invalid_field", field: "duration_sec" });
    const bad = await post(helper, "/extend", { sha256: take.sha256 });
    expect(bad.json.error).toMatchObject({ code: "invalid_field", field: "duration_sec" });
  });

  it("the WebSocket extend message replies like a job and names its errors", async () => {
    const take = (await post(helper, "/generate", { prompt: "soft synth pad", duration_sec: 0.8, seed: 3 })).json;
    const ok = await exchange(
      helper,
      { type: "extend", id: "e1", sha256: take.sha256, duration_sec: 1.6, levels: "keyframes" },
      finalFor("e1"),
    );
    expect(ok.some((m) => m.type === "queued" && m.job_id === "e1.0")).toBe(true);
    expect(ok.at(-1)).toMatchObject({
      type: "done",
      job_id: "e1.0",
      result: { extended_from: take.sha256, duration_sec: 1.6, levels: "keyframes", bed_gain_db: expect.any(Number) },
    });
    const missing = await exchange(
      helper,
      { type: "extend", id: "e2", job_id: "x", sha256: "cd".repeat(32), duration_sec: 2 },
      finalFor("e2"),
    );
    expect(missing.at(-1)).toMatchObject({ type: "error", job_id: "x", error: { code: "not_found" } });
    const shorter = await exchange(
      helper,
      { type: "extend", id: "e3", sha256: take.sha256, duration_sec: 0.8 },
      finalFor("e3"),
    );
    expect(shorter.at(-1).error).toMatchObject({ code: "invalid_field", field: "duration_sec" });
  });

  it("levels: keyframes leaves the WAV at its finished loudness and returns the bed gain (and the dip)", async () => {
    const base = { prompt: "bright acoustic guitar", duration_sec: 2, seed: 8 };
    const baked = (await post(helper, "/generate", base)).json;
    const kf = (await post(helper, "/generate", { ...base, levels: "keyframes" })).json;
    expect(baked).toMatchObject({ levels: "baked" });
    expect(baked.bed_gain_db).toBeUndefined();
    expect(kf).toMatchObject({ levels: "keyframes", bed_gain_db: expect.any(Number) });
    expect(kf.duck_keyframes).toBeUndefined(); // no voice, no dip
    expect(kf.loudness_lufs - baked.loudness_lufs).toBeGreaterThan(6); // the -12 dB is not in the samples
    // played at bed_gain_db, the clip sounds as loud as the baked bed, and stays under the true-peak ceiling
    expect(Math.abs(kf.loudness_lufs + kf.bed_gain_db - baked.loudness_lufs)).toBeLessThan(0.6);
    expect(kf.true_peak_dbtp + kf.bed_gain_db).toBeLessThanOrEqual(-1);

    const bed = await post(helper, "/bed", { text: "Welcome back.", duration_sec: 1, seed: 9, levels: "keyframes" });
    expect(bed.status).toBe(200);
    expect(bed.json).toMatchObject({ levels: "keyframes", bed_gain_db: expect.any(Number), duck_keyframes: [] });
    expect(bed.json.bed_gain_db).toBeLessThan(-6);
    expect(bed.json.analysis.prompt).toEqual(expect.any(String));

    const ws = await exchange(
      helper,
      { type: "bed", id: "b1", text: "Welcome back.", duration_sec: 1, seed: 9, levels: "keyframes" },
      finalFor("b1"),
    );
    expect(ws.at(-1)).toMatchObject({ type: "done", result: { levels: "keyframes", sha256: bed.json.sha256 } });
  });

  it("takes good_fit feedback on a named take, and the report counts keeps and complaints per tag and prompt", async () => {
    const { json } = await post(helper, "/generate", {
      scene_tag: "unboxing",
      duration_sec: 0.5,
      seed: 77,
      variations: 2,
    });
    const [keep, other] = json.takes;
    expect((await post(helper, "/feedback", { sha256: keep.sha256, reason: "good_fit" })).status).toBe(201);
    // the panel names a take by its sha256 and the job id its result carries ("<job_id>#1" for the second)
    expect(other.job_id).toBe(`${keep.job_id}#1`);
    const named = { job_id: other.job_id, sha256: other.sha256, reason: "too_loud" };
    expect((await post(helper, "/feedback", named)).status).toBe(201);
    const report = await (await fetch(`${helper.url}/report?since=1d`)).json();
    expect(report.totals).toMatchObject({ keeps: 1, complaints: 1 });
    expect(report.byTag.find((t: any) => t.tag === "unboxing")).toMatchObject({ keeps: 1, complaints: 1, takes: 2 });
    expect(report.prompts.find((p: any) => p.prompt === keep.prompt)).toMatchObject({ keeps: 1, complaints: 1 });
    const md = await (await fetch(`${helper.url}/report?since=1d&format=md`)).text();
    expect(md).toContain("| #unboxing | 1 | 1 | 2 |");
  });

  /** Two spoken phrases two seconds apart (espeak-ng): a voice-over with a clear gap to dip out of. */
  function twoPhrases(): { media_path: string; text: string } {
    const vo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-kf-")), "vo.wav");
    const ssml = '<speak>The first phrase is here.<break time="2000ms"/>The second phrase follows it.</speak>';
    expect(spawnSync("espeak-ng", ["-v", "en", "-m", "-w", vo, ssml]).status).toBe(0);
    return { media_path: vo, text: "The first phrase is here. The second phrase follows it." };
  }

  itVoice("a keyframed bed under a real voice-over plays like the baked one", async () => {
    const body = { ...twoPhrases(), seed: 12 };
    const baked = (await post(helper, "/bed", body)).json;
    const kf = (await post(helper, "/bed", { ...body, levels: "keyframes" })).json;
    const regions = kf.analysis.speech_regions;
    expect(regions.length).toBeGreaterThanOrEqual(2);
    expect(kf.duck_keyframes.length).toBeGreaterThanOrEqual(4);
    expect(kf.duck_keyframes.length).toBeLessThanOrEqual(4 * regions.length + 2);
    expect(kf.duck_keyframes.some((k: any) => k.gain_db === -8)).toBe(true);
    // the baked WAV = the keyframed WAV played at bed_gain_db + the keyframes, window by window (±0.5 dB)
    const a = samplesOf(baked.path);
    const b = samplesOf(kf.path);
    const rate = 48000;
    for (const t of [regions[0].start + 0.2, (regions[0].end + regions[1].start) / 2, regions[1].start + 0.2]) {
      const from = Math.round((t - 0.05) * rate);
      const to = Math.round((t + 0.05) * rate);
      const played = rmsDb(b, from, to) + kf.bed_gain_db + keyframeGainDb(kf.duck_keyframes, t);
      expect(Math.abs(rmsDb(a, from, to) - played)).toBeLessThan(0.5);
    }
  });

  itVoice("a bed with variations: the clip is analysed once and every take dips under the same speech", async () => {
    const { status, json } = await post(helper, "/bed", {
      ...twoPhrases(),
      seed: 30,
      levels: "keyframes",
      variations: 2,
    });
    expect(status).toBe(200);
    expect(Object.keys(json).sort()).toEqual(["analysis", "takes"]);
    const [first, second] = json.takes;
    expect([first.take_index, first.seed, second.take_index, second.seed]).toEqual([0, 30, 1, 31]);
    expect(second.job_id).toBe(`${first.job_id}#1`);
    expect(first.sha256).not.toBe(second.sha256);
    expect(json.analysis.speech_regions.length).toBeGreaterThanOrEqual(2);
    expect(second.duck_keyframes.some((k: any) => k.gain_db === -8)).toBe(true);
    expect(second.duck_keyframes).toEqual(first.duck_keyframes);
  });
});
