import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WaveFile } from "wavefile";
import { decodeWav, encodeWav } from "../../helper/audio/wav";
import { writeFileAtomic } from "../../helper/util/atomic-file";

const hasFfmpeg = spawnSync("ffmpeg", ["-version"]).status === 0;
if (!hasFfmpeg) console.warn("audio-wav: ffmpeg not found, skipping the check that ffmpeg reads our WAVs");

function sine(freq: number, rate: number, n: number, amp = 0.5): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return x;
}
const maxError = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-wav-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("encodeWav / decodeWav", () => {
  it("round-trips 24-bit PCM within half an LSB (plain rounding)", () => {
    const x = sine(440, 48000, 4801, 0.9);
    const wav = decodeWav(encodeWav(x, 48000, 24));
    expect(wav.sampleRate).toBe(48000);
    expect(wav.bitDepth).toBe("24");
    expect(wav.channels).toHaveLength(1);
    expect(wav.channels[0].length).toBe(4801);
    expect(maxError(wav.channels[0], x)).toBeLessThanOrEqual(0.5 / 2 ** 23 + 1e-9);
  });

  it("round-trips 16-bit within half an LSB and 32-bit float exactly", () => {
    const x = sine(440, 48000, 4800, 0.9);
    expect(maxError(decodeWav(encodeWav(x, 48000, 16)).channels[0], x)).toBeLessThanOrEqual(0.5 / 2 ** 15 + 1e-9);
    const float = decodeWav(encodeWav(x, 32000, "32f"));
    expect(float.bitDepth).toBe("32f");
    expect(float.sampleRate).toBe(32000);
    expect(float.channels[0]).toEqual(x);
  });

  it("clips to [-1, 1) instead of wrapping, rounds to nearest, and writes NaN as silence", () => {
    const codes = decodeWav(
      encodeWav(Float32Array.from([1.5, -1.5, 1, -1, NaN, 0.4 / 32768, 0.6 / 32768]), 48000, 16),
    ).channels[0].map((v) => v * 32768);
    expect(Array.from(codes)).toEqual([32767, -32768, 32767, -32768, 0, 0, 1]);
    const b24 = decodeWav(encodeWav(Float32Array.from([2, -2]), 48000, 24)).channels[0];
    expect(Array.from(b24).map((v) => v * 2 ** 23)).toEqual([2 ** 23 - 1, -(2 ** 23)]);
    // float keeps overs (headroom), but not NaN or Infinity
    expect(
      Array.from(decodeWav(encodeWav(Float32Array.from([1.5, NaN, -Infinity]), 48000, "32f")).channels[0]),
    ).toEqual([1.5, 0, 0]);
  });

  it("writes the canonical 44-byte header (24-bit, 48 kHz, mono) and pads an odd data chunk", () => {
    const bytes = Buffer.from(encodeWav(new Float32Array(11), 48000, 24));
    expect(bytes.toString("ascii", 0, 4)).toBe("RIFF");
    expect(bytes.toString("ascii", 8, 16)).toBe("WAVEfmt ");
    expect(bytes.readUInt16LE(20)).toBe(1); // PCM
    expect(bytes.readUInt16LE(22)).toBe(1); // mono
    expect(bytes.readUInt32LE(24)).toBe(48000);
    expect(bytes.readUInt32LE(28)).toBe(144000); // bytes per second
    expect(bytes.readUInt16LE(32)).toBe(3); // block align
    expect(bytes.readUInt16LE(34)).toBe(24);
    expect(bytes.toString("ascii", 36, 40)).toBe("data");
    expect(bytes.readUInt32LE(40)).toBe(33);
    expect(bytes.length).toBe(44 + 33 + 1);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(Buffer.from(encodeWav(new Float32Array(1), 48000, "32f")).readUInt16LE(20)).toBe(3); // IEEE float
  });

  it("reads what wavefile writes: stereo 16-bit, 8-bit unsigned, 32-bit int, 64-bit float", () => {
    const make = (channels: number, bitDepth: string, data: number[] | number[][]) => {
      const w = new WaveFile();
      w.fromScratch(channels, 44100, bitDepth, data);
      return decodeWav(w.toBuffer());
    };
    const stereo = make(2, "16", [
      [16384, -32768, 0],
      [-16384, 32767, 1],
    ]);
    expect(stereo.sampleRate).toBe(44100);
    expect(Array.from(stereo.channels[0])).toEqual([0.5, -1, 0]);
    expect(Array.from(stereo.channels[1])).toEqual([-0.5, 32767 / 32768, 1 / 32768]);
    expect(Array.from(make(1, "8", [0, 128, 192]).channels[0])).toEqual([-1, 0, 0.5]);
    expect(Array.from(make(1, "32", [2 ** 30, -(2 ** 31)]).channels[0])).toEqual([0.5, -1]);
    expect(Array.from(make(1, "64", [0.25, -0.125]).channels[0])).toEqual([0.25, -0.125]);
  });

  it("decodes from a Buffer that is a view into a larger one (fs reads of small files are)", () => {
    const x = sine(440, 48000, 301, 0.5);
    const bytes = encodeWav(x, 48000, 24);
    const pool = Buffer.alloc(bytes.length + 13);
    pool.set(bytes, 13);
    const view = pool.subarray(13);
    expect(view.byteOffset).toBe(13);
    expect(maxError(decodeWav(view).channels[0], x)).toBeLessThanOrEqual(0.5 / 2 ** 23 + 1e-9);
  });

  it("decodes a 15 s 24-bit bed quickly (the helper re-reads cached beds)", () => {
    const x = sine(440, 48000, 48000 * 15);
    const started = Date.now();
    const bytes = encodeWav(x, 48000, 24);
    const back = decodeWav(bytes);
    expect(back.channels[0].length).toBe(x.length);
    expect(Date.now() - started).toBeLessThan(3000); // wavefile's own packers take several seconds for this in jest
  });

  (hasFfmpeg ? it : it.skip)("ffmpeg reads our 24-bit file back sample for sample", () => {
    const x = sine(997, 48000, 4800, 0.7);
    const file = path.join(tmp, "bed.wav");
    fs.writeFileSync(file, encodeWav(x, 48000, 24));
    const r = spawnSync("ffmpeg", ["-v", "error", "-i", file, "-f", "f32le", "-"], { maxBuffer: 1 << 24 });
    expect(r.status).toBe(0);
    const decoded = new Float32Array(
      r.stdout.buffer.slice(r.stdout.byteOffset, r.stdout.byteOffset + r.stdout.byteLength),
    );
    expect(decoded.length).toBe(4800);
    expect(maxError(decoded, x)).toBeLessThanOrEqual(0.5 / 2 ** 23 + 1e-7);
    const probe = spawnSync(
      "ffprobe",
      [
        "-v",
        "error",
        "-show_entries",
        "stream=sample_rate,channels,bits_per_sample,codec_name",
        "-of",
        "csv=p=0",
        file,
      ],
      { encoding: "utf8" },
    );
    expect(probe.stdout.trim()).toBe("pcm_s24le,48000,1,24");
  });
});

describe("writeFileAtomic", () => {
  it("creates the folder, replaces a file whole and leaves no temp files", async () => {
    const file = path.join(tmp, "a", "b", "bed.wav");
    await writeFileAtomic(file, "one");
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect(Array.from(fs.readFileSync(file))).toEqual([1, 2, 3]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["bed.wav"]);
  });

  it("keeps the old file and cleans up when the write fails", async () => {
    const file = path.join(tmp, "keep.txt");
    await writeFileAtomic(file, "old");
    await expect(writeFileAtomic(file, 42 as unknown as string)).rejects.toThrow();
    expect(fs.readFileSync(file, "utf8")).toBe("old");
    expect(fs.readdirSync(tmp).filter((f) => f.includes("keep.txt"))).toEqual(["keep.txt"]);
  });

  it("cleans up its temp file when the rename fails (target is a folder)", async () => {
    const dir = path.join(tmp, "occupied");
    fs.mkdirSync(path.join(dir, "target"), { recursive: true });
    fs.writeFileSync(path.join(dir, "target", "x"), "x"); // a non-empty folder cannot be renamed over
    await expect(writeFileAtomic(path.join(dir, "target"), "data")).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual(["target"]);
  });

  it("concurrent writers: the file ends as one of the complete versions", async () => {
    const file = path.join(tmp, "race.bin");
    const versions = [1, 2, 3, 4].map((v) => new Uint8Array(200000).fill(v));
    await Promise.all(versions.map((v) => writeFileAtomic(file, v)));
    const got = fs.readFileSync(file);
    expect(got.length).toBe(200000);
    expect(new Set(got).size).toBe(1);
    expect(fs.readdirSync(tmp).filter((f) => f.includes("race.bin"))).toEqual(["race.bin"]);
  });
});
