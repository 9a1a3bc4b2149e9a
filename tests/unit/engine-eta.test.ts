// The ETA's step-cost model (helper/engine/generation/eta.ts): steps cost a + b·past, summed over the calls to come.
import { GenerationEta, StepCostModel, type StepProgress } from "../../helper/engine/generation/eta";

const exactSum = (a: number, b: number, from: number, to: number) => {
  let ms = 0;
  for (let p = from; p <= to; p++) ms += a + b * p;
  return ms;
};

describe("StepCostModel", () => {
  it("recovers a linear step cost and sums it over the calls still to come", () => {
    const m = new StepCostModel();
    for (let p = 1; p <= 200; p++) m.observe(p, 37 + 0.03 * p);
    const [a, b] = m.fit();
    expect(a).toBeCloseTo(37, 6);
    expect(b).toBeCloseTo(0.03, 9);
    // the rest of a 30 s window and a second window that re-feeds 600 frames
    const runs = [
      { from: 201, to: 1502 },
      { from: 600, to: 1352 },
    ];
    expect(m.remainingMs(runs)).toBeCloseTo(exactSum(37, 0.03, 201, 1502) + exactSum(37, 0.03, 600, 1352), 3);
    // the naive "mean so far × steps left" would promise an end over a third too early here
    const naive = (37 + 0.03 * 100.5) * (1302 + 753);
    expect(naive / m.remainingMs(runs)).toBeLessThan(0.75);
  });

  it("uses the mean until it has enough spread, never a negative slope, and ignores bad samples", () => {
    const m = new StepCostModel();
    expect(m.remainingMs([{ from: 0, to: 9 }])).toBe(0);
    for (let p = 1; p <= 5; p++) m.observe(p, 10 * p);
    expect(m.fit()).toEqual([30, 0]);
    const falling = new StepCostModel();
    for (let p = 1; p <= 20; p++) falling.observe(p, 100 - p);
    expect(falling.fit()[1]).toBe(0);
    expect(falling.fit()[0]).toBeCloseTo(89.5, 9);
    falling.observe(21, Number.NaN);
    falling.observe(22, -5);
    expect(falling.fit()[0]).toBeCloseTo(89.5, 9);
    expect(falling.remainingMs([{ from: 5, to: 4 }])).toBe(0);
  });
});

describe("GenerationEta", () => {
  // two windows: 20 calls from scratch, then 12 calls re-feeding 8 frames; a step costs 10 + 0.5·past ms
  const windows = [
    { promptFrames: 0, calls: 20 },
    { promptFrames: 8, calls: 12 },
  ];
  const cost = (past: number) => 10 + 0.5 * past;

  function run(): { seen: StepProgress[]; elapsed: number } {
    let clock = 1000;
    const eta = new GenerationEta(windows, 250, () => clock);
    const seen: StepProgress[] = [];
    windows.forEach((win, w) => {
      clock += 3; // setting up a window is not a step
      eta.startWindow(w);
      for (let done = 1; done <= win.calls; done++) {
        clock += done === 1 ? 40 : cost(win.promptFrames + done - 1);
        seen.push(eta.step(done));
      }
    });
    return { seen, elapsed: eta.elapsedMs() };
  }

  it("counts steps across windows and ends at the whole request", () => {
    const { seen, elapsed } = run();
    expect(seen.map((p) => p.step)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(seen.every((p) => p.totalSteps === 32)).toBe(true);
    expect(seen[31].fraction).toBe(1);
    expect(elapsed).toBe(seen[31].elapsedMs);
  });

  it("extrapolates the first call, then sums the fitted cost over the calls to come, plus EnCodec", () => {
    const { seen } = run();
    // first call of the first window: elapsed ÷ steps × steps left
    expect(seen[0].etaMs).toBeCloseTo((43 / 1) * 31 + 250, 9);
    // once the fit has enough calls it recovers the cost exactly: the ETA is the true remaining time
    const wrong: string[] = [];
    for (let i = 10; i < 31; i++) {
      const inFirst = i < 20;
      const done = inFirst ? i + 1 : i - 19;
      const P = inFirst ? 0 : 8;
      const calls = inFirst ? 20 : 12;
      let left = 0;
      for (let c = done + 1; c <= calls; c++) left += cost(P + c - 1);
      if (inFirst) for (let c = 1; c <= 12; c++) left += cost(8 + c - 1);
      // the second window's first call is fitted like the rest (its prompt step is cheaper here than the fit says)
      if (Math.abs(seen[i].etaMs - 250 - left) > 1e-6 * left + 1e-9) wrong.push(`step ${i + 1}: ${seen[i].etaMs}`);
    }
    expect(wrong).toEqual([]);
    expect(seen[31].etaMs).toBeCloseTo(250, 9);
  });
});
