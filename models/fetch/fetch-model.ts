// `fetchModel`: puts every file one decoder variant of a model needs into a folder in the published layout.
// For each file, in order of cost: already there and intact → keep; in the user's Hugging Face cache at the
// pinned revision and intact → hard-link/copy; else download from the hub (resumable, verified, atomic).
// Verified sizes/hashes end up in <dir>/.cuesmith-lock.json.
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultModelDir } from "../paths";
import type { DecoderVariant } from "../layout";
import {
  DECODER_VARIANTS,
  DEFAULT_HUB,
  fileUrl,
  getModelEntry,
  loadManifest,
  Manifest,
  ModelEntry,
  modelNames,
} from "../manifest";
import { downloadFile, ExpectedFile, partPath } from "./download";
import { ModelFileError } from "./errors";
import { Digests, hashFile } from "./hash";
import { CachedFile, defaultHfCacheDir, findCachedBlob, findCachedFile, placeFromCache } from "./hf-cache";
import { HubFileMeta, headFile } from "./hub";
import { LockEntry, ModelLock, readLock, VerifiedBy, writeLock } from "./lock";
import { FetchPhase, FetchProgress } from "./progress";
import { approxSizeOk } from "./verify";
import { prepareDecoders, PrepareResult } from "../transform";

export interface FetchModelOptions {
  /** Decoder variant: "q8" (8-bit, ~430 MB, the manifest default) or "fp32" (~1.7 GB). Text encoder and EnCodec are fp32 either way. */
  variant?: DecoderVariant;
  /** Target folder; default `defaultModelDir(name)` (`~/.cuesmith/models/<name>`). */
  dest?: string;
  /** Hub origin; default `$HF_ENDPOINT` or https://huggingface.co. */
  hubUrl?: string;
  /** Hugging Face cache to reuse files from; default `$HF_HUB_CACHE`, `$HF_HOME/hub` or `~/.cache/huggingface/hub`; false: don't look. */
  hfCacheDir?: string | false;
  onProgress?: (p: FetchProgress) => void;
  signal?: AbortSignal;
  /** DNS + TCP connect allowance per request (default 5000 ms): no network fails this fast. */
  connectTimeoutMs?: number;
  /** Stall allowance once connected (default 60000 ms). */
  idleTimeoutMs?: number;
  /** Extra attempts after a broken transfer (default 3). */
  retries?: number;
  retryDelayMs?: number;
  /** Waits out a retry delay (default: a real timer); tests pass one that records the delays. */
  sleep?: (ms: number) => Promise<void>;
  /** A manifest to use instead of models/manifest.json (tests, private mirrors). */
  manifest?: Manifest;
  env?: NodeJS.ProcessEnv;
  /**
   * After a successful fetch, write the derived decoders (models/transform): the flat rewrite of each installed
   * decoder and, when only fp32 is installed, an int8 decoder quantized from it. Default true.
   */
  derive?: boolean;
}

export type FetchAction = "present" | "reused" | "downloaded";

export interface FetchedFile {
  file: string;
  action: FetchAction;
  size: number;
  sha256: string;
  verifiedBy: VerifiedBy;
  /** For "reused": how the cached file was placed. */
  placed?: "linked" | "copied";
}

export interface FetchResult {
  model: string;
  repo: string;
  revision: string;
  variant: DecoderVariant;
  dir: string;
  license: string;
  licenseNote?: string;
  files: FetchedFile[];
  lockFile: string;
  /** Derived decoders written after the fetch; a failed rewrite leaves the published files working. */
  derived?: PrepareResult;
}

function exists(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function checkAborted(signal: AbortSignal | undefined, file?: string): void {
  if (signal?.aborted) throw new ModelFileError("aborted", "model fetch cancelled", file);
}

/** Reconciles what the hub publishes with what the manifest pins; throws hub_mismatch when they disagree. */
function reconcile(entry: ModelEntry, file: string, meta: HubFileMeta, hubHost: string): void {
  const m = entry.files[file];
  const fix =
    "the hub or mirror serves a different file than the pinned revision; check HF_ENDPOINT (or update cuesmith)";
  if (m.sha256 && meta.sha256 && meta.sha256 !== m.sha256) {
    throw new ModelFileError(
      "hub_mismatch",
      `${hubHost} publishes sha256 ${meta.sha256} for ${file}, the manifest pins ${m.sha256}`,
      file,
      fix,
    );
  }
  if (meta.size !== undefined) {
    if (!m.sizeApprox && meta.size !== m.size) {
      throw new ModelFileError(
        "hub_mismatch",
        `${hubHost} says ${file} is ${meta.size} bytes, the manifest pins ${m.size}`,
        file,
        fix,
      );
    }
    // an estimated size (no listing was reachable when the entry was written) is never held against the hub
    if (m.sizeApprox && !m.sizeEstimated && !approxSizeOk(meta.size, m.size)) {
      throw new ModelFileError(
        "hub_mismatch",
        `${hubHost} says ${file} is ${meta.size} bytes, the manifest expects about ${m.size}`,
        file,
        fix,
      );
    }
  }
}

/** Does a local file match the expectation? (size first, then the strongest hash known) */
async function matches(
  file: string,
  expected: ExpectedFile & { sizeApprox?: number },
  onBytes?: (n: number) => void,
): Promise<Digests | undefined> {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return undefined;
  }
  if (expected.size !== undefined && size !== expected.size) return undefined;
  if (expected.size === undefined && expected.sizeApprox !== undefined && !approxSizeOk(size, expected.sizeApprox))
    return undefined;
  const d = await hashFile(file, { onBytes, git: !expected.sha256 && !!expected.gitSha1 });
  if (expected.sha256) return d.sha256 === expected.sha256 ? d : undefined;
  if (expected.gitSha1) return d.gitSha1 === expected.gitSha1 ? d : undefined;
  return d;
}

/** What a fetch works from: the manifest entry, the variant's files, the target folder, the hub and the cache. */
interface FetchPlan {
  entry: ModelEntry;
  variant: DecoderVariant;
  files: string[];
  dir: string;
  hubUrl: string;
  hubHost: string;
  cacheDir?: string;
}

/** Resolves the options against the manifest and the environment; throws before touching the disk. */
function planFetch(name: string, options: FetchModelOptions): FetchPlan {
  const env = options.env ?? process.env;
  const manifest = options.manifest ?? loadManifest();
  const entry = getModelEntry(name, manifest);
  if (!entry) {
    throw new ModelFileError(
      "unknown_model",
      `no model named "${name}" (known: ${modelNames(manifest).join(", ")})`,
      undefined,
      "check the name",
    );
  }
  const variant = options.variant ?? entry.defaultVariant;
  if (!DECODER_VARIANTS.includes(variant))
    throw new ModelFileError("unknown_model", `unknown variant "${variant}" (use q8 or fp32)`);
  const hubUrl = (options.hubUrl ?? env.HF_ENDPOINT ?? DEFAULT_HUB).replace(/\/+$/, "");
  let hubHost: string;
  try {
    hubHost = new URL(hubUrl).host;
  } catch {
    throw new ModelFileError(
      "http",
      `the hub address "${hubUrl}" is not a URL`,
      undefined,
      "set HF_ENDPOINT to e.g. https://huggingface.co or a mirror's address",
    );
  }
  return {
    entry,
    variant,
    files: entry.variants[variant],
    dir: path.resolve(options.dest ?? defaultModelDir(name, env)),
    hubUrl,
    hubHost,
    cacheDir: options.hfCacheDir === false ? undefined : (options.hfCacheDir ?? defaultHfCacheDir(env)),
  };
}

/** Creates the target folder; returns the first folder mkdir had to create (undefined when it existed). */
async function createTargetFolder(dir: string): Promise<string | undefined> {
  try {
    return await fs.promises.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new ModelFileError(
      "io",
      `cannot create ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      undefined,
      "pass --dest with a writable folder",
    );
  }
}

/** Removes the folders this run created (`dir` up to `createdDir`), each only if empty: a failed first fetch leaves nothing. */
async function removeCreatedFolders(dir: string, createdDir: string): Promise<void> {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      await fs.promises.rmdir(d);
    } catch {
      break;
    }
    if (path.resolve(d) === path.resolve(createdDir) || path.dirname(d) === d) break;
  }
}

/** One run's bookkeeping: the lock being rebuilt, the files handled so far, and the progress events. */
class FetchRun {
  readonly results: FetchedFile[] = [];
  readonly lock: ModelLock;
  /** The lock of an earlier fetch of the same revision, whose entries still count. */
  readonly oldLock: ModelLock | undefined;
  private changed = false;
  private readonly totalBytes: number;
  private completedBytes = 0;
  /** Bytes of the current file handled in the current phase. */
  private current = 0;

  constructor(
    readonly plan: FetchPlan,
    private readonly onProgress?: (p: FetchProgress) => void,
  ) {
    const { entry, dir, files } = plan;
    const old = readLock(dir);
    this.oldLock =
      old && old.repo === entry.repo && old.revision === entry.revision && old.model === entry.name ? old : undefined;
    this.lock = {
      schema: 1,
      model: entry.name,
      repo: entry.repo,
      revision: entry.revision,
      updated: new Date().toISOString(),
      files: this.oldLock ? { ...this.oldLock.files } : {},
    };
    // manifest sizes (some approximate) are the plan the progress is measured against
    this.totalBytes = files.reduce((n, f) => n + entry.files[f].size, 0);
  }

  emit(phase: FetchPhase, index: number): void {
    const { files, entry } = this.plan;
    const file = files[index] ?? "";
    const fileSize = entry.files[file]?.size ?? 0;
    this.onProgress?.({
      phase,
      file,
      fileIndex: index + 1,
      fileCount: files.length,
      fileBytes: this.current,
      fileSize,
      doneBytes: Math.min(this.totalBytes, this.completedBytes + Math.max(0, Math.min(this.current, fileSize))),
      totalBytes: this.totalBytes,
    });
  }

  /** Starts a phase of file `index`: emits it, and returns the byte counter its hashing or download reports to. */
  phase(phase: FetchPhase, index: number): (n: number) => void {
    this.current = 0;
    this.emit(phase, index);
    return (n) => {
      this.current += n;
      this.emit(phase, index);
    };
  }

  record(index: number, action: FetchAction, d: Digests, verifiedBy: VerifiedBy, placed?: "linked" | "copied"): void {
    const file = this.plan.files[index];
    const via: LockEntry["via"] = action === "reused" ? "hf-cache" : action === "downloaded" ? "download" : "present";
    const prev = this.lock.files[file];
    if (!prev || prev.sha256 !== d.sha256 || prev.size !== d.size) this.changed = true;
    this.lock.files[file] = {
      size: d.size,
      sha256: d.sha256,
      verifiedBy,
      via: prev && action === "present" ? prev.via : via,
    };
    this.results.push({ file, action, size: d.size, sha256: d.sha256, verifiedBy, ...(placed ? { placed } : {}) });
    this.completedBytes += this.plan.entry.files[file].size;
    this.current = 0;
  }

  /** Writes the lock when anything changed; returns its path ("" when not written). Never throws: a lock that
   * cannot be written must not hide the real error (or a successful install). */
  async saveLock(): Promise<string> {
    if (!this.changed) return "";
    try {
      return await writeLock(this.plan.dir, this.lock);
    } catch {
      return "";
    }
  }

  done(): void {
    this.current = 0;
    this.completedBytes = this.totalBytes;
    this.emit("done", this.plan.files.length - 1);
  }
}

/** What is known about one file before any network request. */
interface FileContext {
  index: number;
  file: string;
  dest: string;
  /** The manifest's entry and the earlier lock's entry (same revision only). */
  pinned: ModelEntry["files"][string];
  locked?: LockEntry;
  /** The sha256 known offline (manifest or lock), and what it was verified by. */
  refSha?: string;
  offlineVerifiedBy?: VerifiedBy;
  localExpect: ExpectedFile & { sizeApprox?: number };
  present: boolean;
  /** The file in place was hashed and found wrong: don't hash it again. */
  presentRejected: boolean;
}

function fileContext(run: FetchRun, index: number): FileContext {
  const file = run.plan.files[index];
  const pinned = run.plan.entry.files[file];
  const locked = run.oldLock?.files[file];
  const refSha = pinned.sha256 ?? locked?.sha256;
  const refSize = !pinned.sizeApprox ? pinned.size : locked?.size;
  const dest = path.join(run.plan.dir, ...file.split("/"));
  return {
    index,
    file,
    dest,
    pinned,
    locked,
    refSha,
    offlineVerifiedBy: pinned.sha256 ? "manifest" : locked?.verifiedBy,
    localExpect: { size: refSize, sha256: refSha, ...(pinned.sizeEstimated ? {} : { sizeApprox: pinned.size }) },
    present: exists(dest),
    presentRejected: false,
  };
}

/** Step 1: the file already in place matches what is known offline. */
async function keepIfIntact(run: FetchRun, f: FileContext): Promise<boolean> {
  if (!f.present || !f.refSha) return false;
  const d = await matches(f.dest, f.localExpect, run.phase("check", f.index));
  if (d) {
    run.record(f.index, "present", d, f.offlineVerifiedBy!);
    return true;
  }
  f.presentRejected = true;
  return false;
}

/** Places one Hugging Face cache file if it matches `expect` (or keeps the identical file already in place). */
async function placeFromCacheIfIntact(
  run: FetchRun,
  f: FileContext,
  cached: CachedFile,
  expect: ExpectedFile & { sizeApprox?: number },
  verifiedBy: VerifiedBy,
): Promise<boolean> {
  const d = await matches(cached.path, expect, run.phase("reuse", f.index));
  if (!d) return false;
  if (f.present && !f.presentRejected && (await matches(f.dest, { size: d.size, sha256: d.sha256 }))) {
    run.record(f.index, "present", d, verifiedBy);
    return true;
  }
  let placed: "linked" | "copied";
  try {
    placed = await placeFromCache(cached.path, f.dest);
  } catch (err) {
    throw new ModelFileError(
      "io",
      `cannot place ${f.file} from the Hugging Face cache (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      f.file,
      "check the folder is writable",
    );
  }
  await fs.promises.rm(partPath(f.dest), { force: true }).catch(() => undefined);
  run.record(f.index, "reused", d, verifiedBy, placed);
  return true;
}

/** Step 2: the Hugging Face cache holds the pinned snapshot's file, or a blob with the pinned hash from any revision. */
async function reuseFromCache(run: FetchRun, f: FileContext): Promise<{ reused: boolean; snapshotPath?: string }> {
  const { cacheDir, entry } = run.plan;
  if (!cacheDir) return { reused: false };
  const snap = findCachedFile(cacheDir, entry.repo, entry.revision, f.file);
  if (snap && (f.refSha || snap.sha256 || snap.gitSha1)) {
    const expect = f.refSha
      ? { ...f.localExpect }
      : { ...f.localExpect, sha256: snap.sha256, gitSha1: snap.sha256 ? undefined : snap.gitSha1 };
    if (await placeFromCacheIfIntact(run, f, snap, expect, f.offlineVerifiedBy ?? "hf-cache-id"))
      return { reused: true };
  }
  const blob = f.refSha ? findCachedBlob(cacheDir, entry.repo, f.refSha) : undefined;
  if (
    blob &&
    blob.path !== snap?.path &&
    (await placeFromCacheIfIntact(run, f, blob, f.localExpect, f.offlineVerifiedBy!))
  )
    return { reused: true };
  return { reused: false, snapshotPath: snap?.path };
}

/** Step 3: asks the hub what it publishes, then keeps, reuses or downloads the file against that. */
async function fetchFromHub(
  run: FetchRun,
  f: FileContext,
  snapshotPath: string | undefined,
  options: FetchModelOptions,
): Promise<void> {
  const { entry, hubUrl, hubHost, cacheDir } = run.plan;
  const { pinned, locked } = f;
  checkAborted(options.signal, f.file);
  const url = fileUrl(entry, f.file, hubUrl);
  const common = {
    signal: options.signal,
    connectTimeoutMs: options.connectTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
    file: f.file,
  };
  const meta = await headFile(url, common);
  reconcile(entry, f.file, meta, hubHost);
  const expected: ExpectedFile = {
    size: !pinned.sizeApprox ? pinned.size : (meta.size ?? locked?.size),
    sha256: pinned.sha256 ?? meta.sha256 ?? locked?.sha256,
  };
  // A git blob id can only be checked when the size is known up front (it is hashed into the id).
  if (expected.size !== undefined) expected.gitSha1 = meta.gitSha1;
  const verifiedBy: VerifiedBy = pinned.sha256
    ? "manifest"
    : meta.sha256
      ? "hub-sha256"
      : locked
        ? locked.verifiedBy
        : expected.gitSha1
          ? "hub-git-id"
          : "size-only";
  const hubExpect = {
    ...expected,
    ...(expected.size === undefined && !pinned.sizeEstimated ? { sizeApprox: pinned.size } : {}),
  };

  if (f.present && !f.presentRejected) {
    // There, but nothing to check it against offline: check it against what the hub publishes.
    const d = await matches(f.dest, hubExpect, run.phase("check", f.index));
    if (d) return run.record(f.index, "present", d, verifiedBy);
    f.presentRejected = true;
  }

  // The hub told us the hash: the cache may hold that blob under another revision's snapshot.
  const hubId = !f.refSha ? (expected.sha256 ?? expected.gitSha1) : undefined;
  const hubBlob = cacheDir && hubId ? findCachedBlob(cacheDir, entry.repo, hubId) : undefined;
  if (
    hubBlob &&
    hubBlob.path !== snapshotPath &&
    (await placeFromCacheIfIntact(run, f, hubBlob, hubExpect, verifiedBy))
  )
    return;

  const d = await downloadFile(url, f.dest, f.file, expected, {
    ...common,
    retries: options.retries,
    retryDelayMs: options.retryDelayMs,
    sleep: options.sleep,
    onBytes: run.phase("download", f.index),
  });
  if (expected.size === undefined && !approxSizeOk(d.size, pinned.size)) {
    await fs.promises.rm(f.dest, { force: true });
    throw new ModelFileError(
      "wrong_size",
      `${f.file} downloaded as ${d.size} bytes, the manifest expects about ${pinned.size}; it was deleted`,
      f.file,
      "check HF_ENDPOINT serves this model",
    );
  }
  run.record(f.index, "downloaded", d, verifiedBy);
}

/** Downloads (or reuses) the files of one variant of `name` into a folder in the published layout. */
export async function fetchModel(name: string, options: FetchModelOptions = {}): Promise<FetchResult> {
  const plan = planFetch(name, options);
  const createdDir = await createTargetFolder(plan.dir);
  const run = new FetchRun(plan, options.onProgress);
  let lockFile = "";
  try {
    for (let i = 0; i < plan.files.length; i++) {
      checkAborted(options.signal, plan.files[i]);
      const f = fileContext(run, i);
      if (await keepIfIntact(run, f)) continue;
      const cached = await reuseFromCache(run, f);
      if (cached.reused) continue;
      await fetchFromHub(run, f, cached.snapshotPath, options);
    }
  } catch (err) {
    // Nothing fetched into a folder this run created (e.g. offline): leave no empty folder behind.
    if (createdDir && run.results.length === 0) await removeCreatedFolders(plan.dir, createdDir);
    throw err;
  } finally {
    // Whatever was verified so far is recorded, so a failed run still leaves a useful lock.
    lockFile = await run.saveLock();
  }
  checkAborted(options.signal);
  const derived = options.derive === false ? undefined : await prepareDecoders(plan.dir);
  run.done();
  const { entry } = plan;
  return {
    model: entry.name,
    repo: entry.repo,
    revision: entry.revision,
    variant: plan.variant,
    dir: plan.dir,
    license: entry.license,
    licenseNote: entry.licenseNote,
    files: run.results,
    lockFile: lockFile || path.join(plan.dir, ".cuesmith-lock.json"),
    ...(derived ? { derived } : {}),
  };
}
