// The ETA's step-cost model (helper/engine/generation/eta.ts): steps cost a + b·past, summed over the calls to come.
import { StepCostModel } from "../../helper/engine/generation/eta";

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
