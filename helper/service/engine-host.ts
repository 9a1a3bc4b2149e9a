// Owns the one resident engine: loads it in the background at start (fetching the default model first when
// it is missing and fetching is allowed) and says at any moment whether jobs can run, and if not, why.
// While the model is missing it watches the model folder (a poll, and a look on every job), so a model fetched
// while the helper runs is loaded without a restart: /health goes model_missing -> loading -> ready.
import * as fs from "node:fs";
import * as path from "node:path";
import { EngineError } from "../engine/errors";
import { EngineInfo, MusicGenEngine } from "../engine/musicgen";

export type EngineStatus = "loading" | "ready" | "model_missing" | "failed";

export interface EngineHostOptions {
  modelDir: string;
  modelName: string;
  variant: "auto" | "fp32" | "q8";
  provider: string;
  /** Downloads the model into modelDir; absent when fetching on first start is off. */
  fetch?: (log: (line: string) => void) => Promise<void>;
  log?: (line: string) => void;
  /** How often the model folder is looked at while the model is missing (ms; default 2000). */
  watchIntervalMs?: number;
}

/** Files still being downloaded: a folder holding one is not looked at yet. */
const IN_PROGRESS = /\.(part|tmp)$/;

/**
 * Names, sizes and times of the files in the model folder (two levels: the root and onnx/), "" when it does not
 * exist, null while a download is in progress there. A change means something was installed or removed.
 */
export function folderSignature(dir: string): string | null {
  const entries: string[] = [];
  const walk = (d: string, depth: number): boolean => {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return true;
    }
    for (const e of names) {
      const full = path.join(d, e.name);
      if (IN_PROGRESS.test(e.name)) return false;
      if (e.isDirectory()) {
        if (depth > 0 && !walk(full, depth - 1)) return false;
      } else {
        try {
          const st = fs.statSync(full);
          entries.push(`${path.relative(dir, full)}:${st.size}:${st.mtimeMs}`);
        } catch {
          // removed between readdir and stat: the next look sees the settled folder
        }
      }
    }
    return true;
  };
  if (!walk(dir, 1)) return null;
  return entries.sort().join("\n");
}

export class EngineHost {
  private engine: MusicGenEngine | null = null;
  private state: EngineStatus = "loading";
  private problem: string | null = null;
  /** The folder as it was when loading last failed for a missing file: only a change is worth another try. */
  private failedSignature: string | null = null;
  /** The folder at the previous look: a change is tried once it has stood still for one interval. */
  private seenSignature: string | null = null;
  private reloading: Promise<void> | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  private closed = false;
  readonly ready: Promise<void>;

  constructor(private readonly options: EngineHostOptions) {
    this.ready = this.start();
  }

  get status(): EngineStatus {
    return this.state;
  }

  /** Why jobs cannot run now, with the fix; null when ready. */
  get reason(): string | null {
    return this.problem;
  }

  get info(): EngineInfo | null {
    return this.engine?.info ?? null;
  }

  get fetchCommand(): string {
    return `npx cuesmith models fetch ${this.options.modelName}`;
  }

  /** The engine, or an EngineError saying why there is none (model_missing -> HTTP 503). */
  require(): MusicGenEngine {
    if (this.engine) return this.engine;
    // a job is a good moment to look: the model may have been fetched since the last poll
    this.recheck(true);
    if (this.state === "loading") throw new EngineError("busy", "the model is still loading; try again in a moment");
    throw new EngineError("model_missing", this.problem ?? "the model is not available");
  }

  /** A promise that settles once a load started by a change in the model folder has finished (for tests). */
  settled(): Promise<void> {
    return this.reloading ?? this.ready;
  }

  /** Stops watching the model folder. */
  close(): void {
    this.closed = true;
    this.stopWatching();
  }

  private async start(): Promise<void> {
    const log = this.options.log ?? (() => {});
    const before = folderSignature(this.options.modelDir);
    try {
      this.engine = await this.load();
    } catch (err) {
      if (err instanceof EngineError && err.code === "model_missing" && this.options.fetch) {
        log(`model not installed in ${this.options.modelDir}; fetching ${this.options.modelName} (first start)…`);
        try {
          await this.options.fetch(log);
          this.engine = await this.load();
        } catch (fetchErr) {
          return this.missing(fetchErr, folderSignature(this.options.modelDir));
        }
      } else if (err instanceof EngineError && err.code === "model_missing") {
        return this.missing(err, before);
      } else {
        return this.fail("failed", `the model could not be loaded: ${(err as Error).message}`);
      }
    }
    this.becameReady();
  }

  private load(): Promise<MusicGenEngine> {
    return MusicGenEngine.load(this.options.modelDir, {
      variant: this.options.variant,
      provider: this.options.provider,
    });
  }

  private becameReady(): void {
    this.stopWatching();
    this.state = "ready";
    this.problem = null;
    const info = this.engine!.info;
    (this.options.log ?? (() => {}))(
      `model ready: ${info.modelDir} (${info.variant}, ${info.provider}${info.contractModel ? ", random-weight contract model" : ""}), ${info.msPerStep?.toFixed(1)} ms/step`,
    );
  }

  /** The model is not there (or could not be fetched): say so once, then watch the folder for it. */
  private missing(err: unknown, signature: string | null): void {
    this.failedSignature = signature;
    this.seenSignature = signature;
    const e = err as Error & { fix?: string };
    // errors that carry their fix already say how to install the model: add nothing
    this.fail(
      "model_missing",
      e.fix ? e.message.split("\n")[0] : `${e.message.split("\n")[0]} — install it with \`${this.fetchCommand}\``,
    );
    if (!this.closed && !this.watchTimer) {
      this.watchTimer = setInterval(() => this.recheck(false), this.options.watchIntervalMs ?? 2000);
      this.watchTimer.unref();
    }
  }

  /**
   * Loads the model when its folder changed since the last failed try. From the poll, the change must have stood
   * still for one interval (a copy in progress); a job (`now`) tries at once.
   */
  private recheck(now: boolean): void {
    if (this.state !== "model_missing" || this.reloading || this.closed) return;
    const signature = folderSignature(this.options.modelDir);
    const settled = now || signature === this.seenSignature;
    this.seenSignature = signature;
    if (signature === null || signature === this.failedSignature || !settled) return;
    this.state = "loading";
    (this.options.log ?? (() => {}))(`the model folder ${this.options.modelDir} changed; loading it`);
    this.reloading = this.load()
      .then(
        (engine) => {
          this.engine = engine;
          this.becameReady();
        },
        (err) => {
          if (err instanceof EngineError && err.code === "model_missing") this.missing(err, signature);
          else this.fail("failed", `the model could not be loaded: ${(err as Error).message}`);
        },
      )
      .finally(() => {
        this.reloading = null;
      });
  }

  private stopWatching(): void {
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
  }

  private fail(state: EngineStatus, message: string): void {
    this.state = state;
    this.problem = message;
    if (state === "failed") this.stopWatching();
    (this.options.log ?? (() => {}))(`model unavailable: ${this.problem}`);
  }
}
