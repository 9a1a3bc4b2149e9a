// Picks the next token from one processed logits row.
import { topKInOrder } from "./logits-processors";
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
  return draw(row, null, row.length, max, rng);
}

/**
 * The same draw as masking the row to its k largest logits and calling `sampleCategorical` (the reference
 * `topK(k)` in tests/helpers/logits-reference.ts), token for token (the same survivors, the same sums in the
 * same order, one uniform number), without masking the row: only the k survivors are exponentiated and walked. At 8
 * guided prompts the sampler runs for 32 rows of 2048 every step. `row` is left as is.
 */
export function sampleTopK(row: Float32Array, k: number, rng: Rng): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`topK must be an integer >= 1, got ${k}`);
  if (k >= row.length) return sampleCategorical(row, rng);
  if (picked.length < k) picked = new Int32Array(k);
  const m = topKInOrder(row, k, picked);
  let max = -Infinity;
  for (let j = 0; j < m; j++) if (row[picked[j]] > max) max = row[picked[j]];
  if (!Number.isFinite(max)) throw new RangeError("logits row has no finite value");
  return draw(row, picked, m, max, rng);
}

/**
 * Softmax over row[at(j)] for j < m (at: `idx`, or the identity when null), walked in that order with one uniform
 * number; zero weights (-Infinity, or underflow) are never picked.
 */
function draw(row: Float32Array, idx: Int32Array | null, m: number, max: number, rng: Rng): number {
  const { exp } = Math; // bound once: Math.* is slow in hot loops under some sandboxes (jest)
  if (weights.length < m) weights = new Float64Array(m);
  let total = 0;
  for (let j = 0; j < m; j++) {
    const w = exp(row[idx ? idx[j] : j] - max);
    weights[j] = w;
    total += w;
  }
  let u = rng.next() * total;
  let last = 0;
  for (let j = 0; j < m; j++) {
    if (weights[j] === 0) continue;
    last = idx ? idx[j] : j;
    u -= weights[j];
    if (u < 0) return last;
  }
  return last; // rounding left a sliver of mass: the last possible token takes it
}

/** exp(row - max) of the entries being sampled: computed once, reused by the walk. */
let weights = new Float64Array(0);
let picked = new Int32Array(0);
