// Start-at-login registration of the helper, for each desktop OS, from one description: a LaunchAgent plist on
// macOS, a per-user Scheduled Task (Task Scheduler XML, registered with `schtasks /Create /XML`) on Windows, a
// systemd user unit on Linux. Pure: the same description gives the same files and commands on any machine, so
// every platform's output is tested here, including paths with spaces and non-ASCII user names.
import * as path from "node:path";
import type { DesktopPlatform } from "./adobe-paths";

export interface ServiceDescription {
  /** Reverse-DNS id (launchd label, systemd unit stem, task name base). */
  id: string;
  /** Human name: the Windows task's name and the unit's Description. */
  name: string;
  /** Absolute path of the Node executable. */
  program: string;
  /** Arguments after it: the CLI script and `serve …`. */
  args: string[];
  /** Extra environment for the helper (e.g. CUESMITH_HOME when it is not the default). */
  env: Record<string, string>;
  /** The user's home folder on that machine. */
  home: string;
  /** Where the helper's output goes where the service manager does not keep it (macOS). */
  logFile: string;
  /** Windows: DOMAIN\user or user, the task's principal. */
  user?: string;
  /** Windows: %LOCALAPPDATA%; derived from home when absent. */
  localAppData?: string;
  /** Linux: $XDG_CONFIG_HOME; ~/.config when absent. */
  xdgConfigHome?: string;
  /** macOS: the user's numeric id, for launchctl's gui/<uid> domain. */
  uid?: number;
}

export interface ServiceFile {
  path: string;
  contents: string;
  /** Task Scheduler reads its XML as UTF-16 (with a byte-order mark); everything else is UTF-8. */
  encoding: "utf8" | "utf16le";
}

export interface ServiceCommand {
  program: string;
  args: string[];
}

export interface ServicePlan {
  platform: DesktopPlatform;
  files: ServiceFile[];
  /** Registers and starts the service (run after writing the files). */
  register: ServiceCommand[];
  /** Stops and unregisters it (run before removing the files). */
  unregister: ServiceCommand[];
  /** What a user types to start it by hand, where no service manager answers. */
  startHint: string;
}

export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** One argument as Windows' CommandLineToArgvW (and the C runtime) reads it back. */
export function quoteWindowsArg(arg: string): string {
  if (arg !== "" && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === "\\") {
      backslashes++;
      continue;
    }
    if (ch === '"') {
      out += "\\".repeat(backslashes * 2 + 1) + '"';
    } else {
      out += "\\".repeat(backslashes) + ch;
    }
    backslashes = 0;
  }
  return out + "\\".repeat(backslashes * 2) + '"';
}

/** One word of a systemd Exec/Environment line: double-quoted, C escapes, `%` and `$` doubled (no expansion). */
export function quoteSystemdArg(arg: string): string {
  return `"${arg.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(/\$/g, "$$$$")}"`;
}

/** A POSIX shell word, for the hints printed to the user. */
export function quoteShellArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

function launchAgent(d: ServiceDescription): ServicePlan {
  const file = path.posix.join(d.home, "Library", "LaunchAgents", `${d.id}.plist`);
  const str = (s: string) => `<string>${xmlEscape(s)}</string>`;
  const envEntries = Object.entries(d.env);
  const contents = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "<dict>",
    `  <key>Label</key>${str(d.id)}`,
    "  <key>ProgramArguments</key>",
    "  <array>",
    ...[d.program, ...d.args].map((a) => `    ${str(a)}`),
    "  </array>",
    ...(envEntries.length
      ? [
          "  <key>EnvironmentVariables</key>",
          "  <dict>",
          ...envEntries.map(([k, v]) => `    <key>${xmlEscape(k)}</key>${str(v)}`),
          "  </dict>",
        ]
      : []),
    `  <key>WorkingDirectory</key>${str(d.home)}`,
    "  <key>RunAtLoad</key><true/>",
    // restart after a crash, not after a clean stop (`launchctl bootout`)
    "  <key>KeepAlive</key>",
    "  <dict><key>SuccessfulExit</key><false/></dict>",
    "  <key>ProcessType</key><string>Interactive</string>",
    `  <key>StandardOutPath</key>${str(d.logFile)}`,
    `  <key>StandardErrorPath</key>${str(d.logFile)}`,
    "</dict>",
    "</plist>",
    "",
  ].join("\n");
  const domain = `gui/${d.uid ?? "$(id -u)"}`;
  return {
    platform: "darwin",
    files: [{ path: file, contents, encoding: "utf8" }],
    register: [{ program: "launchctl", args: ["bootstrap", domain, file] }],
    unregister: [{ program: "launchctl", args: ["bootout", `${domain}/${d.id}`] }],
    startHint: `launchctl bootstrap gui/$(id -u) ${quoteShellArg(file)}`,
  };
}

function scheduledTask(d: ServiceDescription): ServicePlan {
  const local = d.localAppData ?? path.win32.join(d.home, "AppData", "Local");
  const file = path.win32.join(local, "Cuesmith", `${d.id}.task.xml`);
  const userId = d.user ? [`      <UserId>${xmlEscape(d.user)}</UserId>`] : [];
  // A task has no environment of its own; Windows users set CUESMITH_HOME (if at all) in their user environment.
  const contents = [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    "  <RegistrationInfo>",
    `    <Description>${xmlEscape(`${d.name}: local AI music beds for Premiere Pro (started at logon)`)}</Description>`,
    "  </RegistrationInfo>",
    "  <Triggers>",
    "    <LogonTrigger>",
    "      <Enabled>true</Enabled>",
    ...userId,
    "    </LogonTrigger>",
    "  </Triggers>",
    "  <Principals>",
    '    <Principal id="Author">',
    ...userId,
    "      <LogonType>InteractiveToken</LogonType>",
    "      <RunLevel>LeastPrivilege</RunLevel>",
    "    </Principal>",
    "  </Principals>",
    "  <Settings>",
    "    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>",
    "    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>",
    "    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>",
    "    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>",
    "    <Hidden>true</Hidden>",
    "    <RestartOnFailure>",
    "      <Interval>PT1M</Interval>",
    "      <Count>3</Count>",
    "    </RestartOnFailure>",
    "  </Settings>",
    '  <Actions Context="Author">',
    "    <Exec>",
    `      <Command>${xmlEscape(d.program)}</Command>`,
    `      <Arguments>${xmlEscape(d.args.map(quoteWindowsArg).join(" "))}</Arguments>`,
    `      <WorkingDirectory>${xmlEscape(d.home)}</WorkingDirectory>`,
    "    </Exec>",
    "  </Actions>",
    "</Task>",
    "",
  ].join("\r\n");
  return {
    platform: "win32",
    files: [{ path: file, contents, encoding: "utf16le" }],
    register: [
      { program: "schtasks", args: ["/Create", "/TN", d.name, "/XML", file, "/F"] },
      { program: "schtasks", args: ["/Run", "/TN", d.name] },
    ],
    unregister: [
      { program: "schtasks", args: ["/End", "/TN", d.name] },
      { program: "schtasks", args: ["/Delete", "/TN", d.name, "/F"] },
    ],
    startHint: `schtasks /Run /TN ${quoteWindowsArg(d.name)}`,
  };
}

function systemdUnit(d: ServiceDescription): ServicePlan {
  const config = d.xdgConfigHome ?? path.posix.join(d.home, ".config");
  const unit = `${d.id.replace(/^[a-z]+\./, "").replace(/\./g, "-")}.service`;
  const file = path.posix.join(config, "systemd", "user", unit);
  const contents = [
    "[Unit]",
    `Description=${d.name}: local AI music beds for Premiere Pro`,
    "After=network.target",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${[d.program, ...d.args].map(quoteSystemdArg).join(" ")}`,
    ...Object.entries(d.env).map(([k, v]) => `Environment=${quoteSystemdArg(`${k}=${v}`)}`),
    `WorkingDirectory=${quoteSystemdArg(d.home).slice(1, -1)}`,
    "Restart=on-failure",
    "RestartSec=5",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n");
  return {
    platform: "linux",
    files: [{ path: file, contents, encoding: "utf8" }],
    register: [
      { program: "systemctl", args: ["--user", "daemon-reload"] },
      { program: "systemctl", args: ["--user", "enable", "--now", unit] },
    ],
    unregister: [{ program: "systemctl", args: ["--user", "disable", "--now", unit] }],
    startHint: `systemctl --user daemon-reload && systemctl --user enable --now ${unit}   (or run: ${[d.program, ...d.args].map(quoteShellArg).join(" ")})`,
  };
}

export function serviceFiles(desc: ServiceDescription, platform: DesktopPlatform): ServicePlan {
  if (platform === "darwin") return launchAgent(desc);
  if (platform === "win32") return scheduledTask(desc);
  return systemdUnit(desc);
}
