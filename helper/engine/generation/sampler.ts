// Picks the next token from one processed logits row.
import { Rng } from "./rng";

/** Index of the largest logit (first one on ties), as argmax in transformers.js. */
export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/**
 * Draws one index from softmax(row) with a single uniform number from `rng`. Entries of -Infinity (cut by
 * top-k) have probability zero.
 */
export function sampleCategorical(row: Float32Array, rng: Rng): number {
  const max = row[argmax(row)];
  if (!Number.isFinite(max)) throw new RangeError("logits row has no finite value");
  const { exp } = Math; // bound once: Math.* is slow in hot loops under some sandboxes (jest)
  if (weights.length < row.length) weights = new Float64Array(row.length);
  let total = 0;
  for (let i = 0; i < row.length; i++) {
    const w = row[i] === -Infinity ? 0 : exp(row[i] - max);
    weights[i] = w;
    total += w;
  }
  let u = rng.next() * total;
  let last = 0;
  for (let i = 0; i < row.length; i++) {
    if (weights[i] === 0) continue;
    last = i;
    u -= weights[i];
    if (u < 0) return i;
  }
  return last; // rounding left a sliver of mass: the last possible token takes it
}

/** exp(row - max) of the row being sampled: computed once, reused by the draw. */
let weights = new Float64Array(0);
