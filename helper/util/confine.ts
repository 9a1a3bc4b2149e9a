// Keeps files the helper writes for a request inside the folders the user allowed. A lexical check (path.resolve,
// "..") is not enough: a symlink inside an allowed folder can point anywhere. So the check is made on real paths —
// the realpath of the nearest existing ancestor, with the not-yet-existing rest appended — against the realpath of
// each root (a root may itself be a symlink, e.g. macOS /tmp -> /private/tmp). Callers check again right before
// the final rename, because a folder can be swapped for a symlink between the first check and the write.
import * as fs from "node:fs";
import * as path from "node:path";
import { CuesmithError } from "../../shared/errors";
import { isSameOrInside, reservedComponent, trailingDotOrSpace } from "./path-rules";

export class ConfinementError extends CuesmithError<"forbidden"> {
  constructor(message: string) {
    super("forbidden", message);
  }
}

/**
 * True when `candidate` is `root` or lies below it. Both must be absolute and already resolved. The path rules are
 * a parameter so Windows rules (case-insensitive, `\`, drive letters: `path.win32`) plug in unchanged.
 */
export function isInside(root: string, candidate: string, pathImpl: path.PlatformPath = path): boolean {
  return isSameOrInside(candidate, root, pathImpl);
}

/** The realpath of an absolute path that may not exist yet: the nearest existing ancestor's realpath + the rest. */
export function realPathOfNearest(
  target: string,
  realpath: (p: string) => string = fs.realpathSync.native,
  pathImpl: path.PlatformPath = path,
): string {
  let existing = pathImpl.resolve(target);
  const rest: string[] = [];
  for (;;) {
    try {
      return pathImpl.join(realpath(existing), ...rest);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const parent = pathImpl.dirname(existing);
      // ENOENT: not there yet; ENOTDIR: a file where a folder should be (the write will fail on its own)
      if ((code !== "ENOENT" && code !== "ENOTDIR") || parent === existing) throw err;
      rest.unshift(pathImpl.basename(existing));
      existing = parent;
    }
  }
}

/**
 * The real path `requested` names, when that lies inside the real path of one of `roots`; otherwise a
 * ConfinementError. `requested` must be absolute (relative paths are the caller's input error to report).
 */
export function confine(
  requested: string,
  roots: readonly string[],
  realpath: (p: string) => string = fs.realpathSync.native,
  pathImpl: path.PlatformPath = path,
): string {
  // Windows opens a device for `CON`/`NUL`… and silently drops trailing dots: such a folder is never what was meant
  const odd = reservedComponent(requested, pathImpl) ?? trailingDotOrSpace(requested, pathImpl);
  if (odd !== null) throw new ConfinementError(`"${odd}" is not a usable folder name on Windows`);
  const real = realPathOfNearest(requested, realpath, pathImpl);
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = realPathOfNearest(root, realpath, pathImpl);
    } catch {
      continue; // an unreadable root allows nothing
    }
    if (isInside(realRoot, real, pathImpl)) return real;
  }
  throw new ConfinementError(
    "the folder is outside the folders this helper may write to (output roots), or a link in it leads outside them",
  );
}
