// `fetchModel`: puts every file one decoder variant of a model needs into a folder in the published layout.
// For each file, in order of cost: already there and intact → keep; in the user's Hugging Face cache at the
// pinned revision and intact → hard-link/copy; else download from the hub (resumable, verified, atomic).
// Verified sizes/hashes end up in <dir>/.cuesmith-lock.json.
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultModelDir } from "../../helper/config/paths";
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

/** Downloads (or reuses) the files of one variant of `name` into a folder in the published layout. */
export async function fetchModel(name: string, options: FetchModelOptions = {}): Promise<FetchResult> {
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
  const dir = path.resolve(options.dest ?? defaultModelDir(name, env));
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
  const cacheDir = options.hfCacheDir === false ? undefined : (options.hfCacheDir ?? defaultHfCacheDir(env));
  const files = entry.variants[variant];
  const signal = options.signal;

  let createdDir: string | undefined;
  try {
    createdDir = await fs.promises.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new ModelFileError(
      "io",
      `cannot create ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      undefined,
      "pass --dest with a writable folder",
    );
  }

  const oldLock = readLock(dir);
  const sameRevision =
    !!oldLock && oldLock.repo === entry.repo && oldLock.revision === entry.revision && oldLock.model === entry.name;
  const lock: ModelLock = {
    schema: 1,
    model: entry.name,
    repo: entry.repo,
    revision: entry.revision,
    updated: new Date().toISOString(),
    files: sameRevision ? { ...oldLock!.files } : {},
  };

  // Progress bookkeeping: manifest sizes (some approximate) as the plan.
  const totalBytes = files.reduce((n, f) => n + entry.files[f].size, 0);
  let completedBytes = 0;
  let current = 0;
  const emit = (phase: FetchPhase, file: string, index: number, fileSize: number) =>
    options.onProgress?.({
      phase,
      file,
      fileIndex: index + 1,
      fileCount: files.length,
      fileBytes: current,
      fileSize,
      doneBytes: Math.min(totalBytes, completedBytes + Math.max(0, Math.min(current, fileSize))),
      totalBytes,
    });

  const results: FetchedFile[] = [];
  let changed = false;
  const record = (
    file: string,
    action: FetchAction,
    d: Digests,
    verifiedBy: VerifiedBy,
    placed?: "linked" | "copied",
  ) => {
    const via: LockEntry["via"] = action === "reused" ? "hf-cache" : action === "downloaded" ? "download" : "present";
    const prev = lock.files[file];
    if (!prev || prev.sha256 !== d.sha256 || prev.size !== d.size) changed = true;
    lock.files[file] = {
      size: d.size,
      sha256: d.sha256,
      verifiedBy,
      via: prev && action === "present" ? prev.via : via,
    };
    results.push({ file, action, size: d.size, sha256: d.sha256, verifiedBy, ...(placed ? { placed } : {}) });
  };

  let lockFile = "";
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      checkAborted(signal, file);
      const m = entry.files[file];
      const l = sameRevision ? oldLock!.files[file] : undefined;
      const dest = path.join(dir, ...file.split("/"));
      current = 0;
      const bytes = (phase: FetchPhase) => (n: number) => {
        current += n;
        emit(phase, file, i, m.size);
      };

      // What is known without the network.
      const refSha = m.sha256 ?? l?.sha256;
      const refSize = !m.sizeApprox ? m.size : l?.size;
      const offlineVerifiedBy: VerifiedBy | undefined = m.sha256 ? "manifest" : l?.verifiedBy;
      const localExpect = { size: refSize, sha256: refSha, ...(m.sizeEstimated ? {} : { sizeApprox: m.size }) };

      // 1. Already in place and intact?
      const present = exists(dest);
      /** The file in place was hashed and found wrong: don't hash it again. */
      let presentRejected = false;
      if (present && refSha) {
        emit("check", file, i, m.size);
        const d = await matches(dest, localExpect, bytes("check"));
        if (d) {
          record(file, "present", d, offlineVerifiedBy!);
          completedBytes += m.size;
          continue;
        }
        presentRejected = true;
        current = 0;
      }

      // 2. In the Hugging Face cache: the pinned snapshot, or a blob with the pinned hash from any revision.
      const fromCache = async (
        cached: CachedFile,
        expect: ExpectedFile & { sizeApprox?: number },
        verifiedBy: VerifiedBy,
      ): Promise<boolean> => {
        emit("reuse", file, i, m.size);
        const d = await matches(cached.path, expect, bytes("reuse"));
        if (!d) {
          current = 0;
          return false;
        }
        if (present && !presentRejected && (await matches(dest, { size: d.size, sha256: d.sha256 }))) {
          record(file, "present", d, verifiedBy);
        } else {
          let placed: "linked" | "copied";
          try {
            placed = await placeFromCache(cached.path, dest);
          } catch (err) {
            throw new ModelFileError(
              "io",
              `cannot place ${file} from the Hugging Face cache (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
              file,
              "check the folder is writable",
            );
          }
          await fs.promises.rm(partPath(dest), { force: true }).catch(() => undefined);
          record(file, "reused", d, verifiedBy, placed);
        }
        completedBytes += m.size;
        return true;
      };
      const snap = cacheDir ? findCachedFile(cacheDir, entry.repo, entry.revision, file) : undefined;
      if (snap && (refSha || snap.sha256 || snap.gitSha1)) {
        const expect = refSha
          ? { ...localExpect }
          : { ...localExpect, sha256: snap.sha256, gitSha1: snap.sha256 ? undefined : snap.gitSha1 };
        if (await fromCache(snap, expect, offlineVerifiedBy ?? "hf-cache-id")) continue;
      }
      const blob = cacheDir && refSha ? findCachedBlob(cacheDir, entry.repo, refSha) : undefined;
      if (blob && blob.path !== snap?.path && (await fromCache(blob, localExpect, offlineVerifiedBy!))) continue;

      // 3. The hub.
      checkAborted(signal, file);
      const url = fileUrl(entry, file, hubUrl);
      const common = { signal, connectTimeoutMs: options.connectTimeoutMs, idleTimeoutMs: options.idleTimeoutMs, file };
      const meta = await headFile(url, common);
      reconcile(entry, file, meta, hubHost);
      const expected: ExpectedFile = {
        size: !m.sizeApprox ? m.size : (meta.size ?? l?.size),
        sha256: m.sha256 ?? meta.sha256 ?? l?.sha256,
      };
      // A git blob id can only be checked when the size is known up front (it is hashed into the id).
      if (expected.size !== undefined) expected.gitSha1 = meta.gitSha1;
      const verifiedBy: VerifiedBy = m.sha256
        ? "manifest"
        : meta.sha256
          ? "hub-sha256"
          : l
            ? l.verifiedBy
            : expected.gitSha1
              ? "hub-git-id"
              : "size-only";

      const hubExpect = {
        ...expected,
        ...(expected.size === undefined && !m.sizeEstimated ? { sizeApprox: m.size } : {}),
      };

      if (present && !presentRejected) {
        // There, but nothing to check it against offline: check it against what the hub publishes.
        emit("check", file, i, m.size);
        const d = await matches(dest, hubExpect, bytes("check"));
        if (d) {
          record(file, "present", d, verifiedBy);
          completedBytes += m.size;
          continue;
        }
        presentRejected = true;
        current = 0;
      }

      // The hub told us the hash: the cache may hold that blob under another revision's snapshot.
      const hubId = !refSha ? (expected.sha256 ?? expected.gitSha1) : undefined;
      const hubBlob = cacheDir && hubId ? findCachedBlob(cacheDir, entry.repo, hubId) : undefined;
      if (hubBlob && hubBlob.path !== snap?.path && (await fromCache(hubBlob, hubExpect, verifiedBy))) continue;

      emit("download", file, i, m.size);
      const d = await downloadFile(url, dest, file, expected, {
        ...common,
        retries: options.retries,
        retryDelayMs: options.retryDelayMs,
        onBytes: bytes("download"),
      });
      if (expected.size === undefined && !approxSizeOk(d.size, m.size)) {
        await fs.promises.rm(dest, { force: true });
        throw new ModelFileError(
          "wrong_size",
          `${file} downloaded as ${d.size} bytes, the manifest expects about ${m.size}; it was deleted`,
          file,
          "check HF_ENDPOINT serves this model",
        );
      }
      record(file, "downloaded", d, verifiedBy);
      completedBytes += m.size;
    }
  } catch (err) {
    // Nothing fetched into a folder this run created (e.g. offline): leave no empty folder behind.
    if (createdDir && results.length === 0) {
      // mkdir returned the first folder it created: remove the chain back up to it, each only if empty.
      for (let d = dir; ; d = path.dirname(d)) {
        try {
          await fs.promises.rmdir(d);
        } catch {
          break;
        }
        if (path.resolve(d) === path.resolve(createdDir) || path.dirname(d) === d) break;
      }
    }
    throw err;
  } finally {
    // Whatever was verified so far is recorded, so a failed run still leaves a useful lock.
    if (changed) {
      try {
        lockFile = await writeLock(dir, lock);
      } catch {
        // A lock that cannot be written must not hide the real error (or a successful install).
      }
    }
  }
  checkAborted(signal);
  const derived = options.derive === false ? undefined : await prepareDecoders(dir);
  current = 0;
  const last = files[files.length - 1] ?? "";
  completedBytes = totalBytes;
  emit("done", last, files.length - 1, entry.files[last]?.size ?? 0);
  return {
    model: entry.name,
    repo: entry.repo,
    revision: entry.revision,
    variant,
    dir,
    license: entry.license,
    licenseNote: entry.licenseNote,
    files: results,
    lockFile: lockFile || path.join(dir, ".cuesmith-lock.json"),
    ...(derived ? { derived } : {}),
  };
}
