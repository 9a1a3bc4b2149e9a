// One job from spec to file: prompt from the preset table, seed, cache look-up, the queue (batched with its
// neighbours), audio finishing, a 24-bit 48 kHz WAV written atomically into the output folder.
// A job's own preparation (prompt resolution, output folder) can only fail that job: the failure comes back as its
// result, never as a throw into the code that is submitting its batch neighbours.
import { createHash, randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { MAX_DURATION_SEC, OUTPUT_SAMPLE_RATE, takeId } from "../../shared/protocol";
import type { ErrorCode, ExtendSpec, JobResult, JobSpec, LevelsMode, SpeechRegion } from "../../shared/protocol";
import { CuesmithError } from "../../shared/errors";
import { applyDucking, DUCK_DEFAULTS } from "../audio/duck";
import { duckKeyframes } from "../audio/duck-keyframes";
import { integratedLoudness, truePeakDb } from "../audio/loudness";
import { withBpm } from "../../shared/presets";
import { finishBed, TRUE_PEAK_MARGIN_DB } from "../audio/finish";
import { PEAK_GUARD, TARGET_LUFS } from "../audio/gain";
import { encodeWav } from "../audio/wav";
import { DEFAULTS, type EngineInfo } from "../engine/musicgen";
import { promptFramesOf } from "../engine/generation/continuation";
import { GenerationQueue, QueueError } from "../jobs/generation-queue";
import type { PresetStore } from "../store/preset-store";
import type { EngineHost } from "./engine-host";
import { confine, ConfinementError } from "../util/confine";
import { tempPathFor } from "../util/atomic-file";
import { displayPath } from "../util/display-path";
import { cacheKey, RenderCache } from "./render-cache";
import { decodeTakeCodes, encodeTakeCodes } from "./take-codes";

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
  /** The job's result (take 0 of a job with several variations). */
  result: Promise<JobResult>;
  /** Every take, take 0 first: present when the job asked for more than one variation. */
  takes?: Promise<JobResult[]>;
  cancel(): void;
}

type Duck = { regions: SpeechRegion[]; depthDb: number };

/** Everything one take needs, decided before it is queued. */
interface Render {
  started: number;
  info: EngineInfo;
  outputDir: string;
  prompt: string;
  tag?: string;
  seed: number;
  settings: {
    guidanceScale: number;
    topK: number;
    temperature: number;
    targetLufs: number;
    bedLevelDb: number;
  };
  durationSec: number;
  duck?: Duck;
  levels: LevelsMode;
  /** Set on the takes of a job with several variations. */
  takeIndex?: number;
  /** Set when the take continues another: its codes are the prompt, and the bed starts where it started. */
  continuation?: { from: string; promptCodes: Int32Array[]; startAtSec: number };
}

function failed(err: unknown): SubmittedJob {
  return { result: Promise.reject(err), cancel: () => {} };
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
   * preparation fails (unknown model, refused folder, unusable tag) gets that failure as its result. With
   * `variations` > 1 the takes share one batched decode (take i with seed (seed + i) mod 2^31); `result` is take 0
   * and `takes` all of them.
   */
  submit(spec: JobSpec, jobId: string, events: JobEvents = {}, duck?: Duck): SubmittedJob {
    try {
      const job = this.prepare(spec, duck);
      const count = spec.variations ?? 1;
      if (count <= 1) return this.render(job, jobId, events);
      const takes = Array.from({ length: count }, (_, i) =>
        this.render(
          { ...job, seed: (job.seed + i) % 2 ** 31, takeIndex: i },
          takeId(jobId, i),
          // the takes share one decode: its progress is reported once, under the job's own id
          i === 0 ? events : {},
        ),
      );
      const all = Promise.all(takes.map((t) => t.result));
      // one take failing fails the job: the others are not left running for nobody
      all.catch(() => takes.forEach((t) => t.cancel()));
      const result = all.then((results) => results[0]);
      result.catch(() => {}); // a caller may wait on `takes` alone
      return { result, takes: all, cancel: () => takes.forEach((t) => t.cancel()) };
    } catch (err) {
      return failed(
        err instanceof RangeError
          ? new JobError("invalid_field", err.message, spec.scene_tag !== undefined ? "scene_tag" : "prompt")
          : err,
      );
    }
  }

  /**
   * Continues a finished take to `duration_sec` (longer than the take): its kept codes are the prompt of the new
   * decode, so the opening is the same music; the new bed starts where the take started and is finished as usual.
   */
  extend(spec: ExtendSpec, jobId: string, events: JobEvents = {}): SubmittedJob {
    const started = performance.now();
    const job = (async () => {
      const info = this.host.require().info;
      const found = this.cache.find((m) => m.sha256 === spec.sha256);
      const bytes = found && (await this.cache.readCodes(found.key));
      if (!found || !bytes)
        throw new JobError("not_found", `no take with sha256 ${spec.sha256} (and its codes) is kept by this helper`);
      let take: ReturnType<typeof decodeTakeCodes>;
      try {
        take = decodeTakeCodes(bytes);
      } catch (err) {
        throw new JobError("not_found", `the codes of take ${spec.sha256} are damaged (${(err as Error).message})`);
      }
      const { header } = take;
      if (header.model !== info.modelDir || header.variant !== info.variant)
        throw new JobError("not_found", `take ${spec.sha256} was made by another model (${displayPath(header.model)})`);
      if (!(spec.duration_sec > found.meta.duration_sec))
        throw new JobError(
          "invalid_field",
          `duration_sec must be longer than the take (${found.meta.duration_sec} s), got ${spec.duration_sec}`,
          "duration_sec",
        );
      const known = promptFramesOf(header.frames, header.codebooks);
      const s = header.settings;
      return this.render(
        {
          started,
          info,
          outputDir: this.outputDirFor(spec.output_dir),
          prompt: header.prompt,
          tag: header.scene_tag,
          seed: header.seed,
          settings: {
            guidanceScale: s.guidance_scale,
            topK: s.top_k,
            temperature: s.temperature,
            targetLufs: s.loudness_lufs,
            bedLevelDb: s.bed_level_db,
          },
          durationSec: spec.duration_sec,
          duck: header.duck && { regions: header.duck.regions, depthDb: header.duck.depth_db },
          levels: spec.levels ?? "baked",
          continuation: {
            from: spec.sha256,
            promptCodes: take.codes.map((row) => row.slice(0, known)),
            startAtSec: header.trim_start_sec,
          },
        },
        jobId,
        events,
      );
    })();
    let cancelled = false;
    let inner: SubmittedJob | undefined;
    return {
      result: job.then((j) => {
        inner = j;
        if (cancelled) j.cancel();
        return j.result;
      }),
      cancel: () => {
        cancelled = true;
        inner?.cancel();
      },
    };
  }

  /** Prompt, seed, settings and folder of a job: everything decided before it is queued (throws on a bad one). */
  private prepare(spec: JobSpec, duck?: Duck): Render {
    const started = performance.now();
    const info = this.host.require().info; // throws model_missing (503) before anything is queued
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
    return {
      started,
      info,
      outputDir,
      prompt: withBpm(resolved.prompt, spec.target_bpm),
      tag,
      seed: spec.seed ?? resolved.seed ?? randomInt(0, 2 ** 31 - 1),
      settings: {
        guidanceScale: spec.guidance_scale ?? DEFAULTS.guidanceScale,
        topK: spec.top_k ?? DEFAULTS.topK,
        temperature: spec.temperature ?? DEFAULTS.temperature,
        targetLufs: spec.loudness_lufs ?? this.options.targetLufs,
        bedLevelDb: spec.bed_level_db ?? this.options.bedLevelDb,
      },
      durationSec: spec.duration_sec,
      duck,
      levels: spec.levels ?? "baked",
    };
  }

  /** One take: cache look-up, the queue, finishing, the file placed; its codes are kept beside it in the cache. */
  private render(job: Render, jobId: string, events: JobEvents): SubmittedJob {
    const { info, prompt, tag, seed, settings, duck, levels, continuation } = job;
    const keyframes = levels === "keyframes";
    const key = cacheKey({
      model: info.modelDir,
      variant: info.variant,
      prompt,
      duration: job.durationSec,
      seed,
      ...settings,
      duck: duck ?? null,
      finish: FINISH_VERSION,
      // new parts only when used, so that the keys of plain baked renders stay what they were
      ...(keyframes ? { levels } : {}),
      ...(continuation ? { extends: continuation.from } : {}),
    });
    const fileName = `${slug(tag ?? prompt)}_${job.durationSec}s_seed${seed}_${key.slice(0, 8)}.wav`;
    const finish = async (wavPath: string, meta: CachedMeta, batchSize?: number): Promise<JobResult> => {
      const out = path.join(job.outputDir, fileName);
      await this.placeFile(wavPath, out);
      return {
        ...meta,
        job_id: jobId,
        path: out,
        cached: batchSize === undefined,
        wall_ms: Math.round(performance.now() - job.started),
        ...(batchSize !== undefined ? { batch_size: batchSize } : {}),
        ...(job.takeIndex !== undefined ? { take_index: job.takeIndex } : {}),
        ...(continuation ? { extended_from: continuation.from } : {}),
        levels,
        ...(keyframes
          ? {
              bed_gain_db: clipGainDb(meta, settings.targetLufs + settings.bedLevelDb),
              ...(duck
                ? {
                    duck_keyframes: duckKeyframes(duck.regions, meta.duration_sec, OUTPUT_RATE, {
                      ...DUCK_DEFAULTS,
                      depthDb: duck.depthDb,
                    }),
                  }
                : {}),
            }
          : {}),
      };
    };

    const hit = this.cache.get(key);
    if (hit) {
      events.onQueued?.(0);
      return { result: finish(hit.wavPath, hit.meta), cancel: () => {} };
    }

    // a continuation starts where its take started: generate enough past that point
    const startAt = continuation?.startAtSec ?? 0;
    const generateSec = Math.min(job.durationSec + startAt + TRIM_MARGIN_SEC, MAX_DURATION_SEC);
    const { targetLufs, bedLevelDb, ...sampling } = settings;
    const handle = this.queue.submit(
      { prompt, durationSec: generateSec, seed, ...sampling, promptCodes: continuation?.promptCodes },
      { onQueued: events.onQueued, onProgress: events.onProgress },
    );
    let cancelled = false;
    const result = handle.result.then(
      async (out) => {
        const bed = await finishBed(out.audio, {
          sourceRate: out.sampleRate,
          targetSeconds: job.durationSec,
          targetLufs,
          // keyframes: the level (and the dip) travel as clip volume, the WAV stays at its finished loudness
          bedLevelDb: keyframes ? 0 : bedLevelDb,
          outRate: OUTPUT_RATE,
          startAtSec: continuation?.startAtSec,
        });
        // ducking is baked in after the level chain: the bed is at its normal level between phrases
        const ducked = duck !== undefined && !keyframes;
        const samples = ducked
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
          loudness_lufs: round2(ducked ? integratedLoudness(samples, OUTPUT_RATE) : bed.loudnessLufs),
          true_peak_dbtp: round2(ducked ? truePeakDb(samples) : bed.truePeakDbtp),
          bpm_estimate: bed.bpm === null ? null : round2(bed.bpm),
          beats_sec: bed.beats.map((b: number) => Math.round(b * 1000) / 1000),
          model: info.modelDir,
          contract_model: info.contractModel,
        };
        const codes =
          out.codes &&
          encodeTakeCodes(out.codes, {
            frame_rate: info.frameRate,
            model: info.modelDir,
            variant: info.variant,
            prompt,
            ...(tag !== undefined ? { scene_tag: tag } : {}),
            seed,
            settings: {
              guidance_scale: settings.guidanceScale,
              top_k: settings.topK,
              temperature: settings.temperature,
              loudness_lufs: targetLufs,
              bed_level_db: bedLevelDb,
            },
            generated_sec: generateSec,
            trim_start_sec: bed.steps.trim.startSec,
            duration_sec: meta.duration_sec,
            ...(duck ? { duck: { regions: duck.regions, depth_db: duck.depthDb } } : {}),
          });
        const entry = await this.cache.put(key, wav, meta, codes);
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

/**
 * The clip volume that brings a bed left at its finished loudness to where the baked chain would put it: the
 * loudness target plus the bed level (so a peak-guard cut the unlevelled WAV needed is not taken twice), never
 * past the true-peak ceiling.
 */
function clipGainDb(meta: CachedMeta, intendedLufs: number): number {
  if (!Number.isFinite(meta.loudness_lufs)) return round2(intendedLufs - TARGET_LUFS);
  const ceiling = PEAK_GUARD.truePeakCeilingDbtp - TRUE_PEAK_MARGIN_DB - meta.true_peak_dbtp;
  return round2(Math.min(intendedLufs - meta.loudness_lufs, ceiling));
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
