// Any clip Premiere can hold (mp4/mov with AAC, WAV, MP3, …) -> 16 kHz mono float, by spawning the system ffmpeg.
// The clip's source in/out points are honoured, so only the part on the timeline is analysed.
import { spawn } from "node:child_process";
import * as fs from "node:fs";

export class AudioInputError extends Error {
  constructor(
    readonly code: "ffmpeg_missing" | "file_missing" | "undecodable",
    message: string,
  ) {
    super(message);
    this.name = "AudioInputError";
  }
}

export interface DecodeOptions {
  /** Seconds into the media where the clip starts / ends (Premiere's in and out points). */
  inSec?: number;
  outSec?: number;
  rate?: number;
  ffmpeg?: string;
}

export const FFMPEG_HINT =
  "install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install Gyan.FFmpeg) or set CUESMITH_FFMPEG to its path";

export function decodeAudio(
  file: string,
  { inSec, outSec, rate = 16000, ffmpeg = process.env.CUESMITH_FFMPEG ?? "ffmpeg" }: DecodeOptions = {},
): Promise<Float32Array> {
  if (!fs.existsSync(file)) return Promise.reject(new AudioInputError("file_missing", `${file} does not exist`));
  const args = ["-nostdin", "-hide_banner", "-loglevel", "error"];
  if (inSec !== undefined && inSec > 0) args.push("-ss", String(inSec));
  if (outSec !== undefined) args.push("-to", String(outSec));
  args.push("-i", file, "-vn", "-ac", "1", "-ar", String(rate), "-f", "f32le", "-");
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "ENOENT" ? new AudioInputError("ffmpeg_missing", `ffmpeg was not found: ${FFMPEG_HINT}`) : err,
      ),
    );
    child.on("close", (code) => {
      const bytes = Buffer.concat(chunks);
      if (code !== 0 || bytes.length === 0) {
        const why = stderr.trim().split("\n").pop() || "no audio stream";
        return reject(new AudioInputError("undecodable", `${file} could not be decoded: ${why}`));
      }
      const out = new Float32Array(bytes.length / 4);
      Buffer.from(out.buffer).set(bytes.subarray(0, out.length * 4));
      resolve(out);
    });
  });
}
