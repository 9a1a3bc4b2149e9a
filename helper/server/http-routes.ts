// The plain-HTTP face of the helper, for curl, scripts and the source article's original integration.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  httpStatusFor,
  JobResult,
  MAX_MESSAGE_BYTES,
  Result,
  parseAnalyzeSpec,
  parseBedSpec,
  parseExtendSpec,
  parseFeedback,
  parseJobSpec,
  parsePreset,
} from "../../shared/protocol";
import type { SubmittedJob } from "../service/bed-service";
import { normalizeTag } from "../../shared/presets";
import { parseSince } from "../report";
import type { HelperContext } from "./context";
import { HttpError, readJsonBody, sendError, sendJson, sendText } from "./http-util";
import { errorBody } from "./errors";
import { serveUi } from "./static-ui";
import { decodePathSegment, RequestTarget } from "./request-target";

/** Routes one request whose target the caller has already parsed (see app.ts, the guarded boundary). */
export async function handleHttp(
  ctx: HelperContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: RequestTarget,
): Promise<void> {
  const route = `${req.method} ${url.pathname}`;
  try {
    if (route === "GET /health") return sendJson(res, 200, ctx.health());
    if (req.method === "GET" && serveUi(url.pathname, res)) return;
    if (route === "POST /generate") return await generate(ctx, req, res);
    if (route === "POST /extend") {
      const spec = await parsedBody(req, parseExtendSpec);
      return await waitForJob(res, ctx.extend(spec, spec.job_id ?? ctx.newJobId()));
    }
    if (route === "GET /presets") return sendJson(res, 200, { presets: ctx.presets.all() });
    if (route === "POST /analyze") {
      const spec = await parsedBody(req, parseAnalyzeSpec);
      return sendJson(res, 200, (await ctx.analyze(spec, abortOnHangUp(res))).result);
    }
    if (route === "POST /bed") {
      const spec = await parsedBody(req, parseBedSpec);
      const { job, analysis } = await ctx.submitBed(spec, spec.job_id ?? ctx.newJobId(), {}, abortOnHangUp(res));
      return await waitForTakes(res, job, { analysis });
    }
    if (route === "POST /feedback") {
      const stored = await ctx.recordFeedback(await parsedBody(req, parseFeedback));
      return sendJson(res, 201, { ok: true, id: stored.id });
    }
    if (route === "GET /report") {
      const format = url.searchParams.get("format") ?? "json";
      if (!["json", "md", "html"].includes(format))
        throw new HttpError(400, "invalid_field", "format must be json, md or html", "format");
      let since: Date;
      try {
        since = parseSince(url.searchParams.get("since") ?? "7d");
      } catch (err) {
        throw new HttpError(400, "invalid_field", (err as Error).message, "since");
      }
      const { text, type } = await ctx.report(since, format as "json" | "md" | "html");
      return sendText(res, 200, type, text);
    }
    const presetMatch = /^\/presets\/([^/]+)$/.exec(url.pathname);
    if (presetMatch) {
      const decoded = decodePathSegment(presetMatch[1]);
      if (decoded === null)
        throw new HttpError(400, "invalid_field", "the tag in the path has a malformed %-escape", "tag");
      const tag = normalizeTag(decoded);
      if (tag === null) throw new HttpError(400, "invalid_field", "the tag must be letters, digits and _", "tag");
      if (req.method === "GET") {
        const preset = ctx.presets.get(tag);
        if (!preset) throw new HttpError(404, "unknown_tag", `no preset for tag "${tag}"`);
        return sendJson(res, 200, { tag, preset });
      }
      if (req.method === "PUT") {
        await ctx.presets.set(tag, await parsedBody(req, parsePreset));
        return sendJson(res, 200, { tag, preset: ctx.presets.get(tag) });
      }
      if (req.method === "DELETE") {
        if (!ctx.presets.get(tag)) throw new HttpError(404, "unknown_tag", `no preset for tag "${tag}"`);
        await ctx.presets.delete(tag);
        return sendJson(res, 200, { tag, deleted: true });
      }
      throw new HttpError(405, "invalid_message", `${req.method} is not supported on /presets/{tag}`);
    }
    throw new HttpError(404, "not_found", `no such endpoint: ${route}`);
  } catch (err) {
    if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message, err.field);
    const body = errorBody(err);
    return sendError(res, httpStatusFor(body.code), body.code, body.message, body.field);
  }
}

/** The request's JSON body through a protocol parser; a bad one is a 400/413 naming the field. */
async function parsedBody<T>(req: IncomingMessage, parse: (value: unknown, path: string) => Result<T>): Promise<T> {
  const r = parse(await readJsonBody(req, MAX_MESSAGE_BYTES), "");
  if (!r.ok) throw new HttpError(httpStatusFor(r.error.code), r.error.code, r.error.message, r.error.field);
  return r.value;
}

/** POST /generate waits for the job; a client that hangs up cancels it. */
async function generate(ctx: HelperContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const spec = await parsedBody(req, parseJobSpec);
  await waitForTakes(res, ctx.submit(spec, spec.job_id ?? ctx.newJobId()));
}

/** One take answers its result, several variations {"takes": […]}; `extra` (a bed's analysis) joins either. */
async function waitForTakes(
  res: ServerResponse,
  job: SubmittedJob,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const takes = job.takes;
  if (takes === undefined) return waitForJob(res, job, (result) => ({ ...result, ...extra }));
  await waitForJob(res, { ...job, result: takes.then((all) => all[0]) }, async () => ({
    takes: await takes,
    ...extra,
  }));
}

/** A signal that fires when the client hangs up before its answer is sent: its clip decode is stopped. */
function abortOnHangUp(res: ServerResponse): AbortSignal {
  const ac = new AbortController();
  res.once("close", () => !res.writableEnded && ac.abort());
  return ac.signal;
}

/** Answers with the job's result when it is done; a client that hangs up first cancels it. */
async function waitForJob(
  res: ServerResponse,
  job: SubmittedJob,
  shape: (r: JobResult) => unknown = (r) => r,
): Promise<void> {
  const onClose = () => !res.writableEnded && job.cancel();
  res.on("close", onClose);
  try {
    sendJson(res, 200, await shape(await job.result));
  } finally {
    res.off("close", onClose);
  }
}
