// Feedback from the panel's form, stored durably: one JSON line per entry, appended with a single write and
// fsynced before the caller is told it is stored. Nothing acknowledged is ever lost; a line torn by a crash
// (never acknowledged) is dropped on open.
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { FeedbackReason } from "../../shared/protocol";

export interface FeedbackRecord {
  id: string;
  /** ISO time the helper stored it. */
  time: string;
  reason: FeedbackReason;
  note: string;
  job_id?: string;
  prompt: string;
  tag?: string;
  seed: number;
  model: string;
  /** SHA-256 of the WAV the editor heard: the same take reported twice counts once per reason. */
  sha256: string;
  duration_sec?: number;
  bpm_estimate?: number | null;
}

export class FeedbackLog {
  private entries: FeedbackRecord[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  readonly warnings: string[] = [];

  private constructor(readonly file: string) {}

  static async open(file: string): Promise<FeedbackLog> {
    const log = new FeedbackLog(file);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    let text = "";
    try {
      text = await fs.promises.readFile(file, "utf8");
    } catch {
      return log;
    }
    const complete = text.lastIndexOf("\n") + 1;
    if (complete < text.length) {
      log.warnings.push(`${file}: dropped an incomplete last line (${text.length - complete} bytes) left by an interrupted write`);
      await fs.promises.truncate(file, Buffer.byteLength(text.slice(0, complete)));
    }
    text.slice(0, complete).split("\n").forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        log.entries.push(JSON.parse(line) as FeedbackRecord);
      } catch {
        log.warnings.push(`${file}: line ${i + 1} is not JSON and was skipped`);
      }
    });
    return log;
  }

  /** Appends one entry; resolves only after it is on disk. Appends are serialised so lines never interleave. */
  append(entry: Omit<FeedbackRecord, "id" | "time">): Promise<FeedbackRecord> {
    const record: FeedbackRecord = { id: randomUUID(), time: new Date().toISOString(), ...entry };
    const line = JSON.stringify(record) + "\n";
    const write = this.tail.then(async () => {
      const handle = await fs.promises.open(this.file, "a");
      try {
        await handle.write(line);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.entries.push(record);
      return record;
    });
    this.tail = write.catch(() => undefined);
    return write;
  }

  async readAll(): Promise<FeedbackRecord[]> {
    await this.tail;
    return [...this.entries];
  }
}
