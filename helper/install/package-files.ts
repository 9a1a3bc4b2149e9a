// Files that ship inside the installed package (found from this file, so the same code works from the checkout,
// from dist/ and from a global `npm install -g`): the packaged panel and its plugin id.
import * as fs from "node:fs";
import * as path from "node:path";

/** The folder holding cuesmith's package.json, or null. */
export function packageRoot(start = __dirname): string | null {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      try {
        if ((JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string }).name === "cuesmith") return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** plugin/dist/cuesmith.ccx of this package (built by `npm run package` and by `npm pack`). */
export function ccxPath(root = packageRoot()): string | null {
  return root ? path.join(root, "plugin", "dist", "cuesmith.ccx") : null;
}

/** The panel's plugin id from its manifest (`com.cuesmith.panel`), or that default when the manifest is absent. */
export function pluginId(root = packageRoot()): string {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(root ?? "", "plugin", "dist", "manifest.json"), "utf8")) as {
      id?: string;
    };
    if (manifest.id) return manifest.id;
  } catch {
    // fall through to the id the panel is published under
  }
  return "com.cuesmith.panel";
}
