// A content-addressed store of finished WAVs: the same model, prompt, duration, seed and settings give the same
// key, and a hit returns the stored file at once. Disk use is bounded; the least recently used go first.
// Files handed to Premiere live in the output folders, never here, so eviction cannot break a project.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../util/atomic-file";

export function cacheKey(parts: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(parts)
      .sort()
      .map((k) => [k, parts[k]]),
  );
  return createHash("sha256").update(canonical).digest("hex");
}

export interface CacheEntry<M> {
  wavPath: string;
  meta: M;
}

export class RenderCache<M extends object> {
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  private files(key: string) {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error("bad cache key");
    return { wav: path.join(this.dir, `${key}.wav`), meta: path.join(this.dir, `${key}.json`) };
  }

  get(key: string): CacheEntry<M> | undefined {
    const f = this.files(key);
    try {
      const meta = JSON.parse(fs.readFileSync(f.meta, "utf8")) as M;
      const now = new Date();
      fs.utimesSync(f.wav, now, now); // mark as recently used
      return { wavPath: f.wav, meta };
    } catch {
      return undefined;
    }
  }

  async put(key: string, wav: Uint8Array, meta: M): Promise<CacheEntry<M>> {
    const f = this.files(key);
    await writeFileAtomic(f.wav, wav);
    await writeFileAtomic(f.meta, JSON.stringify(meta));
    this.evict(key);
    return { wavPath: f.wav, meta };
  }

  /** The entry whose metadata matches, newest first (used to find a take by its WAV hash after a restart). */
  find(match: (meta: M) => boolean): CacheEntry<M> | undefined {
    for (const e of this.entries().sort((a, b) => b.used - a.used)) {
      const f = this.files(e.key);
      try {
        const meta = JSON.parse(fs.readFileSync(f.meta, "utf8")) as M;
        if (match(meta)) return { wavPath: f.wav, meta };
      } catch {
        // an entry being evicted or half-written: skip it
      }
    }
    return undefined;
  }

  /** Total bytes of WAVs held. */
  size(): number {
    return this.entries().reduce((n, e) => n + e.bytes, 0);
  }

  private entries() {
    return fs
      .readdirSync(this.dir)
      .filter((n) => /^[0-9a-f]{64}\.wav$/.test(n))
      .flatMap((n) => {
        try {
          const st = fs.statSync(path.join(this.dir, n));
          return [{ key: n.slice(0, 64), bytes: st.size, used: st.mtimeMs }];
        } catch {
          return [];
        }
      });
  }

  /** Removes least recently used entries until the store fits, never the one just written. */
  private evict(keep: string): void {
    const entries = this.entries().sort((a, b) => a.used - b.used);
    let total = entries.reduce((n, e) => n + e.bytes, 0);
    for (const e of entries) {
      if (total <= this.maxBytes) break;
      if (e.key === keep) continue;
      const f = this.files(e.key);
      fs.rmSync(f.meta, { force: true });
      fs.rmSync(f.wav, { force: true });
      total -= e.bytes;
    }
  }
}
