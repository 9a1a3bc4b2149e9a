// Any failure -> the wire's {code, message, field?}. Known errors keep their stable code; the rest are "internal".
import { EngineError } from "../engine/errors";
import { QueueError } from "../jobs/generation-queue";
import { JobError } from "../service/bed-service";
import { StoreError } from "../store/preset-store";
import { AudioInputError } from "../voice/decode-audio";
import { ErrorPayload, isErrorCode } from "../../shared/protocol";

export function errorBody(err: unknown): ErrorPayload {
  if (err instanceof JobError) {
    return isErrorCode(err.code)
      ? { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) }
      : { code: "internal", message: err.message };
  }
  if (err instanceof QueueError) return { code: err.code, message: err.message };
  if (err instanceof AudioInputError) {
    // a missing ffmpeg is the helper's machine's problem (503); a missing or unreadable clip is the request's (400)
    return err.code === "ffmpeg_missing"
      ? { code: "tool_missing", message: err.message }
      : { code: "invalid_field", message: err.message, field: "media_path" };
  }
  if (err instanceof StoreError)
    return { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
  if (err instanceof EngineError) {
    if (err.code === "model_missing" || err.code === "model_corrupt")
      return { code: "model_missing", message: err.message };
    if (err.code === "busy") return { code: "model_loading", message: err.message };
    if (err.code === "invalid_request") return { code: "invalid_field", message: err.message };
    if (err.code === "aborted") return { code: "cancelled", message: err.message };
  }
  return { code: "internal", message: `internal error: ${err instanceof Error ? err.message : String(err)}` };
}
