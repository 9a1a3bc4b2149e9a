// Where Cuesmith keeps its files on the user's machine. One root, overridable for tests and servers.
// It sits in models/ because the fetcher (models/fetch) installs into these folders; helper/config/paths.ts
// re-exports it for the daemon.
import * as os from "node:os";
import * as path from "node:path";

/** `$CUESMITH_HOME`, else `~/.cuesmith`. */
export function cuesmithHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CUESMITH_HOME ? path.resolve(env.CUESMITH_HOME) : path.join(os.homedir(), ".cuesmith");
}

/** Installed models live in `<home>/models/<name>` (e.g. `~/.cuesmith/models/musicgen-small`). */
export function modelsRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cuesmithHome(env), "models");
}

export function defaultModelDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(modelsRoot(env), name);
}

/** The Whisper model folder: `$CUESMITH_WHISPER_DIR`, else `<home>/models/whisper-base`. */
export function whisperModelDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CUESMITH_WHISPER_DIR ? path.resolve(env.CUESMITH_WHISPER_DIR) : defaultModelDir("whisper-base", env);
}

/** The optional emotion classifier folder: `$CUESMITH_EMOTION_DIR`, else `<home>/models/emotion-nli`. */
export function emotionModelDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CUESMITH_EMOTION_DIR ? path.resolve(env.CUESMITH_EMOTION_DIR) : defaultModelDir("emotion-nli", env);
}
