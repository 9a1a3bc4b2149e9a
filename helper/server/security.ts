// Who may talk to the helper. It listens on 127.0.0.1, but a web page in the user's browser can still reach
// localhost: refuse browser origins we do not know (cross-site WebSocket hijacking) and Host names that are
// not local (DNS rebinding). In --lan mode a shared token is required instead.
import { timingSafeEqual } from "node:crypto";

export interface AccessPolicy {
  /** Team mode: any Host, but every request needs the token. */
  lan: boolean;
  token?: string;
  /** Extra origins allowed to open a WebSocket (e.g. the browser harness on its own port). */
  allowedOrigins: string[];
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** The host part of a Host header ("localhost:8001" -> "localhost", "[::1]:8001" -> "[::1]"). */
export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.split(":")[0];
}

export function isLocalHost(hostHeader: string | undefined): boolean {
  return hostHeader !== undefined && LOCAL_HOSTS.has(hostName(hostHeader));
}

/**
 * UXP panels, curl and scripts send no Origin (or a non-web scheme); browsers always send one. Web origins,
 * and "null" (which any page can send from a sandboxed iframe), are allowed only when listed.
 */
export function isOriginAllowed(origin: string | undefined, policy: AccessPolicy): boolean {
  if (origin === undefined || origin === "") return true;
  if (origin === "null") return policy.allowedOrigins.includes("null");
  if (!/^https?:\/\//i.test(origin)) return true;
  return policy.allowedOrigins.some((o) => o.toLowerCase() === origin.toLowerCase());
}

export function tokenMatches(given: string | undefined | null, expected: string | undefined): boolean {
  if (!expected) return true;
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type AccessDenial = { status: 403 | 401; code: "forbidden"; message: string };

/** Checks one HTTP request or WebSocket handshake; null when it may proceed. */
export function checkAccess(
  req: { headers: Record<string, string | string[] | undefined>; url?: string },
  policy: AccessPolicy,
): AccessDenial | null {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (!isOriginAllowed(header("origin"), policy)) {
    return {
      status: 403,
      code: "forbidden",
      message: `origin ${header("origin")} is not allowed to use the helper (add it to allowedOrigins in the helper's config)`,
    };
  }
  if (policy.lan) {
    const url = new URL(req.url ?? "/", "http://helper");
    const bearer = header("authorization")?.replace(/^Bearer\s+/i, "");
    if (!tokenMatches(url.searchParams.get("token") ?? bearer, policy.token)) {
      return {
        status: 401,
        code: "forbidden",
        message: "this helper is shared on the network: pass its token as ?token=… or Authorization: Bearer …",
      };
    }
    return null;
  }
  if (!isLocalHost(header("host"))) {
    return {
      status: 403,
      code: "forbidden",
      message: `host ${header("host") ?? "(none)"} is not a local name; the helper only answers localhost unless started with --lan`,
    };
  }
  return null;
}
