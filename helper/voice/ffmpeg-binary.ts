// Which ffmpeg decodes clip audio: $CUESMITH_FFMPEG when set, else the system's `ffmpeg` on PATH, else the build
// shipped inside @ffmpeg-installer's per-platform npm package (an optional dependency, binary in the tarball), so
// an editor without a system ffmpeg still gets voice-over beds. The system one stays first: it is usually newer.
import * as fs from "node:fs";
import * as path from "node:path";

export type FfmpegSource = "system" | "bundled";

export interface FfmpegBinary {
  path: string;
  source: FfmpegSource;
}

export interface ResolveFfmpegOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  /** Finds a package's folder; the default resolves from this file (tests point it elsewhere). */
  packageDir?: (name: string) => string | null;
}

function defaultPackageDir(name: string): string | null {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first `ffmpeg` on PATH (with PATHEXT's extensions on Windows), or null. */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  exists: (file: string) => boolean = isFile,
): string | null {
  const p = platform === "win32" ? path.win32 : path.posix;
  const pathVar = env.PATH ?? env.Path ?? "";
  const exts = platform === "win32" ? (env.PATHEXT ?? ".EXE;.CMD;.BAT;.COM").split(";").filter(Boolean) : [""];
  for (const dir of pathVar.split(p.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = p.join(dir.replace(/^"(.*)"$/, "$1"), name + ext.toLowerCase());
      if (exists(candidate) && (platform === "win32" || isExecutable(candidate))) return candidate;
    }
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The bundled binary for this platform, made executable if the package's own chmod step did not run. */
function bundled(platform: NodeJS.Platform, arch: string, packageDir: (name: string) => string | null): string | null {
  const dir = packageDir(`@ffmpeg-installer/${platform}-${arch}`);
  if (!dir) return null;
  const file = path.join(dir, platform === "win32" ? "ffmpeg.exe" : "ffmpeg");
  if (!isFile(file)) return null;
  if (platform !== "win32" && !isExecutable(file)) {
    // npm 11.19+ blocks dependency install scripts by default, and that package's only script is `chmod u+x`
    try {
      fs.chmodSync(file, fs.statSync(file).mode | 0o100);
    } catch {
      return null;
    }
  }
  return file;
}

export function resolveFfmpeg(options: ResolveFfmpegOptions = {}): FfmpegBinary | null {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  if (env.CUESMITH_FFMPEG) return { path: env.CUESMITH_FFMPEG, source: "system" };
  const onPath = findOnPath("ffmpeg", env, platform);
  if (onPath) return { path: onPath, source: "system" };
  const shipped = bundled(platform, options.arch ?? process.arch, options.packageDir ?? defaultPackageDir);
  return shipped ? { path: shipped, source: "bundled" } : null;
}
