// The real engine on a tiny contract model (random weights, the published input/output contract).
// Its audio is noise: these tests check lengths, determinism, batching, windows, cancel and errors.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MusicGenEngine, GenerateProgress } from "../../helper/engine/musicgen";
import { EngineError } from "../../helper/engine/errors";
import type { KvBufferPool } from "../../helper/engine/kv-pool";
import { tinyModelDir } from "../helpers/contract-model";

let engine: MusicGenEngine;
let modelDir: string;

beforeAll(async () => {
  modelDir = await tinyModelDir();
  engine = await MusicGenEngine.load(modelDir, { provider: "cpu" });
});

const sameBytes = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe("MusicGenEngine on a contract model", () => {
  it("loads once, reports its provider and warm-up speed", () => {
    const info = engine.info;
    expect(info.provider).toBe("cpu");
    expect(info.contractModel).toBe(true);
    expect(info.sampleRate).toBe(32000);
    expect(info.msPerStep).toBeGreaterThan(0);
  });

  it("makes exactly round(32000·D) samples from ceil(50·D) frames", async () => {
    const r = await engine.generate({ prompts: ["upbeat synth"], durationSec: 3.7, seed: 7 });
    expect(r.audio[0].length).toBe(118400);
    expect(r.codes[0]).toHaveLength(4);
    expect(r.codes[0][0].length).toBe(185);
    expect(r.steps).toBe(188);
    for (const row of r.codes[0]) for (const c of row) expect(c >= 0 && c < 2048).toBe(true);
    expect(r.audio[0].every(Number.isFinite)).toBe(true);
  });

  it("is bit-identical for the same seed and differs for another", async () => {
    const req = { prompts: ["warm piano"], durationSec: 1.3, seed: 11 };
    const a = await engine.generate(req);
    const b = await engine.generate(req);
    const c = await engine.generate({ ...req, seed: 12 });
    expect(sameBytes(a.audio[0], b.audio[0])).toBe(true);
    expect(a.codes[0].map((r) => Array.from(r))).toEqual(b.codes[0].map((r) => Array.from(r)));
    expect(sameBytes(a.audio[0], c.audio[0])).toBe(false);
  });

  it("batches prompts of different durations in one decode", async () => {
    const progress: GenerateProgress[] = [];
    const r = await engine.generate(
      { prompts: ["a", "cinematic strings", "lo-fi beat"], durationSec: [1, 2.5, 0.5], seed: [1, 2, 3] },
      { onProgress: (p) => progress.push(p) },
    );
    expect(r.audio.map((a) => a.length)).toEqual([32000, 80000, 16000]);
    expect(r.codes.map((c) => c[0].length)).toEqual([50, 125, 25]);
    expect(r.seeds).toEqual([1, 2, 3]);
    // one decode: as many steps as the longest prompt needs, not the sum
    expect(r.steps).toBe(128);
    expect(progress).toHaveLength(128);
    expect(progress[progress.length - 1].fraction).toBe(1);
  });

  it("continues past 30 s in 30 s windows with a 12 s re-fed prompt", async () => {
    const progress: number[] = [];
    const etas: number[] = [];
    const r = await engine.generate(
      { prompts: ["ambient pad"], durationSec: 45, seed: 3 },
      {
        onProgress: (p) => {
          progress.push(p.step);
          etas.push(p.etaMs);
        },
      },
    );
    expect(etas.every((e) => Number.isFinite(e) && e >= 0)).toBe(true);
    // the ETA includes EnCodec at the warm-up's rate: still > 0 when the last decoder step is done
    expect(etas[etas.length - 1]).toBeGreaterThan(0);
    expect(r.audio[0].length).toBe(45 * 32000);
    expect(r.codes[0][0].length).toBe(2250);
    // window 1: 1503 steps; window 2: 1350 frames (600 re-fed) -> 753 steps
    expect(r.steps).toBe(1503 + 753);
    expect(progress[progress.length - 1]).toBe(r.steps);
    expect(progress.every((s, i) => i === 0 || s === progress[i - 1] + 1)).toBe(true);
  });

  it("stops between steps when cancelled and stays usable", async () => {
    const ctrl = new AbortController();
    const run = engine.generate(
      { prompts: ["x"], durationSec: 20, seed: 1 },
      {
        signal: ctrl.signal,
        onProgress: (p) => {
          if (p.step === 10) ctrl.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: "aborted" });
    expect((engine as unknown as { kvPool: KvBufferPool }).kvPool.heldBytes).toBeGreaterThan(0); // the cache's buffers came back
    const r = await engine.generate({ prompts: ["x"], durationSec: 0.5, seed: 1 });
    expect(r.audio[0].length).toBe(16000);
  });

  it("rejects a second concurrent generation instead of interleaving", async () => {
    const first = engine.generate({ prompts: ["x"], durationSec: 1, seed: 1 });
    await expect(engine.generate({ prompts: ["y"], durationSec: 1 })).rejects.toMatchObject({ code: "busy" });
    await first;
  });

  it("takes onnxruntime session options, and refuses to generate once disposed", async () => {
    const other = await MusicGenEngine.load(modelDir, {
      provider: "cpu",
      warmup: false,
      threads: 1,
      sessionOptions: { graphOptimizationLevel: "basic", enableCpuMemArena: false },
    });
    const a = await other.generate({ prompts: ["x"], durationSec: 0.6, seed: 4, topK: 1 });
    const b = await engine.generate({ prompts: ["x"], durationSec: 0.6, seed: 4, topK: 1 });
    expect(a.codes).toEqual(b.codes); // settings change speed, not results
    await other.dispose();
    await other.dispose(); // twice is harmless
    await expect(other.generate({ prompts: ["x"], durationSec: 1 })).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringMatching(/disposed/),
    });
  });

  it("gives the same codes on reused cache buffers as on fresh ones", async () => {
    const fresh = await MusicGenEngine.load(modelDir, { provider: "cpu", warmup: false, kvPool: false });
    const req = { prompts: ["dusty vinyl", "bright brass"], durationSec: [1.5, 0.9], seed: 21 };
    // `engine` has run longer windows and a cancelled one before: its pooled buffers held other values
    const pooled = await engine.generate(req);
    const unpooled = await fresh.generate(req);
    expect(pooled.codes).toEqual(unpooled.codes);
    await fresh.dispose();
  });

  it("validates requests", async () => {
    await expect(engine.generate({ prompts: [], durationSec: 1 })).rejects.toMatchObject({ code: "invalid_request" });
    await expect(engine.generate({ prompts: ["a"], durationSec: 0.2 })).rejects.toThrow(/between 0.5 and 300/);
    await expect(engine.generate({ prompts: ["a", "b"], durationSec: [1] })).rejects.toMatchObject({
      code: "invalid_request",
    });
    await expect(engine.generate({ prompts: ["a"], durationSec: 1, topK: 0 })).rejects.toMatchObject({
      code: "invalid_request",
    });
  });
});

describe("loading a damaged model folder", () => {
  const copyModel = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-model-"));
    fs.cpSync(modelDir, dir, { recursive: true });
    return dir;
  };

  it("names a missing file and the fix", async () => {
    const dir = copyModel();
    fs.rmSync(path.join(dir, "onnx", "encodec_decode.onnx"));
    const err = await MusicGenEngine.load(dir, { warmup: false }).catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe("model_missing");
    expect(err.file).toBe(path.join("onnx", "encodec_decode.onnx"));
    expect(err.message).toMatch(/models fetch musicgen-small/);
  });

  it("names a corrupt ONNX file", async () => {
    const dir = copyModel();
    fs.writeFileSync(path.join(dir, "onnx", "text_encoder.onnx"), "not a model");
    const err = await MusicGenEngine.load(dir, { warmup: false }).catch((e) => e);
    expect(err.code).toBe("model_corrupt");
    expect(err.message).toMatch(/text_encoder\.onnx/);
  });

  it("names a broken config.json", async () => {
    const dir = copyModel();
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ model_type: "t5" }));
    const err = await MusicGenEngine.load(dir, { warmup: false }).catch((e) => e);
    expect(err.code).toBe("model_corrupt");
    expect(err.message).toMatch(/config\.json/);
  });

  it("says when the folder does not exist", async () => {
    const err = await MusicGenEngine.load("/nonexistent/cuesmith-model", { warmup: false }).catch((e) => e);
    expect(err.code).toBe("model_missing");
  });
});
