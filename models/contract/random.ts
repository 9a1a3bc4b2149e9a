// Deterministic random weights: the same seed gives byte-identical model files.
import { Rng } from "../../helper/engine/generation/rng";

export class WeightRng {
  private rng: Rng;
  private spare: number | null = null;
  constructor(seed: number) {
    this.rng = new Rng(seed);
  }
  private gaussian(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.rng.next();
    const v = this.rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** Normal(0, std) values, HF's default initialisation. */
  normal(n: number, std = 0.02): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.gaussian() * std;
    return out;
  }
}

export const ones = (n: number) => new Float32Array(n).fill(1);
export const zeros = (n: number) => new Float32Array(n);
