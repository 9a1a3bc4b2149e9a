// Typed access to models/manifest.json: which repository and pinned revision a model comes from, which files
// each decoder variant needs, and what is known about every file (size, sha256, where that value came from).
// A `sha256` of null means no verified value was available when the manifest was written: the fetcher then
// takes the hub's own LFS hash (X-Linked-Etag) and records it in `<modelDir>/.cuesmith-lock.json`.
import type { DecoderVariant } from "./layout";
import manifestJson from "./manifest.json";

export const DECODER_VARIANTS: readonly DecoderVariant[] = ["q8", "fp32"];

export interface ManifestFile {
  /** Bytes. Exact unless `sizeApprox` (then a rounded figure from a file listing). */
  size: number;
  sizeApprox: boolean;
  /**
   * The size is a guess (no file listing was reachable): shown in progress, never held against the hub or a
   * local file. The hub's X-Linked-Size / etag decide, and the lock file records them. Implies sizeApprox.
   */
  sizeEstimated?: boolean;
  /** Lower-case hex sha256, or null when not verified. */
  sha256: string | null;
  /** Stored with Git LFS / Xet on the hub: the hub publishes its sha256 (X-Linked-Etag). */
  lfs: boolean;
  /** Where the values came from. */
  source?: string;
}

export interface ModelEntry {
  name: string;
  description?: string;
  repo: string;
  /** A full 40-hex commit sha; a branch name only when `unpinned` says so. */
  revision: string;
  /** The entry follows a branch (e.g. "main") because no commit could be confirmed: fetches are not reproducible. */
  unpinned?: boolean;
  /** `https://huggingface.co/{repo}/resolve/{revision}/{path}`; the origin is swapped for HF_ENDPOINT/hubUrl. */
  url: string;
  license: string;
  licenseNote?: string;
  defaultVariant: DecoderVariant;
  variants: Record<DecoderVariant, string[]>;
  files: Record<string, ManifestFile>;
}

export interface Manifest {
  schema: 1;
  models: Record<string, ModelEntry>;
}

export const DEFAULT_HUB = "https://huggingface.co";

const HEX64 = /^[0-9a-f]{64}$/;
const HEX40 = /^[0-9a-f]{40}$/;

/** Checks the shape of a manifest (the real one or a test's) and returns it typed; throws naming the bad field. */
export function parseManifest(raw: unknown): Manifest {
  const bad = (where: string, why: string): never => {
    throw new Error(`model manifest: ${where} ${why}`);
  };
  if (!raw || typeof raw !== "object") bad("", "is not an object");
  const obj = raw as Record<string, unknown>;
  if (obj.schema !== 1) bad("schema", "must be 1");
  if (!obj.models || typeof obj.models !== "object") bad("models", "must be an object");
  const models: Record<string, ModelEntry> = {};
  for (const [name, value] of Object.entries(obj.models as Record<string, unknown>)) {
    const m = value as Record<string, unknown>;
    const at = `models["${name}"]`;
    if (!m || typeof m !== "object") bad(at, "is not an object");
    if (typeof m.repo !== "string" || !/^[^/\s]+\/[^/\s]+$/.test(m.repo)) bad(`${at}.repo`, "must be owner/name");
    const branchOk = m.unpinned === true && typeof m.revision === "string" && /^[A-Za-z0-9._-]+$/.test(m.revision);
    if (typeof m.revision !== "string" || (!HEX40.test(m.revision) && !branchOk))
      bad(`${at}.revision`, "must be a 40-hex commit sha (pin it)");
    if (typeof m.url !== "string" || !m.url.includes("{path}")) bad(`${at}.url`, "must be a pattern with {path}");
    if (typeof m.license !== "string" || !m.license) bad(`${at}.license`, "is required");
    if (!DECODER_VARIANTS.includes(m.defaultVariant as DecoderVariant))
      bad(`${at}.defaultVariant`, "must be q8 or fp32");
    const files = m.files as Record<string, Record<string, unknown>> | undefined;
    if (!files || typeof files !== "object") bad(`${at}.files`, "must be an object");
    const outFiles: Record<string, ManifestFile> = {};
    for (const [p, f] of Object.entries(files!)) {
      const fat = `${at}.files["${p}"]`;
      if (p.startsWith("/") || p.split("/").some((s) => s === ".." || s === "." || s === ""))
        bad(fat, "is not a safe relative path");
      if (typeof f.size !== "number" || !Number.isInteger(f.size) || f.size < 0)
        bad(`${fat}.size`, "must be a whole number of bytes");
      if (f.sha256 !== null && (typeof f.sha256 !== "string" || !HEX64.test(f.sha256)))
        bad(`${fat}.sha256`, "must be 64 lower-case hex digits or null");
      outFiles[p] = {
        size: f.size as number,
        sizeApprox: f.sizeApprox === true || f.sizeEstimated === true,
        ...(f.sizeEstimated === true ? { sizeEstimated: true } : {}),
        sha256: (f.sha256 as string | null) ?? null,
        lfs: f.lfs === true,
        source: typeof f.source === "string" ? f.source : undefined,
      };
    }
    const variants = m.variants as Record<string, unknown> | undefined;
    if (!variants || typeof variants !== "object") bad(`${at}.variants`, "must be an object");
    const outVariants = {} as Record<DecoderVariant, string[]>;
    for (const v of DECODER_VARIANTS) {
      const list = variants![v];
      if (!Array.isArray(list) || list.some((x) => typeof x !== "string"))
        bad(`${at}.variants.${v}`, "must be a list of paths");
      for (const p of list as string[])
        if (!outFiles[p]) bad(`${at}.variants.${v}`, `names "${p}", which is not in files`);
      outVariants[v] = [...(list as string[])];
    }
    models[name] = {
      name,
      description: typeof m.description === "string" ? m.description : undefined,
      repo: m.repo as string,
      revision: m.revision as string,
      ...(m.unpinned === true ? { unpinned: true } : {}),
      url: m.url as string,
      license: m.license as string,
      licenseNote: typeof m.licenseNote === "string" ? m.licenseNote : undefined,
      defaultVariant: m.defaultVariant as DecoderVariant,
      variants: outVariants,
      files: outFiles,
    };
  }
  return { schema: 1, models };
}

let cached: Manifest | undefined;

/** The manifest shipped with Cuesmith (models/manifest.json). */
export function loadManifest(): Manifest {
  cached ??= parseManifest(manifestJson);
  return cached;
}

export function modelNames(manifest: Manifest = loadManifest()): string[] {
  return Object.keys(manifest.models);
}

export function getModelEntry(name: string, manifest: Manifest = loadManifest()): ModelEntry | undefined {
  return Object.prototype.hasOwnProperty.call(manifest.models, name) ? manifest.models[name] : undefined;
}

/** The download URL of one file at the pinned revision, on `hubUrl` (default https://huggingface.co). */
export function fileUrl(entry: ModelEntry, file: string, hubUrl: string = DEFAULT_HUB): string {
  const hub = hubUrl.replace(/\/+$/, "");
  const pattern = entry.url.startsWith(DEFAULT_HUB) ? hub + entry.url.slice(DEFAULT_HUB.length) : entry.url;
  const enc = (s: string) => s.split("/").map(encodeURIComponent).join("/");
  return pattern
    .replace("{repo}", enc(entry.repo))
    .replace("{revision}", encodeURIComponent(entry.revision))
    .replace("{path}", enc(file));
}

/** Every file any variant of the model needs, in manifest order. */
export function allFiles(entry: ModelEntry): string[] {
  const seen = new Set<string>();
  for (const v of DECODER_VARIANTS) for (const f of entry.variants[v]) seen.add(f);
  return [...seen];
}
