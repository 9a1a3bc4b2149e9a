// Time left in a generation. A decoder step's cost grows with the past it attends to (docs/engine.md: about 2×
// from past 50 to 1500 on 2 vCPUs), so "elapsed / steps done × steps left" promises too early an end. Steps are
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
