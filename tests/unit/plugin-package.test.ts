import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { unzipSync, strFromU8 } from "fflate";

import { MANIFEST_NETWORK_DOMAINS } from "../../plugin/core/network-permission";

// `npm test` runs `npm run build` (helper + panel) first: plugin/dist must exist.
const ROOT = resolve(__dirname, "..", "..");
const DIST = join(ROOT, "plugin", "dist");

// scripts/ holds plain CommonJS that node runs as it is (no TypeScript to import from)
// eslint-disable-next-line @typescript-eslint/no-require-imports
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
  entrypoints: { type: string; id: string; label: { default: string }; icons?: ManifestIcon[] }[];
  icons?: ManifestIcon[];
  requiredPermissions: {
    network: { domains: string[] | "all" };
    localFileSystem: string;
    launchProcess?: { schemes: string[]; extensions: string[] };
  };
}

interface ManifestIcon {
  width: number;
  height: number;
  path: string;
  scale: number[];
  theme: string[];
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(Array.from(bytes.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
  return { width: view.getUint32(16), height: view.getUint32(20) };
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
    // importFiles takes paths and Premiere reads them; the check's WAV goes to UXP's own temporary folder.
    expect(manifest.requiredPermissions.localFileSystem).toBe("request");
    // Reveal opens a take's folder (shell.openPath on a path without an extension), nothing else.
    expect(manifest.requiredPermissions.launchProcess).toEqual({ schemes: [], extensions: [""] });
    // Exactly what Settings checks addresses against.
    expect(manifest.requiredPermissions.network.domains).toEqual([...MANIFEST_NETWORK_DOMAINS]);
    expect(zip[manifest.main]).toBeDefined();
  });

  it("ships the icons Adobe's sample declares: the panel's for dark and light themes, the plugin's, each at 1x and 2x", () => {
    const outFile = join(out, "icons.ccx");
    packagePlugin({ distDir: DIST, outFile });
    const zip = unzipSync(new Uint8Array(readFileSync(outFile)));
    const manifest = JSON.parse(strFromU8(zip["manifest.json"])) as Manifest;
    const panelIcons = manifest.entrypoints[0].icons ?? [];
    expect(panelIcons.flatMap((i) => i.theme)).toEqual(
      expect.arrayContaining(["darkest", "dark", "medium", "lightest", "light"]),
    );
    const all = [
      ...panelIcons.map((i) => ({ ...i, expect: 23 })),
      ...(manifest.icons ?? []).map((i) => ({ ...i, expect: 48 })),
    ];
    expect(all.length).toBe(3);
    for (const icon of all) {
      expect([icon.width, icon.height]).toEqual([icon.expect, icon.expect]);
      for (const scale of icon.scale) {
        const file = scale === 1 ? icon.path : icon.path.replace(/\.png$/, `@${scale}x.png`);
        expect(zip[file]).toBeDefined();
        expect(pngSize(zip[file])).toEqual({ width: icon.width * scale, height: icon.height * scale });
      }
    }
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
