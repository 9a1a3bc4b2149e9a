// Progress of a model fetch, and a bar for stderr: on a terminal one line redrawn in place, elsewhere (CI logs,
// pipes) a plain line every ~10%.

export type FetchPhase = "check" | "reuse" | "download" | "done";

export interface FetchProgress {
  phase: FetchPhase;
  /** The file being worked on (relative path). */
  file: string;
  /** 1-based. */
  fileIndex: number;
  fileCount: number;
  /** Bytes of this file handled so far in this phase, and its (possibly approximate) size. */
  fileBytes: number;
  fileSize: number;
  /** Bytes of the whole set handled so far, and the (possibly approximate) total. */
  doneBytes: number;
  totalBytes: number;
}

export function formatBytes(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let i = -1;
  do {
    v /= 1000;
    i++;
  } while (Math.abs(v) >= 1000 && i < units.length - 1);
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}

const VERB: Record<FetchPhase, string> = { check: "checking", reuse: "reusing", download: "downloading", done: "done" };

export interface ProgressBarOptions {
  /** Raw writer (no newline added). */
  write: (s: string) => void;
  /** Redraw one line in place (a terminal) or print a line every ~10%. */
  tty: boolean;
  /** Columns for the whole line on a terminal (default 80). */
  columns?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Minimum milliseconds between terminal redraws (default 100). */
  intervalMs?: number;
}

export class ProgressBar {
  private lastDraw = 0;
  private lastDecile = -1;
  private drawn = false;
  private startedAt: number;
  private readonly now: () => number;

  constructor(private readonly opts: ProgressBarOptions) {
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** Feed it every progress event. */
  readonly update = (p: FetchProgress): void => {
    const pct = p.totalBytes > 0 ? Math.max(0, Math.min(100, Math.floor((p.doneBytes / p.totalBytes) * 100))) : 0;
    if (this.opts.tty) {
      const t = this.now();
      if (p.phase !== "done" && t - this.lastDraw < (this.opts.intervalMs ?? 100)) return;
      this.lastDraw = t;
      const elapsed = Math.max(0.001, (t - this.startedAt) / 1000);
      const rate = p.doneBytes / elapsed;
      const barWidth = 20;
      const filled = Math.round((pct / 100) * barWidth);
      const bar = "#".repeat(filled) + "-".repeat(barWidth - filled);
      let line =
        `[${bar}] ${String(pct).padStart(3)}% ${formatBytes(p.doneBytes)}/${formatBytes(p.totalBytes)} ` +
        `${VERB[p.phase]} ${p.file} (${p.fileIndex}/${p.fileCount})${p.phase === "download" ? ` ${formatBytes(rate)}/s` : ""}`;
      const cols = Math.max(20, (this.opts.columns ?? 80) - 1);
      if (line.length > cols) line = line.slice(0, cols - 1) + "…";
      this.opts.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else {
      const decile = Math.floor(pct / 10);
      if (decile <= this.lastDecile) return;
      this.lastDecile = decile;
      this.opts.write(
        `fetch: ${decile * 10}% (${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)}) — ${VERB[p.phase]} ${p.file}\n`,
      );
    }
  };

  /** Ends the redrawn line so later output starts on a fresh one. */
  finish(): void {
    if (this.opts.tty && this.drawn) this.opts.write("\n");
    this.drawn = false;
  }
}

/** A bar on process.stderr, redrawn in place when it is a terminal. */
export function stderrProgressBar(): ProgressBar {
  return new ProgressBar({
    write: (s) => process.stderr.write(s),
    tty: !!process.stderr.isTTY,
    columns: process.stderr.columns,
  });
}
