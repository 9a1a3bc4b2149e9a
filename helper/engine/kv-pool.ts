// Self-attention cache buffers kept between windows and requests. A fresh buffer's pages are mapped on first touch,
// which costs far more than zeroing a buffer already mapped (figures: docs/engine.md). The helper keeps the model
// resident for the same reason.
// Idle buffers are dropped after `idleMs`, and never more than `maxBytes` are kept.

export interface KvPoolOptions {
  /** Most bytes kept while idle (default: a quarter of the machine's memory). */
  maxBytes: number;
  /** Idle buffers are dropped this long after the last one came back (default 60 s). */
  idleMs: number;
}

export class KvBufferPool {
  private free: Float32Array[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: KvPoolOptions) {}

  /** A buffer of at least `length` floats, its first `length` zeroed; a kept one if any is large enough. */
  take(length: number): Float32Array {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      if (this.free[i].length >= length && (best < 0 || this.free[i].length < this.free[best].length)) best = i;
    }
    if (best < 0) return new Float32Array(length).fill(0); // fill: map every page now rather than during the steps
    const [buf] = this.free.splice(best, 1);
    // zeroed again although stale values past the cache's length are only ever multiplied by 0: a NaN left by a failed request would not be
    return buf.fill(0, 0, length);
  }

  /** Takes buffers back for later; keeps the newest up to `maxBytes`. */
  give(buffers: Float32Array[]): void {
    this.free.push(...buffers);
    let bytes = 0;
    for (let i = this.free.length - 1; i >= 0; i--) {
      bytes += this.free[i].byteLength;
      if (bytes > this.options.maxBytes) {
        this.free.splice(0, i + 1);
        break;
      }
    }
    clearTimeout(this.timer);
    if (this.free.length > 0) this.timer = setTimeout(() => this.clear(), this.options.idleMs).unref();
  }

  /** Bytes held for reuse. */
  get heldBytes(): number {
    return this.free.reduce((sum, b) => sum + b.byteLength, 0);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.free = [];
  }
}
