// One job from spec to file: prompt from the preset table, seed, cache look-up, the queue (batched with its
// neighbours), audio finishing, a 24-bit 48 kHz WAV written atomically into the output folder.
import { createHash, randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { JobResult, JobSpec, SpeechRegion } from "../../shared/protocol";
import { applyDucking, DUCK_DEFAULTS } from "../audio/duck";
import { integratedLoudness, truePeakDb } from "../audio/loudness";
import { withBpm } from "../../shared/presets";
import { finishBed } from "../audio/finish";
import { encodeWav } from "../audio/wav";
import { DEFAULTS } from "../engine/musicgen";
import { GenerationQueue, QueueError } from "../jobs/generation-queue";
import type { PresetStore } from "../store/preset-store";
import type { EngineHost } from "./engine-host";
import { cacheKey, RenderCache } from "./render-cache";

/** Extra seconds generated beyond the request so the silence trim can cut without coming up short. */
const TRIM_MARGIN_SEC = 1;
const OUTPUT_RATE = 48000;
/** Bumped whenever finishing changes, so cached files from older versions are not reused. */
const FINISH_VERSION = 1;

export class JobError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "JobError";
  }
}

export interface JobEvents {
  onQueued?: (position: number) => void;
  onProgress?: (fraction: number, etaMs: number) => void;
}

export interface SubmittedJob {
  result: Promise<JobResult>;
  cancel(): void;
}

export interface BedServiceOptions {
  outputDir: string;
  outputRoots: string[];
  targetLufs: number;
  bedLevelDb: number;
}

type CachedMeta = Omit<JobResult, "job_id" | "path" | "cached" | "wall_ms" | "batch_size">;

export class BedService {
  constructor(
    private readonly host: EngineHost,
    private readonly queue: GenerationQueue,
    private readonly presets: PresetStore,
    private readonly cache: RenderCache<CachedMeta>,
    private readonly options: BedServiceOptions,
  ) {}

  /** A finished take by its WAV hash, from the render cache (survives restarts). */
  findTake(sha256: string): CachedMeta | undefined {
    return this.cache.find((m) => m.sha256 === sha256)?.meta;
  }

  /** Resolves the output folder of a job: inside one of the configured roots, no `..` escapes. */
  outputDirFor(requested: string | undefined): string {
    if (requested === undefined) return this.options.outputDir;
    if (!path.isAbsolute(requested))
      throw new JobError("invalid_field", "output_dir must be an absolute path", "output_dir");
    const resolved = path.resolve(requested);
    const inside = this.options.outputRoots.some((root) => {
      const rel = path.relative(path.resolve(root), resolved);
      return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
    });
    if (!inside)
      throw new JobError(
        "invalid_field",
        `output_dir must be inside ${this.options.outputRoots.join(" or ")}`,
        "output_dir",
      );
    return resolved;
  }

  /** `duck`: speech regions (seconds) the bed dips under, for beds under a voice-over. */
  submit(
    spec: JobSpec,
    jobId: string,
    events: JobEvents = {},
    duck?: { regions: SpeechRegion[]; depthDb: number },
  ): SubmittedJob {
    const started = performance.now();
    const engine = this.host.require(); // throws model_missing (503) before anything is queued
    const outputDir = this.outputDirFor(spec.output_dir);
    const tag = spec.scene_tag;
    const resolved = tag !== undefined ? this.presets.resolve(tag) : { prompt: spec.prompt!, seed: undefined };
    const prompt = withBpm(resolved.prompt, spec.target_bpm);
    const seed = spec.seed ?? resolved.seed ?? randomInt(0, 2 ** 31 - 1);
    const settings = {
      guidanceScale: spec.guidance_scale ?? DEFAULTS.guidanceScale,
      topK: spec.top_k ?? DEFAULTS.topK,
      temperature: spec.temperature ?? DEFAULTS.temperature,
      targetLufs: spec.loudness_lufs ?? this.options.targetLufs,
      bedLevelDb: spec.bed_level_db ?? this.options.bedLevelDb,
    };
    const info = engine.info;
    const key = cacheKey({
      model: info.modelDir,
      variant: info.variant,
      prompt,
      duration: spec.duration_sec,
      seed,
      ...settings,
      duck: duck ?? null,
      finish: FINISH_VERSION,
    });
    const fileName = `${slug(tag ?? prompt)}_${spec.duration_sec}s_seed${seed}_${key.slice(0, 8)}.wav`;
    const finish = async (wavPath: string, meta: CachedMeta, batchSize?: number): Promise<JobResult> => {
      const out = path.join(outputDir, fileName);
      await placeFile(wavPath, out);
      return {
        ...meta,
        job_id: jobId,
        path: out,
        cached: batchSize === undefined,
        wall_ms: Math.round(performance.now() - started),
        ...(batchSize !== undefined ? { batch_size: batchSize } : {}),
      };
    };

    const hit = this.cache.get(key);
    if (hit) {
      events.onQueued?.(0);
      return { result: finish(hit.wavPath, hit.meta), cancel: () => {} };
    }

    const handle = this.queue.submit(
      { prompt, durationSec: Math.min(spec.duration_sec + TRIM_MARGIN_SEC, 300), seed, ...settings },
      { onQueued: events.onQueued, onProgress: events.onProgress },
    );
    let cancelled = false;
    const result = handle.result.then(
      async (out) => {
        const bed = await finishBed(out.audio, {
          sourceRate: out.sampleRate,
          targetSeconds: spec.duration_sec,
          targetLufs: settings.targetLufs,
          bedLevelDb: settings.bedLevelDb,
          outRate: OUTPUT_RATE,
        });
        // ducking is baked in after the level chain: the bed is at its normal level between phrases
        const samples = duck
          ? applyDucking(bed.samples48k, OUTPUT_RATE, duck.regions, { ...DUCK_DEFAULTS, depthDb: duck.depthDb })
          : bed.samples48k;
        const wav = encodeWav(samples, OUTPUT_RATE, 24);
        const meta: CachedMeta = {
          duration_sec: bed.samples / OUTPUT_RATE,
          sample_rate: OUTPUT_RATE,
          samples: bed.samples,
          prompt,
          ...(tag !== undefined ? { scene_tag: tag } : {}),
          seed,
          sha256: createHash("sha256").update(wav).digest("hex"),
          loudness_lufs: round2(duck ? integratedLoudness(samples, OUTPUT_RATE) : bed.loudnessLufs),
          true_peak_dbtp: round2(duck ? truePeakDb(samples) : bed.truePeakDbtp),
          bpm_estimate: bed.bpm === null ? null : round2(bed.bpm),
          beats_sec: bed.beats.map((b: number) => Math.round(b * 1000) / 1000),
          model: info.modelDir,
          contract_model: info.contractModel,
        };
        const entry = await this.cache.put(key, wav, meta);
        // cancelled while finishing: the render stays cached for next time, but the job is not placed
        if (cancelled) throw new JobError("cancelled", "the job was cancelled");
        return finish(entry.wavPath, meta, out.batchSize);
      },
      (err) => {
        if (err instanceof QueueError) throw new JobError(err.code, err.message);
        throw err;
      },
    );
    return {
      result,
      cancel: () => {
        cancelled = true;
        handle.cancel();
      },
    };
  }
}

/** Hard-links the cached file into place (no second copy on disk), copying when linking is impossible. */
async function placeFile(from: string, to: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(to), { recursive: true });
  const tmp = `${to}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.promises.link(from, tmp);
  } catch {
    await fs.promises.copyFile(from, tmp);
  }
  await fs.promises.rename(tmp, to);
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "bed"
  );
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
