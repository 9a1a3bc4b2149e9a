// A small HTTP client for the Hugging Face hub (or a mirror): HEAD for a file's published size and hash,
// GET with an optional Range, redirects followed, a short connect timeout so "no network" fails in seconds,
// and a stall timeout once connected. Node built-ins only.
import * as http from "node:http";
import * as https from "node:https";
import { ModelFileError, OFFLINE_FIX } from "./errors";
import { isGitSha1, isSha256, normaliseEtag } from "./hash";

export interface HubRequestOptions {
  signal?: AbortSignal;
  /** Time allowed for DNS + TCP connect (default 5000 ms): offline machines fail this fast. */
  connectTimeoutMs?: number;
  /** Time without any byte once connected before the transfer counts as stalled (default 60000 ms). */
  idleTimeoutMs?: number;
  /** The file concerned, for error messages. */
  file?: string;
  userAgent?: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60000;
const MAX_REDIRECTS = 10;

/** What the hub says about a file without sending it. */
export interface HubFileMeta {
  /** Bytes: X-Linked-Size (LFS/Xet) or Content-Length. */
  size?: number;
  /** The LFS/Xet sha256, from X-Linked-Etag (or an ETag that is a sha256). */
  sha256?: string;
  /** The git blob id of a plain git file, from its ETag. */
  gitSha1?: string;
  /** X-Repo-Commit: the commit the hub resolved the revision to. */
  commit?: string;
}

const OFFLINE_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EAI_NONAME",
  "EAI_NODATA",
  "ECONNREFUSED",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "ETIMEDOUT",
  "ECONNECTTIMEOUT",
]);

function reasonFor(code: string | undefined, connectTimeoutMs: number): string {
  switch (code) {
    case "ENOTFOUND":
    case "EAI_FAIL":
    case "EAI_NONAME":
    case "EAI_NODATA":
      return "DNS lookup failed";
    case "EAI_AGAIN":
      return "DNS lookup timed out";
    case "ECONNREFUSED":
      return "connection refused";
    case "ENETUNREACH":
    case "ENETDOWN":
      return "network unreachable";
    case "EHOSTUNREACH":
    case "EHOSTDOWN":
      return "host unreachable";
    case "ECONNECTTIMEOUT":
    case "ETIMEDOUT":
      return `no connection within ${Math.round(connectTimeoutMs / 100) / 10} s`;
    case "ECONNRESET":
      return "connection reset";
    default:
      return code ?? "network error";
  }
}

function codedError(code: string, message: string): NodeJS.ErrnoException {
  const err = new Error(message) as NodeJS.ErrnoException;
  err.code = code;
  return err;
}

/**
 * One request, no redirects. Resolves with the response once headers arrive. Errors before the response
 * are mapped to ModelFileError "offline" (cannot connect) or "network"; an abort to "aborted".
 */
function requestOnce(
  method: "HEAD" | "GET",
  url: URL,
  headers: Record<string, string>,
  opts: HubRequestOptions,
): Promise<http.IncomingMessage> {
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const mod = url.protocol === "https:" ? https : url.protocol === "http:" ? http : undefined;
  if (!mod) {
    return Promise.reject(
      new ModelFileError(
        "http",
        `unsupported URL ${url.href} (http or https only)`,
        opts.file,
        "check HF_ENDPOINT / --hub",
      ),
    );
  }
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new ModelFileError("aborted", "download cancelled", opts.file));
      return;
    }
    let connected = false;
    let settled = false;
    const req = mod.request(url, {
      method,
      headers: {
        "user-agent": opts.userAgent ?? "cuesmith-model-fetch",
        "accept-encoding": "identity",
        ...headers,
      },
      // A fresh connection per request: the connect timer below must see a real connect.
      agent: false,
    });
    const connectTimer = setTimeout(() => {
      req.destroy(codedError("ECONNECTTIMEOUT", `no connection to ${url.host} within ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    connectTimer.unref?.();
    const onAbort = () => req.destroy(codedError("ABORT_ERR", "aborted"));
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(connectTimer);
      opts.signal?.removeEventListener("abort", onAbort);
    };

    req.on("socket", (socket) => {
      const markConnected = () => {
        connected = true;
        clearTimeout(connectTimer);
      };
      if ((socket as { connecting?: boolean }).connecting === false && !socket.destroyed) markConnected();
      else socket.once("connect", markConnected);
    });
    req.setTimeout(idleTimeoutMs, () => {
      req.destroy(codedError("ESTALLED", `no data from ${url.host} for ${idleTimeoutMs / 1000} s`));
    });
    req.on("response", (res) => {
      settled = true;
      clearTimeout(connectTimer);
      // The abort listener stays until the body is consumed; the caller's stream handling takes over.
      res.once("close", cleanup);
      resolve(res);
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      cleanup();
      if (settled) return; // errors after the response are the body stream's business
      settled = true;
      if (opts.signal?.aborted || err.code === "ABORT_ERR") {
        reject(new ModelFileError("aborted", "download cancelled", opts.file));
      } else if (!connected && (OFFLINE_CODES.has(err.code ?? "") || err.code === "ECONNRESET")) {
        reject(
          new ModelFileError(
            "offline",
            `cannot reach ${url.hostname} (${reasonFor(err.code, connectTimeoutMs)})${opts.file ? ` to fetch ${opts.file}` : ""}`,
            opts.file,
            OFFLINE_FIX,
          ),
        );
      } else {
        reject(
          new ModelFileError(
            "network",
            `connection to ${url.hostname} failed${opts.file ? ` while fetching ${opts.file}` : ""} (${err.code === "ESTALLED" ? err.message : reasonFor(err.code, connectTimeoutMs)})`,
            opts.file,
            "run the same command again: the download resumes where it stopped",
          ),
        );
      }
    });
    req.end();
  });
}

function httpError(status: number, url: URL, file?: string): ModelFileError {
  const what = file ?? url.pathname;
  if (status === 401 || status === 403) {
    return new ModelFileError(
      "http",
      `the hub refused ${what} (HTTP ${status}) at ${url.host}`,
      file,
      "the repository may be gated or the mirror may need access; check HF_ENDPOINT",
    );
  }
  if (status === 404) {
    return new ModelFileError(
      "http",
      `${what} is not on ${url.host} at the pinned revision (HTTP 404)`,
      file,
      "check HF_ENDPOINT points to a Hugging Face hub or a complete mirror",
    );
  }
  if (status === 429)
    return new ModelFileError(
      "http",
      `${url.host} is rate-limiting downloads (HTTP 429)`,
      file,
      "wait a minute and run the command again",
    );
  return new ModelFileError(
    "http",
    `${url.host} answered HTTP ${status} for ${what}`,
    file,
    "try again later; the download resumes where it stopped",
  );
}

function isRedirect(status: number | undefined): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function numberHeader(res: http.IncomingMessage, name: string): number | undefined {
  const v = header(res, name);
  if (v === undefined || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v);
}

/**
 * HEAD a file on the hub. LFS/Xet files answer with a redirect carrying X-Linked-Size and X-Linked-Etag
 * (the sha256); plain git files answer 200 with Content-Length and an ETag that is the git blob id.
 */
export async function headFile(urlString: string, opts: HubRequestOptions = {}): Promise<HubFileMeta> {
  let url = new URL(urlString);
  const meta: HubFileMeta = {};
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const res = await requestOnce("HEAD", url, {}, opts);
    res.resume();
    const status = res.statusCode ?? 0;
    const linkedSize = numberHeader(res, "x-linked-size");
    const linkedEtag = normaliseEtag(header(res, "x-linked-etag"));
    const etag = normaliseEtag(header(res, "etag"));
    meta.commit ??= header(res, "x-repo-commit");
    if (linkedSize !== undefined) meta.size ??= linkedSize;
    if (isSha256(linkedEtag)) meta.sha256 ??= linkedEtag;
    if (isRedirect(status)) {
      const location = header(res, "location");
      if (!location) throw httpError(status, url, opts.file);
      // The hub's own redirect carries the LFS metadata; the CDN behind it adds nothing we need.
      if (meta.size !== undefined && meta.sha256 !== undefined) return meta;
      url = new URL(location, url);
      continue;
    }
    if (status < 200 || status >= 300) throw httpError(status, url, opts.file);
    if (meta.size === undefined) meta.size = numberHeader(res, "content-length");
    if (!meta.sha256 && isSha256(etag)) meta.sha256 = etag;
    else if (!meta.sha256 && isGitSha1(etag)) meta.gitSha1 = etag;
    return meta;
  }
  throw new ModelFileError("http", `too many redirects fetching ${opts.file ?? urlString}`, opts.file);
}

export interface GetResult {
  res: http.IncomingMessage;
  /** 200 (whole file), 206 (from `start`) or 416 (range not satisfiable). */
  status: number;
  /** Where the body starts in the file. */
  start: number;
  /** Total file size when the server says. */
  total?: number;
}

/** GET a file, from byte `start` when > 0 (HTTP Range), following redirects. */
export async function getFile(urlString: string, start: number, opts: HubRequestOptions = {}): Promise<GetResult> {
  let url = new URL(urlString);
  const headers: Record<string, string> = start > 0 ? { range: `bytes=${start}-` } : {};
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const res = await requestOnce("GET", url, headers, opts);
    const status = res.statusCode ?? 0;
    if (isRedirect(status)) {
      res.resume();
      const location = header(res, "location");
      if (!location) throw httpError(status, url, opts.file);
      url = new URL(location, url);
      continue;
    }
    if (status === 200) {
      return { res, status, start: 0, total: numberHeader(res, "content-length") };
    }
    if (status === 206) {
      const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec((header(res, "content-range") ?? "").trim());
      const from = m ? Number(m[1]) : NaN;
      if (!m || from !== start) {
        res.resume();
        throw new ModelFileError(
          "network",
          `${url.host} sent a partial answer for the wrong range of ${opts.file ?? url.pathname}`,
          opts.file,
          "run the command again",
        );
      }
      return { res, status, start: from, total: m[3] === "*" ? undefined : Number(m[3]) };
    }
    res.resume();
    if (status === 416) return { res, status, start };
    throw httpError(status, url, opts.file);
  }
  throw new ModelFileError("http", `too many redirects fetching ${opts.file ?? urlString}`, opts.file);
}
