// Any clip Premiere can hold (mp4/mov with AAC, WAV, MP3, …) -> 16 kHz mono float, by spawning the system ffmpeg.
// The clip's source in/out points are honoured, so only the part on the timeline is analysed.
// ffmpeg is an outside process fed a path from a request, so every decode is bounded: only regular files are
// opened (a FIFO or device would block ffmpeg forever), at most MAX_ANALYSED_SEC of audio is decoded, at most
// MAX_CONCURRENT_DECODES run at once, each has a deadline, and a decode that times out or whose caller gives up
// (AbortSignal: cancel, client gone) has its process (and process group, where there is one) killed.
import { ChildProcess, spawn } from "node:child_process";
import { resolveFfmpeg } from "./ffmpeg-binary";
import * as fs from "node:fs";
import * as path from "node:path";
import { CuesmithError } from "../../shared/errors";
import { checkMediaPath } from "../util/path-rules";
import { displayPath } from "../util/display-path";
import { Semaphore } from "../util/semaphore";

export type AudioInputErrorCode =
  | "ffmpeg_missing"
  | "file_missing"
  | "not_a_file"
  | "refused_path"
  | "undecodable"
  | "invalid_range"
  | "too_long"
  | "timeout"
  | "cancelled";

export class AudioInputError extends CuesmithError<AudioInputErrorCode> {
  /** `field`: the request field at fault (in_sec/out_sec for a too-long clip), when it is not media_path. */
  constructor(code: AudioInputErrorCode, message: string, field?: string) {
    super(code, message, { field });
  }
}

/** Longest stretch of media analysed: 20 minutes (a long voice-over; beds are at most 300 s anyway). */
export const MAX_ANALYSED_SEC = 20 * 60;
/** A decode still running after this long is stopped: 20 minutes of AAC decode in seconds on any recent machine. */
export const DECODE_TIMEOUT_MS = 60_000;
/** ffmpeg processes running at once, whatever the number of requests. */
export const MAX_CONCURRENT_DECODES = 2;

const decodeSlots = new Semaphore(MAX_CONCURRENT_DECODES);

export interface DecodeOptions {
  /** Seconds into the media where the clip starts / ends (Premiere's in and out points). */
  inSec?: number;
  outSec?: number;
  rate?: number;
  /** The ffmpeg binary; default ffmpegBinary(). */
  ffmpeg?: string;
  /** Deadline of one decode in ms (default DECODE_TIMEOUT_MS); waiting for a slot does not count. */
  timeoutMs?: number;
  /** Aborting stops a waiting or running decode (its process is killed); the promise rejects with "cancelled". */
  signal?: AbortSignal;
  /** The slots decodes share (default: one process-wide semaphore of MAX_CONCURRENT_DECODES). */
  slots?: Semaphore;
  /** Accept network-share (UNC) media paths on Windows; default false (see path-rules' checkMediaPath). */
  allowUnc?: boolean;
  /** The OS's path rules (default: this machine's); tests pass path.win32. */
  pathImpl?: path.PlatformPath;
}

export const FFMPEG_HINT =
  "install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install Gyan.FFmpeg) or set CUESMITH_FFMPEG to its path";

/** The ffmpeg to run: `$CUESMITH_FFMPEG`, else `ffmpeg` on the PATH, else the one shipped in an npm package. */
export function ffmpegBinary(env: NodeJS.ProcessEnv = process.env): string {
  return resolveFfmpeg({ env })?.path ?? "ffmpeg";
}

/** Checks in/out points (finite, in order, at most MAX_ANALYSED_SEC apart); throws an AudioInputError naming the field. */
export function checkClipRange(inSec: number | undefined, outSec: number | undefined): void {
  for (const [name, v] of [
    ["in_sec", inSec],
    ["out_sec", outSec],
  ] as const) {
    if (v !== undefined && (!Number.isFinite(v) || v < 0))
      throw new AudioInputError("invalid_range", `${name} must be a number of seconds >= 0, got ${v}`, name);
  }
  if (outSec !== undefined && outSec - (inSec ?? 0) > MAX_ANALYSED_SEC) {
    throw new AudioInputError(
      "too_long",
      `the clip is ${Math.round(outSec - (inSec ?? 0))} s long; at most ${MAX_ANALYSED_SEC / 60} minutes (${MAX_ANALYSED_SEC} s) are analysed: move the in or out point`,
      "out_sec",
    );
  }
  if (outSec !== undefined && inSec !== undefined && outSec <= inSec)
    throw new AudioInputError("invalid_range", "out_sec must be after in_sec", "out_sec");
}

export async function decodeAudio(file: string, options: DecodeOptions = {}): Promise<Float32Array> {
  const {
    inSec,
    outSec,
    rate = 16000,
    ffmpeg = ffmpegBinary(),
    timeoutMs = DECODE_TIMEOUT_MS,
    signal,
    slots = decodeSlots,
  } = options;
  checkClipRange(inSec, outSec);
  // before touching the file: a UNC path's first access already authenticates to the server it names
  const verdict = checkMediaPath(file, options.pathImpl ?? path, { allowUnc: options.allowUnc });
  if (!verdict.ok) throw new AudioInputError("refused_path", verdict.reason);
  const shown = displayPath(file);
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    throw new AudioInputError("file_missing", `${shown} does not exist`);
  }
  // a FIFO, socket or device would block (or never end) in ffmpeg; a folder is not a clip
  if (!stat.isFile())
    throw new AudioInputError(
      "not_a_file",
      `${shown} is not a regular file (a folder, pipe or device cannot be analysed)`,
    );
  const args = ["-nostdin", "-hide_banner", "-loglevel", "error"];
  if (inSec !== undefined && inSec > 0) args.push("-ss", String(inSec));
  if (outSec !== undefined) args.push("-to", String(outSec));
  args.push("-i", file, "-t", String(MAX_ANALYSED_SEC), "-vn", "-ac", "1", "-ar", String(rate), "-f", "f32le", "-");

  let release: () => void;
  try {
    release = await slots.acquire(signal);
  } catch {
    throw new AudioInputError("cancelled", "the analysis was cancelled");
  }
  try {
    return await runFfmpeg(ffmpeg, args, shown, timeoutMs, signal);
  } finally {
    release();
  }
}

/** Runs one decode; settles only once the process has exited, so a slot is never freed while ffmpeg still runs. */
function runFfmpeg(
  ffmpeg: string,
  args: string[],
  shown: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AudioInputError("cancelled", "the analysis was cancelled"));
    // its own process group on POSIX, so a kill reaches anything ffmpeg (or a wrapper script) started
    const child = spawn(ffmpeg, args, {
      stdio: ["ignore", "pipe", "pipe"],
      detached: process.platform !== "win32",
      windowsHide: true,
    });
    const chunks: Buffer[] = [];
    let stderr = "";
    let stopped: AudioInputError | null = null;
    let settled = false;
    const finish = (err: Error | null, out?: Float32Array) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (err) reject(err);
      else resolve(out!);
    };
    const stop = (why: AudioInputError) => {
      if (stopped) return;
      stopped = why;
      kill(child);
    };
    const onAbort = () => stop(new AudioInputError("cancelled", "the analysis was cancelled"));
    const timer = setTimeout(
      () =>
        stop(
          new AudioInputError(
            "timeout",
            `decoding ${shown} took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`,
          ),
        ),
      timeoutMs,
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => {
      if (stderr.length < 16_384) stderr += c.toString();
    });
    child.on("error", (err: NodeJS.ErrnoException) =>
      finish(
        err.code === "ENOENT" ? new AudioInputError("ffmpeg_missing", `ffmpeg was not found: ${FFMPEG_HINT}`) : err,
      ),
    );
    // "exit", not "close": after a kill, a pipe held open by a stray grandchild must not keep the caller waiting
    child.on("exit", () => {
      if (stopped) finish(stopped);
    });
    child.on("close", (code) => {
      if (stopped) return finish(stopped);
      const bytes = Buffer.concat(chunks);
      if (code !== 0 || bytes.length === 0) {
        const why = stderr.trim().split("\n").pop() || "no audio stream";
        return finish(new AudioInputError("undecodable", `${shown} could not be decoded: ${why}`));
      }
      const out = new Float32Array(Math.floor(bytes.length / 4));
      Buffer.from(out.buffer).set(bytes.subarray(0, out.length * 4));
      finish(null, out);
    });
  });
}

/** SIGKILL to the child's process group where it has one (POSIX), else to the child. */
function kill(child: ChildProcess): void {
  if (child.pid !== undefined && process.platform !== "win32") {
    try {
      process.kill(-child.pid, "SIGKILL");
      return;
    } catch {
      // the group is already gone: fall through to the child itself
    }
  }
  child.kill("SIGKILL");
}
