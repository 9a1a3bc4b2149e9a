// Logits processors: small composable units applied to one row of next-token logits (one prompt, one
// codebook), in the spirit of transformers.js. Each returns the row it was given (mutated in place) so
// that they chain without allocating on every decoder step.

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
 * Keeps the k largest logits and sets the rest to -Infinity (ties at the threshold keep the lower indices, as
 * topKIndices orders them). O(n): a quickselect finds the k-th largest value in a scratch copy; the sampler runs
 * this for every codebook of every prompt at every step, so it must not sort or allocate.
 */
export function topK(k: number): LogitsProcessor {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`topK must be an integer >= 1, got ${k}`);
  const kept = new Int32Array(k);
  return (row) => {
    const n = row.length;
    if (k >= n) return row;
    const m = topKInOrder(row, k, kept);
    for (let i = 0, j = 0; i < n; i++) {
      if (j < m && kept[j] === i) j++;
      else row[i] = -Infinity;
    }
    return row;
  };
}

/**
 * Indices of the k largest entries (k < row.length) in index order, into `out`; ties at the k-th value keep the
 * lowest indices. Returns how many (k, fewer only for rows with NaN). What topK keeps and sampleTopK draws from.
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

/** Indices of the k largest values, largest first; equal values ordered by index. */
export function topKIndices(row: Float32Array, k: number): number[] {
  const n = row.length;
  k = Math.min(k, n);
  // A bounded min-heap keeps this O(n log k): the sampler runs it for every codebook of every step.
  const heap: number[] = [];
  const worse = (a: number, b: number) => row[a] < row[b] || (row[a] === row[b] && a > b);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = 0; i < n; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0;) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c], heap[p])) break;
        [heap[c], heap[p]] = [heap[p], heap[c]];
        c = p;
      }
    } else if (worse(heap[0], i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => row[b] - row[a] || a - b);
}

export function chain(...processors: LogitsProcessor[]): LogitsProcessor {
  return (row) => processors.reduce((r, p) => p(r), row);
}
