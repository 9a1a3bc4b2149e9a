// GET /ui/…: the browser harness (the panel on a fake Premiere), served by the helper itself so that people without
// Premiere can use Cuesmith from a browser, and so that its WebSocket is same-origin. Read-only, fixed folder, no
// directory listing, no path outside it.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ServerResponse } from "node:http";
import { decodePathSegment } from "./request-target";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** plugin/dist-harness of this package (found from here, so it works from the sources and from dist/). */
export function harnessDir(start = __dirname): string | null {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "plugin", "dist-harness");
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "plugin"))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * Sent with every /ui/ answer: no other site may frame the harness (clickjacking a page that can write files and
 * run jobs). The CSP restricts framing, plugins and <base> only, so the page's inline style, its bundle and its
 * WebSocket to a helper on any port keep working.
 */
export const UI_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "X-Frame-Options": "DENY",
  "Content-Security-Policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
  "X-Content-Type-Options": "nosniff",
});

/** Serves `pathname` (under /ui/) from `root`; false when it is not a /ui path at all. */
export function serveUi(pathname: string, res: ServerResponse, root: string | null = harnessDir()): boolean {
  if (pathname !== "/ui" && !pathname.startsWith("/ui/")) return false;
  if (pathname === "/ui") {
    res.writeHead(301, { ...UI_SECURITY_HEADERS, Location: "/ui/" }).end();
    return true;
  }
  const decoded = decodePathSegment(pathname.slice("/ui/".length));
  if (decoded === null) {
    res
      .writeHead(400, { ...UI_SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8" })
      .end("malformed %-escape in the path");
    return true;
  }
  const rel = decoded || "index.html";
  const file = root ? path.resolve(root, rel) : null;
  if (
    !root ||
    !file ||
    !file.startsWith(path.resolve(root) + path.sep) ||
    !fs.existsSync(file) ||
    !fs.statSync(file).isFile()
  ) {
    const missing = !root || !fs.existsSync(path.join(root, "index.html"));
    res
      .writeHead(404, { ...UI_SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8" })
      .end(missing ? "the browser UI is not built: run npm run build" : "not found");
    return true;
  }
  res.writeHead(200, {
    ...UI_SECURITY_HEADERS,
    "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
    "Cache-Control": "no-cache",
  });
  // a file removed or unreadable between the check and the read ends this answer, not the daemon
  fs.createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
  return true;
}
