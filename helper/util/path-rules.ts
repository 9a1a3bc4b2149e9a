// Path rules of the OS the helper runs on, as pure functions of a `path` implementation (path.win32 or
// path.posix), so Windows' rules are tested on any machine: same-or-inside comparison (case-insensitive drive
// letters and folders, `\` and `/`, trailing dots and spaces that Windows drops), reserved device names
// (CON, NUL, COM1…, also with an extension), UNC and device-namespace forms, file names safe to create, and the
// check a media path from the panel must pass. Lexical only: symlinks, junctions and 8.3 short names are the
// real-path confinement's job, which runs these rules on the resolved paths.
import * as nodePath from "node:path";

export type PathImpl = nodePath.PlatformPath;

/** Windows device names: a file with one of these base names (any extension) opens the device instead. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

/** Characters Windows refuses in a file name (plus control characters). */
const INVALID_WIN_CHARS = /[<>:"/\\|?*\u0000-\u001f]/g;

export type MediaPathProblem = "not_absolute" | "unc_path" | "device_path" | "reserved_name" | "invalid_path";

export type MediaPathVerdict = { ok: true } | { ok: false; code: MediaPathProblem; reason: string };

export interface MediaPathOptions {
  /** Accept `\\server\share\…` media (reading one can trigger network authentication). Default false. */
  allowUnc?: boolean;
}

const isWin = (impl: PathImpl) => impl.sep === "\\";

/** `\\server\share\…`, `//server/share/…`, `\\?\UNC\server\share\…` (and `\\.\UNC\…`). */
export function isUncPath(p: string, impl: PathImpl = nodePath): boolean {
  if (!isWin(impl)) return false;
  const s = p.replace(/\//g, "\\");
  if (/^\\\\[?.]\\UNC\\/i.test(s)) return true;
  return /^\\\\[^\\?.][^\\]*\\[^\\]+/.test(s);
}

/** `\\.\…` and `\\?\…` that do not name a drive-letter path or a UNC share: devices, pipes, volumes. */
export function isDevicePath(p: string, impl: PathImpl = nodePath): boolean {
  if (!isWin(impl)) return false;
  const s = p.replace(/\//g, "\\");
  if (!/^\\\\[?.]\\/.test(s)) return false;
  return !/^\\\\[?.]\\([a-z]:\\|unc\\)/i.test(s);
}

/** Drops the `\\?\` (or `\\?\UNC\`) prefix so long-path forms compare equal to their plain forms. */
function stripLongPrefix(p: string): string {
  const s = p.replace(/\//g, "\\");
  if (/^\\\\\?\\UNC\\/i.test(s)) return "\\\\" + s.slice(8);
  if (/^\\\\\?\\[a-z]:/i.test(s)) return s.slice(4);
  return s;
}

/** The path's components, without the root. */
function components(p: string, impl: PathImpl): string[] {
  const root = impl.parse(p).root;
  return p
    .slice(root.length)
    .split(isWin(impl) ? /[\\/]+/ : /\/+/)
    .filter((c) => c !== "");
}

/** The component that is a reserved device name (`CON`, `nul.wav`, `COM1 .txt`), or null. */
export function reservedComponent(p: string, impl: PathImpl = nodePath): string | null {
  if (!isWin(impl)) return null;
  for (const c of components(stripLongPrefix(p), impl)) {
    const base = c.split(".")[0].replace(/[ .]+$/, "");
    if (RESERVED.test(base)) return c;
  }
  return null;
}

/** The component ending in a dot or a space (which Windows silently drops), or null. `.` and `..` are fine. */
export function trailingDotOrSpace(p: string, impl: PathImpl = nodePath): string | null {
  if (!isWin(impl)) return null;
  for (const c of components(stripLongPrefix(p), impl)) {
    if (c === "." || c === "..") continue;
    if (/[. ]$/.test(c)) return c;
  }
  return null;
}

/** The form two paths are compared in: resolved, `\\?\` dropped, trailing dots/spaces dropped, lower case on Windows. */
export function comparablePath(p: string, impl: PathImpl = nodePath): string {
  if (!isWin(impl)) return impl.resolve(p).replace(/\/+$/, "") || "/";
  const resolved = impl.resolve(stripLongPrefix(p));
  const root = impl.parse(resolved).root;
  const rest = components(resolved, impl)
    .map((c) => c.replace(/[. ]+$/, ""))
    .filter((c) => c !== "");
  const joined = rest.length ? root.replace(/\\+$/, "") + "\\" + rest.join("\\") : root;
  return joined.toLowerCase();
}

/** True when `child` is `parent` or lies inside it, by the OS's comparison rules. */
export function isSameOrInside(child: string, parent: string, impl: PathImpl = nodePath): boolean {
  const c = comparablePath(child, impl);
  const p = comparablePath(parent, impl);
  if (c === p) return true;
  const rel = impl.relative(p, c);
  return rel !== "" && rel !== ".." && !rel.startsWith(".." + impl.sep) && !impl.isAbsolute(rel);
}

/**
 * A media path from the panel (or an HTTP client): absolute, on a local drive, no device names. UNC shares are
 * refused unless allowed: Windows authenticates to the server on first access, which leaks the user's
 * credentials hash to whatever host the path names.
 */
export function checkMediaPath(p: string, impl: PathImpl = nodePath, options: MediaPathOptions = {}): MediaPathVerdict {
  if (p.includes("\0")) return { ok: false, code: "invalid_path", reason: "the path contains a NUL character" };
  if (isWin(impl)) {
    if (isDevicePath(p, impl))
      return { ok: false, code: "device_path", reason: `${p} names a device, not a media file` };
    if (isUncPath(p, impl)) {
      return options.allowUnc
        ? { ok: true }
        : {
            ok: false,
            code: "unc_path",
            reason: `${p} is on a network share; copy the clip to a local drive, or set allowUncMediaPaths in ~/.cuesmith/config.json`,
          };
    }
    const plain = stripLongPrefix(p);
    if (!/^[a-z]:[\\/]/i.test(plain))
      return { ok: false, code: "not_absolute", reason: `${p} is not a full path with a drive letter (C:\\…)` };
    if (plain.indexOf(":", 2) !== -1)
      return { ok: false, code: "invalid_path", reason: `${p} names an alternate data stream (a ":" after the drive)` };
    const reserved = reservedComponent(plain, impl);
    if (reserved) return { ok: false, code: "reserved_name", reason: `"${reserved}" in ${p} is a Windows device name` };
    return { ok: true };
  }
  if (!impl.isAbsolute(p)) return { ok: false, code: "not_absolute", reason: `${p} is not an absolute path` };
  return { ok: true };
}

/**
 * A file name that can be created on the OS: characters Windows refuses become `_`, trailing dots and spaces go,
 * reserved device names get a leading `_`, and the name stays within 255 UTF-16 units. POSIX only loses `/`
 * and NUL, but names are made Windows-safe everywhere so that a folder synced between machines stays valid.
 */
export function safeFileName(name: string): string {
  let out = name.replace(INVALID_WIN_CHARS, "_").replace(/[. ]+$/, "");
  const dot = out.indexOf(".");
  const base = (dot === -1 ? out : out.slice(0, dot)).replace(/ +$/, "");
  if (RESERVED.test(base)) out = `_${out}`;
  if (out === "" || out === "." || out === "..") out = "_";
  if (out.length > 255) {
    const ext = /\.[^.]{1,16}$/.exec(out)?.[0] ?? "";
    out = out.slice(0, 255 - ext.length).replace(/[\uD800-\uDBFF]$/, "") + ext;
  }
  return out;
}
