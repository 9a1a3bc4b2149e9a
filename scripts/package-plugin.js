#!/usr/bin/env node
/**
 * Packages the built panel (plugin/dist) as plugin/dist/cuesmith.ccx: a zip whose root holds manifest.json,
 * index.html and index.js, which Premiere Pro installs by double-click (Creative Cloud Desktop).
 *
 *   npm run package            # builds the panel, then runs this
 *   node scripts/package-plugin.js [--dist DIR] [--out FILE]
 */
const fs = require("fs");
const path = require("path");
const { zipSync } = require("fflate");

const DEFAULT_DIST = path.resolve(__dirname, "..", "plugin", "dist");
const CCX_NAME = "cuesmith.ccx";
// Fixed timestamps: the same dist gives the same bytes.
const MTIME = new Date("2020-01-01T00:00:00Z");

function listFiles(dir, base = dir) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(full, base));
    else if (entry.isFile()) files.push(path.relative(base, full).split(path.sep).join("/"));
  }
  return files.sort();
}

/** Refuses a dist that Premiere would not load. */
function checkManifest(distDir) {
  const manifestPath = path.join(distDir, "manifest.json");
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`${manifestPath} is missing: build the panel first (npm run build:plugin).`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
  const problems = [];
  if (manifest.manifestVersion !== 5) problems.push("manifestVersion must be 5");
  if (!manifest.id) problems.push("id is missing");
  if (!/^\d+\.\d+\.\d+$/.test(String(manifest.version))) problems.push(`version ${manifest.version} is not x.y.z`);
  if (!manifest.host || Array.isArray(manifest.host) || manifest.host.app !== "premierepro")
    problems.push('host must be { "app": "premierepro", … }');
  if (!Array.isArray(manifest.entrypoints) || manifest.entrypoints.length === 0) problems.push("no entrypoints");
  const main = manifest.main || "index.html";
  if (!fs.existsSync(path.join(distDir, main))) problems.push(`main file ${main} is not in ${distDir}`);
  if (!fs.existsSync(path.join(distDir, "index.js"))) problems.push(`index.js is not in ${distDir}`);
  if (problems.length > 0) throw new Error(`Cannot package ${distDir}: ${problems.join("; ")}.`);
  return manifest;
}

/**
 * Zips `distDir` (without .ccx files and source maps) into `outFile`; returns { outFile, files, bytes, manifest }.
 */
function packagePlugin({ distDir = DEFAULT_DIST, outFile = path.join(distDir, CCX_NAME) } = {}) {
  const manifest = checkManifest(distDir);
  const files = listFiles(distDir).filter((f) => !f.endsWith(".ccx") && !f.endsWith(".map") && !f.endsWith(".tmp"));
  const entries = {};
  for (const file of files) {
    const data = new Uint8Array(fs.readFileSync(path.join(distDir, file)));
    entries[file] = [data, { level: 9, mtime: MTIME }];
  }
  const zip = zipSync(entries, { mtime: MTIME });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const tmp = `${outFile}.tmp`;
  fs.writeFileSync(tmp, zip);
  fs.renameSync(tmp, outFile);
  return { outFile, files, bytes: zip.byteLength, manifest };
}

module.exports = { packagePlugin, checkManifest, CCX_NAME };

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  try {
    const distDir = option("--dist") ? path.resolve(option("--dist")) : DEFAULT_DIST;
    const outFile = option("--out") ? path.resolve(option("--out")) : path.join(distDir, CCX_NAME);
    const { files, bytes, manifest } = packagePlugin({ distDir, outFile });
    console.log(
      `${path.relative(process.cwd(), outFile) || outFile}: ${manifest.name} ${manifest.version} (${manifest.id}), ${bytes} bytes`,
    );
    for (const file of files) console.log(`  ${file}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
