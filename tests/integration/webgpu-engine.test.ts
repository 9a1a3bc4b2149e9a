// The webgpu provider against the CPU engine, on Mesa's software WebGPU adapter (llvmpipe) where no GPU exists:
// the same request must give the same codes (greedy, seeded sampling, a batch, a window past 30 s), and each
// decoder step may read back only its logits: the KV cache stays on the device. One engine serves every test: a
// machine's first webgpu session compiles its shaders, and llvmpipe runs them on the CPU (the 31 s test is most of
// this file's time; its timeout is in tests/timeouts.js).
// Skipped where no WebGPU adapter exists (scripts/setup.sh installs Mesa's software Vulkan).
import { runInThisContext } from "node:vm";
import { MusicGenEngine, GenerateRequest, GenerateProgress } from "../../helper/engine/musicgen";
import { isDawnTick } from "../../helper/engine/webgpu/gpu-wait";
import { webGpuRuntime } from "../../helper/engine/webgpu/runtime";
import { snapshot, transferSince, type TransferTotals } from "../../helper/engine/webgpu/transfer-counter";
import type { HealthInfo } from "../../shared/protocol/messages";
import { tinyModelDir } from "../helpers/contract-model";
import { startTestHelper } from "../helpers/daemon";
import { WEBGPU_ADAPTER } from "../helpers/webgpu";

const describeGpu = WEBGPU_ADAPTER ? describe : describe.skip;
const V = 2048;
const K = 4;

describeGpu(`webgpu provider on ${WEBGPU_ADAPTER?.device ?? "no adapter"}`, () => {
  let cpu: MusicGenEngine;
  let gpu: MusicGenEngine;

  beforeAll(async () => {
    const dir = await tinyModelDir();
    cpu = await MusicGenEngine.load(dir, { provider: "cpu", warmup: false });
    gpu = await MusicGenEngine.load(dir, { provider: "webgpu", warmup: false });
  });

  afterAll(async () => {
    await cpu?.dispose();
    await gpu?.dispose();
  });

  const codesOf = (r: { codes: Int32Array[][] }) => r.codes.map((c) => c.map((row) => Array.from(row)));

  /** Runs the request on both engines; per decoder step, what crossed between host and device on webgpu. */
  async function both(request: GenerateRequest) {
    const { transfers } = await webGpuRuntime();
    const perStep: TransferTotals[] = [];
    let last = snapshot(transfers);
    const onProgress = (_: GenerateProgress) => {
      const now = snapshot(transfers);
      perStep.push(transferSince(last, now));
      last = now;
    };
    const g = await gpu.generate(request, { onProgress });
    const c = await cpu.generate(request);
    return { g, c, perStep };
  }

  it("runs the decoder on the adapter, text encoder and EnCodec on the CPU", () => {
    const info = gpu.info;
    expect(info.provider).toBe("webgpu");
    expect(info.variant).toBe("fp32");
    expect(info.decoderGraph).toBe("plain");
    expect(info.adapter?.software).toBe(true);
    expect(info.fallbacks).toEqual([]);
  });

  /**
   * Asserts that step i read back its logits (`logits[i]` bytes) and only a few bytes more: the same few bytes on
   * every one-position step (onnxruntime-web keeps some shape-related nodes on the CPU, and they read small int64
   * tensors), and on a step that feeds several positions (`multi`: a window's re-fed prompt) less than one layer's K
   * for them. The cache, had it come back, would be all layers' K and V for the whole past.
   */
  function expectLogitsOnly(perStep: TransferTotals[], logits: number[], multi: Map<number, number> = new Map()): void {
    expect(perStep).toHaveLength(logits.length);
    const extra = perStep.map((step, i) => step.readBack - logits[i]);
    const single = extra.filter((_, i) => !multi.has(i));
    console.log(
      `read back per step beyond the logits: ${[...new Set(single)].join(", ")} bytes; on multi-position calls: ${[...multi.keys()].map((i) => extra[i]).join(", ")}`,
    );
    expect(new Set(single).size).toBe(1);
    expect(single[0]).toBeGreaterThanOrEqual(0);
    expect(single[0]).toBeLessThan(1024);
    const oneLayerK = (positions: number) => 2 * 4 * positions * 16 * 4; // guided batch 2 × 4 heads × 16 dims, fp32
    for (const [i, positions] of multi) expect(extra[i]).toBeLessThan(oneLayerK(positions));
  }

  it("greedy: a batch of two prompts gives the CPU engine's codes; each step reads back its logits only", async () => {
    const { g, c, perStep } = await both({
      prompts: ["upbeat synth", "calm piano"],
      durationSec: [1, 0.5],
      seed: 1,
      topK: 1,
    });
    expect(codesOf(g)).toEqual(codesOf(c));
    // guided batch of 2 prompts: 2 × 2 × 4 decoder rows of 2048 fp32 logits = 128 KiB a step
    const logitsBytes = 2 * 2 * K * V * 4;
    expectLogitsOnly(
      perStep,
      perStep.map(() => logitsBytes),
    );
    // uploads: token ids, the small inputs and the kernels' uniforms, never the cache (one layer's K alone is 1 KiB a position)
    for (const step of perStep.slice(1)) expect(step.uploaded).toBeLessThan(16 * 1024);
  });

  it("seeded sampling gives the CPU engine's draws and audio", async () => {
    const { g, c } = await both({ prompts: ["warm strings"], durationSec: 2, seed: 7 });
    expect(codesOf(g)).toEqual(codesOf(c));
    // same codes, EnCodec on the CPU in both: the same samples
    expect(Array.from(g.audio[0])).toEqual(Array.from(c.audio[0]));
  });

  it("continues past 30 s (a second window with a re-fed prompt) with the CPU engine's codes", async () => {
    const { g, c, perStep } = await both({ prompts: ["ambient pad"], durationSec: 31, seed: 3 });
    expect(g.steps).toBe(1503 + 53);
    expect(codesOf(g)).toEqual(codesOf(c));
    // still only logits, in the second window too: its first call returns logits for the re-fed 600 frames + 1
    const oneRow = 2 * K * V * 4;
    expectLogitsOnly(
      perStep,
      perStep.map((_, i) => (i === 1503 ? oneRow * 601 : oneRow)),
      new Map([[1503, 601]]),
    );
  });

  it("recognises Dawn's polls for the GPU and backs them off (a step: ~1,350 polls without, ~100 with)", async () => {
    // dawn.node looks setImmediate up on Node's own global (not the test's sandbox): count its polls there
    const host = runInThisContext("globalThis") as { setImmediate: (...a: unknown[]) => unknown };
    const ours = host.setImmediate;
    let polls = 0;
    host.setImmediate = function (this: unknown, callback: unknown, ...args: unknown[]) {
      if (isDawnTick(callback, args)) polls++;
      return ours.call(this, callback, ...args);
    };
    let steps = 0;
    try {
      await gpu.generate({ prompts: ["x"], durationSec: 0.5, seed: 1 }, { onProgress: () => steps++ });
    } finally {
      host.setImmediate = ours;
    }
    console.log(`Dawn's GPU-wait polls: ${polls} over ${steps} steps`);
    expect(polls).toBeGreaterThan(0);
    expect(polls / steps).toBeLessThan(400);
  });

  it("/health of a helper on webgpu names the adapter", async () => {
    const helper = await startTestHelper({}, undefined, { provider: "webgpu" });
    try {
      const health = (await (await fetch(`${helper.url}/health`)).json()) as HealthInfo;
      expect(health).toMatchObject({ status: "ok", provider: "webgpu", gpu_adapter: { software: true } });
      expect(health.gpu_adapter?.vendor).toMatch(/\S/);
      expect(typeof health.gpu_adapter?.architecture).toBe("string");
    } finally {
      await helper.close();
    }
  });

  it("dispose releases the decoder session; the engine refuses work afterwards", async () => {
    const dir = await tinyModelDir();
    const extra = await MusicGenEngine.load(dir, { provider: "webgpu", warmup: false });
    await extra.dispose();
    await expect(extra.generate({ prompts: ["x"], durationSec: 1 })).rejects.toThrow(/disposed/);
  });
});
