// `cuesmith COMMAND --help`: each command's own usage, looked up before the command parses its options so that
// `--help` works next to any other flags and never reaches a strict option parser as an unknown option.
import { GENERATE_USAGE } from "./generate-command";
import { modelsHelp } from "./models-command";
import { ANALYZE_USAGE } from "./analyze-command";
import { REPORT_USAGE } from "./report-command";
import { SERVE_USAGE } from "./serve-command";
import { DOCTOR_USAGE } from "./doctor-command";
import { INSTALL_USAGE, UNINSTALL_USAGE } from "./install-command";

type HelpText = (rest: string[]) => string;

const HELP: Record<string, HelpText> = {
  serve: () =>
    [
      `usage: ${SERVE_USAGE}`,
      "",
      "Starts the helper the Premiere panel talks to (WebSocket and HTTP on one port). Settings come from",
      "~/.cuesmith/config.json, then these flags. A model fetched while it runs is picked up without a restart.",
    ].join("\n"),
  generate: () =>
    [
      `usage: ${GENERATE_USAGE}`,
      "",
      "Writes one 48 kHz 24-bit WAV of exactly round(48000*SEC) samples and prints one JSON line describing it.",
    ].join("\n"),
  analyze: () =>
    [
      `usage: ${ANALYZE_USAGE}`,
      "",
      "Reads a voice-over (clip and/or transcript) and prints speech regions, emotion, undertone and the music prompt.",
    ].join("\n"),
  report: () => `usage: ${REPORT_USAGE}`,
  models: (rest) => modelsHelp(rest[0]),
  install: () =>
    [
      `usage: ${INSTALL_USAGE}`,
      "",
      "In one go: fetches the model when it is missing, installs the Premiere panel (Adobe's Unified Plugin Installer",
      "Agent where present, else says which .ccx to double-click), and starts the helper at login (a LaunchAgent on",
      "macOS, a Scheduled Task on Windows, a systemd user unit on Linux). --dry-run prints the plan and the files.",
    ].join("\n"),
  uninstall: () =>
    [
      `usage: ${UNINSTALL_USAGE}`,
      "",
      "Removes exactly what `cuesmith install` wrote (its install record lists it); never your feedback, presets or WAVs.",
    ].join("\n"),
  doctor: () =>
    [
      `usage: ${DOCTOR_USAGE}`,
      "",
      "Checks Node, ffmpeg (system or bundled), the model files, execution providers, the helper's port, the panel and",
      "Premiere Pro. Each line says ok, warning or fix; exit 1 when something needs fixing.",
    ].join("\n"),
};

/** True when `--help`/`-h` appears among the arguments (before a `--` that ends the options). */
export function asksForHelp(args: string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/** The help text of a command (its arguments pick a sub-command's), or null for a command without one here. */
export function commandHelp(command: string, rest: string[]): string | null {
  const help = Object.prototype.hasOwnProperty.call(HELP, command) ? HELP[command] : undefined;
  return help ? help(rest.filter((a) => a !== "--help" && a !== "-h")) : null;
}
