// Writes a file so that readers (Premiere importing a bed, the next helper start reading a store) see either the old
// content or the whole new content, never a partial file: a temp file in the same folder (rename is only atomic
// within one file system), fsync, rename over the target, fsync the folder (so the rename itself survives a crash).
import * as fs from "node:fs";
import * as path from "node:path";

export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    const handle = await fs.promises.open(tmp, "wx");
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
