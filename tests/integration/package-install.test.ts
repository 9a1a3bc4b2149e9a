// The package as people install it: `npm pack`, then `npm install -g` of the tarball into a fresh prefix, run
// from a folder that is not the checkout. The tarball's dependencies come from npm's cache (filled by `npm ci`),
// else the registry. The build itself is `npm test`'s first step, so the pack skips its `prepack` rebuild.
import { spawnSync, SpawnSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-pkg-"));
const prefix = path.join(tmp, "prefix");
const home = path.join(tmp, "home");
const binary = process.platform === "win32" ? path.join(prefix, "cuesmith.cmd") : path.join(prefix, "bin", "cuesmith");
const env: NodeJS.ProcessEnv = {
  ...process.env,
  HOME: home,
  USERPROFILE: home,
  CUESMITH_HOME: path.join(home, ".cuesmith"),
  ONNXRUNTIME_NODE_INSTALL: "skip",
};
delete env.npm_config_prefix;

function npm(args: string[], options: SpawnSyncOptions) {
  // under `npm test`, the npm that runs us; otherwise the one on PATH
  const cli = process.env.npm_execpath;
  const [cmd, argv] = cli && /\.c?js$/.test(cli) ? [process.execPath, [cli, ...args]] : ["npm", args];
  const r = spawnSync(cmd, argv, { encoding: "utf8", timeout: 300_000, ...options });
  if (r.status !== 0) throw new Error(`npm ${args.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return String(r.stdout);
}

function cuesmith(args: string[]) {
  const r = spawnSync(binary, args, {
    cwd: tmp,
    env,
    encoding: "utf8",
    timeout: 120_000,
    shell: process.platform === "win32",
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let packed: { filename: string; files: { path: string }[] };

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, "dist", "helper", "cli", "main.js")))
    throw new Error("run `npm run build` first (npm test does)");
  fs.mkdirSync(home, { recursive: true });
  spawnSync(process.execPath, [path.join(ROOT, "scripts", "package-plugin.js")], { cwd: ROOT, encoding: "utf8" });
  packed = JSON.parse(
    npm(["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], { cwd: ROOT, env: process.env }),
  )[0];
  npm(
    [
      "install",
      "-g",
      "--prefix",
      prefix,
      path.join(tmp, packed.filename),
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
    ],
    { cwd: tmp, env },
  );
}, 400_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the installable package", () => {
  it("holds the built helper and panel, and no sources, tests or source maps", () => {
    const files = packed.files.map((f) => f.path);
    for (const f of [
      "bin/cuesmith.js",
      "dist/helper/cli/main.js",
      "dist/models/manifest.json",
      "dist/shared/presets.js",
      "plugin/dist/manifest.json",
      "plugin/dist/cuesmith.ccx",
      "package.json",
    ]) {
      expect(files).toContain(f);
    }
    expect(
      files.filter(
        (f) => /^(tests|helper|models|shared|bench|dist\/bench)\//.test(f) || f.endsWith(".map") || f.endsWith(".ts"),
      ),
    ).toEqual([]);
  });

  it("installs into a fresh prefix whose `cuesmith --version` is the package's", () => {
    expect(fs.realpathSync(binary).startsWith(fs.realpathSync(prefix))).toBe(true);
    const r = cuesmith(["--version"]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(PKG.version);
  });

  it("runs `doctor` from the installed copy: one verdict per line, the bundled or system ffmpeg named", () => {
    const r = cuesmith(["doctor", "--port", "9"]);
    expect([0, 1]).toContain(r.code); // 1: no model in the fresh home, which doctor reports as a fix
    const lines = r.out.trim().split("\n");
    for (const line of lines) expect(line).toMatch(/^(ok|warning|fix) +\S+ {2}/);
    expect(r.out).toMatch(/^ok +node +v\d+/m);
    expect(r.out).toMatch(/^ok +ffmpeg +(system|bundled build): /m);
    expect(r.out).toMatch(/^fix +model +musicgen-small is not installed/m);
    expect(r.out).toMatch(/^ok +providers +.*cpu/m);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("answers `generate --help` from the installed copy", () => {
    const r = cuesmith(["generate", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: cuesmith generate /);
  });
});
