// Start-up clean-up of temp files left by writes that a crash or kill interrupted (atomic-file.ts names them). Only
// plain files whose name is one of our own temp patterns, directly in the folders given, and older than a minute
// are removed: a younger one may belong to a write still under way in another helper process.
import * as fs from "node:fs";
import * as path from "node:path";
import { TEMP_NAME_RE } from "./atomic-file";

/** A temp file younger than this may still be in use by another writer. */
export const STALE_TEMP_MS = 60_000;

/** Our temp names: atomic-file.ts's, and `<name>.wav.<pid>.<ms>.tmp` from older helper versions' placing of beds. */
const OUR_TEMP_NAMES = [TEMP_NAME_RE, /^[^/\\]+\.wav\.\d+\.\d+\.tmp$/];

export function isOurTempName(name: string): boolean {
  return OUR_TEMP_NAMES.some((re) => re.test(name));
}

/** Removes stale temp files of our naming from each folder (not below it); returns the paths removed. */
export async function sweepStaleTempFiles(
  dirs: readonly string[],
  { olderThanMs = STALE_TEMP_MS, now = Date.now() } = {},
): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(dirs.map((d) => path.resolve(d)))) {
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch {
      continue; // a folder that does not exist yet has nothing to sweep
    }
    for (const name of names.filter(isOurTempName)) {
      const file = path.join(dir, name);
      try {
        const st = await fs.promises.lstat(file);
        if (!st.isFile() || now - st.mtimeMs < olderThanMs) continue;
        await fs.promises.rm(file);
        removed.push(file);
      } catch {
        // gone meanwhile, or not ours to remove: leave it
      }
    }
  }
  return removed;
}
