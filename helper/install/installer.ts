// `cuesmith install` / `cuesmith uninstall`: the model (fetched when missing), the panel (Adobe's Unified Plugin
// Installer Agent where present, else how to double-click the .ccx), and the helper started at login. Everything
// install writes is listed in an install record, and uninstall removes exactly that — never the user's feedback,
// presets or WAVs, which live beside it in the same folder. Side effects go through InstallContext, so the steps
// are tested with a temporary home and no real service manager.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../util/atomic-file";
import { DesktopPlatform, upiaPath } from "./adobe-paths";
import {
  quoteShellArg,
  quoteWindowsArg,
  ServiceCommand,
  ServiceDescription,
  serviceFiles,
  ServicePlan,
} from "./service-files";

export const RECORD_FILE = "install-record.json";
/** What `models fetch` leaves in a folder it filled. */
const MODEL_LOCK_FILE = ".cuesmith-lock.json";

export interface CommandResult {
  ok: boolean;
  output: string;
}

export interface InstallContext {
  platform: DesktopPlatform;
  /** Cuesmith's own folder (~/.cuesmith): the install record goes here. */
  cuesmithHome: string;
  modelName: string;
  modelDir: string;
  service: ServiceDescription;
  /** The packaged panel, or null when this copy has none (a checkout before `npm run package`). */
  ccx: string | null;
  /** The panel's name as Creative Cloud lists it (for UPIA --remove). */
  panelName: string;
  dryRun: boolean;
  log(line: string): void;
  run(cmd: ServiceCommand): CommandResult;
  exists(file: string): boolean;
  /** True when a usable model is already in the folder. */
  hasModel(dir: string): Promise<boolean>;
  /** Fetches the model into the folder with progress; false when it could not (the reason already printed). */
  fetchModel(): Promise<boolean>;
  /** Whether the platform's service manager answers (no `systemctl --user` in CI containers). */
  serviceManagerAvailable(): boolean;
  env?: NodeJS.ProcessEnv;
}

export interface InstallRecord {
  version: 1;
  platform: DesktopPlatform;
  installedAt: string;
  files: { path: string; sha256: string }[];
  /** Folders install created (removed again when empty). */
  dirs: string[];
  service: { registered: boolean; unregister: ServiceCommand[] };
  panel: { via: "upia" | "manual" | "none"; upia?: string };
  model: { dir: string; fetched: boolean };
}

/** A command as the user would type it on that platform. */
function showCommand(platform: DesktopPlatform, cmd: ServiceCommand): string {
  const quote = platform === "win32" ? quoteWindowsArg : quoteShellArg;
  return [cmd.program, ...cmd.args].map(quote).join(" ");
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

function encode(contents: string, encoding: "utf8" | "utf16le"): Buffer {
  return encoding === "utf16le"
    ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(contents, "utf16le")])
    : Buffer.from(contents, "utf8");
}

/** Creates the folder and its missing parents, returning the ones it created (outermost first). */
function mkdirsRecorded(dir: string): string[] {
  const created: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) created.unshift(d);
  fs.mkdirSync(dir, { recursive: true });
  return created;
}

export function readRecord(cuesmithHome: string): InstallRecord | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(cuesmithHome, RECORD_FILE), "utf8")) as InstallRecord;
  } catch {
    return null;
  }
}

async function modelStep(ctx: InstallContext, step: string): Promise<{ ok: boolean; fetched: boolean }> {
  if (await ctx.hasModel(ctx.modelDir)) {
    ctx.log(`${step} model: ${ctx.modelName} already in ${ctx.modelDir}`);
    return { ok: true, fetched: false };
  }
  if (ctx.dryRun) {
    ctx.log(`${step} model: would fetch ${ctx.modelName} into ${ctx.modelDir} (about 1 GB, once)`);
    return { ok: true, fetched: false };
  }
  ctx.log(`${step} model: fetching ${ctx.modelName} into ${ctx.modelDir}…`);
  const ok = await ctx.fetchModel();
  if (!ok)
    ctx.log("      the helper starts without it and picks the model up as soon as `cuesmith models fetch` has run");
  return { ok, fetched: ok };
}

function panelStep(ctx: InstallContext, step: string): InstallRecord["panel"] {
  if (ctx.platform === "linux") {
    ctx.log(
      `${step} panel: Premiere Pro runs on macOS and Windows; the panel is ${ctx.ccx ?? "built by `npm run package`"}`,
    );
    return { via: "none" };
  }
  const upia = upiaPath(ctx.platform, ctx.env);
  if (ctx.dryRun) {
    ctx.log(
      `${step} panel: would run \`${showCommand(ctx.platform, { program: upia ?? "UnifiedPluginInstallerAgent", args: ["--install", ctx.ccx ?? "cuesmith.ccx"] })}\` where Creative Cloud installed that agent, else ask you to double-click the .ccx`,
    );
    return { via: "none" };
  }
  if (!ctx.ccx || !ctx.exists(ctx.ccx)) {
    ctx.log(`${step} panel: no cuesmith.ccx in this copy (run \`npm run package\` in the checkout); skipped`);
    return { via: "none" };
  }
  if (upia && ctx.exists(upia)) {
    const r = ctx.run({ program: upia, args: ["--install", ctx.ccx] });
    if (r.ok) {
      ctx.log(
        `${step} panel: installed with Adobe's Unified Plugin Installer Agent; restart Premiere Pro, then Window → UXP Plugins → Cuesmith`,
      );
      return { via: "upia", upia };
    }
    ctx.log(
      `${step} panel: the Unified Plugin Installer Agent refused (${r.output.trim().split("\n").pop() ?? "no output"})`,
    );
  }
  ctx.log(`${step} panel: double-click ${ctx.ccx} — Creative Cloud Desktop installs it — then restart Premiere Pro`);
  return { via: "manual" };
}

function serviceStep(ctx: InstallContext, step: string, plan: ServicePlan, record: InstallRecord): void {
  const kind = { darwin: "LaunchAgent", win32: "Scheduled Task", linux: "systemd user unit" }[ctx.platform];
  for (const file of plan.files) {
    if (ctx.dryRun) {
      ctx.log(
        `${step} start at login: would write the ${kind} ${file.path}${file.encoding === "utf16le" ? " (UTF-16)" : ""}:`,
      );
      for (const line of file.contents.replace(/\r\n/g, "\n").trimEnd().split("\n")) ctx.log(`      | ${line}`);
      continue;
    }
    record.dirs.push(...mkdirsRecorded(path.dirname(file.path)));
    const data = encode(file.contents, file.encoding);
    fs.writeFileSync(file.path, data);
    record.files.push({ path: file.path, sha256: sha256(data) });
    ctx.log(`${step} start at login: wrote the ${kind} ${file.path}`);
  }
  const commands = plan.register.map((c) => showCommand(ctx.platform, c));
  if (ctx.dryRun) {
    ctx.log(`      then: ${commands.join("; ")}`);
    return;
  }
  if (!ctx.serviceManagerAvailable()) {
    ctx.log(`      no service manager answers here; start the helper with: ${plan.startHint}`);
    return;
  }
  for (const cmd of plan.register) {
    const r = ctx.run(cmd);
    if (!r.ok) {
      ctx.log(
        `      \`${showCommand(ctx.platform, cmd)}\` failed (${r.output.trim().split("\n").pop() ?? ""}); start the helper with: ${plan.startHint}`,
      );
      return;
    }
  }
  record.service.registered = true;
  ctx.log("      registered and started: the helper now runs at every login");
}

/** Runs the three steps; 0 when all went through, 1 when one needs the user (each said why). */
export async function install(ctx: InstallContext): Promise<number> {
  const plan = serviceFiles(ctx.service, ctx.platform);
  const record: InstallRecord = {
    version: 1,
    platform: ctx.platform,
    installedAt: new Date().toISOString(),
    files: [],
    dirs: [],
    service: { registered: false, unregister: plan.unregister },
    panel: { via: "none" },
    model: { dir: ctx.modelDir, fetched: false },
  };
  const previous = readRecord(ctx.cuesmithHome);
  if (previous && !ctx.dryRun) {
    // a second install keeps the first one's list, so uninstall still removes everything
    record.files.push(...previous.files.filter((f) => !plan.files.some((p) => p.path === f.path)));
    record.dirs.push(...previous.dirs);
    record.model.fetched = previous.model.dir === ctx.modelDir && previous.model.fetched;
  }
  if (ctx.dryRun) ctx.log(`cuesmith install --dry-run for ${ctx.platform} (nothing is written):`);
  const model = await modelStep(ctx, "[1/3]");
  record.model.fetched ||= model.fetched;
  record.panel = panelStep(ctx, "[2/3]");
  serviceStep(ctx, "[3/3]", plan, record);
  if (!ctx.dryRun) {
    record.dirs = [...new Set(record.dirs)];
    if (!fs.existsSync(ctx.cuesmithHome)) record.dirs.push(...mkdirsRecorded(ctx.cuesmithHome));
    await writeFileAtomic(path.join(ctx.cuesmithHome, RECORD_FILE), JSON.stringify(record, null, 2) + "\n");
    ctx.log(
      `done; \`cuesmith doctor\` checks the result, \`cuesmith uninstall\` removes it (the record: ${path.join(ctx.cuesmithHome, RECORD_FILE)})`,
    );
  }
  return model.ok ? 0 : 1;
}

export interface UninstallOptions {
  cuesmithHome: string;
  /** Keep a model that install fetched (by default it goes too). */
  keepModel: boolean;
  panelName: string;
  log(line: string): void;
  run(cmd: ServiceCommand): CommandResult;
  serviceManagerAvailable(): boolean;
}

export function uninstall(opts: UninstallOptions): number {
  const record = readRecord(opts.cuesmithHome);
  if (!record) {
    opts.log(`nothing to uninstall: no install record in ${opts.cuesmithHome}`);
    return 0;
  }
  if (record.service.registered && opts.serviceManagerAvailable()) {
    for (const cmd of record.service.unregister) opts.run(cmd);
    opts.log("stopped the helper and removed it from the login items");
  }
  for (const file of record.files) {
    let data: Buffer;
    try {
      data = fs.readFileSync(file.path);
    } catch {
      continue;
    }
    if (sha256(data) !== file.sha256) {
      opts.log(`kept ${file.path}: it changed since install wrote it`);
      continue;
    }
    fs.rmSync(file.path, { force: true });
    opts.log(`removed ${file.path}`);
  }
  if (record.panel.via === "upia" && record.panel.upia) {
    const r = opts.run({ program: record.panel.upia, args: ["--remove", opts.panelName] });
    opts.log(
      r.ok
        ? "removed the panel from Premiere Pro"
        : `the panel stays installed; remove it in Creative Cloud Desktop (Plugins → Manage)`,
    );
  }
  // only a folder the fetch step filled (it leaves its lock file) is ever removed, whatever the record says
  if (record.model.fetched && !opts.keepModel && fs.existsSync(path.join(record.model.dir, MODEL_LOCK_FILE))) {
    fs.rmSync(record.model.dir, { recursive: true, force: true });
    opts.log(`removed the model install fetched: ${record.model.dir} (--keep-model keeps it)`);
  }
  fs.rmSync(path.join(opts.cuesmithHome, RECORD_FILE), { force: true });
  for (const dir of [...record.dirs].sort((a, b) => b.length - a.length)) {
    try {
      fs.rmdirSync(dir); // only when empty: feedback, presets and WAVs keep their folder
    } catch {
      // not empty or already gone
    }
  }
  opts.log("uninstalled; your feedback, presets and WAVs are untouched");
  return 0;
}
