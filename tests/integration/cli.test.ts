// The `cuesmith` command as a user runs it (compiled: `npm test` builds first).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { decodeWav } from "../../helper/audio/wav";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "cuesmith.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-cli-"));
const model = path.join(tmp, "m");

function cuesmith(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, CUESMITH_HOME: path.join(tmp, "home"), ...env },
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, "dist", "helper", "cli", "main.js")))
    throw new Error("run `npm run build` first (npm test does)");
  const r = cuesmith(["models", "build-test", "--size", "tiny", "--out", model]);
  if (r.code !== 0) throw new Error(`build-test failed: ${r.err}`);
});

describe("cuesmith generate", () => {
  it("writes exactly round(48000·SEC) samples at 48 kHz and prints one JSON line", () => {
    const out = path.join(tmp, "a.wav");
    const r = cuesmith([
      "generate",
      "--model-dir",
      model,
      "--prompt",
      "upbeat synth",
      "--duration",
      "3.7",
      "--seed",
      "7",
      "--out",
      out,
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]);
    expect(summary).toMatchObject({
      path: out,
      samples: 177600,
      sample_rate: 48000,
      seconds: 3.7,
      seed: 7,
      prompt: "upbeat synth",
      provider: "cpu",
      contract_model: true,
    });
    expect(typeof summary.wall_ms).toBe("number");
    const wav = decodeWav(fs.readFileSync(out));
    expect(wav.sampleRate).toBe(48000);
    expect(wav.channels[0].length).toBe(177600);
  });

  it("is reproducible: the same seed twice gives identical files", () => {
    const a = path.join(tmp, "s1.wav");
    const b = path.join(tmp, "s2.wav");
    for (const f of [a, b])
      expect(
        cuesmith([
          "generate",
          "--model-dir",
          model,
          "--prompt",
          "upbeat synth",
          "--duration",
          "2",
          "--seed",
          "7",
          "--out",
          f,
        ]).code,
      ).toBe(0);
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
  });

  it("uses the preset table for --tag and adds --bpm to the prompt", () => {
    const r = cuesmith([
      "generate",
      "--model-dir",
      model,
      "--tag",
      "unboxing",
      "--bpm",
      "110",
      "--duration",
      "1",
      "--seed",
      "1",
      "--out",
      path.join(tmp, "t.wav"),
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).prompt).toBe(
      "upbeat tech product reveal music, clean synth melody, light percussion, modern and confident, 110 bpm",
    );
  });

  it.each([
    [["generate"], /--prompt TEXT or --tag TAG/],
    [["generate", "--prompt", "x", "--duration", "3"], /--out/],
    [
      ["generate", "--prompt", "x", "--duration", "0.1", "--out", "x.wav"],
      /--duration must be a number from 0.5 to 300 seconds/,
    ],
    [["generate", "--prompt", "x", "--tag", "y", "--duration", "3", "--out", "x.wav"], /exactly one/],
    [["generate", "--prompt", "x", "--duration", "abc", "--out", "x.wav"], /--duration/],
    [["generate", "--prompt", "x", "--duration", "3", "--out", "x.mp3"], /\.wav/],
    [["generate", "--nonsense"], /nonsense/],
    [["frobnicate"], /unknown command/],
  ])("bad arguments %j -> exit 2 and one line", (args, why) => {
    const r = cuesmith(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(why as RegExp);
  });

  it("names a missing model folder and the fetch command, without a stack trace", () => {
    const r = cuesmith([
      "generate",
      "--model-dir",
      path.join(tmp, "none"),
      "--prompt",
      "x",
      "--duration",
      "1",
      "--out",
      path.join(tmp, "x.wav"),
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/models fetch musicgen-small/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe("cuesmith analyze", () => {
  it("reads the source article's voice-over as enthusiastic with an apologetic undertone, with evidence and a prompt", () => {
    const r = cuesmith([
      "analyze",
      "--text",
      "这个新功能真的太棒了！我们花了三个月打磨细节……（停顿）……当然，还有些小问题正在修复。",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ emotion: "enthusiastic", subtone: "slightly_apologetic", language: "zh" });
    expect(out.evidence.length).toBeGreaterThan(1);
    expect(out.prompt).toMatch(
      /uplifting but grounded .*warm piano and subtle cello, medium tempo, hopeful yet sincere/,
    );
  });
  it("says plainly when a clip is missing, and that transcription is not installed", () => {
    const r = cuesmith(["analyze", "--input", path.join(tmp, "vo.wav")]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/does not exist/);
    expect(cuesmith(["analyze"]).code).toBe(2);
  });
});

describe("cuesmith models fetch, offline", () => {
  // "Fails fast" (no retry, no back-off after a refused connection) is checked with an injected clock in
  // tests/unit/models-fetch.test.ts; here the user's side: a plain message, no stack trace.
  it("fails with a clear message", () => {
    const r = cuesmith(["models", "fetch", "musicgen-small", "--dest", path.join(tmp, "fetched")], {
      HF_ENDPOINT: "http://127.0.0.1:9",
    });
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/127\.0\.0\.1|network|reach/i);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
