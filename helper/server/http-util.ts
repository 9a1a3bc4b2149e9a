// Small HTTP helpers: bounded JSON bodies and JSON answers, errors always as {"error": {code, message, field?}}.
import type { IncomingMessage, ServerResponse } from "node:http";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, type: string, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    "content-type": `${type}; charset=utf-8`,
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, field?: string): void {
  sendJson(res, status, { error: { code, message, ...(field ? { field } : {}) } });
}

/** Reads a JSON body of at most `limit` bytes; 413 beyond it, 400 for bad JSON. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit)
    throw new HttpError(413, "too_large", `request body is ${declared} bytes; the limit is ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, "too_large", `request body is over the ${limit}-byte limit`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw new HttpError(400, "invalid_message", "request body is empty; send JSON");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, "invalid_message", `request body is not valid JSON (${(err as Error).message})`);
  }
}
