// Writes a file so that readers (Premiere importing a bed, the next helper start reading a store) see either the old
// content or the whole new content, never a partial file: a temp file in the same folder (rename is only atomic
// within one file system), fsync, rename over the target, fsync the folder (so the rename itself survives a crash).
// A crash between the temp file's creation and the rename leaves that temp file behind; its name follows
// TEMP_NAME_RE so the start-up sweep (temp-sweep.ts) can recognise it and only it.
import * as fs from "node:fs";
import * as path from "node:path";

/** Files that hold the user's own words (presets, feedback, config): readable by the user only. */
export const PRIVATE_FILE_MODE = 0o600;
/** Folders the helper creates for its own files. */
export const PRIVATE_DIR_MODE = 0o700;

/** `.<name>.<pid>.<ms>.<random>.tmp`: hidden, and specific enough that no user file matches it by chance. */
export const TEMP_NAME_RE = /^\..+\.\d+\.\d+\.[0-9a-z]+\.tmp$/;

/** A fresh temp path beside `file`, named by TEMP_NAME_RE. */
export function tempPathFor(file: string): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2) || "0"}.tmp`,
  );
}

export interface AtomicWriteOptions {
  /** Mode of the written file (default 0o666 less the umask, as fs.writeFile). */
  mode?: number;
}

export async function writeFileAtomic(
  file: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE }); // only folders it creates
  const tmp = tempPathFor(file);
  try {
    const handle = await fs.promises.open(tmp, "wx", options.mode ?? 0o666);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, "r");
    await handle.sync();
  } catch {
    // some platforms (Windows) cannot open or fsync a directory; the rename itself is still atomic there
  } finally {
    await handle?.close().catch(() => {});
  }
}
