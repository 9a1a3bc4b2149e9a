// The WebSocket messages: JSON text, each with a `type`. Client messages carry a client-chosen `id` that every
// reply about them repeats. Types and constants only; ./parse validates.
import type { Preset, PresetTable } from "../presets";
import type { ErrorPayload } from "./errors";
import type { AnalyzeResult } from "./voice";
import type { JobResult } from "./job";
import type { AnalyzeSpec, BedSpec, ExtendSpec, FeedbackBody, JobSpec } from "./specs";

/** Sent in `hello`; bumped on any change an older panel could not cope with. */
export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------------------------------------------
// Client -> helper

export const CLIENT_MESSAGE_TYPES = [
  "generate",
  "cancel",
  "presets.get",
  "presets.set",
  "presets.delete",
  "feedback",
  "health",
  "analyze",
  "bed",
  "extend",
] as const;
export type ClientMessageType = (typeof CLIENT_MESSAGE_TYPES)[number];

/**
 * Generate 1..64 beds. Replies, per job: `queued`, `progress`…, then `done` or `error`. A job sent without
 * `job_id` gets defaultJobId(id, index) ("<id>.<index>"); the effective job ids of a message are unique.
 */
export interface GenerateMessage {
  type: "generate";
  id: string;
  jobs: JobSpec[];
}

/**
 * Cancel one job (queued or running). Reply: `ack` for this message, and the job's own `error` (code `cancelled`,
 * under the `id` of its `generate`); `error` not_found when no unfinished job has that id.
 */
export interface CancelMessage {
  type: "cancel";
  id: string;
  job_id: string;
}

/** Reply: `presets`. */
export interface PresetsGetMessage {
  type: "presets.get";
  id: string;
}

/** Add or replace a preset (the tag is normalised). Reply: `presets` with the updated table. */
export interface PresetsSetMessage {
  type: "presets.set";
  id: string;
  tag: string;
  preset: Preset;
}

/** Remove a preset. Reply: `presets` with the updated table, or `error` unknown_tag. */
export interface PresetsDeleteMessage {
  type: "presets.delete";
  id: string;
  tag: string;
}

/** Reasons for feedback: `good_fit` is the keep (a positive answer); every other reason is a complaint. */
export const FEEDBACK_REASONS = [
  "too_loud",
  "tempo_slow",
  "tempo_fast",
  "wrong_instrument",
  "style_mismatch",
  "other",
  "good_fit",
] as const;
export type FeedbackReason = (typeof FEEDBACK_REASONS)[number];

/** What the editor thought of one bed; at least one of `job_id` / `sha256` says which. Also the body of POST /feedback. */
export type { FeedbackBody } from "./specs";

/** Reply: `ack` once stored. */
export interface FeedbackMessage extends FeedbackBody {
  type: "feedback";
  id: string;
}

/** Reply: `health`. */
export interface HealthRequestMessage {
  type: "health";
  id: string;
}

/** Reply: `analysis`. Transcript and/or media of a voice-over -> emotion, speech regions, prompt. */
export interface AnalyzeMessage extends AnalyzeSpec {
  type: "analyze";
  id: string;
}

/** A bed under a voice-over: replies like one `generate` job (`queued`, `progress`, `done`/`error`, keyed by job_id). */
export interface BedMessage extends BedSpec {
  type: "bed";
  id: string;
}

/**
 * Continue a finished take to a longer `duration_sec`: replies like one `generate` job (`queued`, `progress`,
 * `done`/`error`, keyed by job_id, default "<id>.0"); the result carries `extended_from`.
 */
export interface ExtendMessage extends ExtendSpec {
  type: "extend";
  id: string;
}

export type ClientMessage =
  | AnalyzeMessage
  | ExtendMessage
  | BedMessage
  | GenerateMessage
  | CancelMessage
  | PresetsGetMessage
  | PresetsSetMessage
  | PresetsDeleteMessage
  | FeedbackMessage
  | HealthRequestMessage;

/** The id of take `index` of a job that asked for `variations`: the job's id for take 0, else "<job_id>#<index>". */
export function takeId(jobId: string, index: number): string {
  return index === 0 ? jobId : `${jobId}#${index}`;
}

/** The job id the helper uses for `jobs[index]` of a `generate` whose job has no `job_id`: "<id>.<index>". */
export function defaultJobId(messageId: string, index: number): string {
  return `${messageId}.${index}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Helper -> client

export const SERVER_MESSAGE_TYPES = [
  "hello",
  "queued",
  "progress",
  "done",
  "error",
  "presets",
  "ack",
  "health",
  "analysis",
] as const;
export type ServerMessageType = (typeof SERVER_MESSAGE_TYPES)[number];

/** Sent once, right after the WebSocket opens. */
export interface HelloMessage {
  type: "hello";
  /** The helper's package version. */
  version: string;
  /** PROTOCOL_VERSION of the helper; a panel that speaks another version should say so and stop. */
  protocol: number;
}

/** A job was accepted; `position` 0 = next to run (or served from the cache). */
export interface QueuedMessage {
  type: "queued";
  id: string;
  job_id: string;
  position: number;
}

export interface ProgressMessage {
  type: "progress";
  id: string;
  job_id: string;
  /** 0..1 */
  fraction: number;
  /** Estimated milliseconds left. */
  eta_ms: number;
}

export interface DoneMessage {
  type: "done";
  id: string;
  job_id: string;
  /** The job's result; take 0 when it asked for several variations. */
  result: JobResult;
  /** With variations > 1: every take, take 0 first (job ids "<job_id>", "<job_id>#1", …). */
  takes?: JobResult[];
}

/**
 * Something failed. With `job_id`: that job (the others of its `generate` go on). With only `id`: the whole
 * message was refused. With neither: the message could not be read far enough to find its id.
 */
export interface ErrorMessage {
  type: "error";
  id?: string;
  job_id?: string;
  error: ErrorPayload;
}

export interface PresetsMessage {
  type: "presets";
  id: string;
  presets: PresetTable;
}

/** A feedback was stored, or a cancel carried out. */
export interface AckMessage {
  type: "ack";
  id: string;
}

export const HEALTH_STATUSES = ["ok", "model_missing", "loading"] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** The helper's state; the `health` message carries it, and GET /health answers it as is. */
export interface HealthInfo {
  status: HealthStatus;
  model_loaded: boolean;
  /** The onnxruntime execution provider in use ("cpu", "cuda", …); null while no model is loaded. */
  provider: string | null;
  /** Jobs waiting or running. */
  queue_length: number;
  version: string;
  /** Where the model is (or is expected). */
  model_dir: string;
  /** True when the loaded model is a random-weight contract model (its audio is noise). */
  contract_model: boolean;
  /** The decoder graph in use: a flat rewrite's layout ("in-place", "capacity") or "published"; absent while loading. */
  decoder_layout?: string;
  /** The flat decoder's check against the published graph on these weights ("passed" / "failed" / "not-run", and why). */
  self_check?: { status: string; reason: string };
  /** With provider "webgpu": the adapter the decoder runs on; `software` marks a CPU rasteriser (tests only). */
  gpu_adapter?: { vendor: string; architecture: string; device: string; software: boolean };
  /** With status model_missing: the command that fetches the model. */
  fetch_command?: string;
  /** With a status other than ok: why, in words (e.g. which model file is missing). */
  reason?: string;
}

export interface HealthMessage extends HealthInfo {
  type: "health";
  id: string;
}

export interface AnalysisMessage {
  type: "analysis";
  id: string;
  result: AnalyzeResult;
}

export type ServerMessage =
  | AnalysisMessage
  | HelloMessage
  | QueuedMessage
  | ProgressMessage
  | DoneMessage
  | ErrorMessage
  | PresetsMessage
  | AckMessage
  | HealthMessage;
