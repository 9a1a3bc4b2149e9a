// Streaming hashes: sha256 (what LFS/Xet publish) and, for plain git files, the git blob id
// (sha1 of "blob <size>\0" + content), which is what the hub's ETag and the HF cache's blob names use for them.
import { createHash, Hash } from "node:crypto";
import * as fs from "node:fs";

export interface Digests {
  size: number;
  sha256: string;
  /** Git blob id; only when the total size was known up front. */
  gitSha1?: string;
}

/** Incremental hasher fed chunk by chunk (a resumed download feeds the .part first, then the network). */
export class StreamHasher {
  private readonly sha256: Hash = createHash("sha256");
  private readonly git?: Hash;
  private bytes = 0;

  /** `gitBlobSize`: the file's final size, to compute the git blob id alongside. */
  constructor(private readonly gitBlobSize?: number) {
    if (gitBlobSize !== undefined) {
      this.git = createHash("sha1");
      this.git.update(`blob ${gitBlobSize}\0`);
    }
  }

  update(chunk: Buffer): void {
    this.sha256.update(chunk);
    this.git?.update(chunk);
    this.bytes += chunk.length;
  }

  get size(): number {
    return this.bytes;
  }

  digest(): Digests {
    const out: Digests = { size: this.bytes, sha256: this.sha256.digest("hex") };
    if (this.git && this.gitBlobSize === this.bytes) out.gitSha1 = this.git.digest("hex");
    return out;
  }
}

/** Feeds a file (or its first `limit` bytes) into `hasher`, reporting bytes as they go. */
export async function feedFile(
  file: string,
  hasher: StreamHasher,
  opts: { limit?: number; onBytes?: (n: number) => void; signal?: AbortSignal } = {},
): Promise<void> {
  if (opts.limit === 0) return;
  const stream = fs.createReadStream(file, {
    highWaterMark: 1 << 20,
    ...(opts.limit !== undefined ? { start: 0, end: opts.limit - 1 } : {}),
    signal: opts.signal,
  });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hasher.update(chunk);
    opts.onBytes?.(chunk.length);
  }
}

/** sha256 of a whole file (and its git blob id with `git: true`). */
export async function hashFile(
  file: string,
  opts: { git?: boolean; onBytes?: (n: number) => void; signal?: AbortSignal } = {},
): Promise<Digests> {
  const size = (await fs.promises.stat(file)).size;
  const hasher = new StreamHasher(opts.git ? size : undefined);
  await feedFile(file, hasher, opts);
  return hasher.digest();
}

/** Normalises an ETag-style header value: drops `W/` and quotes, lower-cases. */
export function normaliseEtag(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  return v.trim().replace(/^W\//i, "").replace(/^"|"$/g, "").toLowerCase();
}

export const isSha256 = (s: string | undefined): s is string => !!s && /^[0-9a-f]{64}$/.test(s);
export const isGitSha1 = (s: string | undefined): s is string => !!s && /^[0-9a-f]{40}$/.test(s);
