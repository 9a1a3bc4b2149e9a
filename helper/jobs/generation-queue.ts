// The queue in front of the one resident engine. Jobs that wait together with compatible settings run as one
// batched decode (the markers of one Score Markers click cost little more than one); every batch has a
// deadline, and a batch past it is aborted so the next one runs: the queue never blocks.
// One job can never fail its neighbours: a job whose spec is unusable is refused on its own before it joins a
// batch, and when a batched decode fails for any other reason its jobs are run again one by one, so only the job
// that really fails gets the error (each with its own message) and the others finish.
import { CuesmithError } from "../../shared/errors";
import type { GenerateProgress, GenerateRequest, GenerateResult } from "../engine/musicgen";

/** What the queue needs from the engine (the real MusicGenEngine, or a fake in unit tests). */
export interface BatchEngine {
  generate(
    request: GenerateRequest,
    options: { onProgress?: (p: GenerateProgress) => void; signal?: AbortSignal },
  ): Promise<GenerateResult>;
  stepsFor(durationSec: number[]): number;
  readonly info: { msPerStep: number | null };
}

export interface GenerationSpec {
  prompt: string;
  durationSec: number;
  seed: number;
  guidanceScale: number;
  topK: number;
  temperature: number;
  /** Continuation: the known first frames, [codebook][frame], teacher-forced as the prompt. Such a job runs alone. */
  promptCodes?: Int32Array[];
}

export interface GenerationOutput {
  audio: Float32Array;
  /** The EnCodec codes behind `audio`, [codebook][frame] (kept so the take can be continued later). */
  codes?: Int32Array[];
  sampleRate: number;
  seed: number;
  batchSize: number;
}

export type QueueErrorCode = "cancelled" | "timeout" | "queue_full" | "generation_failed" | "invalid_field";

export class QueueError extends CuesmithError<QueueErrorCode> {
  constructor(code: QueueErrorCode, message: string) {
    super(code, message);
  }
}

export interface JobCallbacks {
  onQueued?: (position: number) => void;
  onStart?: () => void;
  onProgress?: (fraction: number, etaMs: number) => void;
}

export interface QueueOptions {
  maxBatch?: number;
  maxQueued?: number;
  /** Fixed deadline per batch in ms; by default derived from the engine's measured speed (see deadlineFor). */
  timeoutMs?: number;
}

interface Entry {
  spec: GenerationSpec;
  callbacks: JobCallbacks;
  resolve: (out: GenerationOutput) => void;
  reject: (err: Error) => void;
  settled: boolean;
  batch?: RunningBatch;
  /** Run alone: set after a batch it was in failed, to find out which job the failure belongs to. */
  solo?: boolean;
}

interface RunningBatch {
  entries: Entry[];
  controller: AbortController;
  timedOut: boolean;
}

export interface JobHandle {
  result: Promise<GenerationOutput>;
  /** Cancels a waiting job, or a running one (its batch stops when no live job is left in it). */
  cancel(): void;
}

/**
 * Deadline for a batch: the source article stopped a job after 25 s on a GPU. On a CPU a normal job takes far
 * longer, so the default scales with the warm-up's measured step time: 3x the expected time (batches cost
 * about a quarter more per extra prompt) plus 10 s, and never less than 25 s.
 */
export function deadlineFor(steps: number, batchSize: number, msPerStep: number | null): number {
  const perStep = msPerStep ?? 200;
  const expected = steps * perStep * (1 + 0.25 * (batchSize - 1));
  return Math.max(25_000, Math.round(3 * expected + 10_000));
}

/** Why a spec cannot be generated (checked per job, before batching), or null when it can. */
export function specProblem(spec: GenerationSpec): string | null {
  if (typeof spec.prompt !== "string" || spec.prompt.trim() === "") return "the prompt must be non-empty text";
  if (typeof spec.durationSec !== "number" || !Number.isFinite(spec.durationSec) || spec.durationSec <= 0)
    return "the duration must be a positive number of seconds";
  if (!Number.isSafeInteger(spec.seed)) return "the seed must be a whole number";
  for (const k of ["guidanceScale", "topK", "temperature"] as const) {
    if (typeof spec[k] !== "number" || !Number.isFinite(spec[k])) return `${k} must be a finite number`;
  }
  return null;
}

export class GenerationQueue {
  private waiting: Entry[] = [];
  private running: RunningBatch | null = null;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxQueued: number;

  constructor(
    private readonly engine: BatchEngine,
    private readonly options: QueueOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 8;
    this.maxQueued = options.maxQueued ?? 256;
  }

  /** Jobs waiting plus jobs running. */
  get length(): number {
    return this.waiting.length + (this.running?.entries.filter((e) => !e.settled).length ?? 0);
  }

  submit(spec: GenerationSpec, callbacks: JobCallbacks = {}): JobHandle {
    let entry!: Entry;
    const result = new Promise<GenerationOutput>((resolve, reject) => {
      entry = { spec, callbacks, resolve, reject, settled: false };
    });
    const problem = specProblem(spec);
    if (problem !== null) {
      entry.settled = true;
      entry.reject(new QueueError("invalid_field", `this job cannot be generated: ${problem}`));
    } else if (this.waiting.length >= this.maxQueued) {
      entry.settled = true;
      entry.reject(
        new QueueError("queue_full", `the queue is full (${this.maxQueued} jobs waiting); try again when it drains`),
      );
    } else {
      this.waiting.push(entry);
      callbacks.onQueued?.(this.length);
      this.schedule();
    }
    return { result, cancel: () => this.cancel(entry) };
  }

  private cancel(entry: Entry): void {
    if (entry.settled) return;
    this.settle(entry, new QueueError("cancelled", "the job was cancelled"));
    const i = this.waiting.indexOf(entry);
    if (i >= 0) this.waiting.splice(i, 1);
    const batch = entry.batch;
    if (batch && batch.entries.every((e) => e.settled)) batch.controller.abort();
  }

  private settle(entry: Entry, outcome: Error | GenerationOutput): void {
    if (entry.settled) return;
    entry.settled = true;
    if (outcome instanceof Error) entry.reject(outcome);
    else entry.resolve(outcome);
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // Defer one turn so that all jobs of one message are queued before the batch is formed.
    setImmediate(() => {
      this.scheduled = false;
      void this.runNext();
    });
  }

  private takeBatch(): Entry[] {
    const head = this.waiting[0];
    if (head.solo || head.spec.promptCodes) {
      this.waiting.shift();
      return [head];
    }
    const compatible = (e: Entry) =>
      !e.solo &&
      !e.spec.promptCodes &&
      e.spec.guidanceScale === head.spec.guidanceScale &&
      e.spec.topK === head.spec.topK &&
      e.spec.temperature === head.spec.temperature;
    const batch = this.waiting.filter(compatible).slice(0, this.maxBatch);
    this.waiting = this.waiting.filter((e) => !batch.includes(e));
    return batch;
  }

  private async runNext(): Promise<void> {
    if (this.running || this.waiting.length === 0) return;
    const entries = this.takeBatch();
    const batch: RunningBatch = { entries, controller: new AbortController(), timedOut: false };
    this.running = batch;
    for (const e of entries) {
      e.batch = batch;
      e.callbacks.onStart?.();
    }
    const durations = entries.map((e) => e.spec.durationSec);
    const deadline =
      this.options.timeoutMs ??
      deadlineFor(this.engine.stepsFor(durations), entries.length, this.engine.info.msPerStep);
    const timer = setTimeout(() => {
      batch.timedOut = true;
      batch.controller.abort();
    }, deadline);
    try {
      const head = entries[0].spec;
      const result = await this.engine.generate(
        {
          prompts: entries.map((e) => e.spec.prompt),
          durationSec: durations,
          seed: entries.map((e) => e.spec.seed),
          guidanceScale: head.guidanceScale,
          topK: head.topK,
          temperature: head.temperature,
          ...(head.promptCodes ? { promptCodes: [head.promptCodes] } : {}),
        },
        {
          signal: batch.controller.signal,
          onProgress: (p) => entries.forEach((e) => !e.settled && e.callbacks.onProgress?.(p.fraction, p.etaMs)),
        },
      );
      entries.forEach((e, i) =>
        this.settle(e, {
          audio: result.audio[i],
          codes: result.codes?.[i],
          sampleRate: result.sampleRate,
          seed: result.seeds[i],
          batchSize: entries.length,
        }),
      );
    } catch (err) {
      const failure = batch.timedOut
        ? new QueueError("timeout", `generation took longer than ${Math.round(deadline / 1000)} s and was stopped`)
        : batch.controller.signal.aborted
          ? new QueueError("cancelled", "the job was cancelled")
          : new QueueError("generation_failed", `generation failed: ${(err as Error).message}`);
      const live = entries.filter((e) => !e.settled);
      if (failure.code === "generation_failed" && live.length > 1) {
        // which job broke the batch is unknown: run each again on its own, ahead of newer work
        for (const e of live) {
          e.solo = true;
          e.batch = undefined;
        }
        this.waiting.unshift(...live);
      } else {
        entries.forEach((e) => this.settle(e, failure));
      }
    } finally {
      clearTimeout(timer);
      this.running = null;
      this.waiting.forEach((e, i) => e.callbacks.onQueued?.(i + 1));
      this.schedule();
    }
  }
}
