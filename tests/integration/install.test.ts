// `cuesmith install` / `uninstall` as a user runs them (the built CLI), with a temporary home: the Linux unit is
// written, nothing is registered where no service manager answers, and uninstall takes back exactly what install
// wrote. `--dry-run --platform` prints the macOS and Windows plans on this machine.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "cuesmith.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-install-"));
const home = path.join(tmp, "Zoë Ångström");

function cuesmith(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, CUESMITH_SERVICE_MANAGER: "none" };
  delete env.CUESMITH_HOME;
  delete env.XDG_CONFIG_HOME;
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every file and folder under a root, with file contents, to compare before and after. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        out[path.relative(root, full) + "/"] = "";
        walk(full);
      } else out[path.relative(root, full)] = fs.readFileSync(full, "base64");
    }
  };
  walk(root);
  return out;
}

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, "dist", "helper", "cli", "main.js")))
    throw new Error("run `npm run build` first (npm test does)");
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("cuesmith install --dry-run --platform", () => {
  it("darwin: the LaunchAgent plist, the UPIA command, nothing written", () => {
    const r = cuesmith(["install", "--dry-run", "--platform", "darwin", "--home", "/Users/Zoë Ångström"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^cuesmith install --dry-run for darwin \(nothing is written\):$/m);
    expect(r.out).toContain(
      "[1/3] model: would fetch musicgen-small into /Users/Zoë Ångström/.cuesmith/models/musicgen-small",
    );
    expect(r.out).toContain(
      "[2/3] panel: would run `'/Library/Application Support/Adobe/Adobe Desktop Common/RemoteComponents/UPI/UnifiedPluginInstallerAgent/UnifiedPluginInstallerAgent.app/Contents/MacOS/UnifiedPluginInstallerAgent' --install /usr/local/lib/node_modules/cuesmith/plugin/dist/cuesmith.ccx`",
    );
    expect(r.out).toContain(
      "[3/3] start at login: would write the LaunchAgent /Users/Zoë Ångström/Library/LaunchAgents/com.cuesmith.helper.plist:",
    );
    expect(r.out).toContain("      |     <string>/usr/local/lib/node_modules/cuesmith/bin/cuesmith.js</string>");
    expect(r.out).toContain(
      "      then: launchctl bootstrap 'gui/$(id -u)' '/Users/Zoë Ångström/Library/LaunchAgents/com.cuesmith.helper.plist'",
    );
    expect(fs.existsSync(home)).toBe(false);
  });

  it("win32: the Scheduled Task XML (UTF-16) for the user named by the home folder, schtasks commands", () => {
    const r = cuesmith(["install", "--dry-run", "--platform", "win32", "--home", "C:\\Users\\Zoë Ångström"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "[3/3] start at login: would write the Scheduled Task C:\\Users\\Zoë Ångström\\AppData\\Local\\Cuesmith\\com.cuesmith.helper.task.xml (UTF-16):",
    );
    expect(r.out).toContain("      |       <UserId>Zoë Ångström</UserId>");
    expect(r.out).toContain("      |       <Command>C:\\Program Files\\nodejs\\node.exe</Command>");
    expect(r.out).toContain(
      "      |       <Arguments>&quot;C:\\Users\\Zoë Ångström\\AppData\\Roaming\\npm\\node_modules\\cuesmith\\bin\\cuesmith.js&quot; serve</Arguments>",
    );
    expect(r.out).toContain(
      '      then: schtasks /Create /TN "Cuesmith Helper" /XML "C:\\Users\\Zoë Ångström\\AppData\\Local\\Cuesmith\\com.cuesmith.helper.task.xml" /F; schtasks /Run /TN "Cuesmith Helper"',
    );
    expect(r.out).toMatch(/UnifiedPluginInstallerAgent\.exe" --install/);
  });

  it("linux: the systemd user unit with this checkout's node and CLI", () => {
    const r = cuesmith(["install", "--dry-run", "--platform", "linux"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`would write the systemd user unit ${home}/.config/systemd/user/cuesmith-helper.service:`);
    expect(r.out).toContain(`      | ExecStart="${process.execPath}" "${BIN}" "serve"`);
    expect(r.out).toContain(
      "      then: systemctl --user daemon-reload; systemctl --user enable --now cuesmith-helper.service",
    );
    expect(fs.existsSync(home)).toBe(false);
  });

  it("refuses another platform without --dry-run, in one line", () => {
    const r = cuesmith(["install", "--platform", "darwin"]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/only works with --dry-run/);
  });
});

describe("cuesmith install / uninstall with a temporary home", () => {
  it("writes the Linux unit and a record, says how to start; uninstall removes exactly that and keeps the user's files", () => {
    const csHome = path.join(home, ".cuesmith");
    fs.mkdirSync(path.join(csHome, "renders"), { recursive: true });
    fs.writeFileSync(path.join(csHome, "feedback.jsonl"), '{"reason":"too_loud"}\n');
    fs.writeFileSync(path.join(csHome, "presets.json"), "{}\n");
    fs.writeFileSync(path.join(csHome, "renders", "take.wav"), "RIFF");
    const tiny = path.join(tmp, "tiny model");
    fs.mkdirSync(tiny);
    fs.writeFileSync(path.join(tiny, "config.json"), JSON.stringify({ cuesmith_contract_model: true }));
    const before = snapshot(tmp);

    const r = cuesmith(["install", "--model-dir", tiny]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`[1/3] model: musicgen-small already in ${tiny}`);
    expect(r.out).toMatch(/\[2\/3\] panel: Premiere Pro runs on macOS and Windows/);
    const unit = path.join(home, ".config", "systemd", "user", "cuesmith-helper.service");
    expect(r.out).toContain(`[3/3] start at login: wrote the systemd user unit ${unit}`);
    expect(r.out).toMatch(
      /no service manager answers here; start the helper with: systemctl --user daemon-reload && systemctl --user enable --now cuesmith-helper\.service/,
    );
    expect(fs.readFileSync(unit, "utf8")).toContain(
      `ExecStart="${process.execPath}" "${BIN}" "serve" "--model-dir" "${tiny}"`,
    );
    const record = JSON.parse(fs.readFileSync(path.join(csHome, "install-record.json"), "utf8"));
    expect(record).toMatchObject({
      platform: "linux",
      service: { registered: false },
      model: { dir: tiny, fetched: false },
    });
    expect(record.files.map((f: { path: string }) => f.path)).toEqual([unit]);
    expect(
      Object.keys(snapshot(tmp))
        .filter((k) => !(k in before))
        .sort(),
    ).toEqual(
      [
        ".config/",
        ".config/systemd/",
        ".config/systemd/user/",
        ".config/systemd/user/cuesmith-helper.service",
        ".cuesmith/install-record.json",
      ]
        .map((k) => `Zoë Ångström/${k}`)
        .sort(),
    );

    const u = cuesmith(["uninstall"]);
    expect(u.code).toBe(0);
    expect(u.out).toContain(`removed ${unit}`);
    expect(u.out).toContain("your feedback, presets and WAVs are untouched");
    expect(snapshot(tmp)).toEqual(before);
    expect(cuesmith(["uninstall"]).out).toMatch(/nothing to uninstall/);
  });
});
