// Logits processors: small units applied to one row of next-token logits (one prompt, one codebook), in the
// spirit of transformers.js. Each returns the row it was given (mutated in place), so the decoder step allocates
// nothing. Top-k is not a processor here: the sampler selects the k largest itself (sampleTopK), without
// masking the row; tests/helpers/logits-reference.ts keeps the masking form as the reference it is checked against.

export type LogitsProcessor = (row: Float32Array) => Float32Array;

/**
 * Classifier-free guidance: uncond + (cond - uncond) * scale, written into `out`.
 * Computed exactly as transformers.js does (float32 store of a double expression) so greedy decoding on the
 * same model picks the same tokens.
 */
export function mixGuidance(cond: Float32Array, uncond: Float32Array, scale: number, out: Float32Array): Float32Array {
  if (cond.length !== uncond.length || out.length !== cond.length) {
    throw new RangeError("guidance rows must have equal length");
  }
  for (let i = 0; i < cond.length; i++) out[i] = uncond[i] + (cond[i] - uncond[i]) * scale;
  return out;
}

/** Divides logits by the temperature (> 0). A temperature of 1 is the identity. */
export function temperature(t: number): LogitsProcessor {
  if (!(t > 0) || !Number.isFinite(t)) throw new RangeError(`temperature must be > 0, got ${t}`);
  if (t === 1) return (row) => row;
  return (row) => {
    for (let i = 0; i < row.length; i++) row[i] = row[i] / t;
    return row;
  };
}

/**
 * Indices of the k largest entries (k < row.length) in index order, into `out`; ties at the k-th value keep the
 * lowest indices. Returns how many (k, fewer only for rows with NaN): the tokens sampleTopK draws from.
 */
export function topKInOrder(row: Float32Array, k: number, out: Int32Array): number {
  const n = row.length;
  if (selectScratch.length !== n) selectScratch = new Float32Array(n);
  selectScratch.set(row);
  const threshold = kthLargest(selectScratch, k);
  let ties = k;
  for (let i = 0; i < n; i++) if (row[i] > threshold) ties--;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = row[i];
    if (x > threshold || (x === threshold && ties-- > 0)) out[m++] = i;
  }
  return m;
}

let selectScratch = new Float32Array(0);

/** The k-th largest value of `a` (k from 1), found by quickselect; `a` is reordered. */
export function kthLargest(a: Float32Array, k: number): number {
  if (!(k >= 1 && k <= a.length)) throw new RangeError(`k must be in 1..${a.length}, got ${k}`);
  const target = k - 1; // its index once `a` were sorted descending
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const x = a[lo],
      y = a[(lo + hi) >> 1],
      z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y; // median of three
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // a[lo..j] >= pivot >= a[i..hi], and everything between equals the pivot
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}
