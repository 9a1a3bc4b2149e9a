// Deterministic weights: every tensor gets its own PRNG stream derived from (seed, tensor name), so a
// tensor's values do not depend on the order graphs are built in, and the fp32 and q8 decoders share them.

// Hot loops call these millions of times: bound once, because under jest every `Math.x` lookup goes through
// the test realm's global and is ~20x slower (a tiny build took 1.5 s instead of 0.2 s).
const { imul, log, sqrt, sin, cos, PI } = Math;

/** FNV-1a over the UTF-16 code units: a stable 32-bit hash of a tensor name. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast, good enough for weights (not for cryptography). */
export class Prng {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box-Muller, both values of a pair used). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    const r = sqrt(-2 * log(u));
    this.spare = r * sin(2 * PI * v);
    return r * cos(2 * PI * v);
  }
}

/** Hands out per-tensor streams for one model seed; `namespace` (the graph) keeps equal names apart. */
export class WeightRandom {
  constructor(
    readonly seed: number,
    readonly namespace = "",
  ) {}

  stream(name: string): Prng {
    return new Prng(hash32(`${this.seed}:${this.namespace}:${name}`) ^ imul(this.seed | 0, 0x9e3779b1));
  }

  normal(name: string, count: number, std: number, mean = 0): Float32Array {
    const rng = this.stream(name);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = mean + std * rng.normal();
    return out;
  }

  uniform(name: string, count: number, low: number, high: number): Float32Array {
    const rng = this.stream(name);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = low + (high - low) * rng.next();
    return out;
  }
}
