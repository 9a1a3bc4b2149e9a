import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { unzipSync, strFromU8 } from "fflate";

// `npm test` runs `npm run build` (helper + panel) first: plugin/dist must exist.
const ROOT = resolve(__dirname, "..", "..");
const DIST = join(ROOT, "plugin", "dist");

const { packagePlugin } = require(join(ROOT, "scripts", "package-plugin.js")) as {
  packagePlugin(options: { distDir?: string; outFile?: string }): {
    outFile: string;
    files: string[];
    bytes: number;
    manifest: Record<string, unknown>;
  };
};

interface Manifest {
  manifestVersion: number;
  id: string;
  name: string;
  version: string;
  main: string;
  host: { app: string; minVersion: string };
  entrypoints: { type: string; id: string; label: { default: string } }[];
  requiredPermissions: { network: { domains: string[] | "all" }; localFileSystem: string };
}

describe("plugin package (.ccx)", () => {
  let out: string;

  beforeAll(() => {
    if (!existsSync(join(DIST, "manifest.json")) || !existsSync(join(DIST, "index.js"))) {
      throw new Error(`${DIST} has no built panel: run \`npm run build\` (npm test does) before jest.`);
    }
    out = mkdtempSync(join(tmpdir(), "cuesmith-ccx-"));
  });

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("zips the built panel with manifest.json at the root", () => {
    const outFile = join(out, "cuesmith.ccx");
    const result = packagePlugin({ distDir: DIST, outFile });
    expect(result.outFile).toBe(outFile);
    const zip = unzipSync(new Uint8Array(readFileSync(outFile)));
    const names = Object.keys(zip);
    expect(names).toEqual(expect.arrayContaining(["manifest.json", "index.js", "index.html"]));
    expect(names.some((n) => n.endsWith(".ccx") || n.endsWith(".map"))).toBe(false);
    expect(zip["index.js"].byteLength).toBeGreaterThan(1000);
    expect(strFromU8(zip["index.html"])).toMatch(/<div id="root"><\/div>[\s\S]*<script src="index\.js"><\/script>/);
  });

  it("carries a manifest Premiere loads: host, one panel, the helper's permissions", () => {
    const outFile = join(out, "check.ccx");
    packagePlugin({ distDir: DIST, outFile });
    const zip = unzipSync(new Uint8Array(readFileSync(outFile)));
    const manifest = JSON.parse(strFromU8(zip["manifest.json"])) as Manifest;
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };

    expect(manifest).toMatchObject({
      manifestVersion: 5,
      id: "com.cuesmith.panel",
      name: "Cuesmith",
      version: pkg.version,
      main: "index.html",
    });
    expect(manifest.host).toEqual({ app: "premierepro", minVersion: "25.6.0" });
    expect(manifest.entrypoints).toHaveLength(1);
    expect(manifest.entrypoints[0]).toMatchObject({
      type: "panel",
      id: "cuesmith.panel",
      label: { default: "Cuesmith" },
    });
    expect(manifest.requiredPermissions.localFileSystem).toBe("fullAccess");
    expect(manifest.requiredPermissions.network.domains).toEqual(
      expect.arrayContaining([
        "ws://localhost:8001",
        "ws://127.0.0.1:8001",
        "http://localhost:8001",
        "http://127.0.0.1:8001",
      ]),
    );
    expect(zip[manifest.main]).toBeDefined();
  });

  it("refuses a folder that is not a built panel", () => {
    const empty = mkdtempSync(join(tmpdir(), "cuesmith-empty-"));
    try {
      expect(() => packagePlugin({ distDir: empty, outFile: join(empty, "x.ccx") })).toThrow(
        /manifest\.json is missing.*npm run build:plugin/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
