// The one base of every error Cuesmith raises on purpose. Each carries a stable `code` (the raiser's own word, e.g.
// "whisper_missing"), optionally the request `field` at fault and a one-sentence `fix`, so the CLI can print one
// clear line and the helper can map the code onto the wire's codes in one table (helper/server/errors.ts).

export interface ErrorDetails {
  /** The request field at fault, as a JSON path ("jobs[2].duration_sec"). */
  field?: string;
  /** What the user can do about it, one sentence; appended to the message. */
  fix?: string;
}

export class CuesmithError<C extends string = string> extends Error {
  readonly code: C;
  readonly field?: string;
  readonly fix?: string;

  constructor(code: C, message: string, details: ErrorDetails = {}) {
    super(details.fix ? `${message} — ${details.fix}` : message);
    this.name = new.target.name;
    this.code = code;
    if (details.field !== undefined) this.field = details.field;
    if (details.fix !== undefined) this.fix = details.fix;
  }
}
