// The `models` step: fetch (hub, HF cache reuse, resume, verify), list and verify installed model folders.
export { fetchModel } from "./fetch-model";
export type { FetchAction, FetchedFile, FetchModelOptions, FetchResult } from "./fetch-model";
export { listInstalled, verifyModel, reportError, approxSizeOk } from "./verify";
export type { FileCheck, FileStatus, InstalledModel, VerifyOptions, VerifyReport } from "./verify";
export { ModelFileError, fetchCommand, refetchFix, OFFLINE_FIX } from "./errors";
export type { ModelFileErrorCode } from "./errors";
export { ProgressBar, stderrProgressBar, formatBytes } from "./progress";
export type { FetchPhase, FetchProgress, ProgressBarOptions } from "./progress";
export { defaultHfCacheDir, findCachedFile } from "./hf-cache";
export { LOCK_FILE, readLock } from "./lock";
export type { LockEntry, ModelLock, VerifiedBy } from "./lock";
export { hashFile } from "./hash";
