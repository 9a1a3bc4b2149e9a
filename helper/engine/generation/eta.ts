// Time left in a generation. A decoder step's cost grows with the past it attends to (figures: docs/engine.md), so
// "elapsed / steps done × steps left" promises too early an end. Steps are
// fitted as a + b·past (least squares over the steps seen so far) and the fit is summed over the steps still to
// come, whose past lengths are known from the window plan.

/** Calls still to come, as a run of consecutive past lengths from..to (inclusive). */
export interface PastRun {
  from: number;
  to: number;
}

const MIN_FIT = 8; // observations before trusting the slope

export class StepCostModel {
  private n = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;

  /** One decoder call that attended to `past` positions took `ms`. */
  observe(past: number, ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) return;
    this.n++;
    this.sx += past;
    this.sy += ms;
    this.sxx += past * past;
    this.sxy += past * ms;
  }

  /** [a, b] of ms ≈ a + b·past; the mean (b = 0) until the fit has enough spread, and never a negative slope. */
  fit(): [number, number] {
    if (this.n === 0) return [0, 0];
    const mean = this.sy / this.n;
    const varX = this.sxx - (this.sx * this.sx) / this.n;
    if (this.n < MIN_FIT || varX <= 1e-9) return [mean, 0];
    const b = Math.max(0, (this.sxy - (this.sx * this.sy) / this.n) / varX);
    return [(this.sy - b * this.sx) / this.n, b];
  }

  /** Predicted milliseconds for the runs of calls still to come. */
  remainingMs(runs: PastRun[]): number {
    const [a, b] = this.fit();
    let ms = 0;
    for (const { from, to } of runs) {
      if (to < from) continue;
      const count = to - from + 1;
      ms += count * a + (b * (from + to) * count) / 2;
    }
    return Math.max(0, ms);
  }
}

/** One window of a request: the prompt frames it re-feeds and the decoder calls it takes. */
export interface WindowCalls {
  promptFrames: number;
  calls: number;
}

/** Where a generation stands after a decoder call. */
export interface StepProgress {
  step: number;
  totalSteps: number;
  fraction: number;
  elapsedMs: number;
  etaMs: number;
}

/**
 * The progress bookkeeping of one generation across its windows: counts steps, feeds each call's time to the
 * StepCostModel and turns it into an ETA. Decoder calls first, then EnCodec at `encodecEtaMs` (its warm-up rate).
 * Before the fit has two calls to go on (the first call of the first window) the ETA is elapsed ÷ steps × steps left.
 */
export class GenerationEta {
  readonly totalSteps: number;
  private readonly stepCost = new StepCostModel();
  private readonly started: number;
  private window = 0;
  private doneBefore = 0;
  private lastStamp: number;

  constructor(
    private readonly windows: readonly WindowCalls[],
    private readonly encodecEtaMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.totalSteps = windows.reduce((sum, win) => sum + win.calls, 0);
    this.started = now();
    this.lastStamp = this.started;
  }

  /** Window `w` is about to run (windows run in order). */
  startWindow(w: number): void {
    if (w > this.window) this.doneBefore += this.windows.slice(this.window, w).reduce((s, win) => s + win.calls, 0);
    this.window = w;
    this.lastStamp = this.now();
  }

  /** Call `done` (1-based) of the current window has finished. Call c attends to P + c - 1 positions. */
  step(done: number): StepProgress {
    const now = this.now();
    const P = this.windows[this.window].promptFrames;
    // call 1 feeds the prompt itself: a different cost, so it is not fitted
    if (done > 1) this.stepCost.observe(P + done - 1, now - this.lastStamp);
    this.lastStamp = now;
    const step = this.doneBefore + done;
    const elapsedMs = now - this.started;
    const decodeEtaMs =
      done > 1 || this.doneBefore > 0
        ? this.stepCost.remainingMs(this.pastRuns(done))
        : (elapsedMs / step) * (this.totalSteps - step);
    return {
      step,
      totalSteps: this.totalSteps,
      fraction: step / this.totalSteps,
      elapsedMs,
      etaMs: decodeEtaMs + this.encodecEtaMs,
    };
  }

  /** Milliseconds since the bookkeeping began (the decode's wall time once every window has run). */
  elapsedMs(): number {
    return this.now() - this.started;
  }

  /** The calls still to come after call `done` of the current window, as runs of past lengths. */
  private pastRuns(done: number): PastRun[] {
    const { promptFrames: P, calls } = this.windows[this.window];
    return [
      { from: P + done, to: P + calls - 1 },
      ...this.windows
        .slice(this.window + 1)
        .map((win) => ({ from: win.promptFrames, to: win.promptFrames + win.calls - 1 })),
    ];
  }
}
