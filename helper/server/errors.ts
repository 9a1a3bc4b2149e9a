// Any failure -> the wire's {code, message, field?}. Every error the helper raises on purpose is a CuesmithError
// whose own code is mapped onto a protocol code in the one table below (the HTTP status follows from the protocol
// code: shared/protocol/errors.ts). Anything else is "internal".
import type { AudioInputErrorCode } from "../voice/decode-audio";
import type { EngineErrorCode } from "../engine/errors";
import type { ModelFileErrorCode } from "../../models/fetch/errors";
import type { NliModelErrorCode } from "../voice/emotion/nli-classifier";
import type { QueueErrorCode } from "../jobs/generation-queue";
import type { WhisperModelErrorCode } from "../voice/transcribe/errors";
import { CuesmithError } from "../../shared/errors";
import { ErrorCode, ErrorPayload, isErrorCode } from "../../shared/protocol";

/** Every internal code: the raisers' own words. Codes that are already protocol codes map onto themselves. */
export type InternalErrorCode =
  | EngineErrorCode
  | QueueErrorCode
  | AudioInputErrorCode
  | ModelFileErrorCode
  | WhisperModelErrorCode
  | NliModelErrorCode
  | "invalid_field"
  | "forbidden";

export interface WireMapping {
  code: ErrorCode;
  /** The field named when the error does not name one itself. */
  field?: string;
}

/**
 * Internal code -> protocol code. Model files that are missing or damaged (MusicGen, Whisper, the emotion model) are
 * `model_missing` (503): the machine lacks something the message says how to get. A clip the helper cannot read is
 * the request's fault (400, `media_path`); a missing ffmpeg is the machine's (503).
 */
export const ERROR_TABLE = {
  // engine
  model_missing: { code: "model_missing" },
  model_corrupt: { code: "model_missing" },
  invalid_request: { code: "invalid_field" },
  aborted: { code: "cancelled" },
  busy: { code: "model_loading" },
  // queue
  cancelled: { code: "cancelled" },
  timeout: { code: "timeout" },
  queue_full: { code: "queue_full" },
  generation_failed: { code: "generation_failed" },
  // stores, confinement
  invalid_field: { code: "invalid_field" },
  forbidden: { code: "forbidden" },
  // clip decoding
  ffmpeg_missing: { code: "tool_missing" },
  file_missing: { code: "invalid_field", field: "media_path" },
  not_a_file: { code: "invalid_field", field: "media_path" },
  refused_path: { code: "invalid_field", field: "media_path" },
  undecodable: { code: "invalid_field", field: "media_path" },
  invalid_range: { code: "invalid_field", field: "media_path" },
  too_long: { code: "invalid_field", field: "media_path" },
  // model files (fetch/verify; the loader raises these too)
  missing: { code: "model_missing" },
  wrong_size: { code: "model_missing" },
  wrong_hash: { code: "model_missing" },
  offline: { code: "model_missing" },
  network: { code: "model_missing" },
  http: { code: "model_missing" },
  hub_mismatch: { code: "model_missing" },
  unknown_model: { code: "invalid_field" },
  io: { code: "internal" },
  // Whisper and the emotion model
  whisper_missing: { code: "model_missing" },
  whisper_corrupt: { code: "model_missing" },
  emotion_missing: { code: "model_missing" },
  emotion_corrupt: { code: "model_missing" },
} as const satisfies Record<InternalErrorCode, WireMapping>;

/** The wire's code (and default field) for an internal code; protocol codes stand for themselves. */
export function wireMapping(code: string): WireMapping | undefined {
  if (Object.prototype.hasOwnProperty.call(ERROR_TABLE, code)) return ERROR_TABLE[code as InternalErrorCode];
  return isErrorCode(code) ? { code } : undefined;
}

export function errorBody(err: unknown): ErrorPayload {
  const mapping = err instanceof CuesmithError ? wireMapping(err.code) : undefined;
  if (!mapping || mapping.code === "internal")
    return { code: "internal", message: `internal error: ${err instanceof Error ? err.message : String(err)}` };
  const field = (err as CuesmithError).field ?? mapping.field;
  return { code: mapping.code, message: (err as CuesmithError).message, ...(field !== undefined ? { field } : {}) };
}
