// Where Adobe keeps the things Cuesmith installs into or looks for, per platform. Pure: the caller passes the
// platform and environment, so the Windows and macOS answers are tested on any machine.
import * as path from "node:path";

export type DesktopPlatform = "darwin" | "win32" | "linux";

function pathFor(platform: DesktopPlatform) {
  return platform === "win32" ? path.win32 : path.posix;
}

/**
 * Adobe's Unified Plugin Installer Agent, installed with Creative Cloud Desktop (`--install FILE.ccx` installs a
 * UXP plugin for the current user; Adobe's enterprise docs give the macOS path).
 */
export function upiaPath(platform: DesktopPlatform, env: NodeJS.ProcessEnv = {}): string | null {
  if (platform === "darwin") {
    return "/Library/Application Support/Adobe/Adobe Desktop Common/RemoteComponents/UPI/UnifiedPluginInstallerAgent/UnifiedPluginInstallerAgent.app/Contents/MacOS/UnifiedPluginInstallerAgent";
  }
  if (platform === "win32") {
    const common = env.CommonProgramFiles ?? env.COMMONPROGRAMFILES ?? "C:\\Program Files\\Common Files";
    return path.win32.join(
      common,
      "Adobe",
      "Adobe Desktop Common",
      "RemoteComponents",
      "UPI",
      "UnifiedPluginInstallerAgent",
      "UnifiedPluginInstallerAgent.exe",
    );
  }
  return null;
}

/** The per-user UXP folder (plugins installed through Creative Cloud / UPIA land under it). */
export function uxpDir(platform: DesktopPlatform, home: string, env: NodeJS.ProcessEnv = {}): string | null {
  if (platform === "darwin") return path.posix.join(home, "Library", "Application Support", "Adobe", "UXP");
  if (platform === "win32")
    return path.win32.join(env.APPDATA ?? path.win32.join(home, "AppData", "Roaming"), "Adobe", "UXP");
  return null;
}

/** Files that record installed Premiere Pro UXP plugins: the plugins-info list and the external plugins folder. */
export function installedPluginRecords(
  platform: DesktopPlatform,
  home: string,
  env: NodeJS.ProcessEnv = {},
): { infoFile: string; pluginsDir: string } | null {
  const uxp = uxpDir(platform, home, env);
  if (!uxp) return null;
  const p = pathFor(platform);
  return { infoFile: p.join(uxp, "PluginsInfo", "v1", "PPRO.json"), pluginsDir: p.join(uxp, "Plugins", "External") };
}

/** Folders Premiere Pro installs into (one per release: "Adobe Premiere Pro 2025"). */
export function premiereParentDir(platform: DesktopPlatform, env: NodeJS.ProcessEnv = {}): string | null {
  if (platform === "darwin") return "/Applications";
  if (platform === "win32")
    return path.win32.join(env.ProgramFiles ?? env.PROGRAMFILES ?? "C:\\Program Files", "Adobe");
  return null;
}
