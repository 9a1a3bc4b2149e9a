import type { GenerateRequest, GenerateResult } from "../../helper/engine/musicgen";
import { BatchEngine, deadlineFor, GenerationQueue, GenerationSpec } from "../../helper/jobs/generation-queue";

/** A fake engine: each request takes `stepMs` per step over `steps` steps and records what it was asked. */
class FakeEngine implements BatchEngine {
  calls: GenerateRequest[] = [];
  info = { msPerStep: 1 };
  constructor(
    private steps = 5,
    private stepMs = 5,
  ) {}
  stepsFor(d: number[]) {
    return Math.max(...d) * 10;
  }
  async generate(
    req: GenerateRequest,
    { onProgress, signal }: { onProgress?: (p: any) => void; signal?: AbortSignal },
  ): Promise<GenerateResult> {
    this.calls.push(req);
    for (let s = 1; s <= this.steps; s++) {
      await new Promise((r) => setTimeout(r, this.stepMs));
      if (signal?.aborted) throw Object.assign(new Error("cancelled"), { code: "aborted" });
      onProgress?.({ step: s, totalSteps: this.steps, fraction: s / this.steps, elapsedMs: 0, etaMs: 0 });
    }
    const seeds = req.seed as number[];
    return {
      audio: req.prompts.map((_, i) => new Float32Array([seeds[i]])),
      codes: [],
      sampleRate: 32000,
      seeds,
      steps: this.steps,
      timings: { textMs: 0, decodeMs: 0, encodecMs: 0, totalMs: 0 },
    };
  }
}

const spec = (over: Partial<GenerationSpec> = {}): GenerationSpec => ({
  prompt: "p",
  durationSec: 1,
  seed: 1,
  guidanceScale: 3,
  topK: 250,
  temperature: 1,
  ...over,
});

describe("GenerationQueue", () => {
  it("runs a continuation (prompt codes) alone, passing its codes to the engine", async () => {
    const engine = new FakeEngine();
    const q = new GenerationQueue(engine);
    const known = [Int32Array.of(1, 2), Int32Array.of(3, 4)];
    const jobs = [
      q.submit(spec({ seed: 1 })),
      q.submit(spec({ seed: 2, promptCodes: known })),
      q.submit(spec({ seed: 3 })),
    ];
    await Promise.all(jobs.map((j) => j.result));
    expect(engine.calls.map((c) => c.seed)).toEqual([[1, 3], [2]]);
    expect(engine.calls[1].promptCodes).toEqual([known]);
    expect(engine.calls[0].promptCodes).toBeUndefined();
  });

  it("batches jobs submitted together into one decode", async () => {
    const engine = new FakeEngine();
    const q = new GenerationQueue(engine);
    const positions: number[] = [];
    const jobs = [1, 2, 3].map((seed) =>
      q.submit(spec({ seed, prompt: `p${seed}` }), { onQueued: (p) => positions.push(p) }),
    );
    const outs = await Promise.all(jobs.map((j) => j.result));
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0].prompts).toEqual(["p1", "p2", "p3"]);
    expect(outs.map((o) => o.audio[0])).toEqual([1, 2, 3]);
    expect(outs[0].batchSize).toBe(3);
    expect(positions).toEqual([1, 2, 3]);
  });

  it("runs incompatible settings in separate batches, in order", async () => {
    const engine = new FakeEngine();
    const q = new GenerationQueue(engine);
    await Promise.all([q.submit(spec()).result, q.submit(spec({ topK: 50 })).result, q.submit(spec()).result]);
    expect(engine.calls.map((c) => [c.topK, c.prompts.length])).toEqual([
      [250, 2],
      [50, 1],
    ]);
  });

  it("respects the batch size limit", async () => {
    const engine = new FakeEngine();
    const q = new GenerationQueue(engine, { maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((s) => q.submit(spec({ seed: s })).result));
    expect(engine.calls.map((c) => c.prompts.length)).toEqual([2, 2, 1]);
  });

  it("cancels a waiting job without touching the others", async () => {
    const engine = new FakeEngine();
    const q = new GenerationQueue(engine, { maxBatch: 1 });
    const a = q.submit(spec({ seed: 1 }));
    const b = q.submit(spec({ seed: 2 }));
    b.cancel();
    await expect(b.result).rejects.toMatchObject({ code: "cancelled" });
    await expect(a.result).resolves.toMatchObject({ seed: 1 });
    expect(engine.calls).toHaveLength(1);
  });

  it("cancels a running job: its batch stops when no live job is left", async () => {
    const engine = new FakeEngine(50, 5);
    const q = new GenerationQueue(engine);
    const a = q.submit(spec(), { onProgress: (f) => f > 0.1 && a.cancel() });
    await expect(a.result).rejects.toMatchObject({ code: "cancelled" });
    const next = await q.submit(spec({ seed: 9 })).result;
    expect(next.seed).toBe(9);
  });

  it("times a batch out and runs the next job", async () => {
    const engine = new FakeEngine(100, 10);
    const q = new GenerationQueue(engine, { timeoutMs: 100 });
    const slow = q.submit(spec());
    await expect(slow.result).rejects.toMatchObject({ code: "timeout" });
    // the same queue keeps serving after a timeout
    (engine as any).steps = 2;
    await expect(q.submit(spec({ seed: 4 })).result).resolves.toMatchObject({ seed: 4 });
  });

  it("refuses jobs when full", async () => {
    const q = new GenerationQueue(new FakeEngine(), { maxQueued: 1 });
    const a = q.submit(spec());
    const b = q.submit(spec());
    await expect(b.result).rejects.toMatchObject({ code: "queue_full" });
    await a.result;
  });

  it("one job whose prompt breaks the engine fails alone; its batch neighbours finish", async () => {
    // the engine refuses a whole request when any prompt in it is bad, as a tokenizer or graph error would
    class PickyEngine extends FakeEngine {
      override async generate(
        req: GenerateRequest,
        opts: { onProgress?: (p: any) => void; signal?: AbortSignal },
      ): Promise<GenerateResult> {
        if (req.prompts.includes("bad")) {
          this.calls.push(req);
          throw new Error(`cannot encode prompt ${req.prompts.indexOf("bad")}`);
        }
        return super.generate(req, opts);
      }
    }
    const engine = new PickyEngine();
    const q = new GenerationQueue(engine);
    const jobs = [
      spec({ seed: 1, prompt: "good one" }),
      spec({ seed: 2, prompt: "bad" }),
      spec({ seed: 3, prompt: "good two" }),
    ].map((s) => q.submit(s));
    const [a, bad, c] = await Promise.allSettled(jobs.map((j) => j.result));
    expect(a).toMatchObject({ status: "fulfilled", value: { seed: 1 } });
    expect(c).toMatchObject({ status: "fulfilled", value: { seed: 3 } });
    expect(bad).toMatchObject({
      status: "rejected",
      reason: { code: "generation_failed", message: expect.stringMatching(/cannot encode prompt 0/) },
    });
    // one batched try, then each job on its own
    expect(engine.calls.map((c) => c.prompts)).toEqual([
      ["good one", "bad", "good two"],
      ["good one"],
      ["bad"],
      ["good two"],
    ]);
  });

  it("refuses an unusable spec on its own, before it can join (and break) a batch", async () => {
    const engine = new FakeEngine();
    const q = new GenerationQueue(engine);
    const broken = [
      spec({ prompt: undefined as unknown as string }),
      spec({ prompt: "  " }),
      spec({ durationSec: Number.NaN }),
      spec({ seed: 1.5 }),
      spec({ topK: Infinity }),
    ].map((s) => q.submit(s));
    const good = [q.submit(spec({ seed: 7 })), q.submit(spec({ seed: 8 }))];
    for (const b of broken) await expect(b.result).rejects.toMatchObject({ code: "invalid_field" });
    await expect(Promise.all(good.map((g) => g.result))).resolves.toHaveLength(2);
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0].seed).toEqual([7, 8]);
  });

  it("a batch that is cancelled or times out is not retried job by job", async () => {
    const engine = new FakeEngine(50, 20);
    const q = new GenerationQueue(engine, { timeoutMs: 30 });
    const jobs = [q.submit(spec({ seed: 1 })), q.submit(spec({ seed: 2 }))];
    for (const j of jobs) await expect(j.result).rejects.toMatchObject({ code: "timeout" });
    expect(engine.calls).toHaveLength(1);
  });

  it("derives deadlines from the measured step time, never under 25 s", () => {
    expect(deadlineFor(10, 1, 1)).toBe(25_000);
    expect(deadlineFor(753, 1, 100)).toBe(3 * 75_300 + 10_000);
    expect(deadlineFor(100, 5, 100)).toBe(Math.max(25_000, 3 * 100 * 100 * 2 + 10_000));
  });
});
