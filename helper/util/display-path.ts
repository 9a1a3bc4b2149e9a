// Paths as the helper shows them in messages: under the user's home as "~/…", so error bodies and logs sent to a
// client do not spell out the account name or the machine's folder layout.
import * as os from "node:os";
import * as path from "node:path";

/**
 * `file` relative to `home` as "~/…" (with the platform's separator), unchanged when it lies outside the home
 * folder. `pathImpl` and `home` are parameters so Windows rules (`path.win32`) can be tested anywhere.
 */
export function displayPath(file: string, home: string = os.homedir(), pathImpl: path.PlatformPath = path): string {
  if (!home) return file;
  const rel = pathImpl.relative(home, file);
  if (rel === "") return "~";
  if (rel.startsWith("..") || pathImpl.isAbsolute(rel)) return file;
  return `~${pathImpl.sep}${rel}`;
}
