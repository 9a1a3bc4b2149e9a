// Decoding a clip is bounded: pipes and devices are refused before ffmpeg starts, a slow decode is killed at its
// deadline or when its caller gives up (with everything it started), at most two run at once, and the analysed
// stretch is capped. A fake ffmpeg (a shell script) stands in for a decode that never ends.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { analyzeVoiceOver } from "../../helper/service/voice-service";
import { checkClipRange, decodeAudio, MAX_ANALYSED_SEC, MAX_CONCURRENT_DECODES } from "../../helper/voice/decode-audio";
import { Semaphore } from "../../helper/util/semaphore";

const posix = process.platform !== "win32";
const posixIt = posix ? it : it.skip;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-decode-"));

function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/** A process that exists and is not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true; // no /proc (macOS): kill(0) said it exists
  }
}

async function until(cond: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

/**
 * A fake ffmpeg that never finishes: records its pid and a grandchild's pid, then waits. `pids` gives the pids
 * written so far: a file the shell has created but not yet written (or was killed while writing) is not a pid —
 * read as 0 it would name the test's own process group, which never dies.
 */
function hangingFfmpeg(dir: string): { bin: string; pids: () => number[] } {
  const bin = script(dir, "ffmpeg-hangs", `echo $$ > "${dir}/pid"\nsleep 300 &\necho $! > "${dir}/child"\nwait`);
  const pids = () =>
    ["pid", "child"]
      .map((f) => path.join(dir, f))
      .filter((file) => fs.existsSync(file))
      .map((file) => fs.readFileSync(file, "utf8"))
      .filter((text) => /^\d+\s*$/.test(text))
      .map(Number);
  return { bin, pids };
}

const clip = (dir: string) => {
  const file = path.join(dir, "clip.wav");
  fs.writeFileSync(file, "RIFF");
  return file;
};

describe("decodeAudio refuses what is not a regular file, before starting ffmpeg", () => {
  posixIt("a FIFO (which would block ffmpeg forever), a folder and a device", async () => {
    const dir = tmp();
    const fifo = path.join(dir, "voice.wav");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const marker = path.join(dir, "ran");
    const bin = script(dir, "ffmpeg-marker", `touch "${marker}"`);
    for (const file of [fifo, dir, "/dev/zero"]) {
      await expect(decodeAudio(file, { ffmpeg: bin })).rejects.toMatchObject({
        code: "not_a_file",
        message: expect.stringMatching(/not a regular file/),
      });
    }
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe("decodeAudio deadlines and cancellation kill the process and all it started", () => {
  posixIt("a decode past its deadline is stopped with a timeout error, leaving nothing running", async () => {
    const dir = tmp();
    const fake = hangingFfmpeg(dir);
    const decoding = decodeAudio(clip(dir), { ffmpeg: fake.bin, timeoutMs: 2000 });
    await expect(decoding).rejects.toMatchObject({
      code: "timeout",
      message: expect.stringMatching(/longer than 2 s/),
    });
    const pids = fake.pids();
    expect(pids).toHaveLength(2); // it really was running
    expect(await until(() => pids.every((p) => !alive(p)))).toBe(true);
  });

  posixIt("an aborted decode (client gone, job cancelled) is stopped the same way", async () => {
    const dir = tmp();
    const fake = hangingFfmpeg(dir);
    const controller = new AbortController();
    const decoding = decodeAudio(clip(dir), { ffmpeg: fake.bin, signal: controller.signal, timeoutMs: 120_000 });
    expect(await until(() => fake.pids().length === 2)).toBe(true);
    const pids = fake.pids();
    controller.abort();
    await expect(decoding).rejects.toMatchObject({ code: "cancelled" });
    expect(await until(() => pids.every((p) => !alive(p)))).toBe(true);
  });

  posixIt("the analysis passes its signal down: a cancelled analysis is a cancelled error", async () => {
    const dir = tmp();
    const fake = hangingFfmpeg(dir);
    const before = process.env.CUESMITH_FFMPEG;
    process.env.CUESMITH_FFMPEG = fake.bin;
    try {
      const controller = new AbortController();
      const analysing = analyzeVoiceOver(
        { media_path: clip(dir), text: "hello" },
        { signal: controller.signal, whisperDir: null, emotionDir: null },
      );
      expect(await until(() => fake.pids().length === 2)).toBe(true);
      const pids = fake.pids();
      controller.abort();
      await expect(analysing).rejects.toMatchObject({ code: "cancelled" });
      expect(await until(() => pids.every((p) => !alive(p)))).toBe(true);
    } finally {
      if (before === undefined) delete process.env.CUESMITH_FFMPEG;
      else process.env.CUESMITH_FFMPEG = before;
    }
  });
});

describe("decodeAudio runs at most two decodes at once", () => {
  posixIt(`${MAX_CONCURRENT_DECODES} ffmpeg processes at most, however many requests`, async () => {
    const dir = tmp();
    const runs = path.join(dir, "runs");
    fs.mkdirSync(runs);
    // each run notes how many runs exist while it runs, then outputs two float samples
    const bin = script(
      dir,
      "ffmpeg-slow",
      `touch "${runs}/$$"\nls "${runs}" | wc -l >> "${dir}/counts"\nsleep 0.4\nls "${runs}" | wc -l >> "${dir}/counts"\nrm "${runs}/$$"\nprintf '\\000\\000\\000\\000\\000\\000\\000\\000'`,
    );
    const file = clip(dir);
    const outs = await Promise.all(Array.from({ length: 6 }, () => decodeAudio(file, { ffmpeg: bin })));
    for (const out of outs) expect(out).toEqual(new Float32Array(2));
    const counts = fs.readFileSync(path.join(dir, "counts"), "utf8").trim().split(/\s+/).map(Number);
    expect(counts).toHaveLength(12);
    expect(Math.max(...counts)).toBeLessThanOrEqual(MAX_CONCURRENT_DECODES);
    expect(fs.readdirSync(runs)).toEqual([]);
  });

  it("a caller that gives up while waiting for a slot leaves the queue without starting anything", async () => {
    const slots = new Semaphore(1);
    const release = await slots.acquire();
    const controller = new AbortController();
    const waiting = decodeAudio(clip(tmp()), { ffmpeg: "/nonexistent/ffmpeg", slots, signal: controller.signal });
    await until(() => slots.waiting === 1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "cancelled" });
    expect(slots.waiting).toBe(0);
    release();
    expect(slots.active).toBe(0);
  });
});

describe("the analysed stretch is capped", () => {
  it(`in/out points may span at most ${MAX_ANALYSED_SEC} s, anywhere in a long recording`, () => {
    expect(MAX_ANALYSED_SEC).toBe(1200);
    expect(() => checkClipRange(0, 1200)).not.toThrow();
    expect(() => checkClipRange(85_000, 86_000)).not.toThrow();
    expect(() => checkClipRange(0, 86_400)).toThrow(expect.objectContaining({ code: "too_long", field: "out_sec" }));
    expect(() => checkClipRange(undefined, 1201)).toThrow(/at most 20 minutes/);
    expect(() => checkClipRange(Number.NaN, 10)).toThrow(
      expect.objectContaining({ code: "invalid_range", field: "in_sec" }),
    );
    expect(() => checkClipRange(10, 5)).toThrow(expect.objectContaining({ field: "out_sec" }));
  });

  it("a too-long clip is refused before anything is spawned", async () => {
    await expect(
      decodeAudio(clip(tmp()), { ffmpeg: "/nonexistent/ffmpeg", inSec: 0, outSec: 86_400 }),
    ).rejects.toMatchObject({ code: "too_long" });
  });
});

describe("media paths follow the rules of the OS the helper runs on", () => {
  it("a Windows network-share path is refused before anything touches it, unless allowed", async () => {
    const unc = "\\\\fileserver\\media\\vo.wav";
    await expect(decodeAudio(unc, { pathImpl: path.win32 })).rejects.toMatchObject({
      code: "refused_path",
      message: expect.stringMatching(/network share/),
    });
    // allowed: it then fails only because the share does not exist on this machine
    await expect(decodeAudio(unc, { pathImpl: path.win32, allowUnc: true })).rejects.toMatchObject({
      code: "file_missing",
    });
    await expect(decodeAudio("C:\\clips\\nul.wav", { pathImpl: path.win32 })).rejects.toMatchObject({
      code: "refused_path",
    });
  });
});
