// Layer helpers shared by the three graphs. Weights are memoized by name, so the two branches of the
// decoder's If (and repeated calls) reference the same initializer.
import { float, ModelBuilder, Scope } from "./graph";
import { WeightRandom } from "./random";
import { quantizeColumns, REDUCED_RANGE } from "../transform/quantize";

/** Additive mask value: large but FINITE, so a fully masked row (CFG's unconditional half) gives a uniform softmax, not NaN. */
export const MASK_NEG = -1e9;

export class Weights {
  private readonly made = new Map<string, unknown>();

  /** @param quantize emit int8 DynamicQuantizeMatMul for `linear` weights (the q8 decoder). */
  constructor(
    readonly model: ModelBuilder,
    readonly rnd: WeightRandom,
    readonly quantize = false,
  ) {}

  private memo<T>(name: string, make: () => T): T {
    if (!this.made.has(name)) this.made.set(name, make());
    return this.made.get(name) as T;
  }

  normal(name: string, dims: number[], std: number): string {
    return this.memo(name, () => this.model.weight(name, "float32", dims, this.rnd.normal(name, count(dims), std)));
  }

  uniform(name: string, dims: number[], bound: number): string {
    return this.memo(name, () =>
      this.model.weight(name, "float32", dims, this.rnd.uniform(name, count(dims), -bound, bound)),
    );
  }

  fill(name: string, dims: number[], value: number): string {
    return this.memo(name, () => this.model.weight(name, "float32", dims, new Float32Array(count(dims)).fill(value)));
  }

  data(name: string, dims: number[], make: () => Float32Array): string {
    return this.memo(name, () => this.model.weight(name, "float32", dims, make()));
  }

  /**
   * The same normal [in, out] weight as `normal(name)`, symmetric int8 per output column, 7-bit range: exactly what
   * models/transform/quantize.ts derives from the fp32 decoder (full-range int8 saturates on AVX2 CPUs, see there).
   */
  int8(name: string, dims: [number, number], std: number): { w: string; scale: string; zeroPoint: string } {
    return this.memo(`${name}#q8`, () => {
      const [rows, cols] = dims;
      const { weights, scales } = quantizeColumns(this.rnd.normal(name, rows * cols, std), rows, cols, REDUCED_RANGE);
      return {
        w: this.model.weight(`${name}_quantized`, "int8", dims, weights),
        scale: this.model.weight(`${name}_scale`, "float32", [cols], scales),
        zeroPoint: this.model.weight(`${name}_zero_point`, "int8", [cols], new Int8Array(cols)),
      };
    });
  }
}

function count(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** x[..., inDim] @ W[inDim, outDim] (+ b); W ~ N(0, std) like HF's init. */
export function linear(
  s: Scope,
  w: Weights,
  x: string,
  name: string,
  inDim: number,
  outDim: number,
  opts: { bias?: boolean; std?: number } = {},
): string {
  const std = opts.std ?? 0.02;
  let y: string;
  if (w.quantize) {
    const q = w.int8(`${name}.weight`, [inDim, outDim], std);
    y = s.one("DynamicQuantizeMatMul", [x, q.w, q.scale, q.zeroPoint], {}, "com.microsoft");
  } else {
    y = s.one("MatMul", [x, w.normal(`${name}.weight`, [inDim, outDim], std)]);
  }
  return opts.bias ? s.one("Add", [y, w.fill(`${name}.bias`, [outDim], 0)]) : y;
}

export function layerNorm(s: Scope, w: Weights, x: string, name: string, dim: number, eps = 1e-5): string {
  return s.one("LayerNormalization", [x, w.fill(`${name}.weight`, [dim], 1), w.fill(`${name}.bias`, [dim], 0)], {
    axis: -1,
    epsilon: float(eps),
  });
}

/** T5's LayerNorm: no mean subtraction, no bias. */
export function rmsNorm(s: Scope, w: Weights, x: string, name: string, dim: number, eps = 1e-6): string {
  const meanSq = s.one("ReduceMean", [s.one("Mul", [x, x])], { axes: [-1], keepdims: 1 });
  const rms = s.one("Sqrt", [s.one("Add", [meanSq, s.scalar(eps)])]);
  return s.one("Mul", [s.one("Div", [x, rms]), w.fill(`${name}.weight`, [dim], 1)]);
}

/** Exact (erf) GELU, HF's "gelu". */
export function gelu(s: Scope, x: string): string {
  const erf = s.one("Erf", [s.one("Mul", [x, s.scalar(Math.SQRT1_2)])]);
  return s.one("Mul", [s.one("Mul", [x, s.one("Add", [erf, s.scalar(1)])]), s.scalar(0.5)]);
}

/** [B, T, heads·hd] -> [B, heads, T, hd] */
export function splitHeads(s: Scope, x: string, heads: number, headDim: number): string {
  return s.one("Transpose", [s.one("Reshape", [x, s.ints([0, 0, heads, headDim])])], { perm: [0, 2, 1, 3] });
}

/** [B, heads, T, hd] -> [B, T, heads·hd] */
export function mergeHeads(s: Scope, x: string, width: number): string {
  return s.one("Reshape", [s.one("Transpose", [x], { perm: [0, 2, 1, 3] }), s.ints([0, 0, width])]);
}

/** softmax(q·kᵀ + bias)·v with q [B,h,S,hd], k/v [B,h,T,hd], bias broadcastable to [B,h,S,T]. q is pre-scaled. */
export function attend(s: Scope, q: string, k: string, v: string, bias?: string): string {
  let scores = s.one("MatMul", [q, s.one("Transpose", [k], { perm: [0, 1, 3, 2] })]);
  if (bias) scores = s.one("Add", [scores, bias]);
  return s.one("MatMul", [s.one("Softmax", [scores], { axis: -1 }), v]);
}

/** An int64 [B, T] 0/1 mask as an additive float bias [B, 1, 1, T]. */
export function paddingBias(s: Scope, mask: string): string {
  const keep = s.one("Cast", [mask], { to: 1 });
  const bias = s.one("Mul", [s.one("Sub", [s.scalar(1), keep]), s.scalar(MASK_NEG)]);
  return s.one("Unsqueeze", [bias, s.ints([1, 2])]);
}
