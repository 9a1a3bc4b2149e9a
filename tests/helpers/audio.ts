// Test signals and an independent loudness meter (ffmpeg's ebur128 filter), shared by the audio tests.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { encodeWav } from "../../helper/audio/wav";

export const hasFfmpeg = spawnSync("ffmpeg", ["-version"]).status === 0;

/** A seeded LCG noise source in [-1, 1): the same test signal on every run. */
export function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
}

/** Chords (sum of sines) with noise bursts on the beat: wide-band and dynamic, like a MusicGen bed. */
export function musicLike(rate: number, seconds: number, bpm = 120, seed = 12345): Float32Array {
  const rnd = rng(seed);
  const beat = Math.round((60 / bpm) * rate);
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    const tone =
      0.2 * Math.sin(2 * Math.PI * 220 * t) +
      0.15 * Math.sin(2 * Math.PI * 277 * t) +
      0.1 * Math.sin(2 * Math.PI * 330 * t);
    x[i] = tone + 0.5 * Math.exp(-(i % beat) / (0.03 * rate)) * rnd();
  }
  return x;
}

/** ffmpeg's ebur128 summary (one decimal) for a file: integrated LUFS and true peak (it upsamples to 192 kHz). */
export function ffmpegEbur128File(file: string): { integrated: number; truePeak: number } {
  const r = spawnSync(
    "ffmpeg",
    ["-nostats", "-hide_banner", "-i", file, "-filter_complex", "ebur128=peak=true", "-f", "null", "-"],
    { encoding: "utf8" },
  );
  const summary = r.stderr.slice(r.stderr.lastIndexOf("Summary:"));
  const num = (re: RegExp) => {
    const m = re.exec(summary);
    if (!m) throw new Error(`no ${re} in ffmpeg output: ${summary}`);
    return m[1] === "-inf" ? -Infinity : Number(m[1]);
  };
  return { integrated: num(/I:\s+(-?[\d.]+|-inf) LUFS/), truePeak: num(/Peak:\s+(-?[\d.]+|-inf) dBFS/) };
}

/** The same for samples in memory (written as a 32-bit float WAV to a temp file first). */
export function ffmpegEbur128(x: Float32Array, rate: number): { integrated: number; truePeak: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-ebur128-"));
  try {
    const file = path.join(dir, "x.wav");
    fs.writeFileSync(file, encodeWav(x, rate, "32f"));
    return ffmpegEbur128File(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
