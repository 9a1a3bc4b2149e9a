// The helper daemon: one HTTP server that also upgrades to WebSocket, behind the access checks.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { MAX_MESSAGE_BYTES } from "../../shared/protocol";
import type { HelperSettings } from "../config/settings";
import { EngineHost } from "../service/engine-host";
import { HelperContext } from "./context";
import { handleHttp } from "./http-routes";
import { sendError } from "./http-util";
import { AccessPolicy, checkAccess } from "./security";
import { attachSession } from "./ws-session";

export interface RunningHelper {
  ctx: HelperContext;
  server: http.Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startHelper(settings: HelperSettings, host: EngineHost): Promise<RunningHelper> {
  const ctx = await HelperContext.create(settings, host);
  const policy: AccessPolicy = { lan: settings.lan, token: settings.token, allowedOrigins: settings.allowedOrigins };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on("connection", (socket) => attachSession(ctx, socket));

  const server = http.createServer((req, res) => {
    const denied = checkAccess(req, policy);
    if (denied) return sendError(res, denied.status, denied.code, denied.message);
    void handleHttp(ctx, req, res);
  });
  server.on("upgrade", (req, socket, head) => {
    const denied = checkAccess(req, policy);
    if (denied) {
      socket.end(
        `HTTP/1.1 ${denied.status} Forbidden\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ error: { code: denied.code, message: denied.message } })}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.lan ? "0.0.0.0" : settings.host, () => resolve());
  });
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
