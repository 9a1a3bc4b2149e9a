// The one error type of the model fetch/verify step. It names the file (relative, POSIX separators) and the
// fix, so the CLI, the helper and the engine loader can print one clear line.

import { CuesmithError } from "../../shared/errors";

export type ModelFileErrorCode =
  | "missing" // a required file is not there
  | "wrong_size" // there, but not the published size
  | "wrong_hash" // right size, wrong sha256 (or a download that did not match)
  | "offline" // the hub cannot be reached at all (DNS, refused, connect timeout)
  | "network" // the connection broke or stalled mid-transfer
  | "http" // the hub answered with an error status
  | "hub_mismatch" // the hub (or mirror) publishes something other than the manifest pins
  | "unknown_model" // no such model in the manifest
  | "aborted" // cancelled by the caller's AbortSignal
  | "io"; // local disk trouble (permissions, disk full)

export class ModelFileError extends CuesmithError<ModelFileErrorCode> {
  constructor(
    code: ModelFileErrorCode,
    message: string,
    /** The file concerned, relative to the model folder (e.g. `onnx/encodec_decode.onnx`). */
    readonly file?: string,
    /** What to do about it, one sentence. */
    fix?: string,
  ) {
    super(code, message, { fix });
  }
}

/** `npx cuesmith models fetch NAME`, with `--dest DIR` when the folder is not the default one. */
export function fetchCommand(modelName: string, dest?: string): string {
  const quoted = dest && /[\s"'$`\\]/.test(dest) ? JSON.stringify(dest) : dest;
  return `npx cuesmith models fetch ${modelName}${dest ? ` --dest ${quoted}` : ""}`;
}

/** The standard fix line for a damaged or incomplete model folder. */
export function refetchFix(modelName: string, dest?: string): string {
  return `run \`${fetchCommand(modelName, dest)}\` or pass --model-dir with a folder in the published layout`;
}

/** The standard "no network" fix: the ways to get the files without reaching the hub. */
export const OFFLINE_FIX =
  "no network connection to the model hub; get the files another way: copy a model folder in the published layout " +
  "(see docs/models.md) to this machine and pass --model-dir DIR, or set HF_ENDPOINT to a reachable mirror";
