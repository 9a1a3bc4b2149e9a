// One job from spec to file: prompt from the preset table, seed, cache look-up, the queue (batched with its
// neighbours), audio finishing, a 24-bit 48 kHz WAV written atomically into the output folder.
// A job's own preparation (prompt resolution, output folder) can only fail that job: the failure comes back as its
// result, never as a throw into the code that is submitting its batch neighbours.
import { createHash, randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { MAX_DURATION_SEC, OUTPUT_SAMPLE_RATE } from "../../shared/protocol";
import type { ErrorCode, JobResult, JobSpec, SpeechRegion } from "../../shared/protocol";
import { CuesmithError } from "../../shared/errors";
import { applyDucking, DUCK_DEFAULTS } from "../audio/duck";
import { integratedLoudness, truePeakDb } from "../audio/loudness";
import { withBpm } from "../../shared/presets";
import { finishBed } from "../audio/finish";
import { encodeWav } from "../audio/wav";
import { DEFAULTS } from "../engine/musicgen";
import { GenerationQueue, QueueError } from "../jobs/generation-queue";
import type { PresetStore } from "../store/preset-store";
import type { EngineHost } from "./engine-host";
import { confine, ConfinementError } from "../util/confine";
import { tempPathFor } from "../util/atomic-file";
import { displayPath } from "../util/display-path";
import { cacheKey, RenderCache } from "./render-cache";

/** Extra seconds generated beyond the request so the silence trim can cut without coming up short. */
const TRIM_MARGIN_SEC = 1;
const OUTPUT_RATE = OUTPUT_SAMPLE_RATE;
/** Bumped whenever finishing changes, so cached files from older versions are not reused. */
const FINISH_VERSION = 1;

/** A bed job refused or failed; its code is already a protocol code (invalid_field, generation_failed…). */
export class JobError extends CuesmithError<ErrorCode> {
  constructor(code: ErrorCode, message: string, field?: string) {
    super(code, message, { field });
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

  /** Folders a job may write into: the configured roots and the default output folder. */
  private allowedRoots(): string[] {
    return [...this.options.outputRoots, this.options.outputDir];
  }

  /**
   * Resolves the output folder of a job to its real path, which must lie inside the real path of one of the
   * configured roots (a symlink leading out of them is refused with 403 `forbidden`, like a `..` escape).
   */
  outputDirFor(requested: string | undefined): string {
    if (requested !== undefined && !path.isAbsolute(requested))
      throw new JobError("invalid_field", "output_dir must be an absolute path", "output_dir");
    try {
      return confine(requested ?? this.options.outputDir, this.allowedRoots());
    } catch (err) {
      if (err instanceof ConfinementError) {
        const roots = this.options.outputRoots.map((r) => displayPath(r)).join(" or ");
        throw new JobError(
          "forbidden",
          `output_dir ${displayPath(requested ?? this.options.outputDir)} must be inside ${roots} (links leading out of them are refused)`,
          "output_dir",
        );
      }
      throw new JobError(
        "invalid_field",
        `output_dir ${displayPath(requested ?? this.options.outputDir)} cannot be used: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        "output_dir",
      );
    }
  }

  /**
   * `duck`: speech regions (seconds) the bed dips under, for beds under a voice-over. Never throws: a job whose
   * preparation fails (unknown model, refused folder, unusable tag) gets that failure as its result.
   */
  submit(
    spec: JobSpec,
    jobId: string,
    events: JobEvents = {},
    duck?: { regions: SpeechRegion[]; depthDb: number },
  ): SubmittedJob {
    try {
      return this.start(spec, jobId, events, duck);
    } catch (err) {
      const failure =
        err instanceof RangeError
          ? new JobError("invalid_field", err.message, spec.scene_tag !== undefined ? "scene_tag" : "prompt")
          : err;
      return { result: Promise.reject(failure), cancel: () => {} };
    }
  }

  private start(
    spec: JobSpec,
    jobId: string,
    events: JobEvents,
    duck?: { regions: SpeechRegion[]; depthDb: number },
  ): SubmittedJob {
    const started = performance.now();
    const engine = this.host.require(); // throws model_missing (503) before anything is queued
    const outputDir = this.outputDirFor(spec.output_dir);
    const tag = spec.scene_tag;
    const resolved = tag !== undefined ? this.presets.resolve(tag) : { prompt: spec.prompt ?? "", seed: undefined };
    if (typeof resolved.prompt !== "string" || resolved.prompt.trim() === "") {
      throw new JobError(
        "invalid_field",
        tag !== undefined ? `the preset for "${tag}" has no prompt` : "prompt must be non-empty text",
        tag !== undefined ? "scene_tag" : "prompt",
      );
    }
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
      await this.placeFile(wavPath, out);
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
      { prompt, durationSec: Math.min(spec.duration_sec + TRIM_MARGIN_SEC, MAX_DURATION_SEC), seed, ...settings },
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

  /**
   * Hard-links the cached file into place (no second copy on disk), copying when linking is impossible. The
   * folder is confined again right before the rename: it may have been swapped for a link since the job began.
   */
  private async placeFile(from: string, to: string): Promise<void> {
    const dir = path.dirname(to);
    const stillInside = () => {
      if (confine(dir, this.allowedRoots()) !== dir)
        throw new ConfinementError(`${displayPath(dir)} changed while the bed was made`);
    };
    const tmp = tempPathFor(to);
    try {
      stillInside(); // before mkdir too: a parent swapped for a link must not get folders created through it
      await fs.promises.mkdir(dir, { recursive: true });
      stillInside();
      try {
        await fs.promises.link(from, tmp);
      } catch {
        await fs.promises.copyFile(from, tmp);
      }
      stillInside();
      await fs.promises.rename(tmp, to);
    } catch (err) {
      await fs.promises.rm(tmp, { force: true }).catch(() => {});
      if (err instanceof ConfinementError) {
        throw new JobError(
          "forbidden",
          `output_dir ${displayPath(dir)} now leads outside the allowed folders; the bed was not placed`,
          "output_dir",
        );
      }
      // the OS message spells out the absolute path: say it with the path as the user knows it
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      if (code === "EACCES" || code === "EPERM" || code === "EROFS")
        throw new JobError("forbidden", `output_dir ${displayPath(dir)} cannot be written (${code})`, "output_dir");
      throw new JobError("internal", `the bed could not be placed in ${displayPath(dir)} (${code})`, "output_dir");
    }
  }
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
