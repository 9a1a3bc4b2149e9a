// A continued take starts where the take it continues started: finishBed's startAtSec overrides the silence trim,
// so two beds cut from the same opening line up sample for sample (up to their level).
import { finishBed } from "../../helper/audio/finish";

function noise(seconds: number, rate: number, leadSilenceSec: number): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    return i < leadSilenceSec * rate ? 0 : ((s >>> 8) / 2 ** 24 - 0.5) * 0.5;
  });
}

function correlation(a: Float32Array, b: Float32Array, n: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe("finishBed startAtSec", () => {
  it("starts the bed at the given point instead of where the silence trim would", async () => {
    const rate = 32000;
    const take = await finishBed(noise(2.2, rate, 0.8), { targetSeconds: 1.2, tempo: false });
    expect(take.steps.trim.startSec).toBeCloseTo(0.7, 2); // 0.8 s of lead silence cut to 0.1 s
    const forced = await finishBed(noise(2.2, rate, 0.8), { targetSeconds: 1.2, tempo: false, startAtSec: 0.3 });
    expect(forced.steps.trim.startSec).toBeCloseTo(0.3, 5);

    // the longer piece, finished from the take's start, opens with the take's audio
    const longer = await finishBed(noise(3.5, rate, 0.8), {
      targetSeconds: 2.5,
      tempo: false,
      startAtSec: take.steps.trim.startSec,
    });
    const n = Math.round((1.2 - 0.5) * 48000);
    expect(correlation(take.samples48k, longer.samples48k, n)).toBeGreaterThanOrEqual(0.999);
  });
});
