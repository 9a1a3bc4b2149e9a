// Picks the next token from one processed logits row.
import { kthLargest } from "./logits-processors";
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

/**
 * The same draw as `sampleCategorical(topK(k)(row), rng)`, token for token (same candidates, same sums in the same
 * order, one uniform number), without masking the row: the k survivors are gathered once and only they are
 * exponentiated and walked. At 8 guided prompts the sampler runs for 32 rows of 2048 every step. `row` is left as is.
 */
export function sampleTopK(row: Float32Array, k: number, rng: Rng): number {
  const n = row.length;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`topK must be an integer >= 1, got ${k}`);
  if (k >= n) return sampleCategorical(row, rng);
  if (scratch.length !== n) scratch = new Float32Array(n);
  scratch.set(row);
  const threshold = kthLargest(scratch, k);
  // survivors in index order: everything above the threshold, then ties at it from the lowest index (as topK keeps)
  let ties = k;
  for (let i = 0; i < n; i++) if (row[i] > threshold) ties--;
  if (picked.length < k) picked = new Int32Array(k);
  let m = 0;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = row[i];
    if (x > threshold || (x === threshold && ties-- > 0)) {
      picked[m++] = i;
      if (x > max) max = x;
    }
  }
  if (!Number.isFinite(max)) throw new RangeError("logits row has no finite value");
  const { exp } = Math;
  if (weights.length < m) weights = new Float64Array(m);
  let total = 0;
  for (let j = 0; j < m; j++) {
    const w = exp(row[picked[j]] - max);
    weights[j] = w;
    total += w;
  }
  let u = rng.next() * total;
  let last = 0;
  for (let j = 0; j < m; j++) {
    if (weights[j] === 0) continue;
    last = picked[j];
    u -= weights[j];
    if (u < 0) return picked[j];
  }
  return last;
}

let scratch = new Float32Array(0);
let picked = new Int32Array(0);
