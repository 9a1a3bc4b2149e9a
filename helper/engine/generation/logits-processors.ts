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

/** Keeps the k largest logits and sets the rest to -Infinity (ties at the threshold keep the lower indices). */
export function topK(k: number): LogitsProcessor {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`topK must be an integer >= 1, got ${k}`);
  return (row) => {
    if (k >= row.length) return row;
    const order = topKIndices(row, k);
    const keep = new Uint8Array(row.length);
    for (const i of order) keep[i] = 1;
    for (let i = 0; i < row.length; i++) if (!keep[i]) row[i] = -Infinity;
    return row;
  };
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
      const l = 2 * i + 1, r = l + 1;
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
      for (let c = heap.length - 1; c > 0; ) {
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
  return heap.sort((a, b) => (row[b] - row[a]) || (a - b));
}

export function chain(...processors: LogitsProcessor[]): LogitsProcessor {
  return (row) => processors.reduce((r, p) => p(r), row);
}
