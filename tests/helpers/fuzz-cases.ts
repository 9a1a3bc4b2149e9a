// A seeded generator of hostile input for the helper: valid messages and requests from docs/protocol.md, mutated
// the ways a fuzzer (or an attacker) would: wrong types, huge and non-finite numbers (as JSON text: 1e999),
// deep nesting, prototype keys, control characters, oversize, truncated JSON, invalid UTF-8, binary, unmasked
// and malformed frames, odd request targets, methods and headers. The same seed gives the same cases, so a
// failure names a case that can be replayed.
import { Prng } from "../../models/build/random";
import { OP, wsFrame } from "./raw-client";

/** A value written into JSON text as is (`1e999`, `NaN`), which JSON.stringify cannot produce. */
class RawJson {
  constructor(readonly text: string) {}
}

const PROTO_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype"];
const CONTROL = ["\u0000", "\u0001", "\u0007", "\b", "\u001b", "\u001f", "\u007f", "\u2028", "\ud800", "\r\n"];
const REASONS = ["too_loud", "tempo_slow", "tempo_fast", "wrong_instrument", "style_mismatch", "other", "good_fit"];
/** A take no helper rendered: `extend` answers not_found for it (the mutations reach the parser first). */
const UNKNOWN_TAKE = "5e".repeat(32);
const ARTICLE = "这个新功能真的太棒了！我们花了三个月打磨细节……（停顿）……当然，还有些小问题正在修复。";

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) becomes its three WTF-8 bytes: the invalid
 * UTF-8 a careless client sends.
 */
function percentEncode(text: string): string {
  let out = "";
  for (const ch of text) {
    const unit = ch.charCodeAt(0);
    const lone = ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff;
    out += lone
      ? [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join("")
      : encodeURIComponent(ch);
  }
  return out;
}

/** Every client message type, valid, as docs/protocol.md shows them; jobs are 0.5 s with a fixed seed (cache hits). */
export function validMessages(id: string): Record<string, unknown>[] {
  return [
    {
      type: "generate",
      id,
      jobs: [{ job_id: `${id}-a`, scene_tag: "unboxing", duration_sec: 0.5, target_bpm: 110, seed: 1 }],
    },
    {
      type: "generate",
      id,
      jobs: [
        {
          prompt: "calm piano under a voice-over, no vocals",
          duration_sec: 0.5,
          seed: 2,
          top_k: 50,
          temperature: 1,
          guidance_scale: 3,
        },
      ],
    },
    { type: "cancel", id, job_id: "mk-2" },
    { type: "presets.get", id },
    {
      type: "presets.set",
      id,
      tag: "rainy_city",
      preset: { prompt: "lo-fi beat, soft rain, warm electric piano", seed: 7 },
    },
    { type: "presets.delete", id, tag: "rainy_city" },
    {
      type: "feedback",
      id,
      job_id: "mk-1",
      sha256: "3f7a".repeat(16),
      reason: "too_loud",
      note: "drowns the voice-over",
    },
    { type: "health", id },
    { type: "analyze", id, text: ARTICLE },
    { type: "bed", id, text: "Welcome back to the channel.", duration_sec: 0.5, seed: 9 },
    {
      type: "generate",
      id,
      jobs: [
        { job_id: `${id}-v`, prompt: "warm strings", duration_sec: 0.5, seed: 3, variations: 2, levels: "keyframes" },
      ],
    },
    {
      type: "bed",
      id,
      text: "Welcome back.",
      duration_sec: 0.5,
      seed: 9,
      duck_db: 8,
      levels: "keyframes",
      variations: 2,
    },
    { type: "extend", id, sha256: UNKNOWN_TAKE, duration_sec: 1, job_id: `${id}-x`, levels: "baked" },
    // a take of a job with variations, named as the panel names it
    { type: "feedback", id, job_id: "mk-1#1", sha256: "3f7a".repeat(16), reason: "good_fit" },
  ];
}

export interface HttpCase {
  /** The request's bytes, sent as is on a fresh connection. */
  request: Buffer;
  /** What the case is, for failure messages. */
  label: string;
  /** The answer may legitimately be none (a body shorter than its Content-Length: the helper waits, the client hangs up). */
  mayGoUnanswered?: boolean;
}

export type WsCase =
  | { kind: "text"; text: string; label: string }
  /** A hand-made frame; `closes` when the helper must close the connection for it (with `code` when fixed). */
  | { kind: "frame"; frame: Buffer; label: string; closes: boolean; code?: number };

export class FuzzCases {
  private readonly rng: Prng;
  private counter = 0;

  constructor(seed: number) {
    this.rng = new Prng(seed);
  }

  int(n: number): number {
    return Math.floor(this.rng.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.rng.next() < p;
  }

  /** A value of the wrong kind, an extreme number, or a hostile string. */
  weirdValue(): unknown {
    const n = 1 + this.int(40);
    return this.pick<() => unknown>([
      () => null,
      () => true,
      () => "15",
      () => "",
      () => [],
      () => ({}),
      () => -1,
      () => 0,
      () => -0,
      () => 1e308,
      () => 2 ** 53 + 1,
      () => 0.1 + 0.2,
      () => new RawJson("1e999"),
      () => new RawJson("-1e999"),
      () => new RawJson("1e-400"),
      () => new RawJson("-0.0e+0"),
      () => new RawJson("123456789012345678901234567890"),
      () => new RawJson("[".repeat(n * 100) + "]".repeat(n * 100)),
      () => new RawJson('{"a":'.repeat(n * 50) + "1" + "}".repeat(n * 50)),
      () => this.pick(PROTO_KEYS),
      () => `#${this.pick(PROTO_KEYS)}`,
      () => `x${this.pick(CONTROL)}y`,
      () => this.pick(CONTROL).repeat(n),
      () => "é".repeat(n * 20),
      () => "x".repeat(n * 100),
      () => "/etc/passwd",
      () => "../../../../etc",
      () => "C:\\Windows\\System32",
      () => "\\\\server\\share",
      () => "%00%2e%2e",
      () => ({ __proto__: null, polluted: true }),
      () => [1, "a", null, { b: [] }],
    ])();
  }

  /** One structural mutation of a (deep-copied) message. */
  mutate(msg: Record<string, unknown>): unknown {
    const copy = JSON.parse(JSON.stringify(msg)) as Record<string, unknown>;
    const targets = containers(copy);
    const [obj] = this.pick(targets);
    const keys = Object.keys(obj);
    const key = keys.length ? this.pick(keys) : "x";
    switch (this.int(9)) {
      case 0:
      case 1:
      case 2:
        obj[key] = this.weirdValue();
        break;
      case 3:
        delete obj[key];
        break;
      case 4:
        // a prototype key as an own key (JSON.parse on the other side makes it one too)
        Object.defineProperty(obj, this.pick(PROTO_KEYS), {
          value: this.weirdValue(),
          enumerable: true,
          configurable: true,
          writable: true,
        });
        break;
      case 5: {
        const renamed = this.pick([
          key.toUpperCase(),
          key.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()),
          `${key} `,
          `${key}\u0000`,
        ]);
        obj[renamed] = obj[key];
        delete obj[key];
        break;
      }
      case 6:
        // prototype names where tags and types go
        for (const k of ["scene_tag", "tag", "type", "reason", "job_id", "id"])
          if (k in obj) obj[k] = this.pick(PROTO_KEYS);
        break;
      case 7:
        return this.pick([[copy], copy.type, null, 4e9, `${JSON.stringify(copy)}`]);
      default:
        obj[key] = this.mutate({ inner: obj[key] ?? null });
    }
    return copy;
  }

  /** JSON text of `value`, with RawJson markers spliced in as they are. */
  stringify(value: unknown): string {
    const raws: string[] = [];
    const text = JSON.stringify(value, (_k, v: unknown) =>
      v instanceof RawJson ? `\u0000raw${raws.push(v.text) - 1}\u0000` : v,
    );
    return (text ?? "null").replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)]);
  }

  /** Text-level damage: truncated, a stray byte, a broken quote, garbage around it. */
  damageText(text: string): string {
    const at = this.int(text.length + 1);
    return this.pick<() => string>([
      () => text.slice(0, at),
      () =>
        text.slice(0, at) + this.pick(["\u0000", "\u001f", "'", '"', "\\", "}", "]", ",", "\ud83d"]) + text.slice(at),
      () => text.replace(/"/, "'"),
      () => `${text}${text}`,
      () => ` \n\t${text}\u0000`,
      () => text.replace(/:/g, "="),
      () =>
        this.pick([
          "",
          " ",
          "null",
          "[]",
          '"str"',
          "0",
          "{}",
          '{"type":null}',
          "NaN",
          "Infinity",
          "undefined",
          "\ufeff{}",
        ]),
    ])();
  }

  /** A WebSocket message or frame: mostly mutated JSON, some damaged text, some valid, some bad frames. */
  wsCase(): WsCase {
    const id = `f${++this.counter}`;
    const base = this.pick(validMessages(id));
    const roll = this.rng.next();
    if (roll < 0.08) return { kind: "text", text: this.stringify(base), label: `valid ${base.type}` };
    if (roll < 0.7) return { kind: "text", text: this.stringify(this.mutate(base)), label: `mutated ${base.type}` };
    if (roll < 0.93)
      return { kind: "text", text: this.damageText(this.stringify(base)), label: `damaged ${base.type}` };
    return this.badFrame(base);
  }

  /** Frames a browser would never send; most of them end the connection with a fixed close code. */
  badFrame(base: Record<string, unknown>): WsCase {
    const text = this.stringify(base);
    return this.pick<() => WsCase>([
      () => ({
        kind: "frame",
        frame: wsFrame(OP.text, Buffer.from([0x7b, 0xc3, 0x28, 0x7d])),
        label: "invalid UTF-8",
        closes: true,
        code: 1007,
      }),
      () => ({
        kind: "frame",
        frame: wsFrame(
          OP.text,
          Buffer.concat([Buffer.from('{"type":"health","id":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
        ),
        label: "UTF-8 surrogate",
        closes: true,
        code: 1007,
      }),
      () => ({
        kind: "frame",
        frame: wsFrame(OP.text, text, { mask: false }),
        label: "unmasked",
        closes: true,
        code: 1002,
      }),
      () => ({ kind: "frame", frame: wsFrame(OP.binary, Buffer.from(text)), label: "binary", closes: false }),
      () => ({
        kind: "frame",
        frame: wsFrame(OP.text, text, { rsv: 4 }),
        label: "reserved bit",
        closes: true,
        code: 1002,
      }),
      () => ({ kind: "frame", frame: wsFrame(3, text), label: "reserved opcode", closes: true, code: 1002 }),
      () => ({
        kind: "frame",
        frame: wsFrame(OP.ping, Buffer.alloc(126)),
        label: "oversize ping",
        closes: true,
        code: 1002,
      }),
      () => ({
        kind: "frame",
        frame: wsFrame(OP.continuation, text),
        label: "continuation without start",
        closes: true,
        code: 1002,
      }),
      () => ({
        kind: "frame",
        frame: Buffer.concat([
          wsFrame(OP.text, text.slice(0, 5), { fin: false }),
          wsFrame(OP.continuation, text.slice(5)),
        ]),
        label: "fragmented",
        closes: false,
      }),
      () => ({ kind: "frame", frame: wsFrame(OP.ping, "hi"), label: "ping", closes: false }),
      () => ({
        kind: "frame",
        frame: wsFrame(OP.text, JSON.stringify({ ...base, pad: "x".repeat(262_145) })),
        label: "oversize message",
        closes: true,
        code: 1009,
      }),
      () => ({
        kind: "frame",
        frame: wsFrame(OP.close, Buffer.from([0x03, 0xe8, 0xff])),
        label: "close with bad reason",
        closes: true,
      }),
      () => ({
        kind: "frame",
        frame: wsFrame(OP.close, Buffer.from([0x00, 0x05])),
        label: "close with invalid code",
        closes: true,
        code: 1002,
      }),
    ])();
  }

  /** One raw HTTP request: a valid endpoint from docs/protocol.md, with its target, method, headers or body damaged. */
  httpCase(port: number): HttpCase {
    const id = `h${++this.counter}`;
    const bodies: Record<string, unknown> = {
      "/generate": {
        scene_tag: "unboxing",
        duration_sec: 0.5,
        target_bpm: 110,
        seed: 1,
        ...(this.int(2) ? { variations: 2, levels: "keyframes" } : {}),
      },
      "/feedback": { job_id: "mk-1", reason: this.pick(REASONS), note: "needs more drive" },
      "/analyze": { text: ARTICLE },
      "/bed": {
        text: "Welcome back.",
        duration_sec: 0.5,
        seed: 9,
        levels: this.pick(["baked", "keyframes"]),
        variations: this.pick([1, 2]),
      },
      "/extend": { sha256: UNKNOWN_TAKE, duration_sec: 1, levels: "keyframes" },
      "/presets/rainy_city": { prompt: "lo-fi beat, soft rain", seed: 7 },
    };
    const endpoints: [string, string][] = [
      ["POST", "/generate"],
      ["GET", "/health"],
      ["GET", "/presets"],
      ["GET", "/presets/unboxing"],
      ["PUT", "/presets/rainy_city"],
      ["DELETE", "/presets/rainy_city"],
      ["POST", "/feedback"],
      ["GET", "/report?since=7d&format=json"],
      ["GET", "/report?since=30d&format=md"],
      ["POST", "/analyze"],
      ["POST", "/bed"],
      ["POST", "/extend"],
      ["GET", "/ui/"],
    ];
    let [method, target] = this.pick(endpoints);
    const path = target.split("?")[0];
    let body: string | undefined = bodies[path] !== undefined ? this.stringify(bodies[path]) : undefined;
    let headers: [string, string][] = [
      ["Host", `127.0.0.1:${port}`],
      ["Connection", "close"],
    ];
    let label = `${method} ${target}`;
    let mayGoUnanswered = false;
    switch (this.int(6)) {
      case 0:
        label = `valid ${label}`;
        break;
      case 1:
        target = this.pick<() => string>([
          () => "//[",
          () => `http://[::1:${port}/health`,
          () => `http://127.0.0.1:${port}${target}`,
          () => "*",
          () => `${path}%`,
          () => `/presets/%${this.pick(["", "z", "zz", "E0%A4%A", "00", "2e%2e"])}`,
          () => `/presets/${this.pick(PROTO_KEYS)}`,
          () => `/presets/${percentEncode(this.pick(CONTROL))}`,
          () =>
            `/ui/${this.pick(["..%2f..%2fpackage.json", "%2e%2e/%2e%2e/package.json", "../../package.json", "%", "index.html%00", "%c0%ae%c0%ae/"])}`,
          () =>
            `/report?since=${this.pick(["", "-1d", "1e999d", "99999999999d", "%", "7d&since=1d", "__proto__"])}&format=${this.pick(["json", "pdf", "", "%zz", "toString"])}`,
          () => `${path}?${"a=1&".repeat(2000)}`,
          () => `/${"x".repeat(8000)}`,
          () => `${path}/`,
          () => path.toUpperCase(),
          () => `${path};jsessionid=1`,
          () => `${path}#frag`,
          () => `/health\u0001`,
          () => "/é",
        ])();
        label = `target ${JSON.stringify(target)}`;
        break;
      case 2:
        method = this.pick([
          "PATCH",
          "OPTIONS",
          "HEAD",
          "TRACE",
          "CONNECT",
          "get",
          "G\u0000T",
          "POSTX",
          "PROPFIND",
          "DELETE",
          "PUT",
          "GET",
          "POST",
        ]);
        label = `method ${JSON.stringify(method)} ${target}`;
        break;
      case 3: {
        const h = this.pick<() => [string, string][]>([
          () => [["Host", "evil.example"]],
          () => [["Origin", "https://evil.example"]],
          () => [["Origin", "null"]],
          () => [["Host", ""]],
          () => [["X-Big", "y".repeat(20_000)]],
          () => [["Bad Header", "1"]],
          () => [["Content-Length", "-1"]],
          () => [["Content-Length", "abc"]],
          () => [
            ["Content-Length", "1"],
            ["Content-Length", "2"],
          ],
          () => [["Transfer-Encoding", "chunked"]],
          () => [["Content-Type", "text/plain"]],
          () => [["Authorization", "Bearer " + "x".repeat(1000)]],
          () => [["X-Ctl", "a\u0001b"]],
        ])();
        headers = [...headers.filter(([k]) => !h.some(([hk]) => hk.toLowerCase() === k.toLowerCase())), ...h];
        label = `headers ${JSON.stringify(h).slice(0, 80)} ${method} ${target}`;
        break;
      }
      case 4: {
        const base = (bodies[path] as Record<string, unknown>) ?? { type: "health", id };
        method = method === "GET" || method === "DELETE" ? this.pick(["POST", "PUT", method]) : method;
        body = this.stringify(this.mutate(base));
        label = `body ${method} ${target} ${body.slice(0, 60)}`;
        break;
      }
      default: {
        const base = bodies[path] ?? { type: "health", id };
        body = this.pick<() => string>([
          () => this.damageText(this.stringify(base)),
          () => "x".repeat(262_145),
          () => Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString("latin1"),
        ])();
        if (method === "GET") method = "POST";
        label = `damaged body ${method} ${target}`;
      }
    }
    const bodyBuf =
      body === undefined ? Buffer.alloc(0) : Buffer.from(body, body.startsWith("\u00ff\u00fe") ? "latin1" : "utf8");
    const hasLength = headers.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k));
    if (!hasLength && (body !== undefined || method === "POST" || method === "PUT"))
      headers.push(["Content-Type", "application/json"], ["Content-Length", String(bodyBuf.length)]);
    else if (hasLength) mayGoUnanswered = true; // a declared length that does not match: the helper may wait for bytes that never come
    const head = [`${method} ${target} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`)].join("\r\n") + "\r\n\r\n";
    return { request: Buffer.concat([Buffer.from(head, "latin1"), bodyBuf]), label, mayGoUnanswered };
  }
}

/** The objects inside a message (itself included) with their paths, so a mutation can land at any depth. */
function containers(value: Record<string, unknown>): [Record<string, unknown>][] {
  const out: [Record<string, unknown>][] = [];
  const walk = (v: unknown) => {
    if (v && typeof v === "object") {
      out.push([v as Record<string, unknown>]);
      for (const child of Object.values(v)) walk(child);
    }
  };
  walk(value);
  return out;
}
