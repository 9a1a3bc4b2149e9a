// The real helper daemon on a free port with a tiny contract model, driven over real HTTP and WebSocket.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as nodeHttp from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import WebSocket from "ws";
import { decodeWav } from "../../helper/audio/wav";
import type { RunningHelper } from "../../helper/server/app";
import { startTestHelper } from "../helpers/daemon";
import { ffmpegEbur128File, hasFfmpeg } from "../helpers/audio";
import { tinyModelDir } from "../helpers/contract-model";
import { OP, rawGet, rawHttp, rawWebSocket, wsFrame } from "../helpers/raw-client";

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
      ws.once("unexpected-response", (req, res) => {
        reject(new Error(`handshake refused: ${res.statusCode}`));
        req.destroy(); // with this listener ws leaves the refused request open: its socket would outlive the file
      });
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
    // the decoder graph in use, and its check against the published graph on the loaded weights
    expect(json).toMatchObject({ decoder_layout: "in-place", self_check: { status: "passed" } });
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
      const req = nodeHttp.request(
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

/** Polls `pred` until it holds (or throws after `timeoutMs`). */
async function waitUntil(
  pred: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = "condition",
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The close code a ws client saw, or "open" if the connection is still up after `timeoutMs`. */
function closeCodeOf(ws: WebSocket, timeoutMs = 20_000): Promise<number | "open"> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve(1006);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("open"), timeoutMs);
    ws.on("error", () => {});
    ws.once("close", (code) => (clearTimeout(timer), resolve(code)));
  });
}

describe("hardening: nothing a client sends takes the helper down", () => {
  let helper: RunningHelper;
  const alive = async () => (await http(helper, "GET", "/health")).status === 200;
  beforeAll(async () => {
    helper = await startTestHelper();
  });
  afterAll(() => helper.close());

  it("answers malformed request targets with 400 invalid_message", async () => {
    for (const target of ["//[", "http://[::1:8001/health", "http://[/", "*", "/ui/[x]"]) {
      const res = await rawGet(helper.port, target);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe("invalid_message");
      expect(await alive()).toBe(true);
    }
    // absolute-form targets that parse are routed by their path
    expect((await rawGet(helper.port, `http://127.0.0.1:${helper.port}/health`)).status).toBe(200);
  });

  it("answers bad percent-encoding with 400, not 500", async () => {
    for (const target of ["/presets/%", "/presets/%zz", "/presets/%E0%A4%A"]) {
      const res = await rawGet(helper.port, target);
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: "invalid_field", field: "tag" });
    }
    expect((await rawGet(helper.port, "/ui/%")).status).toBe(400);
    expect(await alive()).toBe(true);
  });

  it("answers HTTP that Node cannot parse with a JSON 400", async () => {
    const requests = [
      "get /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n",
      "GET /health HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
      "\x00\x01\x02 garbage\r\n\r\n",
    ];
    for (const request of requests) {
      const res = await rawHttp(helper.port, request);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toMatch(/application\/json/);
      expect(res.json.error.code).toBe("invalid_message");
      expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(res.body));
    }
    expect(await alive()).toBe(true);
  });

  it("refuses an upgrade with a real status line, a length and Connection: close", async () => {
    const res = await rawHttp(
      helper.port,
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    expect(res.statusLine).toBe("HTTP/1.1 403 Forbidden");
    expect(res.headers.connection).toBe("close");
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(res.body));
    expect(res.json.error.code).toBe("forbidden");
    await expect(rawWebSocket(helper.port, "//[")).rejects.toThrow(/400 Bad Request/);
    // a handshake ws itself refuses gets the same JSON shape, with ws's status and headers
    const badVersion = await rawHttp(
      helper.port,
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n",
    );
    expect(badVersion.statusLine).toBe("HTTP/1.1 400 Bad Request");
    expect(badVersion.headers["sec-websocket-version"]).toBe("13, 8");
    expect(badVersion.json.error.code).toBe("invalid_message");
    const connect = await rawHttp(helper.port, `CONNECT 127.0.0.1:${helper.port} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    expect(connect.status).toBe(405);
    expect(connect.json.error.code).toBe("invalid_message");
  });

  it("sends anti-framing headers with /ui/", async () => {
    for (const route of ["/ui/", "/ui/nope.js", "/ui"]) {
      const res = await fetch(`${helper.url}${route}`, { redirect: "manual" });
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
    expect((await fetch(`${helper.url}/health`)).headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers an oversize WebSocket message with too_large, then closes 1009", async () => {
    const client = await Client.open(helper);
    await client.waitFor((m) => m.type === "hello");
    const closed = closeCodeOf(client.ws);
    client.send(JSON.stringify({ type: "health", id: "big", pad: "x".repeat(262_145) }));
    expect((await client.waitFor((m) => m.type === "error")).error.code).toBe("too_large");
    expect(await closed).toBe(1009);
    // far over the limit ws refuses it from the frame header alone: the close code is the answer
    const huge = await Client.open(helper);
    const hugeClosed = closeCodeOf(huge.ws);
    huge.ws.on("error", () => {});
    huge.send("x".repeat(4 * 262_144 + 1));
    expect(await hugeClosed).toBe(1009);
    expect(await alive()).toBe(true);
  });

  it("closes a connection that sends invalid UTF-8 (1007) or unmasked frames (1002), answers binary, and serves the others", async () => {
    const bystander = await Client.open(helper);
    const utf8 = await rawWebSocket(helper.port);
    utf8.socket.write(wsFrame(OP.text, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
    await utf8.closed;
    expect(utf8.closeCode).toBe(1007);
    const unmasked = await rawWebSocket(helper.port);
    unmasked.socket.write(wsFrame(OP.text, '{"type":"health","id":"u"}', { mask: false }));
    await unmasked.closed;
    expect(unmasked.closeCode).toBe(1002);
    const reserved = await rawWebSocket(helper.port);
    reserved.socket.write(wsFrame(OP.text, "{}", { rsv: 4 }));
    await reserved.closed;
    expect(reserved.closeCode).toBe(1002);
    const binary = await rawWebSocket(helper.port);
    binary.socket.write(wsFrame(OP.binary, Buffer.from([1, 2, 3])));
    binary.socket.write(wsFrame(OP.text, '{"type":"health","id":"after"}'));
    await waitUntil(() => binary.messages.some((m) => m.type === "health"), 20_000, "health after binary");
    expect(binary.messages.find((m) => m.type === "error").error.code).toBe("invalid_message");
    binary.socket.destroy();
    bystander.send({ type: "health", id: "still" });
    expect((await bystander.waitFor((m) => m.type === "health")).status).toBe("ok");
    bystander.close();
  });
});

describe("hardening: jobs and slow clients", () => {
  it("a cancel that arrives before its job starts wins over a full queue", async () => {
    const helper = await startTestHelper({ maxQueue: 1, maxBatch: 1 });
    try {
      const client = await Client.open(helper);
      // fill the queue: one job running, one waiting
      client.send({
        type: "generate",
        id: "run",
        jobs: [{ job_id: "running", prompt: "drone", duration_sec: 300, seed: 1 }],
      });
      await client.waitFor((m) => m.type === "progress" && m.job_id === "running");
      client.send({
        type: "generate",
        id: "wait",
        jobs: [{ job_id: "waiting", prompt: "drone", duration_sec: 300, seed: 2 }],
      });
      await client.waitFor((m) => m.type === "queued" && m.job_id === "waiting");
      // one burst: every generate followed at once by its cancel, in a single write
      const socket = (client.ws as unknown as { _socket: import("node:net").Socket })._socket;
      socket.cork();
      const N = 100;
      for (let i = 0; i < N; i++) {
        client.send({
          type: "generate",
          id: `g${i}`,
          jobs: [{ job_id: `j${i}`, prompt: "x", duration_sec: 0.5, seed: 100 + i }],
        });
        client.send({ type: "cancel", id: `c${i}`, job_id: `j${i}` });
      }
      socket.uncork();
      const outcomes = await Promise.all(
        Array.from({ length: N }, (_, i) => client.waitFor((m) => m.type === "error" && m.job_id === `j${i}`)),
      );
      expect(outcomes.map((m) => m.error.code)).toEqual(Array(N).fill("cancelled"));
      for (let i = 0; i < N; i++) expect(client.messages.find((m) => m.id === `c${i}`)?.type).toBe("ack");
      client.close();
    } finally {
      await helper.close();
    }
  });

  it("drops a client that stops reading (1008) and cancels its jobs", async () => {
    const logs: string[] = [];
    const helper = await startTestHelper({}, undefined, {
      limits: { maxBufferedBytes: 64 * 1024, closeGraceMs: 200 },
      log: (l) => logs.push(l),
    });
    try {
      const client = await Client.open(helper);
      await client.waitFor((m) => m.type === "hello");
      client.send({
        type: "generate",
        id: "g",
        jobs: [{ job_id: "long", prompt: "drone", duration_sec: 300, seed: 3 }],
      });
      await client.waitFor((m) => m.type === "progress" && m.job_id === "long");
      const socket = (client.ws as unknown as { _socket: import("node:net").Socket })._socket;
      socket.pause(); // stop reading: every reply now piles up on the helper's side
      const closed = closeCodeOf(client.ws, 30_000);
      for (let i = 0; i < 16_000; i++) client.send({ type: "presets.get", id: `p${i}` });
      await waitUntil(() => logs.some((l) => l.includes("unread")), 30_000, "the helper to give up on the client");
      socket.resume();
      expect([1006, 1008]).toContain(await closed);
      await waitUntil(
        async () => (await http(helper, "GET", "/health")).json.queue_length === 0,
        20_000,
        "the job to be cancelled",
      );
      const other = await Client.open(helper);
      other.send({ type: "health", id: "h" });
      expect((await other.waitFor((m) => m.type === "health")).status).toBe("ok");
      other.close();
    } finally {
      await helper.close();
    }
  });

  it("pings every client and drops one that stops answering", async () => {
    // short enough to be quick, long enough that a loaded CI box answers the lively client's pings in time
    const helper = await startTestHelper({}, undefined, { limits: { heartbeatMs: 400 } });
    try {
      const silent = new WebSocket(helper.url.replace("http", "ws"), { autoPong: false });
      await new Promise((r) => silent.once("open", r));
      const lively = await Client.open(helper);
      expect(await closeCodeOf(silent, 20_000)).not.toBe("open");
      // a client that answers pings stays, across many heartbeats
      await new Promise((r) => setTimeout(r, 1500));
      lively.send({ type: "health", id: "h" });
      expect((await lively.waitFor((m) => m.type === "health")).status).toBe("ok");
      lively.close();
    } finally {
      await helper.close();
    }
  });
});

describe("hardening: --lan", () => {
  let helper: RunningHelper;
  beforeAll(async () => {
    helper = await startTestHelper({ lan: true, token: "s3cret-token" });
  });
  afterAll(() => helper.close());

  it("parses the target before the token check, so a bad one is a 400 and not a crash", async () => {
    for (const target of ["//[", "http://[::1:8001/health"])
      expect((await rawGet(helper.port, target)).status).toBe(400);
    expect((await rawGet(helper.port, "/health", { Authorization: "Bearer s3cret-token" })).status).toBe(200);
  });

  it("takes ?token= on the WebSocket handshake only; plain HTTP needs the bearer header", async () => {
    expect((await rawGet(helper.port, "/health?token=s3cret-token")).status).toBe(401);
    const refused = await rawHttp(
      helper.port,
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    expect(refused.statusLine).toBe("HTTP/1.1 401 Unauthorized");
    expect(Number(refused.headers["content-length"])).toBe(Buffer.byteLength(refused.body));
    const ws = await rawWebSocket(helper.port, "/?token=s3cret-token");
    await waitUntil(() => ws.messages.some((m) => m.type === "hello"), 10_000, "hello");
    ws.socket.destroy();
  });
});

describe("the process guard in `cuesmith serve`", () => {
  const ROOT = path.resolve(__dirname, "..", "..");
  (fs.existsSync(path.join(ROOT, "dist", "helper", "cli", "main.js")) ? it : it.skip)(
    "logs a fault with its request or connection, closes that one, and keeps serving",
    async () => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-guard-"));
      const args = [
        "-r",
        path.join(ROOT, "tests", "helpers", "fault-injection.js"),
        path.join(ROOT, "bin", "cuesmith.js"),
      ];
      const child = spawn(
        process.execPath,
        [...args, "serve", "--port", "0", "--no-fetch", "--model-dir", await tinyModelDir(), "--provider", "cpu"],
        {
          env: { ...process.env, CUESMITH_HOME: home },
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      let log = "";
      child.stderr.on("data", (c) => (log += c.toString()));
      let exited = false;
      child.on("exit", () => (exited = true));
      try {
        await waitUntil(
          () => /listening on http:\/\/127\.0\.0\.1:\d+/.test(log) || exited,
          60_000,
          "the daemon to listen",
        );
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)![1];
        const live: RunningHelper = { url, port: Number(url.split(":")[2]) } as RunningHelper;
        // an uncaught exception while answering GET /report: that request is cut off, the rest go on
        await expect(fetch(`${url}/report`)).rejects.toThrow();
        await waitUntil(() => log.includes("uncaught exception in http#"), 10_000, "the fault's log line");
        expect(log).toMatch(
          /uncaught exception in http#\d+ GET "\/report"; closing that connection, still serving: Error: injected fault: report/,
        );
        expect((await http(live, "GET", "/health")).status).toBe(200);
        // an unhandled rejection while a WebSocket message is handled: that connection is closed, others stay
        const bystander = await Client.open(live);
        const victim = await Client.open(live);
        const closed = closeCodeOf(victim.ws);
        victim.send({ type: "feedback", id: "f", job_id: "x", reason: "other" });
        expect(await closed).not.toBe("open");
        expect(log).toMatch(
          /unhandled rejection in ws#\d+; closing that connection, still serving: Error: injected fault: feedback/,
        );
        bystander.send({ type: "health", id: "h" });
        expect((await bystander.waitFor((m) => m.type === "health")).status).toMatch(/^(ok|loading)$/); // it answers
        bystander.close();
        // the daemon listens before its model has loaded: wait for it, then make a bed
        await waitUntil(
          async () => (await http(live, "GET", "/health")).json.status === "ok",
          60_000,
          "the model to load",
        );
        const gen = await http(live, "POST", "/generate", { prompt: "calm piano", duration_sec: 1, seed: 1 });
        expect(gen.status).toBe(200);
        expect(exited).toBe(false);
      } finally {
        child.kill("SIGTERM");
      }
    },
  );
});
