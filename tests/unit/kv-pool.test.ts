// The KV buffer pool (helper/engine/kv-pool.ts): buffers come back zeroed, the smallest that fits is reused, no more
// than maxBytes are kept, and idle buffers are dropped.
import { KvBufferPool } from "../../helper/engine/kv-pool";

describe("KV buffer pool", () => {
  afterEach(() => jest.useRealTimers());

  it("allocates zeroed buffers when it holds none large enough", () => {
    const pool = new KvBufferPool({ maxBytes: 1 << 20, idleMs: 1000 });
    const a = pool.take(100);
    expect(a.length).toBe(100);
    expect(a.every((x) => x === 0)).toBe(true);
    pool.give([a]);
    const b = pool.take(200); // too large for the kept one
    expect(b).not.toBe(a);
    expect(pool.heldBytes).toBe(400);
    pool.clear();
  });

  it("reuses the smallest kept buffer that fits and zeroes the part asked for", () => {
    const pool = new KvBufferPool({ maxBytes: 1 << 20, idleMs: 1000 });
    const small = new Float32Array(50).fill(7);
    const medium = new Float32Array(120).fill(7);
    const large = new Float32Array(500).fill(7);
    pool.give([large, small, medium]);
    const got = pool.take(100);
    expect(got).toBe(medium);
    expect(got.subarray(0, 100).every((x) => x === 0)).toBe(true);
    expect(got[110]).toBe(7); // beyond what was asked for: not touched
    expect(pool.heldBytes).toBe((50 + 500) * 4);
    expect(pool.take(500)).toBe(large);
    pool.clear();
    expect(pool.heldBytes).toBe(0);
  });

  it("keeps the newest buffers up to maxBytes", () => {
    const pool = new KvBufferPool({ maxBytes: 1000, idleMs: 1000 });
    const old = new Float32Array(100); // 400 bytes
    pool.give([old]);
    const newer = [new Float32Array(100), new Float32Array(100)]; // 800 bytes: with the old one 1200 > 1000
    pool.give(newer);
    expect(pool.heldBytes).toBe(800);
    expect(pool.take(100)).not.toBe(old);
    pool.give([new Float32Array(1000)]); // larger than the limit on its own: not kept, nor is anything older
    expect(pool.heldBytes).toBe(0);
  });

  it("drops idle buffers after idleMs", () => {
    jest.useFakeTimers();
    const pool = new KvBufferPool({ maxBytes: 1 << 20, idleMs: 60_000 });
    pool.give([new Float32Array(10)]);
    jest.advanceTimersByTime(59_000);
    pool.give([new Float32Array(10)]); // a buffer coming back restarts the wait
    jest.advanceTimersByTime(59_000);
    expect(pool.heldBytes).toBe(80);
    jest.advanceTimersByTime(2_000);
    expect(pool.heldBytes).toBe(0);
  });
});
