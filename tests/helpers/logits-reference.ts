// Reference forms of top-k for the tests (and the sampling benchmark): the masking processor that sampleTopK must
// draw exactly like, and an independent heap-based selection of the k largest indices.
// The product samples with the fused sampleTopK (helper/engine/generation/sampler.ts) and needs none of these.
import { topKInOrder, type LogitsProcessor } from "../../helper/engine/generation/logits-processors";

/**
 * Keeps the k largest logits and sets the rest to -Infinity (ties at the threshold keep the lower indices, as
 * topKIndices orders them), by the same selection sampleTopK uses (topKInOrder).
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

/** Indices of the k largest values, largest first; equal values ordered by index. */
export function topKIndices(row: Float32Array, k: number): number[] {
  const n = row.length;
  k = Math.min(k, n);
  // A bounded min-heap, O(n log k): a selection method independent of the quickselect in topKInOrder.
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
