// Everything a request handler needs, wired once at start: the engine host, the queue and bed service, the
// preset table, the feedback log, and a short memory of finished jobs (so feedback can name a job by id).
// Before the stores open, temp files that interrupted writes left in the helper's folders are swept away.
import * as path from "node:path";
import type {
  AnalyzeResult,
  AnalyzeSpec,
  BedSpec,
  ExtendSpec,
  FeedbackBody,
  HealthInfo,
  JobResult,
  JobSpec,
} from "../../shared/protocol";
import { analyzeVoiceOver, AnalysisWithAudio, submitBed } from "../service/voice-service";
import type { HelperSettings } from "../config/settings";
import { GenerationQueue } from "../jobs/generation-queue";
import { buildReport, renderReport } from "../report";
import { BedService, JobError, JobEvents, SubmittedJob } from "../service/bed-service";
import { EngineHost } from "../service/engine-host";
import { RenderCache } from "../service/render-cache";
import { FeedbackLog, FeedbackRecord } from "../store/feedback-log";
import { PresetStore } from "../store/preset-store";
import { sweepStaleTempFiles } from "../util/temp-sweep";
import { VERSION } from "../version";

const REMEMBERED_RESULTS = 1000;

export class HelperContext {
  private readonly results = new Map<string, JobResult>();
  private counter = 0;

  private constructor(
    readonly settings: HelperSettings,
    readonly host: EngineHost,
    readonly queue: GenerationQueue,
    readonly presets: PresetStore,
    readonly feedback: FeedbackLog,
    readonly service: BedService,
    /** Stale temp files removed at start (interrupted writes of an earlier run). */
    readonly sweptTempFiles: readonly string[] = [],
  ) {}

  static async create(settings: HelperSettings, host: EngineHost): Promise<HelperContext> {
    const swept = await sweepStaleTempFiles([
      settings.outputDir,
      settings.cacheDir,
      path.dirname(settings.presetsFile),
      path.dirname(settings.feedbackFile),
    ]);
    const presets = await PresetStore.open(settings.presetsFile);
    const feedback = await FeedbackLog.open(settings.feedbackFile);
    const queue = new GenerationQueue(
      {
        generate: (req, opts) => host.require().generate(req, opts),
        stepsFor: (d) => host.require().stepsFor(d),
        get info() {
          return { msPerStep: host.info?.msPerStep ?? null };
        },
      },
      {
        maxBatch: settings.maxBatch,
        maxQueued: settings.maxQueue,
        timeoutMs: settings.jobTimeoutSec ? settings.jobTimeoutSec * 1000 : undefined,
      },
    );
    const cache = new RenderCache<Omit<JobResult, "job_id" | "path" | "cached" | "wall_ms" | "batch_size">>(
      settings.cacheDir,
      settings.cacheMaxBytes,
    );
    const service = new BedService(host, queue, presets, cache, {
      outputDir: settings.outputDir,
      outputRoots: settings.outputRoots,
      targetLufs: settings.targetLufs,
      bedLevelDb: settings.bedLevelDb,
    });
    return new HelperContext(settings, host, queue, presets, feedback, service, swept);
  }

  newJobId(): string {
    return `job-${Date.now().toString(36)}-${(++this.counter).toString(36)}`;
  }

  submit(spec: JobSpec, jobId: string, events: JobEvents = {}): SubmittedJob {
    return this.remembered(this.service.submit(spec, jobId, events));
  }

  /** Continues a finished take (by its sha256) to a longer length. */
  extend(spec: ExtendSpec, jobId: string, events: JobEvents = {}): SubmittedJob {
    return this.remembered(this.service.extend(spec, jobId, events));
  }

  /** Every take a job makes is remembered, so feedback can name any of them by job id. */
  private remembered(job: SubmittedJob): SubmittedJob {
    (job.takes ?? job.result.then((r) => [r])).then(
      (takes) => takes.forEach((r) => this.remember(r)),
      () => {},
    );
    return job;
  }

  /**
   * A bed under a voice-over: analysed first (so errors in the clip come back at once), then queued. `signal`:
   * abort it when the client disconnects or cancels during the analysis, so its ffmpeg is stopped.
   */
  /** The voice-over analysis alone; `signal` stops it (and its ffmpeg) when the caller is gone. */
  analyze(spec: AnalyzeSpec, signal?: AbortSignal): Promise<AnalysisWithAudio> {
    return analyzeVoiceOver(spec, { signal, allowUncMediaPaths: this.settings.allowUncMediaPaths });
  }

  async submitBed(
    spec: BedSpec,
    jobId: string,
    events: JobEvents = {},
    signal?: AbortSignal,
  ): Promise<{ job: SubmittedJob; analysis: AnalyzeResult }> {
    const submitted = await submitBed(this.service, spec, jobId, events, {
      signal,
      allowUncMediaPaths: this.settings.allowUncMediaPaths,
    });
    this.remembered(submitted.job);
    return submitted;
  }

  private remember(result: JobResult): void {
    this.results.set(result.job_id, result);
    if (this.results.size > REMEMBERED_RESULTS) this.results.delete(this.results.keys().next().value!);
  }

  health(): HealthInfo {
    const info = this.host.info;
    const status = this.host.status === "ready" ? "ok" : this.host.status === "loading" ? "loading" : "model_missing";
    return {
      status,
      model_loaded: this.host.status === "ready",
      provider: info?.provider ?? null,
      queue_length: this.queue.length,
      version: VERSION,
      model_dir: this.settings.modelDir,
      contract_model: info?.contractModel ?? false,
      ...(info ? { decoder_layout: info.decoderLayout, self_check: info.selfCheck } : {}),
      ...(info?.adapter
        ? {
            gpu_adapter: {
              vendor: info.adapter.vendor,
              architecture: info.adapter.architecture,
              device: info.adapter.device,
              software: info.adapter.software,
            },
          }
        : {}),
      ...(status === "ok" ? {} : { fetch_command: this.host.fetchCommand, reason: this.host.reason ?? undefined }),
    };
  }

  /** Stores feedback with what the helper knows of the take; fails (404) for a take it has never made. */
  async recordFeedback(fb: FeedbackBody): Promise<FeedbackRecord> {
    const remembered =
      (fb.job_id !== undefined ? this.results.get(fb.job_id) : undefined) ??
      [...this.results.values()].find((r) => r.sha256 === fb.sha256);
    // after a restart the render cache still knows a take by its WAV hash
    const take = remembered ?? (fb.sha256 !== undefined ? this.service.findTake(fb.sha256) : undefined);
    if (!take) {
      throw new JobError(
        "not_found",
        fb.job_id !== undefined
          ? `no finished job "${fb.job_id}" is known to this helper`
          : `no take with sha256 ${fb.sha256} is known to this helper`,
      );
    }
    return this.feedback.append({
      reason: fb.reason,
      note: fb.note ?? "",
      ...(remembered ? { job_id: remembered.job_id } : {}),
      prompt: take.prompt,
      ...(take.scene_tag !== undefined ? { tag: take.scene_tag } : {}),
      seed: take.seed,
      model: take.model,
      sha256: take.sha256,
      duration_sec: take.duration_sec,
      bpm_estimate: take.bpm_estimate,
    });
  }

  async report(since: Date, format: "json" | "md" | "html"): Promise<{ text: string; type: string }> {
    const report = buildReport(await this.feedback.readAll(), { since });
    const type = format === "json" ? "application/json" : format === "md" ? "text/markdown" : "text/html";
    return { text: renderReport(report, format), type };
  }
}
