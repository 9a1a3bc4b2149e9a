import { resample } from "../../helper/audio/resample";

function sine(freq: number, rate: number, n: number, amp = 0.5): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}
/** Signal-to-error ratio (dB) of `x` against the ideal `ref` over [from, to). */
function snrDb(x: Float32Array, ref: Float32Array, from: number, to: number): number {
  let err = 0,
    sig = 0;
  for (let i = from; i < to; i++) {
    err += (x[i] - ref[i]) ** 2;
    sig += ref[i] ** 2;
  }
  return 10 * Math.log10(sig / err);
}
function rising(x: Float32Array, from = 0, to = x.length): number {
  let n = 0;
  for (let i = Math.max(1, from); i < to; i++) if (x[i - 1] < 0 && x[i] >= 0) n++;
  return n;
}
function peakIndex(x: Float32Array): number {
  let p = 0;
  for (let i = 1; i < x.length; i++) if (Math.abs(x[i]) > Math.abs(x[p])) p = i;
  return p;
}

describe("resample", () => {
  it("32 -> 48 kHz keeps a 1 kHz sine's frequency, level and phase (SNR > 100 dB)", async () => {
    const out = await resample(sine(1000, 32000, 32000), 32000, 48000);
    expect(out.length).toBe(48000);
    expect(rising(out, 100, 47900)).toBe(rising(sine(1000, 48000, 48000), 100, 47900)); // same count: same frequency
    let sumSquares = 0;
    for (let i = 1000; i < 47000; i++) sumSquares += out[i] ** 2;
    expect(20 * Math.log10(Math.sqrt(sumSquares / 46000) * Math.SQRT2)).toBeCloseTo(20 * Math.log10(0.5), 2);
    // matching the ideal 48 kHz sine sample for sample also proves there is no time shift
    expect(snrDb(out, sine(1000, 48000, 48000), 200, 47800)).toBeGreaterThan(100);
  });

  it("keeps the tail: the last samples are there, not the ~215 that simple() would drop", async () => {
    const out = await resample(sine(1000, 32000, 32000), 32000, 48000);
    const ideal = sine(1000, 48000, 48000);
    // the very last samples see the signal's abrupt end; 200 samples before it the match is already good
    expect(snrDb(out, ideal, 47500, 47800)).toBeGreaterThan(60);
  });

  it("adds no delay: an impulse lands where it was", async () => {
    const x = new Float32Array(3200);
    x[1600] = 1;
    const up = await resample(x, 32000, 48000);
    expect(peakIndex(up)).toBe(2400);
    const y = new Float32Array(4800);
    y[2400] = 1;
    expect(peakIndex(await resample(y, 48000, 32000))).toBe(1600);
  });

  it("returns exactly round(n * to / from) samples, also for odd lengths and other rates", async () => {
    expect((await resample(new Float32Array(12345), 32000, 48000)).length).toBe(18518); // 18517.5
    expect((await resample(new Float32Array(118401), 32000, 48000)).length).toBe(177602); // 177601.5
    expect((await resample(new Float32Array(44101), 44100, 48000)).length).toBe(48001);
    expect((await resample(new Float32Array(48001), 48000, 32000)).length).toBe(32001);
    expect((await resample(new Float32Array(1), 32000, 48000)).length).toBe(2);
    expect((await resample(new Float32Array(0), 32000, 48000)).length).toBe(0);
    expect((await resample(new Float32Array(100), 32000, 48000, 160)).length).toBe(160);
  });

  it("44.1 -> 48 kHz and 48 -> 32 kHz are band-limited and aligned too", async () => {
    const up = await resample(sine(440, 44100, 44100), 44100, 48000);
    expect(snrDb(up, sine(440, 48000, 48000), 500, 47500)).toBeGreaterThan(100);
    const down = await resample(sine(440, 48000, 48000), 48000, 32000);
    expect(snrDb(down, sine(440, 32000, 32000), 500, 31500)).toBeGreaterThan(100);
    // a tone above the new Nyquist (20 kHz -> 32 kHz: Nyquist 16 kHz) is filtered out, not folded back to 12 kHz
    const alias = await resample(sine(20000, 48000, 48000), 48000, 32000);
    let sumSquares = 0;
    for (let i = 1000; i < 31000; i++) sumSquares += alias[i] ** 2;
    expect(10 * Math.log10(sumSquares / 30000 / 0.125)).toBeLessThan(-80);
  });

  it("copies when the rates match, and does not touch its input", async () => {
    const x = Float32Array.from([0.1, -0.2, 0.3]);
    const same = await resample(x, 48000, 48000);
    expect(same).toEqual(x);
    expect(same).not.toBe(x);
    const y = sine(1000, 32000, 3200);
    const before = y.slice();
    await resample(y, 32000, 48000);
    expect(y).toEqual(before);
  });

  it("handles long input (> 4 MB, which the library cuts into chunks) and subarray views seamlessly", async () => {
    const n = 32000 * 35; // 35 s: 4.5 MB of float
    const x = sine(1000, 32000, n + 5000).subarray(5000); // a view with a byteOffset
    const out = await resample(x, 32000, 48000);
    expect(out.length).toBe(n * 1.5);
    // the ideal continuation of the same sine, starting at input sample 5000 (= 7500 at 48 kHz)
    const ideal = new Float32Array(out.length);
    for (let i = 0; i < ideal.length; i++) ideal[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * (i + 7500)) / 48000);
    expect(snrDb(out, ideal, 1000, out.length - 1000)).toBeGreaterThan(100);
  });

  it("rejects nonsense rates", async () => {
    await expect(resample(new Float32Array(10), 0, 48000)).rejects.toThrow(RangeError);
  });
});
