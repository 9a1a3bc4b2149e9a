// A content-addressed store of finished WAVs: the same model, prompt, duration, seed and settings give the same
// key, and a hit returns the stored file at once. Disk use is bounded; the least recently used go first.
// Files handed to Premiere live in the output folders, never here, so eviction cannot break a project.
// The folder is read once, when the cache opens, into an in-memory index (key -> size, last use, metadata); every
// later look-up (by key, or by metadata such as a take's sha256) is answered from memory, so no request ever waits
// on a directory scan. Last use is also written to the WAV's mtime, so the LRU order survives a restart.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { PRIVATE_DIR_MODE, writeFileAtomic } from "../util/atomic-file";
import { STALE_TEMP_MS } from "../util/temp-sweep";

export function cacheKey(parts: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(parts)
      .sort()
      .map((k) => [k, parts[k]]),
  );
  return createHash("sha256").update(canonical).digest("hex");
}

export interface CacheEntry<M> {
  key: string;
  wavPath: string;
  meta: M;
}

interface Indexed<M> {
  bytes: number;
  /** Last use in ms since the epoch; `seq` breaks ties within one millisecond. */
  used: number;
  seq: number;
  meta: M;
}

const KEY_RE = /^[0-9a-f]{64}$/;

export class RenderCache<M extends object> {
  private readonly index = new Map<string, Indexed<M>>();
  private total = 0;
  private seq = 0;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    this.load();
  }

  private files(key: string) {
    if (!KEY_RE.test(key)) throw new Error("bad cache key");
    return {
      wav: path.join(this.dir, `${key}.wav`),
      meta: path.join(this.dir, `${key}.json`),
      codes: path.join(this.dir, `${key}.codes`),
    };
  }

  /** Builds the index from the folder: entries with a WAV and readable metadata, oldest use first. */
  private load(): void {
    const found: Array<[string, Indexed<M>]> = [];
    for (const name of fs.readdirSync(this.dir)) {
      if (!/^[0-9a-f]{64}\.wav$/.test(name)) continue;
      const key = name.slice(0, 64);
      const f = this.files(key);
      let st: fs.Stats;
      try {
        st = fs.statSync(f.wav);
      } catch {
        continue;
      }
      try {
        const meta = JSON.parse(fs.readFileSync(f.meta, "utf8")) as M;
        found.push([key, { bytes: st.size + sizeOf(f.codes), used: st.mtimeMs, seq: 0, meta }]);
      } catch {
        // a WAV without (readable) metadata was interrupted between its two writes: not an entry, and once it is
        // old enough not to be another helper's write in progress, only wasted space
        if (Date.now() - st.mtimeMs > STALE_TEMP_MS) {
          fs.rmSync(f.wav, { force: true });
          fs.rmSync(f.meta, { force: true });
          fs.rmSync(f.codes, { force: true });
        }
      }
    }
    found.sort((a, b) => a[1].used - b[1].used);
    for (const [key, entry] of found) this.add(key, { ...entry, seq: ++this.seq });
  }

  private add(key: string, entry: Indexed<M>): void {
    this.forget(key);
    this.index.set(key, entry);
    this.total += entry.bytes;
  }

  private forget(key: string): void {
    const old = this.index.get(key);
    if (!old) return;
    this.index.delete(key);
    this.total -= old.bytes;
  }

  get(key: string): CacheEntry<M> | undefined {
    const entry = this.index.get(key);
    if (!entry) return undefined;
    const f = this.files(key);
    if (!fs.existsSync(f.wav)) {
      this.forget(key); // removed by hand since the index was built
      return undefined;
    }
    this.touch(key, entry);
    return { key, wavPath: f.wav, meta: entry.meta };
  }

  /** Marks an entry as just used, in memory and (without waiting) on disk for the next start. */
  private touch(key: string, entry: Indexed<M>): void {
    entry.used = Date.now();
    entry.seq = ++this.seq;
    const now = new Date(entry.used);
    fs.utimes(this.files(key).wav, now, now, () => {});
  }

  /** Stores a render; `codes` (the take's token grid, see take-codes.ts) is kept beside it, written first so that an
   * indexed entry never lacks the codes it was stored with. */
  async put(key: string, wav: Uint8Array, meta: M, codes?: Uint8Array): Promise<CacheEntry<M>> {
    const f = this.files(key);
    if (codes) await writeFileAtomic(f.codes, codes);
    await writeFileAtomic(f.wav, wav);
    await writeFileAtomic(f.meta, JSON.stringify(meta));
    this.add(key, { bytes: wav.byteLength + (codes?.byteLength ?? 0), used: Date.now(), seq: ++this.seq, meta });
    this.evict(key);
    return { key, wavPath: f.wav, meta };
  }

  /** The codes stored beside an entry, or undefined when it has none (or they were removed). */
  async readCodes(key: string): Promise<Buffer | undefined> {
    try {
      return await fs.promises.readFile(this.files(key).codes);
    } catch {
      return undefined;
    }
  }

  /** The entry whose metadata matches, most recently used first (finds a take by its WAV hash after a restart). */
  find(match: (meta: M) => boolean): CacheEntry<M> | undefined {
    let best: [string, Indexed<M>] | undefined;
    for (const [key, entry] of this.index) {
      if (match(entry.meta) && (!best || newer(entry, best[1]))) best = [key, entry];
    }
    return best && { key: best[0], wavPath: this.files(best[0]).wav, meta: best[1].meta };
  }

  /** Total bytes of WAVs held. */
  size(): number {
    return this.total;
  }

  /** Removes least recently used entries until the store fits, never the one just written. */
  private evict(keep: string): void {
    if (this.total <= this.maxBytes) return;
    const oldestFirst = [...this.index].sort((a, b) => (newer(a[1], b[1]) ? 1 : -1));
    for (const [key] of oldestFirst) {
      if (this.total <= this.maxBytes) break;
      if (key === keep) continue;
      const f = this.files(key);
      fs.rmSync(f.meta, { force: true });
      fs.rmSync(f.wav, { force: true });
      fs.rmSync(f.codes, { force: true });
      this.forget(key);
    }
  }
}

/** Size of a file, 0 when there is none. */
function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function newer<M>(a: Indexed<M>, b: Indexed<M>): boolean {
  return a.used !== b.used ? a.used > b.used : a.seq > b.seq;
}
