// The panel's side of the helper protocol over one WebSocket (UXP's global WebSocket in Premiere, `ws` in tests).
// Every message from the helper is validated with the shared parser before it is trusted.
import { parseServerMessage, type FeedbackBody, type JobResult, type JobSpec, type ServerMessage } from "../../shared/protocol";

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

export type JobOutcome = { job_id: string; result: JobResult } | { job_id: string; error: { code: string; message: string } };

export interface JobEvent {
  job_id: string;
  kind: "queued" | "progress";
  fraction?: number;
  position?: number;
}

const HELPER_GONE = { code: "helper_unreachable", message: "the helper stopped before this bed was finished; start it again (npx cuesmith serve) and re-score" };

export class HelperClient {
  private counter = 0;
  private readonly waiting = new Map<string, { resolve: (m: ServerMessage) => void; reject: (e: Error) => void }>();
  private readonly jobs = new Map<string, { resolve: (o: JobOutcome) => void; onEvent?: (e: JobEvent) => void }>();
  private closed = false;

  private constructor(private readonly socket: SocketLike) {
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onclose = () => this.lost();
    socket.onerror = () => this.lost();
  }

  static connect(url: string, open: (url: string) => SocketLike): Promise<HelperClient> {
    return new Promise((resolve, reject) => {
      const socket = open(url);
      socket.onopen = () => resolve(new HelperClient(socket));
      socket.onerror = () => reject(new Error(`cannot reach the Cuesmith helper at ${url}: is it running (npx cuesmith serve)?`));
    });
  }

  /** Sends one batch; resolves with one outcome per job, in order, when every job is done or failed. */
  generate(jobs: JobSpec[], onEvent?: (e: JobEvent) => void): Promise<JobOutcome[]> {
    const id = this.nextId();
    const outcomes = jobs.map((job, i) => {
      const jobId = job.job_id ?? `${id}.${i}`;
      return new Promise<JobOutcome>((resolve) => {
        if (this.closed) return resolve({ job_id: jobId, error: HELPER_GONE });
        this.jobs.set(jobId, { resolve, onEvent });
      });
    });
    if (!this.closed) this.socket.send(JSON.stringify({ type: "generate", id, jobs }));
    return Promise.all(outcomes);
  }

  /** Resolves once the helper has stored the feedback; rejects with its error otherwise. */
  async feedback(body: FeedbackBody): Promise<void> {
    const reply = await this.request({ type: "feedback", ...body });
    if (reply.type === "error") throw new Error(reply.error.message);
  }

  close(): void {
    this.socket.close();
  }

  private request(message: Record<string, unknown>): Promise<ServerMessage> {
    const id = this.nextId();
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error(HELPER_GONE.message));
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
    if ((msg.type === "queued" || msg.type === "progress" || msg.type === "done" || msg.type === "error") && msg.job_id && this.jobs.has(msg.job_id)) {
      const job = this.jobs.get(msg.job_id)!;
      if (msg.type === "queued") job.onEvent?.({ job_id: msg.job_id, kind: "queued", position: msg.position });
      else if (msg.type === "progress") job.onEvent?.({ job_id: msg.job_id, kind: "progress", fraction: msg.fraction });
      else {
        this.jobs.delete(msg.job_id);
        job.resolve(msg.type === "done" ? { job_id: msg.job_id, result: msg.result } : { job_id: msg.job_id, error: msg.error });
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
    for (const waiter of this.waiting.values()) waiter.reject(new Error(HELPER_GONE.message));
    this.waiting.clear();
  }
}
