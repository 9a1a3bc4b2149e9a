// The helper daemon: one HTTP server that also upgrades to WebSocket, behind the access checks. Every way a
// request can reach us (a request, an upgrade, bytes Node cannot parse as HTTP) ends in an answer of ours, never
// in a throw: the target is parsed inside one guarded boundary, refused upgrades and malformed HTTP get a proper
// status line and a JSON body.
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { HelperSettings } from "../config/settings";
import { EngineHost } from "../service/engine-host";
import { HelperContext } from "./context";
import { handleHttp } from "./http-routes";
import { HttpError, sendError } from "./http-util";
import { DEFAULT_SERVER_LIMITS, ServerLimits } from "./limits";
import { runInScope } from "./process-guard";
import { parseRequestTarget, RequestTarget } from "./request-target";
import { AccessPolicy, checkAccess } from "./security";
import { attachSession } from "./ws-session";

export interface RunningHelper {
  ctx: HelperContext;
  server: http.Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface HelperServerOptions {
  /** One line per event worth keeping (refused frames, dropped clients, handler bugs). */
  log?: (line: string) => void;
  /** Connection limits; tests pass small ones. */
  limits?: Partial<ServerLimits>;
}

export async function startHelper(
  settings: HelperSettings,
  host: EngineHost,
  options: HelperServerOptions = {},
): Promise<RunningHelper> {
  const log = options.log ?? (() => {});
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const ctx = await HelperContext.create(settings, host);
  const policy: AccessPolicy = { lan: settings.lan, token: settings.token, allowedOrigins: settings.allowedOrigins };
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
  // a handshake ws cannot accept (no Sec-WebSocket-Key, a wrong version): the same JSON 400 as any bad request
  // (ws's own status and headers kept: 405 for a method other than GET, the versions it speaks for a bad version)
  wss.on("wsClientError", (err: Error, socket: Duplex) => {
    const status = /method/i.test(err.message) ? 405 : 400;
    const headers: Record<string, string> = /version/i.test(err.message) ? { "Sec-WebSocket-Version": "13, 8" } : {};
    refuseRaw(socket, status, "invalid_message", `not a valid WebSocket handshake: ${err.message}`, headers);
  });
  let requests = 0;
  let connections = 0;
  wss.on("connection", (socket) => {
    const id = `ws#${++connections}`;
    runInScope({ id, close: () => socket.terminate() }, () => attachSession(ctx, socket, { id, log, limits }));
  });

  const server = http.createServer((req, res) => {
    // the target is quoted: it is client input and may hold control characters meant to forge log lines
    const id = `http#${++requests} ${req.method} ${JSON.stringify(String(req.url).slice(0, 80))}`;
    runInScope({ id, close: () => res.destroy() }, () => {
      serveRequest(req, res).catch((err: unknown) => {
        log(`${id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        if (!res.headersSent) sendError(res, 500, "internal", "internal error while answering this request");
        else res.destroy();
      });
    });
  });

  /** The guarded boundary: target, access, route. Anything thrown here is answered, not raised. */
  async function serveRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const target = requireTarget(req.url);
      const denied = checkAccess(req, policy);
      if (denied) return sendError(res, denied.status, denied.code, denied.message);
      await handleHttp(ctx, req, res, target);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      sendError(res, err.status, err.code, err.message, err.field);
    }
  }

  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node has taken its own error listener off an upgraded socket: a reset now would be an uncaught 'error'
    socket.on("error", () => socket.destroy());
    const id = `upgrade#${++requests}`;
    runInScope({ id, close: () => socket.destroy() }, () => {
      try {
        const target = requireTarget(req.url);
        const denied = checkAccess(req, policy, target.searchParams);
        if (denied) return refuseRaw(socket, denied.status, denied.code, denied.message);
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
      } catch (err) {
        if (err instanceof HttpError) return refuseRaw(socket, err.status, err.code, err.message);
        log(`${id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        refuseRaw(socket, 500, "internal", "internal error while opening the WebSocket");
      }
    });
  });

  // Bytes Node's parser refuses (a lowercase method, a bad header, an oversize header block) never reach the
  // handler; by default Node answers a bare "400 Bad Request". Answer in the helper's JSON shape instead.
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) return void socket.destroy();
    if (err.code === "HPE_HEADER_OVERFLOW") return refuseRaw(socket, 431, "too_large", "request headers are too large");
    if (err.code === "ERR_HTTP_REQUEST_TIMEOUT")
      return refuseRaw(socket, 408, "invalid_message", "the request did not arrive in time");
    refuseRaw(socket, 400, "invalid_message", `malformed HTTP request (${err.code ?? err.message})`);
  });

  // CONNECT (a proxy tunnel) is no request the helper serves; without a listener Node would just drop the socket
  server.on("connect", (_req: http.IncomingMessage, socket: Duplex) => {
    socket.on("error", () => socket.destroy());
    refuseRaw(socket, 405, "invalid_message", "CONNECT is not supported");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.lan ? "0.0.0.0" : settings.host, () => resolve());
  });
  // after start-up, a server error (say, out of file descriptors on accept) is logged; the server keeps listening
  server.on("error", (err) => log(`server error: ${err.message}`));
  const port = (server.address() as AddressInfo).port;
  // the helper's own pages (/ui/) talk to it from its own origin
  policy.allowedOrigins = [...policy.allowedOrigins, `http://127.0.0.1:${port}`, `http://localhost:${port}`];
  return {
    ctx,
    server,
    port,
    url: `http://${settings.lan ? "127.0.0.1" : settings.host}:${port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

function requireTarget(raw: string | undefined): RequestTarget {
  const target = parseRequestTarget(raw);
  if (!target)
    throw new HttpError(
      400,
      "invalid_message",
      `the request target ${JSON.stringify(String(raw).slice(0, 100))} is not a valid path or URL`,
    );
  return target;
}

/**
 * Answers on a socket that has no ServerResponse (a refused upgrade, a request Node could not parse): a real
 * status line, the JSON error body with its length, and `Connection: close`, then the socket is closed once the
 * answer is out (modelled on ws's abortHandshake).
 */
export function refuseRaw(
  socket: Duplex,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ error: { code, message } });
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Error"}\r\n` +
      "Connection: close\r\n" +
      "Content-Type: application/json; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Cache-Control: no-store\r\n" +
      Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("") +
      `\r\n${body}`,
  );
}
