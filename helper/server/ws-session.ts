// One panel connection. Every message is validated at the boundary; a bad one gets a structured error and the
// connection (and the helper) stays up. Jobs of a connection that closes are cancelled: nobody is left to place
// them. A connection that breaks the framing rules (bad UTF-8, unmasked or oversize frames), stops reading its
// replies, or stops answering pings is closed, and only that one.
import type WebSocket from "ws";
import type { RawData } from "ws";
import {
  defaultJobId,
  MAX_MESSAGE_BYTES,
  parseClientMessage,
  PROTOCOL_VERSION,
  ServerMessage,
} from "../../shared/protocol";
import type { HelperContext } from "./context";
import { errorBody } from "./errors";
import { VERSION } from "../version";
import { JobError, JobEvents, SubmittedJob } from "../service/bed-service";
import { CLOSE_POLICY, CLOSE_TOO_LARGE, DEFAULT_SERVER_LIMITS, ServerLimits } from "./limits";
import { runInScope } from "./process-guard";

/** Progress is sent at most this often per job (a 30 s bed is 1500 steps). */
const PROGRESS_INTERVAL_MS = 100;

export interface SessionOptions {
  /** Names the connection in log lines ("ws#3"). */
  id?: string;
  log?: (line: string) => void;
  limits?: ServerLimits;
}

export function attachSession(ctx: HelperContext, socket: WebSocket, options: SessionOptions = {}): void {
  const { id = "ws", log = () => {}, limits = DEFAULT_SERVER_LIMITS } = options;
  const jobs = new Map<string, SubmittedJob>();
  let dropped = false;

  /** Aborted when the connection goes: analyses still running for it stop (their ffmpeg is killed). */
  const closed = new AbortController();
  const cancelAll = () => {
    closed.abort();
    for (const job of jobs.values()) job.cancel();
  };

  /** Gives up on a client that is not reading: its replies would otherwise pile up in helper memory. */
  const drop = (reason: string) => {
    if (dropped) return;
    dropped = true;
    log(`${id}: ${reason}; closing it (${CLOSE_POLICY}) and cancelling its ${jobs.size} job(s)`);
    cancelAll();
    socket.close(CLOSE_POLICY, reason.slice(0, 120));
    // the close frame waits behind everything unread; a client that never reads never sees it
    setTimeout(() => socket.terminate(), limits.closeGraceMs).unref();
  };

  const send = (msg: ServerMessage) => {
    if (socket.readyState !== socket.OPEN || dropped) return;
    if (socket.bufferedAmount > limits.maxBufferedBytes)
      return drop(`client left ${socket.bufferedAmount} bytes unread`);
    socket.send(JSON.stringify(msg));
  };

  // ws reports frames it refuses here, after it has started closing with the matching code: 1009 for an oversize
  // message (WS_ERR_UNSUPPORTED_MESSAGE_LENGTH), 1007 for invalid UTF-8 (WS_ERR_INVALID_UTF8), 1002 for an
  // unmasked frame (WS_ERR_EXPECTED_MASK) and other framing errors; also socket errors such as ECONNRESET.
  // Without a listener the EventEmitter would throw and take the whole daemon down.
  socket.on("error", (err: Error & { code?: string }) => {
    log(`${id}: ${err.code ?? "socket error"}: ${err.message}; closing this connection`);
    cancelAll();
  });

  // heartbeat: a half-open connection (laptop lid shut, network gone) never sends a close; its jobs would run on
  let alive = true;
  socket.on("pong", () => (alive = true));
  const heartbeat = setInterval(() => {
    if (!alive) {
      log(`${id}: no pong within ${limits.heartbeatMs} ms; dropping the connection`);
      cancelAll();
      return socket.terminate();
    }
    alive = false;
    socket.ping();
  }, limits.heartbeatMs);
  heartbeat.unref();

  send({ type: "hello", version: VERSION, protocol: PROTOCOL_VERSION });

  socket.on("message", (data: RawData, isBinary) => {
    runInScope({ id, close: () => socket.terminate() }, () => onMessage(asBuffer(data), isBinary));
  });

  function onMessage(data: Buffer, isBinary: boolean): void {
    // messages ws had already read when the connection started closing start no work: nobody would get the answer
    if (socket.readyState !== socket.OPEN || dropped) return;
    if (data.length > MAX_MESSAGE_BYTES) {
      send({
        type: "error",
        error: { code: "too_large", message: `message is ${data.length} bytes; the limit is ${MAX_MESSAGE_BYTES}` },
      });
      socket.close(CLOSE_TOO_LARGE, "message too large");
      return;
    }
    if (isBinary)
      return send({
        type: "error",
        error: { code: "invalid_message", message: "send JSON text messages, not binary" },
      });
    const parsed = parseClientMessage(data.toString("utf8"));
    if (!parsed.ok) return send({ type: "error", ...(parsed.id ? { id: parsed.id } : {}), error: parsed.error });
    const msg = parsed.value;
    const fail = (err: unknown, jobId?: string) =>
      send({ type: "error", id: msg.id, ...(jobId ? { job_id: jobId } : {}), error: errorBody(err) });
    switch (msg.type) {
      case "health":
        return send({ type: "health", id: msg.id, ...ctx.health() });
      case "presets.get":
        return send({ type: "presets", id: msg.id, presets: ctx.presets.all() });
      case "presets.set":
        return void ctx.presets
          .set(msg.tag, msg.preset)
          .then(() => send({ type: "presets", id: msg.id, presets: ctx.presets.all() }), fail);
      case "presets.delete":
        return void ctx.presets
          .delete(msg.tag)
          .then(() => send({ type: "presets", id: msg.id, presets: ctx.presets.all() }), fail);
      case "feedback":
        return void ctx.recordFeedback(msg).then(() => send({ type: "ack", id: msg.id }), fail);
      case "cancel": {
        const job = jobs.get(msg.job_id);
        if (!job)
          return send({
            type: "error",
            id: msg.id,
            job_id: msg.job_id,
            error: { code: "not_found", message: `no running or queued job "${msg.job_id}" on this connection` },
          });
        job.cancel();
        return send({ type: "ack", id: msg.id });
      }
      case "generate":
        msg.jobs.forEach((spec, i) => {
          const jobId = spec.job_id ?? defaultJobId(msg.id, i);
          track(msg.id, jobId, `jobs[${i}].job_id`, (events) => ctx.submit(spec, jobId, events));
        });
        return;
      case "analyze":
        return void ctx
          .analyze(msg, closed.signal)
          .then(({ result }) => send({ type: "analysis", id: msg.id, result }), fail);
      case "extend": {
        const { type: _type, id: _id, ...spec } = msg;
        const jobId = spec.job_id ?? defaultJobId(msg.id, 0);
        return track(msg.id, jobId, "job_id", (events) => ctx.extend(spec, jobId, events));
      }
      case "bed": {
        const { type: _type, id: _id, ...spec } = msg;
        const jobId = spec.job_id ?? defaultJobId(msg.id, 0);
        return track(msg.id, jobId, "job_id", (events, signal) =>
          ctx.submitBed(spec, jobId, events, signal).then((b) => b.job),
        );
      }
    }
  }

  /** Runs one job for this connection: queued, progress (throttled), then done or error, all keyed by job id. */
  function track(
    msgId: string,
    jobId: string,
    field: string,
    start: (events: JobEvents, signal: AbortSignal) => SubmittedJob | Promise<SubmittedJob>,
  ): void {
    const fail = (err: unknown) => send({ type: "error", id: msgId, job_id: jobId, error: errorBody(err) });
    if (jobs.has(jobId)) return fail(new JobError("invalid_field", `job_id "${jobId}" is already in use`, field));
    let lastProgress = 0;
    const events: JobEvents = {
      onQueued: (position) => send({ type: "queued", id: msgId, job_id: jobId, position }),
      onProgress: (fraction, etaMs) => {
        const now = Date.now();
        if (fraction < 1 && now - lastProgress < PROGRESS_INTERVAL_MS) return;
        lastProgress = now;
        send({ type: "progress", id: msgId, job_id: jobId, fraction, eta_ms: Math.round(etaMs) });
      },
    };
    // a placeholder until the job exists, so the id is taken at once and a cancel before then is not lost
    // until then a cancel (or the connection closing) also stops the clip analysis a bed job starts with
    let cancelled = false;
    const starting = new AbortController();
    jobs.set(jobId, {
      result: new Promise(() => {}),
      cancel: () => {
        cancelled = true;
        starting.abort();
      },
    });
    Promise.resolve()
      .then(() => {
        // a cancel that came first wins: the job is never started, so it cannot be refused (queue_full) instead
        if (cancelled) throw new JobError("cancelled", `job "${jobId}" was cancelled before it started`);
        return start(events, starting.signal);
      })
      .then((job) => {
        if (cancelled) job.cancel();
        jobs.set(jobId, job);
        return job.takes ?? job.result.then((result) => [result]);
      })
      .then(
        (takes) =>
          send({ type: "done", id: msgId, job_id: jobId, result: takes[0], ...(takes.length > 1 ? { takes } : {}) }),
        fail,
      )
      .finally(() => jobs.delete(jobId));
  }

  socket.on("close", () => {
    clearInterval(heartbeat);
    cancelAll();
  });
}

/** ws hands over a Buffer by default (binaryType "nodebuffer"); the other shapes are normalised anyway. */
function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}
