// `cuesmith install` and `cuesmith uninstall`: set the machine up in one go (model, panel, helper at login), and
// take back exactly what that wrote. `--dry-run --platform darwin|win32|linux` prints another OS's plan and files.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { verifyModel } from "../../models/fetch";
import { cuesmithHome, defaultModelDir } from "../config/paths";
import type { DesktopPlatform } from "../install/adobe-paths";
import { CommandResult, install, InstallContext, uninstall } from "../install/installer";
import { ccxPath, packageRoot } from "../install/package-files";
import { isContractModel } from "../install/probes";
import type { ServiceCommand, ServiceDescription } from "../install/service-files";
import { CliIO, parse, UsageError } from "./args";
import { runModelsCommand } from "./models-command";

export const INSTALL_USAGE =
  "cuesmith install [--model-dir DIR] [--dry-run [--platform darwin|win32|linux] [--home DIR]]";
export const UNINSTALL_USAGE = "cuesmith uninstall [--keep-model]";

const SERVICE_ID = "com.cuesmith.helper";
const SERVICE_NAME = "Cuesmith Helper";
const PANEL_NAME = "Cuesmith";
const PLATFORMS: DesktopPlatform[] = ["darwin", "win32", "linux"];

function runCommand(cmd: ServiceCommand): CommandResult {
  const r = spawnSync(cmd.program, cmd.args, { encoding: "utf8", timeout: 120_000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? r.error.message : ""}` };
}

/** Whether launchd / Task Scheduler / the systemd user manager answers; CUESMITH_SERVICE_MANAGER=none says no. */
function serviceManagerAvailable(platform: DesktopPlatform, env: NodeJS.ProcessEnv): boolean {
  if (env.CUESMITH_SERVICE_MANAGER === "none") return false;
  const probe: ServiceCommand =
    platform === "darwin"
      ? { program: "launchctl", args: ["print", `gui/${os.userInfo().uid}`] }
      : platform === "win32"
        ? { program: "schtasks", args: ["/Query", "/FO", "CSV", "/NH"] }
        : { program: "systemctl", args: ["--user", "show-environment"] };
  return runCommand(probe).ok;
}

/** Paths as a global npm install lays them out on that OS, for plans printed on another one. */
function foreignLayout(platform: DesktopPlatform, home: string | undefined, user: string) {
  if (platform === "win32") {
    const h = home ?? `C:\\Users\\${user}`;
    return {
      home: h,
      program: "C:\\Program Files\\nodejs\\node.exe",
      bin: path.win32.join(h, "AppData", "Roaming", "npm", "node_modules", "cuesmith", "bin", "cuesmith.js"),
      join: path.win32.join,
    };
  }
  const h = home ?? (platform === "darwin" ? `/Users/${user}` : `/home/${user}`);
  return {
    home: h,
    program: "/usr/local/bin/node",
    bin: "/usr/local/lib/node_modules/cuesmith/bin/cuesmith.js",
    join: path.posix.join,
  };
}

export async function runInstallCommand(
  argv: string[],
  io: CliIO,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values } = parse(argv, {
    "model-dir": { type: "string" },
    "dry-run": { type: "boolean" },
    platform: { type: "string" },
    home: { type: "string" },
  });
  const here = process.platform === "win32" || process.platform === "darwin" ? process.platform : "linux";
  const platform = (values.platform ?? here) as DesktopPlatform;
  if (!PLATFORMS.includes(platform))
    throw new UsageError(`--platform must be darwin, win32 or linux, got "${values.platform}"`);
  if (platform !== here && !values["dry-run"])
    throw new UsageError(`--platform ${platform} only works with --dry-run (this machine is ${here})`);
  if (values.home !== undefined && !values["dry-run"]) throw new UsageError("--home only works with --dry-run");
  const dryRun = values["dry-run"] === true;
  const modelName = "musicgen-small";
  // a plan for another machine takes the user name from its home folder
  const user = values.home !== undefined ? path.win32.basename(values.home) : os.userInfo().username;

  let home: string, program: string, bin: string, csHome: string, defaultDir: string, modelDir: string;
  if (platform === here && values.home === undefined) {
    home = os.homedir();
    program = process.execPath;
    bin = path.join(packageRoot() ?? path.resolve(__dirname, "..", "..", ".."), "bin", "cuesmith.js");
    csHome = cuesmithHome(env);
    defaultDir = defaultModelDir(modelName, env);
    modelDir = values["model-dir"] !== undefined ? path.resolve(values["model-dir"]) : defaultDir;
  } else {
    const layout = foreignLayout(platform, values.home, user);
    ({ home, program, bin } = layout);
    csHome = layout.join(home, ".cuesmith");
    defaultDir = layout.join(csHome, "models", modelName);
    modelDir = values["model-dir"] ?? defaultDir;
  }

  const service: ServiceDescription = {
    id: SERVICE_ID,
    name: SERVICE_NAME,
    program,
    args: [bin, "serve", ...(modelDir !== defaultDir ? ["--model-dir", modelDir] : [])],
    env: platform === here && env.CUESMITH_HOME ? { CUESMITH_HOME: csHome } : {},
    home,
    logFile: (platform === "win32" ? path.win32 : path.posix).join(csHome, "helper.log"),
    user,
    ...(platform === here && platform === "win32" && env.LOCALAPPDATA ? { localAppData: env.LOCALAPPDATA } : {}),
    ...(platform === here && platform === "linux" && env.XDG_CONFIG_HOME ? { xdgConfigHome: env.XDG_CONFIG_HOME } : {}),
    ...(platform === "darwin" && here === "darwin" ? { uid: os.userInfo().uid } : {}),
  };

  const ctx: InstallContext = {
    platform,
    cuesmithHome: csHome,
    modelName,
    modelDir,
    service,
    ccx:
      platform === here
        ? ccxPath()
        : (platform === "win32" ? path.win32 : path.posix).join(
            path.dirname(path.dirname(bin)),
            "plugin",
            "dist",
            "cuesmith.ccx",
          ),
    panelName: PANEL_NAME,
    dryRun,
    env,
    log: (line) => io.out(line),
    run: runCommand,
    exists: (file) => platform === here && fs.existsSync(file),
    hasModel: async (dir) => {
      if (platform !== here || !fs.existsSync(dir)) return false;
      if (isContractModel(dir)) return true;
      return (await verifyModel(dir, { model: modelName })).ok;
    },
    fetchModel: async () => (await runModelsCommand(["fetch", modelName, "--dest", modelDir], io)) === 0,
    serviceManagerAvailable: () => serviceManagerAvailable(platform, env),
  };
  return install(ctx);
}

export async function runUninstallCommand(
  argv: string[],
  io: CliIO,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values } = parse(argv, { "keep-model": { type: "boolean" } });
  const here = process.platform === "win32" || process.platform === "darwin" ? process.platform : "linux";
  return uninstall({
    cuesmithHome: cuesmithHome(env),
    keepModel: values["keep-model"] === true,
    panelName: PANEL_NAME,
    log: (line) => io.out(line),
    run: runCommand,
    serviceManagerAvailable: () => serviceManagerAvailable(here, env),
  });
}
