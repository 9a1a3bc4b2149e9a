// The package version, read from the nearest package.json (works from sources under ts-jest and from dist/).
import * as fs from "node:fs";
import * as path from "node:path";

function findVersion(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "cuesmith" && pkg.version) return pkg.version;
    }
    if (path.dirname(d) === d) return "0.0.0";
  }
}

export const VERSION = findVersion(__dirname);
