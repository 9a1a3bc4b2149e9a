// Who may talk to the helper. It listens on 127.0.0.1, but a web page in the user's browser can still reach
// localhost: refuse browser origins we do not know (cross-site WebSocket hijacking) and Host names that are
// not local (DNS rebinding). In --lan mode a shared token is required instead.
import { createHash, timingSafeEqual } from "node:crypto";

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

/**
 * Both sides are hashed first, so the comparison always runs over 32 bytes: neither an early exit nor a length
 * check tells a caller how long the token is or how much of it was right.
 */
export function tokenMatches(given: string | undefined | null, expected: string | undefined): boolean {
  if (!expected) return true;
  if (!given) return false;
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export type AccessDenial = { status: 403 | 401; code: "forbidden"; message: string };

/**
 * Checks one HTTP request or WebSocket handshake; null when it may proceed. `upgradeQuery` is the handshake's
 * parsed query string: only a WebSocket handshake may carry `?token=` (UXP's WebSocket cannot set headers);
 * plain HTTP must send `Authorization: Bearer`, so tokens do not end up in proxy logs and browser history.
 * Nothing here parses the request target: the caller did that inside its guarded boundary.
 */
export function checkAccess(
  req: { headers: Record<string, string | string[] | undefined> },
  policy: AccessPolicy,
  upgradeQuery?: URLSearchParams,
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
    const auth = header("authorization");
    const bearer = auth !== undefined && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, "") : undefined;
    if (!tokenMatches(bearer ?? upgradeQuery?.get("token"), policy.token)) {
      return {
        status: 401,
        code: "forbidden",
        message:
          "this helper is shared on the network: send its token as Authorization: Bearer … (a WebSocket may also use ?token=…)",
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
