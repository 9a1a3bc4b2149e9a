// One panel connection. Every message is validated at the boundary; a bad one gets a structured error and the
// connection (and the helper) stays up. Jobs of a connection that closes are cancelled: nobody is left to place them.
import type WebSocket from "ws";
import { defaultJobId, parseClientMessage, PROTOCOL_VERSION, ServerMessage } from "../../shared/protocol";
import type { HelperContext } from "./context";
import { errorBody } from "./errors";
import { VERSION } from "../version";
import { JobError, JobEvents, SubmittedJob } from "../service/bed-service";
import { analyzeVoiceOver } from "../service/voice-service";

/** Progress is sent at most this often per job (a 30 s bed is 1500 steps). */
const PROGRESS_INTERVAL_MS = 100;

export function attachSession(ctx: HelperContext, socket: WebSocket): void {
  const jobs = new Map<string, SubmittedJob>();
  const send = (msg: ServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
  };
  send({ type: "hello", version: VERSION, protocol: PROTOCOL_VERSION });

  socket.on("message", (data, isBinary) => {
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
        return void analyzeVoiceOver(msg).then(({ result }) => send({ type: "analysis", id: msg.id, result }), fail);
      case "bed": {
        const { type: _type, id: _id, ...spec } = msg;
        const jobId = spec.job_id ?? defaultJobId(msg.id, 0);
        return track(msg.id, jobId, "job_id", (events) => ctx.submitBed(spec, jobId, events).then((b) => b.job));
      }
    }
  });

  /** Runs one job for this connection: queued, progress (throttled), then done or error, all keyed by job id. */
  function track(
    msgId: string,
    jobId: string,
    field: string,
    start: (events: JobEvents) => SubmittedJob | Promise<SubmittedJob>,
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
    let cancelled = false;
    jobs.set(jobId, { result: new Promise(() => {}), cancel: () => (cancelled = true) });
    Promise.resolve()
      .then(() => start(events))
      .then((job) => {
        if (cancelled) job.cancel();
        jobs.set(jobId, job);
        return job.result;
      })
      .then((result) => send({ type: "done", id: msgId, job_id: jobId, result }), fail)
      .finally(() => jobs.delete(jobId));
  }

  socket.on("close", () => {
    for (const job of jobs.values()) job.cancel();
  });
}
