import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cacheKey, RenderCache } from "../../helper/service/render-cache";

describe("render cache", () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-cache-"));

  it("keys by content, independent of property order", () => {
    expect(cacheKey({ a: 1, b: "x" })).toBe(cacheKey({ b: "x", a: 1 }));
    expect(cacheKey({ a: 1 })).not.toBe(cacheKey({ a: 2 }));
    expect(cacheKey({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it("returns what was stored and finds it by metadata", async () => {
    const cache = new RenderCache<{ sha256: string }>(dir(), 1e6);
    const key = cacheKey({ k: 1 });
    await cache.put(key, new Uint8Array([1, 2, 3]), { sha256: "s1" });
    const hit = cache.get(key)!;
    expect(fs.readFileSync(hit.wavPath)).toEqual(Buffer.from([1, 2, 3]));
    expect(hit.meta).toEqual({ sha256: "s1" });
    expect(cache.find((m) => m.sha256 === "s1")?.wavPath).toBe(hit.wavPath);
    expect(cache.get(cacheKey({ k: 2 }))).toBeUndefined();
  });

  it("stays under its size bound, least recently used out first", async () => {
    const cache = new RenderCache<object>(dir(), 2500);
    const keys = [1, 2, 3].map((k) => cacheKey({ k }));
    for (const [i, key] of keys.entries()) {
      await cache.put(key, new Uint8Array(1000), {});
      const t = new Date(Date.now() + i * 1000);
      fs.utimesSync(cache.get(key)!.wavPath, t, t);
    }
    // 3000 bytes > 2500: the oldest went when the third arrived
    expect(cache.get(keys[0])).toBeUndefined();
    expect(cache.get(keys[1])).toBeDefined();
    expect(cache.get(keys[2])).toBeDefined();
    expect(cache.size()).toBeLessThanOrEqual(2500);
  });
});

describe("render cache index", () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-cache-"));

  it("answers look-ups by key and by metadata from memory: no directory read, no metadata file read", async () => {
    const cache = new RenderCache<{ sha256: string }>(dir(), 1e9);
    const keys = Array.from({ length: 50 }, (_, k) => cacheKey({ k }));
    for (const [i, key] of keys.entries()) await cache.put(key, new Uint8Array(10), { sha256: `s${i}` });
    // the module object itself: the namespace import's bindings read through to it, but cannot be spied on
    const nodeFs = jest.requireActual<typeof fs>("node:fs");
    const readdir = jest.spyOn(nodeFs, "readdirSync");
    const readFile = jest.spyOn(nodeFs, "readFileSync");
    const readdirAsync = jest.spyOn(nodeFs.promises, "readdir");
    try {
      expect(cache.find((m) => m.sha256 === "s17")?.wavPath).toContain(keys[17]);
      expect(cache.find((m) => m.sha256 === "unknown")).toBeUndefined();
      expect(cache.get(keys[3])?.meta).toEqual({ sha256: "s3" });
      expect(cache.size()).toBe(500);
      expect(readdir).not.toHaveBeenCalled();
      expect(readdirAsync).not.toHaveBeenCalled();
      expect(readFile).not.toHaveBeenCalled();
    } finally {
      readdir.mockRestore();
      readFile.mockRestore();
      readdirAsync.mockRestore();
    }
  });

  it("is rebuilt when the cache opens again (a restart), keeping the least-recently-used order", async () => {
    const d = dir();
    const a = new RenderCache<{ sha256: string }>(d, 2500);
    const keys = [1, 2, 3].map((k) => cacheKey({ k }));
    for (const [i, key] of keys.entries()) await a.put(key, new Uint8Array(800), { sha256: `s${i}` });
    const old = Date.now() / 1000 - 100;
    fs.utimesSync(path.join(d, `${keys[1]}.wav`), old, old); // keys[1] was used longest ago
    const b = new RenderCache<{ sha256: string }>(d, 2500);
    expect(b.size()).toBe(2400);
    expect(b.find((m) => m.sha256 === "s2")?.meta).toEqual({ sha256: "s2" });
    await b.put(cacheKey({ k: 4 }), new Uint8Array(800), { sha256: "s3" });
    expect(b.get(keys[1])).toBeUndefined(); // the oldest went
    expect(b.get(keys[0])).toBeDefined();
    expect(fs.existsSync(path.join(d, `${keys[1]}.wav`))).toBe(false);
  });

  it("forgets an entry whose file was removed by hand, and drops an old WAV left without its metadata", async () => {
    const d = dir();
    const a = new RenderCache<object>(d, 1e9);
    const [k1, k2] = [cacheKey({ k: 1 }), cacheKey({ k: 2 })];
    await a.put(k1, new Uint8Array(5), {});
    fs.rmSync(path.join(d, `${k1}.wav`));
    expect(a.get(k1)).toBeUndefined();
    expect(a.size()).toBe(0);
    const orphan = path.join(d, `${k2}.wav`);
    fs.writeFileSync(orphan, "RIFF");
    const old = Date.now() / 1000 - 3600;
    fs.utimesSync(orphan, old, old);
    const b = new RenderCache<object>(d, 1e9);
    expect(b.get(k2)).toBeUndefined();
    expect(fs.existsSync(orphan)).toBe(false);
  });

  it("keeps a render's codes beside it, counts them, finds them after a restart and evicts them with it", async () => {
    const where = dir();
    const cache = new RenderCache<{ sha256: string }>(where, 2500);
    const [a, b] = [cacheKey({ k: "a" }), cacheKey({ k: "b" })];
    await cache.put(a, new Uint8Array(1000), { sha256: "sa" }, new Uint8Array([7, 8, 9]));
    expect(cache.size()).toBe(1003);
    const found = cache.find((m) => m.sha256 === "sa")!;
    expect(found.key).toBe(a);
    expect(await cache.readCodes(found.key)).toEqual(Buffer.from([7, 8, 9]));
    const reopened = new RenderCache<{ sha256: string }>(where, 2500);
    expect(reopened.size()).toBe(1003);
    expect(await reopened.readCodes(a)).toEqual(Buffer.from([7, 8, 9]));
    expect(await reopened.readCodes(b)).toBeUndefined();
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(reopened.get(a)!.wavPath, old, old);
    const fresh = new RenderCache<{ sha256: string }>(where, 2500);
    await fresh.put(b, new Uint8Array(2000), { sha256: "sb" });
    expect(fs.existsSync(path.join(where, `${a}.codes`))).toBe(false);
    expect(await fresh.readCodes(a)).toBeUndefined();
  });
});
