// Owns the one resident engine: loads it in the background at start (fetching the default model first when
// it is missing and fetching is allowed) and says at any moment whether jobs can run, and if not, why.
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
}

export class EngineHost {
  private engine: MusicGenEngine | null = null;
  private state: EngineStatus = "loading";
  private problem: string | null = null;
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
    if (this.state === "loading") throw new EngineError("busy", "the model is still loading; try again in a moment");
    throw new EngineError("model_missing", this.problem ?? "the model is not available");
  }

  private async start(): Promise<void> {
    const log = this.options.log ?? (() => {});
    try {
      this.engine = await this.load();
    } catch (err) {
      if (err instanceof EngineError && err.code === "model_missing" && this.options.fetch) {
        log(`model not installed in ${this.options.modelDir}; fetching ${this.options.modelName} (first start)…`);
        try {
          await this.options.fetch(log);
          this.engine = await this.load();
        } catch (fetchErr) {
          return this.fail("model_missing", `${(fetchErr as Error).message.split("\n")[0]}`);
        }
      } else if (err instanceof EngineError && err.code === "model_missing") {
        return this.fail("model_missing", err.message);
      } else {
        return this.fail("failed", `the model could not be loaded: ${(err as Error).message}`);
      }
    }
    this.state = "ready";
    this.problem = null;
    const info = this.engine.info;
    log(
      `model ready: ${info.modelDir} (${info.variant}, ${info.provider}${info.contractModel ? ", random-weight contract model" : ""}), ${info.msPerStep?.toFixed(1)} ms/step`,
    );
  }

  private load(): Promise<MusicGenEngine> {
    return MusicGenEngine.load(this.options.modelDir, {
      variant: this.options.variant,
      provider: this.options.provider,
    });
  }

  private fail(state: EngineStatus, message: string): void {
    this.state = state;
    this.problem = `${message} — install it with \`${this.fetchCommand}\` and restart the helper`;
    (this.options.log ?? (() => {}))(`model unavailable: ${this.problem}`);
  }
}
