// Reuse of files the user already has in the Hugging Face cache (huggingface_hub / transformers layout):
// <cache>/models--<owner>--<name>/snapshots/<revision>/<path> is a symlink into ../../blobs/<id>, where <id>
// is the file's sha256 (LFS/Xet files) or its git blob id (plain git files). The id lets us verify a cached
// copy without the network.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isGitSha1, isSha256 } from "./hash";

/** `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`. */
export function defaultHfCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return path.resolve(env.HF_HUB_CACHE);
  if (env.HUGGINGFACE_HUB_CACHE) return path.resolve(env.HUGGINGFACE_HUB_CACHE);
  if (env.HF_HOME) return path.join(path.resolve(env.HF_HOME), "hub");
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), ".cache");
  return path.join(base, "huggingface", "hub");
}

export function repoCacheDir(cacheDir: string, repo: string): string {
  return path.join(cacheDir, `models--${repo.split("/").join("--")}`);
}

export interface CachedFile {
  /** The real file (the blob the snapshot link points to). */
  path: string;
  size: number;
  /** sha256 when the blob is named by it (LFS/Xet files). */
  sha256?: string;
  /** git blob id when the blob is named by it (plain git files). */
  gitSha1?: string;
}

/** The cached copy of `file` at exactly `revision`, or undefined. Never touches the network. */
export function findCachedFile(cacheDir: string, repo: string, revision: string, file: string): CachedFile | undefined {
  const repoDir = repoCacheDir(cacheDir, repo);
  const snapshot = path.join(repoDir, "snapshots", revision, ...file.split("/"));
  let real: string;
  let stat: fs.Stats;
  try {
    real = fs.realpathSync(snapshot);
    stat = fs.statSync(real);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) return undefined;
  const out: CachedFile = { path: real, size: stat.size };
  let blobsDir: string | undefined;
  try {
    blobsDir = fs.realpathSync(path.join(repoDir, "blobs"));
  } catch {
    blobsDir = undefined;
  }
  if (blobsDir && path.dirname(real) === blobsDir) {
    const id = path.basename(real).toLowerCase();
    if (isSha256(id)) out.sha256 = id;
    else if (isGitSha1(id)) out.gitSha1 = id;
  }
  return out;
}

/**
 * A blob of the repository by content id (sha256 or git blob id), whichever snapshot (revision) it came with:
 * files that did not change between commits share one blob, so a cache filled at another revision still helps.
 */
export function findCachedBlob(cacheDir: string, repo: string, id: string): CachedFile | undefined {
  const id_ = id.toLowerCase();
  if (!isSha256(id_) && !isGitSha1(id_)) return undefined;
  const file = path.join(repoCacheDir(cacheDir, repo), "blobs", id_);
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return undefined;
    return { path: file, size: stat.size, ...(isSha256(id_) ? { sha256: id_ } : { gitSha1: id_ }) };
  } catch {
    return undefined;
  }
}

/**
 * Puts a verified cached file at `dest`: a hard link when the cache is on the same disk (no extra space),
 * else a copy; either way through a temporary name and one rename.
 */
export async function placeFromCache(src: string, dest: string): Promise<"linked" | "copied"> {
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.cuesmith-tmp-${process.pid}`;
  await fs.promises.rm(tmp, { force: true });
  let how: "linked" | "copied";
  try {
    await fs.promises.link(src, tmp);
    how = "linked";
  } catch {
    await fs.promises.copyFile(src, tmp);
    how = "copied";
  }
  try {
    const [a, b] = await Promise.all([fs.promises.stat(src), fs.promises.stat(tmp)]);
    if (a.size !== b.size) throw new Error(`copy of ${src} is incomplete`);
    await fs.promises.rename(tmp, dest);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  return how;
}
