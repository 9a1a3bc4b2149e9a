// Errors the engine raises on purpose. Each carries a stable code and, for model files, the file and the fix,
// so the CLI and the helper can print one clear line instead of a stack trace.

import { CuesmithError } from "../../shared/errors";

export type EngineErrorCode = "model_missing" | "model_corrupt" | "invalid_request" | "aborted" | "busy";

export class EngineError extends CuesmithError<EngineErrorCode> {
  constructor(
    code: EngineErrorCode,
    message: string,
    readonly file?: string,
    fix?: string,
  ) {
    super(code, message, { fix });
  }
}

export const FETCH_HINT =
  "run `npx cuesmith models fetch musicgen-small`, or pass --model-dir with a folder in the published layout";

export function abortError(): EngineError {
  return new EngineError("aborted", "generation was cancelled");
}
