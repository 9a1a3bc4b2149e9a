// Is an installed model folder intact? Sizes always, sha256 with `deep`. Reference values: the manifest's exact
// ones first, then the folder's .cuesmith-lock.json (written by a successful fetch), then the manifest's
// approximate sizes (a folder copied by hand has no lock). Every problem names the file and the fix.
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultModelDir, modelsRoot } from "../../helper/config/paths";
import type { DecoderVariant } from "../layout";
import { DECODER_VARIANTS, getModelEntry, loadManifest, Manifest, ModelEntry, modelNames } from "../manifest";
import { ModelFileError, refetchFix } from "./errors";
import { hashFile } from "./hash";
import { LOCK_FILE, ModelLock, readLock } from "./lock";

export type FileStatus = "ok" | "missing" | "wrong_size" | "wrong_hash";

export interface FileCheck {
  file: string;
  status: FileStatus;
  /** Expected size, and whether it is only approximate (manifest figure, no lock). */
  expectedSize?: number;
  sizeApprox?: boolean;
  actualSize?: number;
  expectedSha256?: string;
  actualSha256?: string;
  /** False when the hash was not compared (not deep, or no reference sha256 known). */
  hashChecked: boolean;
  /** Where the reference values came from. */
  basis: "manifest" | "lock" | "approximate" | "none";
  /** One line: what is wrong (absent when ok). */
  message?: string;
  /** What to do about it (absent when ok). */
  fix?: string;
}

export interface VerifyReport {
  dir: string;
  model: string;
  revision?: string;
  deep: boolean;
  /** The decoder variants whose files were checked. */
  checked: DecoderVariant[];
  /** Per variant: every file present and passing the checks that were made. */
  complete: Record<DecoderVariant, boolean>;
  files: FileCheck[];
  ok: boolean;
  /** Notes such as "no lock file: sizes are approximate". */
  notes: string[];
}

export interface VerifyOptions {
  deep?: boolean;
  /** Check only this variant; default: every variant whose decoder is present (or the default one if none). */
  variant?: DecoderVariant;
  /** Which manifest model the folder holds; default: the lock's, the folder's name, or the only/first model. */
  model?: string;
  manifest?: Manifest;
  /** Bytes hashed, for a progress display in deep mode. */
  onBytes?: (n: number) => void;
  env?: NodeJS.ProcessEnv;
}

/** Tolerance for sizes known only as rounded figures ("439 MB"): 2% plus 1 kB. */
export function approxSizeOk(actual: number, approx: number): boolean {
  return Math.abs(actual - approx) <= approx * 0.02 + 1024;
}

function resolveModel(dir: string, lock: ModelLock | undefined, manifest: Manifest, explicit?: string): ModelEntry {
  const candidates = [explicit, lock?.model, path.basename(dir), modelNames(manifest)[0]];
  for (const name of candidates) {
    if (!name) continue;
    const entry = getModelEntry(name, manifest);
    if (entry) return entry;
    if (name === explicit) {
      throw new ModelFileError(
        "unknown_model",
        `no model named "${name}" in the manifest (known: ${modelNames(manifest).join(", ")})`,
      );
    }
  }
  throw new ModelFileError("unknown_model", "the model manifest lists no models");
}

function fixFor(entry: ModelEntry, dir: string, env?: NodeJS.ProcessEnv): string {
  const isDefault = path.resolve(dir) === path.resolve(defaultModelDir(entry.name, env));
  return refetchFix(entry.name, isDefault ? undefined : dir);
}

async function checkFile(
  dir: string,
  file: string,
  entry: ModelEntry,
  lock: ModelLock | undefined,
  deep: boolean,
  fix: string,
  onBytes?: (n: number) => void,
): Promise<FileCheck> {
  const m = entry.files[file];
  const l = lock && (lock.repo === "" || lock.repo === entry.repo) ? lock.files[file] : undefined;
  let expectedSize: number | undefined;
  let sizeApprox = false;
  let basis: FileCheck["basis"] = "none";
  if (m && !m.sizeApprox) {
    expectedSize = m.size;
    basis = "manifest";
  } else if (l) {
    expectedSize = l.size;
    basis = "lock";
  } else if (m && !m.sizeEstimated) {
    expectedSize = m.size;
    sizeApprox = true;
    basis = "approximate";
  }
  const expectedSha256 = m?.sha256 ?? l?.sha256 ?? undefined;
  const check: FileCheck = {
    file,
    status: "ok",
    expectedSize,
    sizeApprox: sizeApprox || undefined,
    expectedSha256,
    hashChecked: false,
    basis,
  };
  const full = path.join(dir, ...file.split("/"));
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch {
    return { ...check, status: "missing", message: `${file} is missing in ${dir}`, fix };
  }
  if (!stat.isFile()) return { ...check, status: "missing", message: `${file} in ${dir} is not a file`, fix };
  check.actualSize = stat.size;
  if (expectedSize !== undefined) {
    const sizeBad = sizeApprox ? !approxSizeOk(stat.size, expectedSize) : stat.size !== expectedSize;
    if (sizeBad) {
      return {
        ...check,
        status: "wrong_size",
        message: `${file} in ${dir} is ${stat.size} bytes, expected ${sizeApprox ? "about " : ""}${expectedSize} (incomplete or damaged)`,
        fix,
      };
    }
  }
  if (deep && expectedSha256) {
    const d = await hashFile(full, { onBytes });
    check.actualSha256 = d.sha256;
    check.hashChecked = true;
    if (d.sha256 !== expectedSha256) {
      return {
        ...check,
        status: "wrong_hash",
        message: `${file} in ${dir} has sha256 ${d.sha256}, expected ${expectedSha256} (damaged)`,
        fix,
      };
    }
  }
  return check;
}

/** Checks a model folder. Never throws for a damaged folder: the report says what is wrong and how to fix it. */
export async function verifyModel(dir: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const manifest = opts.manifest ?? loadManifest();
  const abs = path.resolve(dir);
  const lock = readLock(abs);
  const entry = resolveModel(abs, lock, manifest, opts.model);
  const deep = opts.deep === true;
  const fix = fixFor(entry, abs, opts.env);

  let checked: DecoderVariant[];
  if (opts.variant) checked = [opts.variant];
  else {
    const decoderOf = (v: DecoderVariant) =>
      entry.variants[v].find((f) => !entry.variants[v === "q8" ? "fp32" : "q8"].includes(f));
    checked = DECODER_VARIANTS.filter((v) => {
      const dec = decoderOf(v);
      return dec !== undefined && fs.existsSync(path.join(abs, ...dec.split("/")));
    });
    if (checked.length === 0) checked = [entry.defaultVariant];
  }
  const files: string[] = [];
  for (const v of checked) for (const f of entry.variants[v]) if (!files.includes(f)) files.push(f);

  const results: FileCheck[] = [];
  for (const f of files) results.push(await checkFile(abs, f, entry, lock, deep, fix, opts.onBytes));
  const byFile = new Map(results.map((r) => [r.file, r]));
  const complete = {} as Record<DecoderVariant, boolean>;
  for (const v of DECODER_VARIANTS)
    complete[v] = checked.includes(v) && entry.variants[v].every((f) => byFile.get(f)?.status === "ok");

  const notes: string[] = [];
  if (!lock)
    notes.push(
      `no ${LOCK_FILE} (not fetched by cuesmith): sizes of files without a pinned value are checked approximately${deep ? ", their sha256 not at all" : ""}`,
    );
  else if (lock.revision !== entry.revision)
    notes.push(`the folder was fetched at revision ${lock.revision}; the manifest now pins ${entry.revision}`);
  return {
    dir: abs,
    model: entry.name,
    revision: lock?.revision,
    deep,
    checked,
    complete,
    files: results,
    ok: results.every((r) => r.status === "ok"),
    notes,
  };
}

/** The first problem of a report as a ModelFileError (what the engine loader raises), or undefined. */
export function reportError(report: VerifyReport): ModelFileError | undefined {
  const bad = report.files.find((f) => f.status !== "ok");
  if (!bad) return undefined;
  const code = bad.status === "missing" ? "missing" : bad.status === "wrong_size" ? "wrong_size" : "wrong_hash";
  return new ModelFileError(code, bad.message ?? `${bad.file} is damaged`, bad.file, bad.fix);
}

export interface InstalledModel {
  /** The folder's name under the models root. */
  name: string;
  dir: string;
  /** The manifest model it holds (from its lock, else its name), when known. */
  model?: string;
  revision?: string;
  /** Variants whose files are all present with the right sizes. */
  variants: DecoderVariant[];
  /** Bytes on disk of the model's files (and of leftover .part files). */
  bytes: number;
  partialDownloads: string[];
  /** Problems that keep a variant from being complete, one line each. */
  problems: string[];
}

function listParts(dir: string, rel = ""): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listParts(dir, r));
    else if (e.name.endsWith(".part")) out.push(r);
  }
  return out;
}

/** Folders under the models root (default `~/.cuesmith/models`) and which variants in each are complete. */
export async function listInstalled(
  root?: string,
  opts: { manifest?: Manifest; env?: NodeJS.ProcessEnv } = {},
): Promise<InstalledModel[]> {
  const base = path.resolve(root ?? modelsRoot(opts.env));
  const manifest = opts.manifest ?? loadManifest();
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(base, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: InstalledModel[] = [];
  for (const e of entries
    .filter((d) => d.isDirectory() && !d.name.startsWith("."))
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = path.join(base, e.name);
    const lock = readLock(dir);
    const modelName = lock?.model ?? e.name;
    const entry = getModelEntry(modelName, manifest);
    const partialDownloads = listParts(dir);
    let bytes = 0;
    for (const p of partialDownloads) bytes += fs.statSync(path.join(dir, ...p.split("/"))).size;
    if (!entry) {
      out.push({
        name: e.name,
        dir,
        model: undefined,
        revision: lock?.revision,
        variants: [],
        bytes,
        partialDownloads,
        problems: ["not a model this version of cuesmith knows"],
      });
      continue;
    }
    const variants: DecoderVariant[] = [];
    const problems = new Set<string>();
    const counted = new Set<string>();
    for (const v of DECODER_VARIANTS) {
      const r = await verifyModel(dir, { manifest, model: entry.name, variant: v, env: opts.env });
      if (r.ok) variants.push(v);
      for (const f of r.files) {
        if (f.actualSize !== undefined && !counted.has(f.file)) {
          counted.add(f.file);
          bytes += f.actualSize;
        }
      }
    }
    // Report problems of the variants that were attempted (decoder present), or of the default when none is.
    const attempted = await verifyModel(dir, { manifest, model: entry.name, env: opts.env });
    for (const f of attempted.files) if (f.status !== "ok" && f.message) problems.add(f.message);
    out.push({
      name: e.name,
      dir,
      model: entry.name,
      revision: lock?.revision,
      variants,
      bytes,
      partialDownloads,
      problems: [...problems],
    });
  }
  return out;
}
