// Layers shared by the three graphs, written as ONNX ops.
import { attr, GraphBuilder } from "./graph";

export const NEG = -1e9; // masks: large and finite, so an all-masked row (CFG's unconditional half) stays finite

export function linear(g: GraphBuilder, x: string, w: string, b?: string): string {
  const y = g.o("MatMul", [x, w]);
  return b ? g.o("Add", [y, b]) : y;
}

export function layerNorm(g: GraphBuilder, x: string, scale: string, bias: string, eps = 1e-5): string {
  return g.o("LayerNormalization", [x, scale, bias], { axis: attr.i(-1), epsilon: attr.f(eps) });
}

/** T5's LayerNorm: no mean, no bias. */
export function rmsNorm(g: GraphBuilder, x: string, scale: string, eps = 1e-6): string {
  const ms = g.o("ReduceMean", [g.o("Mul", [x, x])], { axes: attr.ints([-1]), keepdims: attr.i(1) });
  const inv = g.o("Reciprocal", [g.o("Sqrt", [g.o("Add", [ms, g.scalar(eps)])])]);
  return g.o("Mul", [g.o("Mul", [x, inv]), scale]);
}

export function gelu(g: GraphBuilder, x: string): string {
  const erf = g.o("Erf", [g.o("Mul", [x, g.scalar(Math.SQRT1_2)])]);
  return g.o("Mul", [g.o("Mul", [x, g.scalar(0.5)]), g.o("Add", [erf, g.scalar(1)])]);
}

/** [b, s, heads*dh] -> [b, heads, s, dh] */
export function splitHeads(g: GraphBuilder, x: string, heads: number, dh: number): string {
  return g.o("Transpose", [g.o("Reshape", [x, g.ints([0, 0, heads, dh])])], { perm: attr.ints([0, 2, 1, 3]) });
}

/** [b, heads, s, dh] -> [b, s, heads*dh] */
export function mergeHeads(g: GraphBuilder, x: string, heads: number, dh: number): string {
  return g.o("Reshape", [g.o("Transpose", [x], { perm: attr.ints([0, 2, 1, 3]) }), g.ints([0, 0, heads * dh])]);
}

/** softmax(q kᵀ · scale + mask) v, all [b, heads, s, dh]; `mask` broadcasts to [b, heads, sq, sk]. */
export function attend(g: GraphBuilder, q: string, k: string, v: string, mask: string, scale: number): string {
  const kt = g.o("Transpose", [k], { perm: attr.ints([0, 1, 3, 2]) });
  let scores = g.o("MatMul", [q, kt]);
  if (scale !== 1) scores = g.o("Mul", [scores, g.scalar(scale)]);
  const probs = g.o("Softmax", [g.o("Add", [scores, mask])], { axis: attr.i(-1) });
  return g.o("MatMul", [probs, v]);
}

/** int64 padding mask [b, s] -> additive float mask [b, 1, 1, s]. */
export function paddingMask(g: GraphBuilder, mask: string): string {
  const keep = g.o("Cast", [mask], { to: attr.i(1) });
  const add = g.o("Mul", [g.o("Sub", [g.scalar(1), keep]), g.scalar(NEG)]);
  return g.o("Unsqueeze", [add, g.ints([1, 2])]);
}

/** Element i of a 1-D int64 shape tensor, as a 1-element vector. */
export function dimOf(g: GraphBuilder, x: string, axis: number): string {
  return g.o("Gather", [g.o("Shape", [x]), g.ints([axis])], { axis: attr.i(0) });
}
