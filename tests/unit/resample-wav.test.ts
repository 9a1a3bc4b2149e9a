import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resample } from "../../helper/audio/resample";
import { decodeWav, encodeWav } from "../../helper/audio/wav";
import { writeFileAtomic } from "../../helper/util/atomic-file";

const sine = (freq: number, rate: number, n: number, amp = 0.5) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / rate));

describe("resample", () => {
  it("keeps a 1 kHz sine's frequency and level at 32 -> 48 kHz", async () => {
    const out = await resample(sine(1000, 32000, 32000), 32000, 48000);
    expect(out.length).toBe(48000);
    const ideal = sine(1000, 48000, 48000);
    // away from the edges the converter's output matches the ideal 48 kHz sine closely (> 60 dB SNR)
    let err = 0, sig = 0;
    for (let i = 1000; i < 47000; i++) {
      err += (out[i] - ideal[i]) ** 2;
      sig += ideal[i] ** 2;
    }
    expect(10 * Math.log10(sig / err)).toBeGreaterThan(60);
  });

  it("adds no delay: an impulse stays where it was", async () => {
    const x = new Float32Array(3200);
    x[1600] = 1;
    const out = await resample(x, 32000, 48000);
    let peak = 0;
    for (let i = 1; i < out.length; i++) if (Math.abs(out[i]) > Math.abs(out[peak])) peak = i;
    expect(Math.abs(peak - 2400)).toBeLessThanOrEqual(1);
  });

  it("returns exactly the requested length, also for odd inputs", async () => {
    expect((await resample(new Float32Array(118400), 32000, 48000)).length).toBe(177600);
    expect((await resample(new Float32Array(12345), 32000, 48000)).length).toBe(18518);
    expect((await resample(new Float32Array(100), 32000, 48000, 160)).length).toBe(160);
    expect((await resample(new Float32Array([1, 2, 3]), 48000, 48000))).toEqual(new Float32Array([1, 2, 3]));
  });
});

describe("WAV", () => {
  it("round-trips 24-bit PCM within one LSB", () => {
    const x = sine(440, 48000, 4800, 0.9);
    const wav = decodeWav(encodeWav(x, 48000, 24));
    expect(wav.sampleRate).toBe(48000);
    expect(wav.bitDepth).toBe("24");
    expect(wav.channels[0].length).toBe(4800);
    for (let i = 0; i < x.length; i++) expect(Math.abs(wav.channels[0][i] - x[i])).toBeLessThanOrEqual(1 / 2 ** 23);
  });
  it("clips out-of-range samples instead of wrapping", () => {
    const wav = decodeWav(encodeWav(Float32Array.from([1.5, -1.5, 1, -1]), 48000, 16));
    expect(wav.channels[0][0]).toBeCloseTo(32767 / 32768, 6);
    expect(wav.channels[0][1]).toBe(-1);
  });
  it("writes a 24-bit 48 kHz header a DAW reads", () => {
    const bytes = encodeWav(new Float32Array(10), 48000, 24);
    const view = Buffer.from(bytes);
    expect(view.toString("ascii", 0, 4)).toBe("RIFF");
    expect(view.readUInt32LE(24)).toBe(48000);
    expect(view.readUInt16LE(34)).toBe(24);
  });
});

describe("writeFileAtomic", () => {
  it("replaces a file whole and leaves no temp files", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-atomic-"));
    const file = path.join(dir, "sub", "a.txt");
    await writeFileAtomic(file, "one");
    await writeFileAtomic(file, "two");
    expect(fs.readFileSync(file, "utf8")).toBe("two");
    expect(fs.readdirSync(path.dirname(file))).toEqual(["a.txt"]);
  });
  it("keeps the old file when the write fails", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-atomic-"));
    const file = path.join(dir, "a.txt");
    await writeFileAtomic(file, "old");
    await expect(writeFileAtomic(file, 42 as unknown as string)).rejects.toThrow();
    expect(fs.readFileSync(file, "utf8")).toBe("old");
    expect(fs.readdirSync(dir)).toEqual(["a.txt"]);
  });
});
