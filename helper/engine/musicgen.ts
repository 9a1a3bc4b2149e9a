// The resident MusicGen engine: loads a model folder once and turns (prompts, durations, seeds) into audio of
// exactly the requested length. It knows nothing of sockets or output files.
import * as os from "node:os";
import * as ort from "onnxruntime-node";
import type { DecoderVariant } from "../../models/layout";
import { decodeWindow, windowSteps, WindowItem } from "./decode-window";
import { ChunkOptions, decodeCodes } from "./encodec-chunks";
import { abortError, EngineError } from "./errors";
import { checkDuration, framesFor, samplesFor } from "./generation/duration";
import { GenerationEta } from "./generation/eta";
import { Rng } from "./generation/rng";
import { planWindows, Window } from "./generation/windows";
import { planContinuation } from "./generation/continuation";
import { KvBufferPool, KvPoolOptions } from "./kv-pool";
import { LoadedModel, loadModel, type SelfCheckStatus } from "./model-loader";
import type { FlatLayout } from "../../models/transform/flat-decoder";
import { ProviderName, resolveProviders } from "./providers";
import type { AdapterInfo } from "./webgpu/runtime";

export interface GenerateRequest {
  prompts: string[];
  /** Seconds per prompt (one number applies to all), 0.5 to 300. */
  durationSec: number | number[];
  /** Seed per prompt; one number n gives prompt i the seed n + i. Default 0. */
  seed?: number | number[];
  guidanceScale?: number;
  topK?: number;
  temperature?: number;
  /** Delay-pattern edge handling; "start" reproduces transformers.js for comparison tests. */
  padEdges?: "both" | "start";
  /**
   * Continuation: per prompt, its known first frames as [codebook][frame] (fewer frames than the duration needs),
   * teacher-forced as the decode's prompt (generation/continuation.ts). All prompts of a request share the length.
   */
  promptCodes?: (Int32Array[] | undefined)[];
}

export interface GenerateProgress {
  step: number;
  totalSteps: number;
  fraction: number;
  elapsedMs: number;
  etaMs: number;
}

export interface GenerateOptions {
  onProgress?: (p: GenerateProgress) => void;
  signal?: AbortSignal;
}

export interface GenerateResult {
  /** Mono audio per prompt at `sampleRate`, exactly round(sampleRate · duration) samples. */
  audio: Float32Array[];
  /** EnCodec codes per prompt: [codebook][frame]. */
  codes: Int32Array[][];
  sampleRate: number;
  seeds: number[];
  steps: number;
  timings: { textMs: number; decodeMs: number; encodecMs: number; totalMs: number };
}

export interface EngineOptions {
  variant?: DecoderVariant | "auto";
  /** "auto" (default), or one of webgpu, cuda, dml, coreml, cpu. */
  provider?: string;
  threads?: number;
  /** Further onnxruntime session options (bench/session-options.ts compares some; the defaults won). */
  sessionOptions?: ort.InferenceSession.SessionOptions;
  /** "auto" (default): the flat decoder rewrite when the folder has it (see docs/engine.md), else the published graph. */
  decoderGraph?: "auto" | "flat" | "plain";
  /** Run a short generation at load so the first real job is warm and its speed is known. Default true. */
  warmup?: boolean;
  /** EnCodec in chunks for long clips (encodec-chunks.ts); the defaults decode up to 31 s in one call. */
  encodecChunks?: ChunkOptions;
  /** Keep the self-attention cache's buffers between windows and requests (kv-pool.ts); false: allocate per window. */
  kvPool?: Partial<KvPoolOptions> | false;
  /** Check the flat decoder against the published graph on these weights when the file is new (default true). */
  selfCheck?: boolean;
  /** Where a one-line fallback notice goes (default console.warn). */
  log?: (line: string) => void;
}

export interface EngineInfo {
  modelDir: string;
  variant: DecoderVariant;
  decoderGraph: "plain" | "flat";
  /** The flat layout the decoder runs ("published": the published graph) and why. */
  decoderLayout: FlatLayout | "published";
  decoderLayoutReason: string;
  /** The flat decoder's self-check against the published graph on these weights. */
  selfCheck: SelfCheckStatus;
  provider: ProviderName;
  fallbacks: { provider: ProviderName; reason: string }[];
  contractModel: boolean;
  sampleRate: number;
  frameRate: number;
  /** Measured at load: milliseconds per decoder step for one guided prompt (null without warm-up). */
  msPerStep: number | null;
  /** The WebGPU adapter the decoder runs on (provider webgpu only). */
  adapter?: AdapterInfo;
}

export const DEFAULTS = { guidanceScale: 3, topK: 250, temperature: 1 } as const;

export class MusicGenEngine {
  private busy = false;
  private disposed = false;
  private msPerStep: number | null = null;
  /** EnCodec's cost per second of audio, measured at warm-up (0 without), for the ETA's last part. */
  private encodecMsPerSecond = 0;

  private readonly kvPool?: KvBufferPool;

  private constructor(
    private readonly model: LoadedModel,
    private readonly encodecChunks: ChunkOptions = {},
    kvPool: Partial<KvPoolOptions> | false = {},
  ) {
    if (kvPool !== false) this.kvPool = new KvBufferPool({ maxBytes: os.totalmem() / 4, idleMs: 60_000, ...kvPool });
  }

  static async load(modelDir: string, options: EngineOptions = {}): Promise<MusicGenEngine> {
    const model = await loadModel(modelDir, {
      variant: options.variant ?? "auto",
      providers: await resolveProviders(options.provider ?? process.env.CUESMITH_PROVIDER),
      threads: options.threads,
      sessionOptions: options.sessionOptions,
      decoderGraph: options.decoderGraph,
      selfCheck: options.selfCheck,
      log: options.log,
    });
    const engine = new MusicGenEngine(model, options.encodecChunks, options.kvPool);
    if (options.warmup !== false) await engine.warmUp();
    return engine;
  }

  get info(): EngineInfo {
    const m = this.model;
    return {
      modelDir: m.dir,
      variant: m.variant,
      decoderGraph: m.decoderGraph.kind,
      decoderLayout: m.decoderLayout,
      decoderLayoutReason: m.decoderLayoutReason,
      selfCheck: m.selfCheck,
      provider: m.provider,
      fallbacks: m.fallbacks,
      contractModel: m.config.contractModel,
      sampleRate: m.config.sampleRate,
      frameRate: m.config.frameRate,
      msPerStep: this.msPerStep,
      ...(m.adapter ? { adapter: m.adapter } : {}),
    };
  }

  /** Decoder steps a request takes (what progress counts), for ETAs and timeouts before it runs. */
  stepsFor(durationSec: number[]): number {
    const plans = durationSec.map((d) => planWindows(framesFor(d, this.model.config.frameRate)));
    return this.windowCalls(plans).reduce((sum, w) => sum + w.calls, 0);
  }

  /** Per window index: the re-fed prompt length and the decoder calls it takes (all prompts of a request together). */
  private windowCalls(plans: Window[][]): { promptFrames: number; calls: number }[] {
    const K = this.model.config.codebooks;
    return Array.from({ length: Math.max(...plans.map((p) => p.length)) }, (_, w) => {
      const wins = plans.filter((p) => p.length > w).map((p) => p[w]);
      return {
        promptFrames: wins[0].promptFrames,
        calls: windowSteps(
          wins.map((win) => win.frames),
          wins[0].promptFrames,
          K,
        ),
      };
    });
  }

  /** Frees the native sessions; generate() is refused afterwards. */
  async dispose(): Promise<void> {
    if (this.busy) throw new EngineError("busy", "the engine is generating; cancel it first");
    if (this.disposed) return;
    this.disposed = true;
    this.kvPool?.clear();
    const m = this.model;
    await Promise.all([m.textEncoder.release(), m.decoder.release(), m.encodec.release()]);
  }

  private async warmUp(): Promise<void> {
    const result = await this.generate({ prompts: ["warm up"], durationSec: 1, seed: 0 });
    this.msPerStep = result.timings.decodeMs / result.steps;
    this.encodecMsPerSecond = result.timings.encodecMs; // the warm-up clip is 1 s long
  }

  async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
    if (this.disposed) throw new EngineError("invalid_request", "this engine was disposed; load the model again");
    if (this.busy) throw new EngineError("busy", "the engine is already generating; queue jobs in front of it");
    this.busy = true;
    try {
      return await this.run(request, options);
    } finally {
      this.busy = false;
    }
  }

  private async run(request: GenerateRequest, { onProgress, signal }: GenerateOptions): Promise<GenerateResult> {
    const cfg = this.model.config;
    const started = performance.now();
    const { prompts } = request;
    if (!Array.isArray(prompts) || prompts.length === 0)
      throw new EngineError("invalid_request", "prompts must be a non-empty array");
    const perPrompt = <T>(v: T | T[], name: string): T[] => {
      if (!Array.isArray(v)) return prompts.map(() => v);
      if (v.length !== prompts.length)
        throw new EngineError("invalid_request", `${name} must have one entry per prompt`);
      return v;
    };
    const durations = perPrompt(request.durationSec, "durationSec");
    for (const d of durations) {
      try {
        checkDuration(d);
      } catch (err) {
        throw new EngineError("invalid_request", (err as Error).message);
      }
    }
    const seedIn = request.seed ?? 0;
    const seeds = Array.isArray(seedIn) ? perPrompt(seedIn, "seed") : prompts.map((_, i) => seedIn + i);
    const guidanceScale = request.guidanceScale ?? DEFAULTS.guidanceScale;
    const topK = request.topK ?? DEFAULTS.topK;
    const temperature = request.temperature ?? DEFAULTS.temperature;
    if (!(guidanceScale >= 0) || !Number.isInteger(topK) || topK < 1 || !(temperature > 0)) {
      throw new EngineError("invalid_request", "guidanceScale must be >= 0, topK an integer >= 1, temperature > 0");
    }

    // Text encoding once for all prompts; windows slice the rows they need.
    const tok = this.model.tokenizer.encodeBatch(prompts);
    const textOut = await this.model.textEncoder.run({
      input_ids: new ort.Tensor("int64", tok.ids, [tok.batch, tok.length]),
      attention_mask: new ort.Tensor("int64", tok.mask, [tok.batch, tok.length]),
    });
    const hidden = textOut.last_hidden_state;
    const textMs = performance.now() - started;

    const known = knownCodes(request.promptCodes, prompts.length, cfg.codebooks);
    const plans = durations.map((d, i) => {
      const frames = framesFor(d, cfg.frameRate);
      const given = known[i]?.[0].length ?? 0;
      if (given >= frames)
        throw new EngineError("invalid_request", `promptCodes[${i}] has ${given} frames; the duration needs more`);
      return planContinuation(frames, given);
    });
    if (new Set(plans.map((p) => p[0].promptFrames)).size > 1)
      throw new EngineError("invalid_request", "the prompts of one request must share the length of their promptCodes");
    const rngs = seeds.map((s) => new Rng(s));
    const codes = durations.map((d, i) =>
      Array.from({ length: cfg.codebooks }, (_, k) => {
        const row = new Int32Array(framesFor(d, cfg.frameRate));
        if (known[i]) row.set(known[i]![k]);
        return row;
      }),
    );
    const windows = this.windowCalls(plans);
    // ETA: decoder calls fitted as a + b·past (generation/eta.ts), plus EnCodec at its warm-up rate
    const eta = new GenerationEta(windows, this.encodecMsPerSecond * durations.reduce((a, b) => a + b, 0));
    const totalSteps = eta.totalSteps;
    for (let w = 0; w < windows.length; w++) {
      const members = plans.flatMap((p, i) => (p.length > w ? [i] : []));
      const items: WindowItem[] = members.map((i) => ({
        frames: plans[i][w].frames,
        prompt: promptOf(codes[i], plans[i][w]),
        rng: rngs[i],
      }));
      eta.startWindow(w);
      const windowCodes = await decodeWindow(
        {
          session: this.model.decoder,
          graph: this.model.decoderGraph,
          kvPool: this.kvPool,
          createKvCache: this.model.createKvCache,
        },
        cfg,
        {
          items,
          encoderHidden: selectRows(hidden, members),
          encoderMask: selectRows(new ort.Tensor("int64", tok.mask, [tok.batch, tok.length]), members),
          guidanceScale,
          topK,
          temperature,
          padEdges: request.padEdges ?? "both",
          signal,
          onStep: (done) => {
            const progress = eta.step(done);
            onProgress?.(progress);
          },
        },
      );
      members.forEach((i, j) => {
        const { offset, promptFrames, frames } = plans[i][w];
        for (let k = 0; k < cfg.codebooks; k++)
          codes[i][k].set(windowCodes[j][k].subarray(promptFrames, frames), offset + promptFrames);
      });
    }
    const decodeMs = eta.elapsedMs();

    const encodecStarted = performance.now();
    const audio: Float32Array[] = [];
    for (let i = 0; i < prompts.length; i++) {
      if (signal?.aborted) throw abortError();
      audio.push(
        await decodeCodes(this.model.encodec, codes[i], samplesFor(durations[i], cfg.sampleRate), this.encodecChunks),
      );
    }
    const encodecMs = performance.now() - encodecStarted;
    return {
      audio,
      codes,
      sampleRate: cfg.sampleRate,
      seeds,
      steps: totalSteps,
      timings: { textMs, decodeMs, encodecMs, totalMs: performance.now() - started },
    };
  }
}

/** Checks `promptCodes` (one entry per prompt, each [codebooks][frames] with equal rows) and lines it up. */
function knownCodes(
  given: (Int32Array[] | undefined)[] | undefined,
  prompts: number,
  codebooks: number,
): (Int32Array[] | undefined)[] {
  if (given === undefined) return Array.from({ length: prompts }, () => undefined);
  if (!Array.isArray(given) || given.length !== prompts)
    throw new EngineError("invalid_request", "promptCodes must have one entry per prompt");
  return given.map((rows, i) => {
    if (rows === undefined) return undefined;
    if (rows.length !== codebooks || rows.some((r) => !(r instanceof Int32Array) || r.length !== rows[0].length))
      throw new EngineError("invalid_request", `promptCodes[${i}] must be ${codebooks} Int32Array rows of one length`);
    return rows[0].length > 0 ? rows : undefined;
  });
}

/** The frames of the previous windows that this window re-feeds as its prompt. */
function promptOf(codes: Int32Array[], win: Window): Int32Array[] | undefined {
  if (win.promptFrames === 0) return undefined;
  return codes.map((row) => row.slice(win.offset, win.offset + win.promptFrames));
}

/** Rows `members` of a [batch, ...] tensor, as a new tensor. */
function selectRows(t: ort.Tensor, members: number[]): ort.Tensor {
  const rowSize = t.dims.slice(1).reduce((a, b) => a * b, 1);
  const src = t.data as Float32Array | BigInt64Array;
  const out = new (src.constructor as Float32ArrayConstructor | BigInt64ArrayConstructor)(members.length * rowSize);
  members.forEach((m, j) =>
    (out as Float32Array).set((src as Float32Array).subarray(m * rowSize, (m + 1) * rowSize), j * rowSize),
  );
  return new ort.Tensor(t.type as "float32", out as Float32Array, [members.length, ...t.dims.slice(1)]);
}
