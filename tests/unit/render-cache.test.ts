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
