// Error codes on the wire: stable strings the panel and scripts can switch on, each with the HTTP status the
// helper answers with. Over WebSocket the code travels in an `error` message; over HTTP the body is always
// {"error": {"code", "message", "field"?}} with the status below.

/**
 * Every code the helper sends, with its HTTP status.
 *
 * - `queue_full` is 503, not 429: the queue is the helper's capacity, shared by every client, not a per-client
 *   rate limit; try again once some jobs have finished.
 * - `cancelled` is mostly a WebSocket outcome (the reply to `cancel`); over HTTP it is 409, seen only when a
 *   waiting `POST /generate` loses its job to a `cancel` from the panel or to the helper shutting down.
 * - `model_missing` (no model files: run the fetch command) and `model_loading` (the model is still loading: try
 *   again in a few seconds) are both 503.
 * - `forbidden` is 403 (origin or Host refused); a missing or wrong `--lan` token is answered with 401 and the
 *   same code.
 */
export const ERROR_STATUS = {
  invalid_message: 400,
  invalid_field: 400,
  unknown_type: 400,
  forbidden: 403,
  unknown_tag: 404,
  not_found: 404,
  cancelled: 409,
  too_large: 413,
  internal: 500,
  generation_failed: 500,
  model_missing: 503,
  model_loading: 503,
  tool_missing: 503,
  queue_full: 503,
  timeout: 504,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** All codes, in the table's order. */
export const ERROR_CODES: readonly ErrorCode[] = Object.freeze(Object.keys(ERROR_STATUS) as ErrorCode[]);

/** The codes the parsers in this folder produce. */
export type ParseErrorCode = "invalid_message" | "invalid_field" | "unknown_type" | "too_large";

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}

/** The HTTP status for a code; 500 for a string that is not one of ours. */
export function httpStatusFor(code: ErrorCode | string): number {
  return isErrorCode(code) ? ERROR_STATUS[code] : 500;
}

/** An error as the wire carries it. `field` is a JSON path into the request, e.g. "jobs[2].duration_sec". */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  field?: string;
}

/** Every HTTP error body. */
export interface HttpErrorBody {
  error: ErrorPayload;
}

export function errorPayload(code: ErrorCode, message: string, field?: string): ErrorPayload {
  return field === undefined ? { code, message } : { code, message, field };
}

export function httpErrorBody(error: ErrorPayload): HttpErrorBody {
  return { error: errorPayload(error.code, error.message, error.field) };
}
