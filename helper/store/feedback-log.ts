// Feedback from the panel's "this music isn't right" form, stored durably in an append-only JSON Lines file
// (default <cuesmithHome>/feedback.jsonl):
//  - each append is one write() of a whole line, then fsync, before the promise resolves: nothing acknowledged is
//    ever lost; appends from one process are serialised so lines never interleave;
//  - opening only reads: a last line without its newline (torn by a crash, so never acknowledged) is ignored with a
//    warning, and lines that are not records are skipped with a warning naming the line; `cuesmith report` can
//    read the file while the helper writes to it;
//  - the torn tail is cut off by the next append (when nothing else has written since it was seen), so the new line
//    starts on a line of its own;
//  - every line is kept; duplicates (the same WAV reported twice for the same reason) are merged when counting;
//  - the file is private to the user (0600, its folder 0700 when we create it): notes can name clients' projects.
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { FEEDBACK_REASONS, MAX_NOTE_CHARS, MAX_SEED, MIN_SEED } from "../../shared/protocol";
import {
  enumOf,
  int,
  invalidField,
  isPlainObject,
  nullable,
  num,
  object,
  ok,
  optional,
  refine,
  str,
  type Infer,
} from "../../shared/protocol/validate";
import { cuesmithHome } from "../config/paths";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../util/atomic-file";
import { displayPath } from "../util/display-path";
import { StoreError } from "./errors";

/** A stored line. Optional fields stay absent when unknown; lines from a newer helper may carry more keys. */
const RECORD_SHAPE = {
  id: str(),
  /** ISO time the helper stored it. */
  time: refine(str(), (t, at) =>
    Number.isNaN(Date.parse(t)) ? invalidField(at, `${at} must be an ISO date and time`) : ok(t),
  ),
  reason: enumOf(FEEDBACK_REASONS),
  note: str({ min: 0, max: MAX_NOTE_CHARS, multiline: true }),
  job_id: optional(str({ min: 0 })),
  prompt: str({ trim: true, multiline: true }),
  tag: optional(str()),
  seed: int(MIN_SEED, MAX_SEED),
  model: str(),
  /** SHA-256 (lowercase hex) of the WAV the editor heard: the same take reported twice counts once per reason. */
  sha256: str({ pattern: /^[0-9a-f]{64}$/, patternHint: "expected 64 lowercase hex digits" }),
  duration_sec: optional(num({ min: 0, unit: "seconds" })),
  bpm_estimate: optional(nullable(num())),
};

export type FeedbackRecord = Infer<typeof RECORD_SHAPE>;

const recordObject = object(RECORD_SHAPE, { unknownKeys: "strip" });

/** What a caller appends; the log adds `id` and `time`. */
export type FeedbackInput = Omit<FeedbackRecord, "id" | "time">;

/** `<cuesmithHome>/feedback.jsonl`. */
export function defaultFeedbackFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cuesmithHome(env), "feedback.jsonl");
}

/** Why `value` is not a feedback record (field and reason), or null when it is one. */
export function checkFeedbackRecord(value: unknown): { field: string; message: string } | null {
  if (!isPlainObject(value)) return { field: "entry", message: "an entry must be a JSON object" };
  const r = recordObject(value, "");
  return r.ok ? null : { field: r.error.field ?? "entry", message: r.error.message };
}

interface Parsed {
  entries: FeedbackRecord[];
  warnings: string[];
}

/** Whole lines of the file -> records; a last line without its newline is a torn write unless it is a whole record. */
function parseLog(text: string, file: string): Parsed {
  const entries: FeedbackRecord[] = [];
  const warnings: string[] = [];
  const lines = text.split("\n");
  const last = lines.pop()!; // "" when the file ends with a newline
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      warnings.push(`${file}: line ${i + 1} is not JSON and was skipped`);
      return;
    }
    const problem = checkFeedbackRecord(value);
    if (problem) warnings.push(`${file}: line ${i + 1} was skipped: ${problem.message}`);
    else entries.push(value as FeedbackRecord);
  });
  if (last.trim() !== "") {
    const whole = wholeRecord(last);
    if (whole) entries.push(whole);
    else
      warnings.push(
        `${file}: ignored an incomplete last line (${Buffer.byteLength(last)} bytes) left by an interrupted write; it was never acknowledged`,
      );
  }
  return { entries, warnings };
}

function wholeRecord(line: string): FeedbackRecord | null {
  try {
    const value: unknown = JSON.parse(line);
    return checkFeedbackRecord(value) ? null : (value as FeedbackRecord);
  } catch {
    return null;
  }
}

/** The bytes after the file's last newline (the whole file when it has none): where they start, and their text. */
async function readTail(handle: fs.promises.FileHandle, size: number): Promise<{ start: number; text: string }> {
  const chunks: Buffer[] = [];
  let end = size;
  while (end > 0) {
    const len = Math.min(64 * 1024, end);
    const buf = Buffer.alloc(len);
    const { bytesRead } = await handle.read(buf, 0, len, end - len);
    const chunk = buf.subarray(0, bytesRead);
    const nl = chunk.lastIndexOf(0x0a);
    if (nl >= 0) {
      chunks.unshift(chunk.subarray(nl + 1));
      return { start: end - len + nl + 1, text: Buffer.concat(chunks).toString("utf8") };
    }
    chunks.unshift(chunk);
    end -= len;
  }
  return { start: 0, text: Buffer.concat(chunks).toString("utf8") };
}

export class FeedbackLog {
  private entries: FeedbackRecord[] = [];
  /** Size of the file as this object last saw it (read or written); -1 when unknown. */
  private knownSize = -1;
  private queue: Promise<unknown> = Promise.resolve();
  private modeChecked = false;
  /** Problems met reading (or repairing) the file: skipped lines, an ignored torn last line. */
  readonly warnings: string[] = [];

  private constructor(readonly file: string) {}

  /** Reads the log (a missing file is an empty log). Never modifies the file. */
  static async open(file: string = defaultFeedbackFile()): Promise<FeedbackLog> {
    const log = new FeedbackLog(path.resolve(file));
    await log.load();
    return log;
  }

  private async load(): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      bytes = Buffer.alloc(0);
    }
    const parsed = parseLog(bytes.toString("utf8"), displayPath(this.file));
    this.entries = parsed.entries;
    this.warnings.splice(0, this.warnings.length, ...parsed.warnings);
    this.knownSize = bytes.length;
  }

  /** Entries read or appended so far. */
  get length(): number {
    return this.entries.length;
  }

  /**
   * Validates and appends one entry; resolves with the stored record only after its line is on disk (fsync).
   * Rejects with a StoreError("invalid_field") for a malformed entry, or with the I/O error (nothing acknowledged).
   */
  append(entry: FeedbackInput): Promise<FeedbackRecord> {
    // only the record's own fields, in a fixed order (an entry object with extra keys adds nothing to the file)
    const record: FeedbackRecord = {
      id: randomUUID(),
      time: new Date().toISOString(),
      reason: entry.reason,
      note: entry.note,
      ...(entry.job_id !== undefined ? { job_id: entry.job_id } : {}),
      prompt: entry.prompt,
      ...(entry.tag !== undefined ? { tag: entry.tag } : {}),
      seed: entry.seed,
      model: entry.model,
      sha256: typeof entry.sha256 === "string" ? entry.sha256.toLowerCase() : entry.sha256,
      ...(entry.duration_sec !== undefined ? { duration_sec: entry.duration_sec } : {}),
      ...(entry.bpm_estimate !== undefined ? { bpm_estimate: entry.bpm_estimate } : {}),
    };
    const problem = checkFeedbackRecord(record);
    if (problem)
      return Promise.reject(new StoreError("invalid_field", `feedback not stored: ${problem.message}`, problem.field));
    const run = this.queue.then(async () => {
      await this.writeLine(JSON.stringify(record) + "\n");
      this.entries.push(record);
      return record;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeLine(line: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const handle = await fs.promises.open(this.file, "a+", PRIVATE_FILE_MODE);
    try {
      if (!this.modeChecked) {
        // a file created by an older version (or by hand) may be readable by others: make it private once
        this.modeChecked = true;
        await handle.chmod(PRIVATE_FILE_MODE).catch(() => {});
      }
      const { size } = await handle.stat();
      let prefix = "";
      if (size > 0) {
        const tail = await readTail(handle, size);
        if (tail.text !== "") {
          if (size === this.knownSize && !wholeRecord(tail.text)) {
            // the torn line we saw on open (nobody has written since): cut it off so the file stays clean
            await handle.truncate(tail.start);
            this.warnings.push(
              `${displayPath(this.file)}: removed an incomplete last line (${size - tail.start} bytes) before appending`,
            );
          } else {
            prefix = "\n"; // written by someone else meanwhile: keep it, start our line on a new line
          }
        }
      }
      const buf = Buffer.from(prefix + line, "utf8");
      this.knownSize = -1; // unknown until the write is complete
      let offset = 0;
      while (offset < buf.length) {
        // one write for the whole line; the loop only matters if the OS ever reports a short write
        const { bytesWritten } = await handle.write(buf, offset, buf.length - offset);
        offset += bytesWritten;
      }
      await handle.sync();
      this.knownSize = (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  }

  /** All entries, after any pending appends; re-reads the file if something else changed it meanwhile. */
  async readAll(): Promise<FeedbackRecord[]> {
    await this.queue;
    let size = 0;
    try {
      size = (await fs.promises.stat(this.file)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    if (size !== this.knownSize) {
      // another writer, a hand edit or a deleted file: the file is the truth. Queue it like an append so a
      // reload never races with one of ours.
      const reload = this.queue.then(() => this.load());
      this.queue = reload.catch(() => undefined);
      await reload;
    }
    return this.entries.map((e) => ({ ...e }));
  }
}
