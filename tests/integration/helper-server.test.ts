// The real helper daemon on a free port with a tiny contract model, driven over real HTTP and WebSocket.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import WebSocket from "ws";
import { decodeWav } from "../../helper/audio/wav";
import type { RunningHelper } from "../../helper/server/app";
import { startTestHelper } from "../helpers/daemon";
import { ffmpegEbur128File, hasFfmpeg } from "../helpers/audio";

async function http(
  helper: RunningHelper,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${helper.url}${route}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/** A WebSocket client that collects messages and can wait for one matching a predicate. */
class Client {
  readonly messages: any[] = [];
  private waiters: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString());
      this.messages.push(msg);
      this.waiters = this.waiters.filter((w) => (w.pred(msg) ? (w.resolve(msg), false) : true));
    });
  }
  static open(helper: RunningHelper, options: WebSocket.ClientOptions = {}): Promise<Client> {
    const ws = new WebSocket(helper.url.replace("http", "ws"), options);
    const client = new Client(ws);
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(client));
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    });
  }
  send(msg: unknown) {
    this.ws.send(typeof msg === "string" ? msg : JSON.stringify(msg));
  }
  waitFor(pred: (m: any) => boolean, timeoutMs = 60000): Promise<any> {
    const found = this.messages.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for a message")), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }
  close() {
    this.ws.close();
  }
}

describe("the helper daemon", () => {
  let helper: RunningHelper;
  beforeAll(async () => {
    helper = await startTestHelper();
  });
  afterAll(() => helper.close());

  it("answers the source article's exact request with a 15.000 s, 48 kHz, loudness-safe bed", async () => {
    const { status, json } = await http(helper, "POST", "/generate", {
      scene_tag: "unboxing",
      duration_sec: 15,
      target_bpm: 110,
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      duration_sec: 15,
      sample_rate: 48000,
      samples: 720000,
      cached: false,
      contract_model: true,
    });
    expect(json.prompt).toBe(
      "upbeat tech product reveal music, clean synth melody, light percussion, modern and confident, 110 bpm",
    );
    expect(path.isAbsolute(json.path)).toBe(true);
    expect(json.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.loudness_lufs).toBeCloseTo(-26, 0);
    expect(json.true_peak_dbtp).toBeLessThanOrEqual(-1);
    expect(json).toHaveProperty("bpm_estimate");
    const wav = decodeWav(fs.readFileSync(json.path));
    expect(wav.sampleRate).toBe(48000);
    expect(wav.channels[0].length).toBe(720000);
    if (hasFfmpeg) {
      const measured = ffmpegEbur128File(json.path);
      expect(Math.abs(measured.integrated - -26)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(measured.integrated - json.loudness_lufs)).toBeLessThanOrEqual(0.2);
      expect(measured.truePeak).toBeLessThanOrEqual(-0.9);
    }
    // the same request again is a cache hit: the same file content, at once
    const again = await http(helper, "POST", "/generate", {
      scene_tag: "unboxing",
      duration_sec: 15,
      target_bpm: 110,
      seed: json.seed,
    });
    expect(again.json.cached).toBe(true);
    expect(again.json.sha256).toBe(json.sha256);
  });

  it("reports health", async () => {
    const { status, json } = await http(helper, "GET", "/health");
    expect(status).toBe(200);
    expect(json).toMatchObject({
      status: "ok",
      model_loaded: true,
      provider: "cpu",
      queue_length: 0,
      contract_model: true,
    });
    expect(typeof json.version).toBe("string");
  });

  it("gives structured 400/404/413 errors", async () => {
    const short = await http(helper, "POST", "/generate", { prompt: "x", duration_sec: 0.1 });
    expect(short.status).toBe(400);
    expect(short.json.error).toMatchObject({ code: "invalid_field", field: "duration_sec" });
    const bad = await http(helper, "POST", "/generate", "{not json");
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("invalid_message");
    const big = await http(
      helper,
      "POST",
      "/generate",
      JSON.stringify({ prompt: "x".repeat(2_000_000), duration_sec: 1 }),
    );
    expect(big.status).toBe(413);
    const missing = await http(helper, "GET", "/nope");
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("not_found");
    const unknownTag = await http(helper, "DELETE", "/presets/never_made");
    expect(unknownTag.status).toBe(404);
    expect(unknownTag.json.error.code).toBe("unknown_tag");
  });

  it("runs several jobs of one WebSocket message as one batch, with progress", async () => {
    const client = await Client.open(helper);
    await client.waitFor((m) => m.type === "hello");
    client.send({
      type: "generate",
      id: "m1",
      jobs: [
        { job_id: "a", prompt: "calm piano", duration_sec: 2, seed: 1 },
        { job_id: "b", scene_tag: "transition", duration_sec: 3.5, seed: 2 },
        { job_id: "c", prompt: "lo-fi beat", duration_sec: 1.25, seed: 3 },
      ],
    });
    const done = await Promise.all(
      ["a", "b", "c"].map((id) => client.waitFor((m) => m.type === "done" && m.job_id === id)),
    );
    expect(done.map((d) => d.result.samples)).toEqual([96000, 168000, 60000]);
    expect(done.map((d) => d.result.batch_size)).toEqual([3, 3, 3]); // one decode for the three markers
    for (const id of ["a", "b", "c"]) {
      expect(client.messages.find((m) => m.type === "queued" && m.job_id === id)).toBeDefined();
      expect(client.messages.some((m) => m.type === "progress" && m.job_id === id)).toBe(true);
    }
    client.close();
  });

  it("cancels a running job and keeps serving", async () => {
    const client = await Client.open(helper);
    client.send({
      type: "generate",
      id: "m2",
      jobs: [{ job_id: "long", prompt: "drone", duration_sec: 120, seed: 1 }],
    });
    await client.waitFor((m) => m.type === "progress" && m.job_id === "long");
    client.send({ type: "cancel", id: "c1", job_id: "long" });
    const err = await client.waitFor((m) => m.type === "error" && m.job_id === "long");
    expect(err.error.code).toBe("cancelled");
    await client.waitFor((m) => m.type === "ack" && m.id === "c1");
    client.send({ type: "generate", id: "m3", jobs: [{ job_id: "after", prompt: "drone", duration_sec: 1, seed: 1 }] });
    await client.waitFor((m) => m.type === "done" && m.job_id === "after");
    client.close();
  });

  it("edits presets, with pinned seeds for a series", async () => {
    const put = await http(helper, "PUT", "/presets/series_intro", {
      prompt: "inspiring orchestral intro, soft harp",
      seed: 77,
    });
    expect(put.status).toBe(200);
    const list = await http(helper, "GET", "/presets");
    expect(list.json.presets.series_intro).toEqual({ prompt: "inspiring orchestral intro, soft harp", seed: 77 });
    const bad = await http(helper, "PUT", "/presets/series_intro", { prompt: "" });
    expect(bad.status).toBe(400);
    const gen = await http(helper, "POST", "/generate", { scene_tag: "series_intro", duration_sec: 1 });
    expect(gen.json).toMatchObject({ prompt: "inspiring orchestral intro, soft harp", seed: 77 });
  });

  it("round-trips feedback into the report", async () => {
    const gen = await http(helper, "POST", "/generate", {
      scene_tag: "tutorial",
      duration_sec: 1,
      seed: 5,
      job_id: "fb-job",
    });
    const fb = await http(helper, "POST", "/feedback", {
      job_id: "fb-job",
      reason: "too_loud",
      note: "drowns the voice",
    });
    expect(fb.status).toBe(201);
    // the same WAV reported twice for the same reason counts once
    await http(helper, "POST", "/feedback", { sha256: gen.json.sha256, reason: "too_loud" });
    const report = await http(helper, "GET", "/report?since=7d&format=json");
    expect(report.status).toBe(200);
    expect(JSON.stringify(report.json)).toContain("too_loud");
    expect(JSON.stringify(report.json)).toContain("tutorial");
    const unknown = await http(helper, "POST", "/feedback", { job_id: "never", reason: "other" });
    expect(unknown.status).toBe(404);
    const client = await Client.open(helper);
    client.send({ type: "feedback", id: "f1", job_id: "fb-job", reason: "tempo_slow" });
    await client.waitFor((m) => m.type === "ack" && m.id === "f1");
    client.close();
    const md = await http(helper, "GET", "/report?since=7d&format=md");
    expect(md.text).toContain("tempo_slow");
  });

  it("answers malformed messages with structured errors and stays up", async () => {
    const client = await Client.open(helper);
    client.send("{oops");
    client.send({ type: "explode", id: "x1" });
    client.send({ type: "generate", id: "x2", jobs: [{ prompt: "a", scene_tag: "b", duration_sec: 1 }] });
    client.send({ type: "generate", id: "x3", jobs: [] });
    client.send({ type: "cancel", id: "x4", job_id: "nothing" });
    const errors = await Promise.all([
      client.waitFor((m) => m.type === "error" && m.error.code === "invalid_message"),
      client.waitFor((m) => m.type === "error" && m.id === "x1"),
      client.waitFor((m) => m.type === "error" && m.id === "x2"),
      client.waitFor((m) => m.type === "error" && m.id === "x3"),
      client.waitFor((m) => m.type === "error" && m.id === "x4"),
    ]);
    expect(errors[1].error.code).toBe("unknown_type");
    expect(errors[2].error.code).toBe("invalid_field");
    expect(errors[4].error.code).toBe("not_found");
    client.send({ type: "health", id: "h1" });
    expect((await client.waitFor((m) => m.type === "health")).status).toBe("ok");
    client.close();
  });

  it("refuses a foreign Origin and a foreign Host", async () => {
    await expect(Client.open(helper, { origin: "https://evil.example" })).rejects.toThrow(/403/);
    const ok = await Client.open(helper, { headers: {} });
    ok.close();
    const res = await new Promise<number>((resolve) => {
      const req = require("node:http").request(
        { host: "127.0.0.1", port: helper.port, path: "/health", headers: { host: "evil.example:8001" } },
        (r: any) => resolve(r.statusCode),
      );
      req.end();
    });
    expect(res).toBe(403);
  });
});

describe("voice-over beds", () => {
  let helper: RunningHelper;
  const ARTICLE = "这个新功能真的太棒了！我们花了三个月打磨细节……（停顿）……当然，还有些小问题正在修复。";
  const hasEspeak = spawnSync("espeak-ng", ["--version"]).status === 0;
  beforeAll(async () => {
    helper = await startTestHelper();
  });
  afterAll(() => helper.close());

  it("analyses the article's transcript over HTTP and WebSocket", async () => {
    const { status, json } = await http(helper, "POST", "/analyze", { text: ARTICLE });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      emotion: "enthusiastic",
      subtone: "slightly_apologetic",
      transcription: "given",
      language: "zh",
    });
    expect(json.prompt).toMatch(/warm piano and subtle cello/);
    const client = await Client.open(helper);
    client.send({ type: "analyze", id: "an1", text: ARTICLE });
    expect((await client.waitFor((m) => m.type === "analysis")).result.subtone).toBe("slightly_apologetic");
    client.close();
  });

  it("names a clip it cannot read", async () => {
    const { status, json } = await http(helper, "POST", "/analyze", {
      media_path: path.join(os.tmpdir(), "no-such-clip.mov"),
    });
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ code: "invalid_field", field: "media_path" });
  });

  (hasFfmpeg && hasEspeak ? it : it.skip)(
    "makes a bed of the clip's length that dips 8 dB under the speech",
    async () => {
      const vo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-vo-")), "vo.wav");
      spawnSync("espeak-ng", [
        "-v",
        "en",
        "-m",
        "-w",
        vo,
        '<speak>Welcome back to the channel.<break time="2000ms"/>Today we test the new camera.</speak>',
      ]);
      const bed = await http(helper, "POST", "/bed", {
        media_path: vo,
        text: "Welcome back to the channel. Today we test the new camera.",
        seed: 9,
      });
      expect(bed.status).toBe(200);
      const regions = bed.json.analysis.speech_regions;
      expect(regions).toHaveLength(2);
      const seconds = bed.json.duration_sec;
      expect(bed.json.samples).toBe(Math.round(seconds * 48000));
      // the same bed without ducking (same prompt, length and seed) shows what the ducking did
      const plain = await http(helper, "POST", "/generate", {
        prompt: bed.json.prompt,
        duration_sec: seconds,
        seed: 9,
      });
      const a = decodeWav(fs.readFileSync(bed.json.path)).channels[0];
      const b = decodeWav(fs.readFileSync(plain.json.path)).channels[0];
      const gainDb = (t: number) => {
        const from = Math.round((t - 0.1) * 48000),
          to = Math.round((t + 0.1) * 48000);
        let ea = 0,
          eb = 0;
        for (let i = from; i < to; i++) {
          ea += a[i] * a[i];
          eb += b[i] * b[i];
        }
        return 10 * Math.log10(ea / eb);
      };
      const underSpeech = gainDb((regions[0].start + regions[0].end) / 2);
      const betweenPhrases = gainDb((regions[0].end + regions[1].start) / 2);
      expect(Math.abs(betweenPhrases - underSpeech - 8)).toBeLessThanOrEqual(1);
    },
  );
});

describe("timeouts", () => {
  it("aborts a job past its deadline and runs the next one", async () => {
    // 300 s of audio takes far longer than 4 s on any machine; 0.5 s takes well under it even on a busy CI box
    const helper = await startTestHelper({ jobTimeoutSec: 4 });
    try {
      const client = await Client.open(helper);
      client.send({ type: "generate", id: "t1", jobs: [{ job_id: "slow", prompt: "x", duration_sec: 300, seed: 1 }] });
      client.send({
        type: "generate",
        id: "t2",
        jobs: [{ job_id: "fast", prompt: "x", duration_sec: 0.5, seed: 1, top_k: 50 }],
      });
      const err = await client.waitFor((m) => m.type === "error" && m.job_id === "slow");
      expect(err.error.code).toBe("timeout");
      const next = await client.waitFor((m) => (m.type === "done" || m.type === "error") && m.job_id === "fast");
      expect(next.type).toBe("done");
      client.close();
    } finally {
      await helper.close();
    }
  });
});

describe("without a model", () => {
  it("starts, says the model is missing, and answers jobs 503 with the fetch command", async () => {
    const helper = await startTestHelper({}, path.join(os.tmpdir(), "cuesmith-no-model-here"));
    try {
      const health = await http(helper, "GET", "/health");
      expect(health.json).toMatchObject({
        status: "model_missing",
        model_loaded: false,
        fetch_command: "npx cuesmith models fetch musicgen-small",
      });
      const gen = await http(helper, "POST", "/generate", { scene_tag: "unboxing", duration_sec: 15 });
      expect(gen.status).toBe(503);
      expect(gen.json.error.code).toBe("model_missing");
      expect(gen.json.error.message).toContain("npx cuesmith models fetch musicgen-small");
      const client = await Client.open(helper);
      client.send({ type: "generate", id: "g", jobs: [{ prompt: "x", duration_sec: 1 }] });
      expect((await client.waitFor((m) => m.type === "error")).error.code).toBe("model_missing");
      client.close();
    } finally {
      await helper.close();
    }
  });
});
