// GET /ui/…: the browser harness (the panel on a fake Premiere), served by the helper itself so that people without
// Premiere can use Cuesmith from a browser, and so that its WebSocket is same-origin. Read-only, fixed folder, no
// directory listing, no path outside it.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ServerResponse } from "node:http";

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

/** Serves `pathname` (under /ui/) from `root`; false when it is not a /ui path at all. */
export function serveUi(pathname: string, res: ServerResponse, root: string | null = harnessDir()): boolean {
  if (pathname !== "/ui" && !pathname.startsWith("/ui/")) return false;
  if (pathname === "/ui") {
    res.writeHead(301, { Location: "/ui/" }).end();
    return true;
  }
  const rel = decodeURIComponent(pathname.slice("/ui/".length)) || "index.html";
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
      .writeHead(404, { "Content-Type": "text/plain; charset=utf-8" })
      .end(missing ? "the browser UI is not built: run npm run build" : "not found");
    return true;
  }
  res.writeHead(200, {
    "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
  });
  fs.createReadStream(file).pipe(res);
  return true;
}
