// The panel's side of the helper protocol over one WebSocket (UXP's global WebSocket in Premiere, `ws` in tests).
// Every message from the helper is validated with the shared parser before it is trusted.
import type { PresetTable, Preset } from "../../shared/presets";
import {
  parseServerMessage,
  type AnalyzeResult,
  type AnalyzeSpec,
  type BedSpec,
  type FeedbackBody,
  type HealthInfo,
  type ServerMessage,
} from "../../shared/protocol";
import type { ExtendSpec, TakeJobSpec, TakeResult } from "./take-protocol";

/** The part of the WebSocket API this client uses (UXP, browsers and `ws` all have it). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** A finished job: its result (take 0) and, when it asked for several variations, every take in order. */
export type JobOutcome =
  | { job_id: string; result: TakeResult; takes?: TakeResult[] }
  | { job_id: string; error: { code: string; message: string } };

export interface JobEvent {
  job_id: string;
  kind: "queued" | "progress";
  fraction?: number;
  /** The helper's estimate of the milliseconds left (progress events). */
  etaMs?: number;
  position?: number;
}

/** A reply the helper refused: `code` is the protocol's error code (model_missing, invalid_field, …). */
export class HelperError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HelperError";
  }
}

const HELPER_GONE = {
  code: "helper_unreachable",
  message: "the helper stopped before this bed was finished; start it again (npx cuesmith serve) and re-score",
};

export class HelperClient {
  private counter = 0;
  private readonly waiting = new Map<string, { resolve: (m: ServerMessage) => void; reject: (e: Error) => void }>();
  private readonly jobs = new Map<string, { resolve: (o: JobOutcome) => void; onEvent?: (e: JobEvent) => void }>();
  /** The jobs each job-carrying message started, by message id: a refusal of the whole message fails them all. */
  private readonly messageJobs = new Map<string, string[]>();
  /** Each job-carrying message as sent, by id: resent without `levels` when an older helper refuses the field. */
  private readonly messageBodies = new Map<string, Record<string, unknown>>();
  /**
   * True once this helper refused `levels` (a helper older than the take loop): later jobs go without it and
   * their beds come back baked, as before.
   */
  levelsUnsupported = false;
  private closed = false;
  private readonly closeListeners: (() => void)[] = [];
  /** The helper's `hello`: its version and protocol (null until it arrives). */
  hello: { version: string; protocol: number } | null = null;

  private constructor(private readonly socket: SocketLike) {
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onclose = () => this.lost();
    socket.onerror = () => this.lost();
  }

  static connect(url: string, open: (url: string) => SocketLike): Promise<HelperClient> {
    return new Promise((resolve, reject) => {
      let socket: SocketLike;
      try {
        socket = open(url);
      } catch (err) {
        return reject(new Error(`cannot open ${url}: ${(err as Error).message}`));
      }
      // messages that arrive before `onopen` resolves (the helper's hello) are kept for the client
      const early: unknown[] = [];
      socket.onmessage = (ev) => early.push(ev.data);
      socket.onopen = () => {
        const client = new HelperClient(socket);
        for (const data of early) client.receive(data);
        resolve(client);
      };
      const refuse = () =>
        reject(new Error(`cannot reach the Cuesmith helper at ${url}: is it running (npx cuesmith serve)?`));
      socket.onerror = refuse;
      socket.onclose = refuse;
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Called once when the connection is lost (or closed). */
  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /** Sends one batch; resolves with one outcome per job, in order, when every job is done or failed. */
  generate(jobs: TakeJobSpec[], onEvent?: (e: JobEvent) => void): Promise<JobOutcome[]> {
    const id = this.nextId();
    const outcomes = jobs.map((job, i) => {
      const jobId = job.job_id ?? `${id}.${i}`;
      return new Promise<JobOutcome>((resolve) => {
        if (this.closed) return resolve({ job_id: jobId, error: HELPER_GONE });
        this.jobs.set(jobId, { resolve, onEvent });
      });
    });
    // Every job carries its id, so a resent message (see levelsUnsupported) keeps it.
    const withIds = jobs.map((job, i) => ({ ...job, job_id: job.job_id ?? `${id}.${i}` }));
    this.sendJobs(
      id,
      { type: "generate", jobs: withIds },
      withIds.map((job) => job.job_id),
    );
    return Promise.all(outcomes);
  }

  /** Continues a take this helper rendered (by sha256) to a longer length; replies like one generate job. */
  extend(spec: ExtendSpec, onEvent?: (e: JobEvent) => void): Promise<JobOutcome> {
    return this.oneJob("extend", { ...spec }, spec.job_id, onEvent);
  }

  private oneJob(
    type: string,
    body: Record<string, unknown>,
    wantedJobId: string | undefined,
    onEvent?: (e: JobEvent) => void,
  ): Promise<JobOutcome> {
    const id = this.nextId();
    const jobId = wantedJobId ?? `${id}.${type}`;
    const outcome = new Promise<JobOutcome>((resolve) => {
      if (this.closed) return resolve({ job_id: jobId, error: HELPER_GONE });
      this.jobs.set(jobId, { resolve, onEvent });
    });
    this.sendJobs(id, { type, ...body, job_id: jobId }, [jobId]);
    return outcome;
  }

  private sendJobs(id: string, body: Record<string, unknown>, jobIds: string[]): void {
    const message = this.levelsUnsupported ? withoutLevels(body) : body;
    this.messageJobs.set(id, jobIds);
    this.messageBodies.set(id, message);
    if (!this.closed) this.socket.send(JSON.stringify({ ...message, id }));
  }

  /** Resolves once the helper has stored the feedback; rejects with its error otherwise. */
  async feedback(body: FeedbackBody): Promise<void> {
    expect(await this.request({ type: "feedback", ...body }), "ack");
  }

  /** A bed under a voice-over clip (analyse, generate, duck); one job, like generate's. */
  bed(spec: BedSpec & { levels?: TakeJobSpec["levels"] }, onEvent?: (e: JobEvent) => void): Promise<JobOutcome> {
    return this.oneJob("bed", { ...spec }, spec.job_id, onEvent);
  }

  /** Transcript/emotion/prompt of a voice-over, without generating. */
  async analyze(spec: AnalyzeSpec): Promise<AnalyzeResult> {
    const reply = expect(await this.request({ type: "analyze", ...spec }), "analysis");
    return reply.result;
  }

  /** Stops a queued or running job; its own outcome then resolves with error `cancelled`. */
  async cancel(jobId: string): Promise<void> {
    expect(await this.request({ type: "cancel", job_id: jobId }), "ack");
  }

  async health(): Promise<HealthInfo> {
    const { type: _type, id: _id, ...info } = expect(await this.request({ type: "health" }), "health");
    return info;
  }

  async presets(): Promise<PresetTable> {
    return expect(await this.request({ type: "presets.get" }), "presets").presets;
  }

  async setPreset(tag: string, preset: Preset): Promise<PresetTable> {
    return expect(await this.request({ type: "presets.set", tag, preset }), "presets").presets;
  }

  async deletePreset(tag: string): Promise<PresetTable> {
    return expect(await this.request({ type: "presets.delete", tag }), "presets").presets;
  }

  close(): void {
    this.socket.close();
    this.lost();
  }

  private request(message: Record<string, unknown>): Promise<ServerMessage> {
    const id = this.nextId();
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new HelperError(HELPER_GONE.code, HELPER_GONE.message));
      this.waiting.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ ...message, id }));
    });
  }

  private nextId(): string {
    return `p${Date.now().toString(36)}-${++this.counter}`;
  }

  private receive(data: unknown): void {
    const parsed = parseServerMessage(typeof data === "string" ? data : String(data));
    if (!parsed.ok) return; // a message this panel cannot read is ignored, not trusted
    const msg = parsed.value;
    if (msg.type === "hello") {
      this.hello = { version: msg.version, protocol: msg.protocol };
      return;
    }
    if (
      (msg.type === "queued" || msg.type === "progress" || msg.type === "done" || msg.type === "error") &&
      msg.job_id &&
      this.jobs.has(msg.job_id)
    ) {
      const job = this.jobs.get(msg.job_id)!;
      if (msg.type === "queued") job.onEvent?.({ job_id: msg.job_id, kind: "queued", position: msg.position });
      else if (msg.type === "progress")
        job.onEvent?.({ job_id: msg.job_id, kind: "progress", fraction: msg.fraction, etaMs: msg.eta_ms });
      else {
        this.jobs.delete(msg.job_id);
        if (msg.type === "done") {
          job.resolve(
            msg.takes
              ? { job_id: msg.job_id, result: msg.result, takes: msg.takes }
              : { job_id: msg.job_id, result: msg.result },
          );
        } else job.resolve({ job_id: msg.job_id, error: msg.error });
      }
      return;
    }
    if (msg.type === "error" && msg.id && this.messageJobs.has(msg.id)) {
      // The helper refused the whole message (a field it does not know, a bad value): every job of it fails
      // with the helper's words, naming the field, instead of waiting forever.
      const ids = this.messageJobs.get(msg.id)!;
      const body = this.messageBodies.get(msg.id)!;
      this.messageJobs.delete(msg.id);
      this.messageBodies.delete(msg.id);
      if (msg.error.field !== undefined && /(^|\.)levels$/.test(msg.error.field) && !this.levelsUnsupported) {
        // A helper from before editable levels: the same jobs again without `levels` (their beds come back baked).
        this.levelsUnsupported = true;
        this.sendJobs(this.nextId(), body, ids);
        return;
      }
      const error = {
        code: msg.error.code,
        message: msg.error.field ? `${msg.error.message} (field ${msg.error.field})` : msg.error.message,
      };
      for (const jobId of ids) {
        const job = this.jobs.get(jobId);
        if (!job) continue;
        this.jobs.delete(jobId);
        job.resolve({ job_id: jobId, error });
      }
      return;
    }
    if ("id" in msg && typeof msg.id === "string" && this.waiting.has(msg.id)) {
      const waiter = this.waiting.get(msg.id)!;
      this.waiting.delete(msg.id);
      waiter.resolve(msg);
    }
  }

  /** The connection is gone: every job still open fails with a plain message, nothing waits forever. */
  private lost(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [jobId, job] of this.jobs) job.resolve({ job_id: jobId, error: HELPER_GONE });
    this.jobs.clear();
    for (const waiter of this.waiting.values()) waiter.reject(new HelperError(HELPER_GONE.code, HELPER_GONE.message));
    this.waiting.clear();
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}

/** A job message without the `levels` field, on the message and on each job. */
function withoutLevels(body: Record<string, unknown>): Record<string, unknown> {
  const { levels: _levels, ...rest } = body;
  if (Array.isArray(rest.jobs))
    rest.jobs = rest.jobs.map((job: Record<string, unknown>) => {
      const { levels: _jobLevels, ...kept } = job;
      return kept;
    });
  return rest;
}

/** The reply must be of `type`; an `error` reply becomes a HelperError with the helper's own words. */
function expect<T extends ServerMessage["type"]>(reply: ServerMessage, type: T): Extract<ServerMessage, { type: T }> {
  if (reply.type === "error") throw new HelperError(reply.error.code, reply.error.message);
  if (reply.type !== type)
    throw new HelperError("bad_reply", `the helper answered ${reply.type} where ${type} was expected`);
  return reply as Extract<ServerMessage, { type: T }>;
}
