// Which ffmpeg decodes clip audio: the override, then PATH, then the binary shipped in @ffmpeg-installer's
// per-platform package — and the shipped one really decodes.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findOnPath, resolveFfmpeg } from "../../helper/voice/ffmpeg-binary";
import { encodeWav } from "../../helper/audio/wav";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-ffmpeg-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fakeTool(dir: string, name: string, mode = 0o755): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, "#!/bin/sh\n");
  fs.chmodSync(file, mode);
  return file;
}

describe("resolveFfmpeg", () => {
  const bin = path.join(tmp, "bin");
  const pkg = path.join(tmp, "pkg");
  const sysFfmpeg = fakeTool(bin, "ffmpeg");
  const shipped = fakeTool(pkg, "ffmpeg", 0o644);
  const packageDir = (name: string) => (name === "@ffmpeg-installer/linux-x64" ? pkg : null);

  it("prefers the system ffmpeg on PATH", () => {
    expect(resolveFfmpeg({ env: { PATH: `/nonexistent:${bin}` }, platform: "linux", arch: "x64", packageDir })).toEqual(
      { path: sysFfmpeg, source: "system" },
    );
  });

  it("takes $CUESMITH_FFMPEG over everything", () => {
    expect(
      resolveFfmpeg({
        env: { PATH: bin, CUESMITH_FFMPEG: "/opt/ff/ffmpeg" },
        platform: "linux",
        arch: "x64",
        packageDir,
      }),
    ).toEqual({ path: "/opt/ff/ffmpeg", source: "system" });
  });

  it("falls back to the bundled binary, making it executable when the package's chmod step was skipped", () => {
    expect(resolveFfmpeg({ env: { PATH: "/nonexistent" }, platform: "linux", arch: "x64", packageDir })).toEqual({
      path: shipped,
      source: "bundled",
    });
    expect(fs.statSync(shipped).mode & 0o100).toBe(0o100);
  });

  it("is null with neither (and for a platform without a shipped package)", () => {
    expect(resolveFfmpeg({ env: { PATH: "" }, platform: "linux", arch: "riscv64", packageDir })).toBeNull();
  });

  it("ignores a non-executable ffmpeg on PATH", () => {
    const dir = path.join(tmp, "noexec");
    fakeTool(dir, "ffmpeg", 0o644);
    expect(findOnPath("ffmpeg", { PATH: dir }, "linux")).toBeNull();
  });

  it("uses PATHEXT on Windows", () => {
    const files = new Set(["C:\\Program Files\\ffmpeg\\bin\\ffmpeg.exe"]);
    const env = { Path: 'C:\\Windows;"C:\\Program Files\\ffmpeg\\bin"', PATHEXT: ".COM;.EXE" };
    expect(findOnPath("ffmpeg", env, "win32", (f) => files.has(f))).toBe("C:\\Program Files\\ffmpeg\\bin\\ffmpeg.exe");
  });
});

const shippedHere = resolveFfmpeg({ env: { PATH: "" } });
(shippedHere && process.platform === "linux" && process.arch === "x64" ? describe : describe.skip)(
  "the shipped linux-x64 ffmpeg",
  () => {
    it("decodes a WAV to 16 kHz mono float", () => {
      expect(shippedHere!.source).toBe("bundled");
      const wav = path.join(tmp, "tone.wav");
      const tone = new Float32Array(48000).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000));
      fs.writeFileSync(wav, encodeWav(tone, 48000, 16));
      const r = spawnSync(
        shippedHere!.path,
        ["-nostdin", "-loglevel", "error", "-i", wav, "-ac", "1", "-ar", "16000", "-f", "f32le", "-"],
        { maxBuffer: 1 << 24 },
      );
      expect(r.status).toBe(0);
      expect(r.stdout.length).toBe(16000 * 4);
    });
  },
);
