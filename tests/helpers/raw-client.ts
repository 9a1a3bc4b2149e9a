// Raw sockets for tests that must send what well-behaved clients refuse to: any request line or header bytes,
// and hand-made WebSocket frames (unmasked, invalid UTF-8, binary, oversize). Loopback only.
import * as crypto from "node:crypto";
import * as net from "node:net";

export interface RawHttpAnswer {
  status: number;
  statusLine: string;
  headers: Record<string, string>;
  body: string;
  json: any;
}

/** Parses one HTTP/1.1 answer out of what a socket sent before it closed; status 0 when nothing came. */
export function parseHttpAnswer(raw: Buffer): RawHttpAnswer {
  const text = raw.toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  const head = end < 0 ? text : text.slice(0, end);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = end < 0 ? "" : raw.subarray(Buffer.byteLength(text.slice(0, end + 4), "latin1")).toString("utf8");
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
  return { status: status ? Number(status) : 0, statusLine, headers, body, json };
}

/**
 * Sends `request` as is and collects the answer until the helper closes (or `timeoutMs`). The socket is not
 * half-closed: Node's HTTP server drops a response still being prepared when the client ends its side, and real
 * clients (curl, browsers) keep it open.
 */
export function rawHttp(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawHttpAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", (err: NodeJS.ErrnoException) => (err.code === "ECONNRESET" ? undefined : reject(err)));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(parseHttpAnswer(Buffer.concat(chunks)));
    });
  });
}

/** A simple GET with a keep-alive-free request line (`target` sent byte for byte). */
export function rawGet(port: number, target: string, headers: Record<string, string> = {}): Promise<RawHttpAnswer> {
  const lines = [
    `GET ${target} HTTP/1.1`,
    "Host: 127.0.0.1",
    "Connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return rawHttp(port, lines.join("\r\n") + "\r\n\r\n");
}

export const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** One WebSocket frame. Clients must mask (RFC 6455 §5.3); `mask: false` makes the frame a server must refuse. */
export function wsFrame(
  opcode: number,
  payload: Buffer | string,
  opts: { mask?: boolean; fin?: boolean; rsv?: number } = {},
): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const mask = opts.mask ?? true;
  const len = data.length;
  const ext = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + ext + (mask ? 4 : 0));
  head[0] = ((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opcode;
  head[1] = (mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(len, 2);
  if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!mask) return Buffer.concat([head, data]);
  const key = crypto.randomBytes(4);
  key.copy(head, 2 + ext);
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i++) out[i] = data[i] ^ key[i & 3];
  return Buffer.concat([head, out]);
}

/** What a raw WebSocket connection received: text messages (parsed where JSON) and the close frame's code. */
export interface RawWsSession {
  socket: net.Socket;
  messages: any[];
  /** The code in the helper's close frame; undefined until one comes. */
  closeCode?: number;
  /** Resolves when the TCP connection has ended. */
  closed: Promise<void>;
}

/** Opens a WebSocket by hand (handshake over `net`), so that any frame can be written afterwards. */
export function rawWebSocket(port: number, target = "/", headers: Record<string, string> = {}): Promise<RawWsSession> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const key = crypto.randomBytes(16).toString("base64");
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let onClosed!: () => void;
    const session: RawWsSession = { socket, messages: [], closed: new Promise<void>((r) => (onClosed = r)) };
    socket.on("connect", () => {
      const lines = [
        `GET ${target} HTTP/1.1`,
        "Host: 127.0.0.1",
        "Upgrade: websocket",
        "Connection: Upgrade",
        `Sec-WebSocket-Key: ${key}`,
        "Sec-WebSocket-Version: 13",
      ];
      socket.write([...lines, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join("\r\n") + "\r\n\r\n");
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      onClosed();
      if (!upgraded) reject(new Error(`handshake refused: ${parseHttpAnswer(buf).statusLine}`));
    });
    socket.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (!upgraded) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        if (!buf.subarray(0, end).toString("latin1").startsWith("HTTP/1.1 101")) return;
        upgraded = true;
        buf = buf.subarray(end + 4);
        resolve(session);
      }
      // server frames are unmasked; read every complete one
      for (;;) {
        if (buf.length < 2) return;
        let len = buf[1] & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          off = 10;
        }
        if (buf.length < off + len) return;
        const opcode = buf[0] & 0x0f;
        const payload = buf.subarray(off, off + len);
        buf = buf.subarray(off + len);
        if (opcode === OP.text) {
          const text = payload.toString("utf8");
          try {
            session.messages.push(JSON.parse(text));
          } catch {
            session.messages.push(text);
          }
        } else if (opcode === OP.close) {
          session.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          // answer like a real client, so the helper's closing handshake completes at once
          if (socket.writable) socket.end(wsFrame(OP.close, payload.subarray(0, 2)));
        }
      }
    });
  });
}
