// `<modelDir>/.cuesmith-lock.json`: the exact size and sha256 of every file after a successful fetch, and
// what they were checked against. `verify` uses it for files whose manifest entry has no verified sha256.
import * as fs from "node:fs";
import * as path from "node:path";

export const LOCK_FILE = ".cuesmith-lock.json";

/**
 * What a file's values were checked against when it was installed:
 * - `manifest`: the sha256 pinned in models/manifest.json
 * - `hub-sha256`: the hub's published LFS/Xet sha256 (X-Linked-Etag) at the pinned revision
 * - `hub-git-id`: the hub's git blob id (ETag) of a plain git file
 * - `hf-cache-id`: the content id a Hugging Face cache blob is named by
 * - `size-only`: nothing to compare the hash with (a mirror that publishes no hash); sha256 recorded as downloaded
 */
export type VerifiedBy = "manifest" | "hub-sha256" | "hub-git-id" | "hf-cache-id" | "size-only";

export interface LockEntry {
  size: number;
  sha256: string;
  verifiedBy: VerifiedBy;
  /** How the file got there. */
  via: "download" | "hf-cache" | "present";
}

export interface ModelLock {
  schema: 1;
  model: string;
  repo: string;
  revision: string;
  updated: string;
  files: Record<string, LockEntry>;
}

export function lockPath(dir: string): string {
  return path.join(dir, LOCK_FILE);
}

/** The lock in `dir`, or undefined when absent or unreadable (a damaged lock is treated as no lock). */
export function readLock(dir: string): ModelLock | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(lockPath(dir), "utf8"));
  } catch {
    return undefined;
  }
  const l = raw as Partial<ModelLock>;
  if (
    !l ||
    l.schema !== 1 ||
    typeof l.model !== "string" ||
    typeof l.revision !== "string" ||
    typeof l.files !== "object" ||
    !l.files
  )
    return undefined;
  const files: Record<string, LockEntry> = {};
  for (const [p, e] of Object.entries(l.files)) {
    if (e && typeof e.size === "number" && typeof e.sha256 === "string" && /^[0-9a-f]{64}$/.test(e.sha256))
      files[p] = e;
  }
  return {
    schema: 1,
    model: l.model,
    repo: String(l.repo ?? ""),
    revision: l.revision,
    updated: String(l.updated ?? ""),
    files,
  };
}

/** Writes the lock atomically (temporary file + rename). */
export async function writeLock(dir: string, lock: ModelLock): Promise<string> {
  const file = lockPath(dir);
  const tmp = `${file}.tmp-${process.pid}`;
  const sorted = Object.fromEntries(Object.entries(lock.files).sort(([a], [b]) => a.localeCompare(b)));
  await fs.promises.writeFile(tmp, JSON.stringify({ ...lock, files: sorted }, null, 2) + "\n");
  await fs.promises.rename(tmp, file);
  return file;
}
