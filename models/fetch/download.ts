// One file from the hub into place: `<dest>.part` grown with HTTP Range (a broken or cancelled download
// resumes), hashed while it streams (the .part's existing bytes first), checked against the expected size
// and hash, then renamed over `<dest>` in one step. A file that fails the check is deleted, never installed.
import * as fs from "node:fs";
import * as path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ModelFileError } from "./errors";
import { Digests, feedFile, StreamHasher } from "./hash";
import { getFile, HubRequestOptions } from "./hub";

export interface ExpectedFile {
  /** Exact size in bytes, when known. */
  size?: number;
  sha256?: string;
  /** Git blob id (plain git files): checked when no sha256 is known. */
  gitSha1?: string;
}

export interface DownloadOptions extends HubRequestOptions {
  /** Bytes newly accounted for (including bytes already in a .part being resumed). */
  onBytes?: (n: number) => void;
  /** Extra attempts after a broken transfer (default 3); each resumes from the .part. */
  retries?: number;
  /** Delay before retry n (default 500 ms × n). */
  retryDelayMs?: number;
}

export const partPath = (dest: string) => `${dest}.part`;

async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.promises.stat(file)).size;
  } catch {
    return 0;
  }
}

async function removeQuietly(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true }).catch(() => undefined);
}

function ioError(err: unknown, file: string, what: string): ModelFileError {
  const e = err as NodeJS.ErrnoException;
  const fix =
    e.code === "ENOSPC"
      ? "free some disk space and run the command again"
      : "check the folder is writable and run the command again";
  return new ModelFileError("io", `cannot ${what} (${e.code ?? e.message})`, file, fix);
}

/** Downloads `url` to `dest` (resuming `dest.part`), verifies it and renames it into place. */
export async function downloadFile(
  url: string,
  dest: string,
  file: string,
  expected: ExpectedFile,
  opts: DownloadOptions = {},
): Promise<Digests> {
  const part = partPath(dest);
  try {
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  } catch (err) {
    throw ioError(err, file, `create ${path.dirname(dest)}`);
  }
  const retries = opts.retries ?? 3;
  let freshRetryUsed = false;
  let lastError: ModelFileError | undefined;

  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, (opts.retryDelayMs ?? 500) * attempt));
    let have = await sizeOf(part);
    if (expected.size !== undefined && have > expected.size) {
      await removeQuietly(part);
      have = 0;
    }
    const resumed = have > 0;
    const gitSize = !expected.sha256 && expected.gitSha1 ? expected.size : undefined;
    let hasher = new StreamHasher(gitSize);
    if (have > 0) {
      await feedFile(part, hasher, { signal: opts.signal });
      opts.onBytes?.(have);
    }

    try {
      if (expected.size === undefined || have < expected.size) {
        const got = await getFile(url, have, { ...opts, file });
        if (got.status === 416) {
          // The server has nothing past what we hold: our .part is stale or complete; start again cleanly.
          await removeQuietly(part);
          if (attempt === retries)
            throw new ModelFileError(
              "network",
              `${file}: the server rejected resuming at byte ${have}`,
              file,
              "run the command again",
            );
          continue;
        }
        let flags = "a";
        if (got.start === 0 && have > 0) {
          // The server ignored the Range header: start over from byte 0.
          opts.onBytes?.(-have);
          hasher = new StreamHasher(gitSize);
          flags = "w";
        }
        if (expected.size !== undefined && got.total !== undefined && got.total !== expected.size) {
          got.res.resume();
          await removeQuietly(part);
          throw new ModelFileError(
            "wrong_size",
            `${file} on the hub is ${got.total} bytes, expected ${expected.size}`,
            file,
            "the hub or mirror serves a different file than the manifest pins; check HF_ENDPOINT",
          );
        }
        const counter = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            hasher.update(chunk);
            opts.onBytes?.(chunk.length);
            cb(null, chunk);
          },
        });
        let out: fs.WriteStream;
        try {
          out = fs.createWriteStream(part, { flags });
        } catch (err) {
          got.res.resume();
          throw ioError(err, file, `write ${part}`);
        }
        try {
          await pipeline(got.res, counter, out);
        } catch (err) {
          if (err instanceof ModelFileError) throw err;
          const e = err as NodeJS.ErrnoException;
          if (opts.signal?.aborted)
            throw new ModelFileError(
              "aborted",
              `download of ${file} cancelled (the partial file is kept and will resume)`,
              file,
            );
          if (
            e.syscall === "write" ||
            e.syscall === "open" ||
            e.code === "ENOSPC" ||
            e.code === "EACCES" ||
            e.code === "EROFS"
          )
            throw ioError(err, file, `write ${part}`);
          throw new ModelFileError(
            "network",
            `the connection broke while fetching ${file} (${e.code ?? e.message})`,
            file,
            "run the command again: the download resumes where it stopped",
          );
        }
      }
    } catch (err) {
      if (err instanceof ModelFileError && err.code === "network" && attempt < retries) {
        lastError = err;
        continue;
      }
      throw err;
    }

    const digest = hasher.digest();
    if (expected.size !== undefined && digest.size < expected.size) {
      // The server closed early: keep the .part and resume.
      lastError = new ModelFileError(
        "network",
        `the transfer of ${file} ended at ${digest.size} of ${expected.size} bytes`,
        file,
        "run the command again: the download resumes where it stopped",
      );
      if (attempt < retries) continue;
      throw lastError;
    }
    if (expected.size !== undefined && digest.size !== expected.size) {
      await removeQuietly(part);
      throw new ModelFileError(
        "wrong_size",
        `${file} downloaded as ${digest.size} bytes, expected ${expected.size}; it was deleted`,
        file,
        "run the command again",
      );
    }
    const hashProblem =
      expected.sha256 && digest.sha256 !== expected.sha256
        ? `sha256 ${digest.sha256}, expected ${expected.sha256}`
        : !expected.sha256 && expected.gitSha1 && digest.gitSha1 !== expected.gitSha1
          ? `git blob id ${digest.gitSha1 ?? "?"}, expected ${expected.gitSha1}`
          : undefined;
    if (hashProblem) {
      await removeQuietly(part);
      if (resumed && !freshRetryUsed && attempt < retries) {
        // The bytes kept from an earlier run may be what is wrong: one clean retry.
        freshRetryUsed = true;
        opts.onBytes?.(-digest.size);
        continue;
      }
      throw new ModelFileError(
        "wrong_hash",
        `${file} failed its integrity check after download (${hashProblem}); the download was deleted and nothing was installed`,
        file,
        "run the command again; if it fails the same way, the hub or mirror (HF_ENDPOINT) serves a different file",
      );
    }
    try {
      await fs.promises.rename(part, dest);
    } catch (err) {
      throw ioError(err, file, `move ${part} into place`);
    }
    return digest;
  }
  throw lastError ?? new ModelFileError("network", `could not fetch ${file}`, file, "run the command again");
}
