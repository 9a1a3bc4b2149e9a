// install/uninstall's steps with the machine injected: a fetch that works or fails, a service manager that answers,
// Adobe's plugin agent present — on a temporary home, with macOS's layout (POSIX paths, so real files here).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { install, InstallContext, readRecord, uninstall } from "../../helper/install/installer";
import type { ServiceCommand } from "../../helper/install/service-files";
import { upiaPath } from "../../helper/install/adobe-paths";

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-installer-"));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function context(over: Partial<InstallContext> = {}) {
  const home = path.join(tmp, "Zoë");
  const csHome = path.join(home, ".cuesmith");
  const modelDir = path.join(csHome, "models", "musicgen-small");
  const ccx = path.join(tmp, "pkg", "plugin", "dist", "cuesmith.ccx");
  fs.mkdirSync(path.dirname(ccx), { recursive: true });
  fs.writeFileSync(ccx, "PK");
  const lines: string[] = [];
  const ran: ServiceCommand[] = [];
  const ctx: InstallContext = {
    platform: "darwin",
    cuesmithHome: csHome,
    modelName: "musicgen-small",
    modelDir,
    service: {
      id: "com.cuesmith.helper",
      name: "Cuesmith Helper",
      program: "/usr/local/bin/node",
      args: ["/pkg/bin/cuesmith.js", "serve"],
      env: {},
      home,
      logFile: path.join(csHome, "helper.log"),
      uid: 501,
    },
    ccx,
    panelName: "Cuesmith",
    dryRun: false,
    log: (l) => lines.push(l),
    run: (cmd) => {
      ran.push(cmd);
      return { ok: true, output: "" };
    },
    exists: (f) => fs.existsSync(f) || f === upiaPath("darwin"),
    hasModel: async (dir) => fs.existsSync(path.join(dir, "config.json")),
    fetchModel: async () => {
      fs.mkdirSync(modelDir, { recursive: true });
      fs.writeFileSync(path.join(modelDir, "config.json"), "{}");
      fs.writeFileSync(path.join(modelDir, ".cuesmith-lock.json"), "{}");
      return true;
    },
    serviceManagerAvailable: () => true,
    ...over,
  };
  return { ctx, lines, ran, home, csHome, modelDir };
}

describe("install / uninstall", () => {
  it("fetches a missing model, installs the panel with the agent, registers the LaunchAgent; uninstall undoes all three", async () => {
    const { ctx, lines, ran, csHome, modelDir, home } = context();
    fs.mkdirSync(path.join(csHome, "renders"), { recursive: true });
    fs.writeFileSync(path.join(csHome, "feedback.jsonl"), "{}\n");
    fs.writeFileSync(path.join(csHome, "renders", "a.wav"), "RIFF");

    expect(await install(ctx)).toBe(0);
    expect(lines[0]).toMatch(/^\[1\/3\] model: fetching musicgen-small/);
    expect(lines.some((l) => /^\[2\/3\] panel: installed with Adobe's Unified Plugin Installer Agent/.test(l))).toBe(
      true,
    );
    const plist = path.join(home, "Library", "LaunchAgents", "com.cuesmith.helper.plist");
    expect(fs.existsSync(plist)).toBe(true);
    expect(ran).toEqual([
      { program: upiaPath("darwin"), args: ["--install", ctx.ccx] },
      { program: "launchctl", args: ["bootstrap", "gui/501", plist] },
    ]);
    expect(readRecord(csHome)).toMatchObject({
      model: { fetched: true },
      panel: { via: "upia" },
      service: { registered: true },
    });

    ran.length = 0;
    const out: string[] = [];
    expect(
      uninstall({
        cuesmithHome: csHome,
        keepModel: false,
        panelName: "Cuesmith",
        log: (l) => out.push(l),
        run: ctx.run,
        serviceManagerAvailable: () => true,
      }),
    ).toBe(0);
    expect(ran).toEqual([
      { program: "launchctl", args: ["bootout", "gui/501/com.cuesmith.helper"] },
      { program: upiaPath("darwin"), args: ["--remove", "Cuesmith"] },
    ]);
    expect(fs.existsSync(plist)).toBe(false);
    expect(fs.existsSync(path.join(home, "Library"))).toBe(false); // the folders install created, now empty
    expect(fs.existsSync(modelDir)).toBe(false);
    expect(fs.readFileSync(path.join(csHome, "feedback.jsonl"), "utf8")).toBe("{}\n");
    expect(fs.existsSync(path.join(csHome, "renders", "a.wav"))).toBe(true);
    expect(readRecord(csHome)).toBeNull();
  });

  it("a failed fetch still installs the rest, exits 1 and says the helper picks the model up later", async () => {
    const { ctx, lines, home } = context({ fetchModel: async () => false });
    expect(await install(ctx)).toBe(1);
    expect(lines.join("\n")).toMatch(/picks the model up as soon as/);
    expect(fs.existsSync(path.join(home, "Library", "LaunchAgents", "com.cuesmith.helper.plist"))).toBe(true);
  });

  it("without the agent, says which .ccx to double-click", async () => {
    const { ctx, lines } = context({ exists: (f) => fs.existsSync(f) });
    await install(ctx);
    expect(lines.find((l) => l.startsWith("[2/3]"))).toBe(
      `[2/3] panel: double-click ${ctx.ccx} — Creative Cloud Desktop installs it — then restart Premiere Pro`,
    );
  });

  it("keeps a changed service file, and never removes a model folder the fetch did not fill", async () => {
    const { ctx, csHome, home } = context();
    await install(ctx);
    const plist = path.join(home, "Library", "LaunchAgents", "com.cuesmith.helper.plist");
    fs.appendFileSync(plist, "<!-- edited -->");
    const record = readRecord(csHome)!;
    const elsewhere = path.join(tmp, "precious");
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, "keep.txt"), "x");
    fs.writeFileSync(
      path.join(csHome, "install-record.json"),
      JSON.stringify({ ...record, model: { dir: elsewhere, fetched: true } }),
    );
    const out: string[] = [];
    uninstall({
      cuesmithHome: csHome,
      keepModel: false,
      panelName: "Cuesmith",
      log: (l) => out.push(l),
      run: ctx.run,
      serviceManagerAvailable: () => false,
    });
    expect(fs.existsSync(plist)).toBe(true);
    expect(out).toContain(`kept ${plist}: it changed since install wrote it`);
    expect(fs.existsSync(path.join(elsewhere, "keep.txt"))).toBe(true);
  });

  it("--dry-run writes nothing and runs nothing", async () => {
    const { ctx, ran, home, csHome } = context({ dryRun: true });
    expect(await install(ctx)).toBe(0);
    expect(ran).toEqual([]);
    expect(fs.existsSync(home)).toBe(false);
    expect(readRecord(csHome)).toBeNull();
  });
});
