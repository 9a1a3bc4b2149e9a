// The helper's settings: embedded defaults, overridden by `<home>/config.json` (optional), then by CLI flags.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  DEFAULT_BED_LEVEL_DB,
  DEFAULT_LOUDNESS_LUFS,
  MAX_BED_LEVEL_DB,
  MAX_LOUDNESS_LUFS,
  MIN_BED_LEVEL_DB,
  MIN_LOUDNESS_LUFS,
} from "../../shared/protocol";
import {
  arrayOf,
  bool,
  enumOf,
  int,
  num,
  object,
  optional,
  partialShape,
  str,
  suggest,
  type Infer,
} from "../../shared/protocol/validate";
import { cuesmithHome, defaultModelDir } from "./paths";

/** Every setting with its checker: the settings' type comes from here, so a setting cannot be typed but unchecked. */
const SETTINGS_SHAPE = {
  host: str(),
  port: int(0, 65535),
  /** Team mode: listen on all interfaces and require `token`. */
  lan: bool(),
  token: optional(str()),
  modelName: str(),
  modelDir: str(),
  variant: enumOf(["auto", "fp32", "q8"]),
  provider: str(),
  /** Fetch the default model on first start when it is missing. */
  autoFetch: bool(),
  /** Where WAVs go when a job names no output folder. */
  outputDir: str(),
  /** A job's output_dir must lie inside one of these (the user's home by default). */
  outputRoots: arrayOf(str()),
  cacheDir: str(),
  cacheMaxBytes: num({ min: 0, unit: "bytes" }),
  /** Per-batch deadline in seconds; unset = derived from the warm-up's measured speed. */
  jobTimeoutSec: optional(num({ min: 0, minExclusive: true, unit: "seconds" })),
  maxBatch: num({ min: 1, integer: true }),
  maxQueue: num({ min: 1, integer: true }),
  allowedOrigins: arrayOf(str()),
  targetLufs: num({ min: MIN_LOUDNESS_LUFS, max: MAX_LOUDNESS_LUFS, unit: "LUFS" }),
  bedLevelDb: num({ min: MIN_BED_LEVEL_DB, max: MAX_BED_LEVEL_DB, unit: "dB" }),
  presetsFile: str(),
  feedbackFile: str(),
  /** Accept Windows network-share (UNC, `\\server\share\…`) media paths; off: opening one authenticates to that server. */
  allowUncMediaPaths: bool(),
};

export type HelperSettings = Infer<typeof SETTINGS_SHAPE>;

const SETTING_KEYS = Object.keys(SETTINGS_SHAPE);

/** The same checkers, every key optional: a config file or the flags set only some. */
const partialSettings = object(partialShape(SETTINGS_SHAPE));

export function defaultSettings(env: NodeJS.ProcessEnv = process.env): HelperSettings {
  const home = cuesmithHome(env);
  return {
    host: "127.0.0.1",
    port: 8001,
    lan: false,
    modelName: "musicgen-small",
    modelDir: defaultModelDir("musicgen-small", env),
    variant: "auto",
    provider: "auto",
    autoFetch: true,
    outputDir: path.join(home, "renders"),
    outputRoots: [os.homedir(), home, os.tmpdir()],
    cacheDir: path.join(home, "cache"),
    cacheMaxBytes: 2 * 1024 ** 3,
    maxBatch: 8,
    maxQueue: 64,
    allowedOrigins: [],
    targetLufs: DEFAULT_LOUDNESS_LUFS,
    bedLevelDb: DEFAULT_BED_LEVEL_DB,
    presetsFile: path.join(home, "presets.json"),
    feedbackFile: path.join(home, "feedback.jsonl"),
    allowUncMediaPaths: false,
  };
}

/** Checks a partial settings object (from the config file or flags); throws naming the key and why. */
export function validateSettings(partial: Record<string, unknown>, source: string): Partial<HelperSettings> {
  for (const key of Object.keys(partial)) {
    // "constructor" is not a setting: only the shape's own keys are
    if (partial[key] !== undefined && !SETTING_KEYS.includes(key)) {
      const hint = suggest(key, SETTING_KEYS);
      throw new Error(`${source}: unknown setting "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}`);
    }
  }
  const r = partialSettings(partial, "settings");
  if (!r.ok) throw new Error(`${source}: ${r.error.message.replace(/^settings\./, "")}`);
  return r.value as Partial<HelperSettings>;
}

/** The environment variable that may carry the `--lan` token (kept out of `ps`, unlike `--token`). */
export const TOKEN_ENV = "CUESMITH_TOKEN";

/** A token from `--token-file PATH`: the file's contents, trimmed (editors and `echo` add a line break). */
export function readTokenFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(
      `cannot read the token file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const token = text.trim();
  if (token === "") throw new Error(`the token file ${file} is empty`);
  return token;
}

/**
 * Defaults, then the config file (if present), then the environment (the token only), then explicit overrides.
 * The token's sources, strongest first: `--token` / `--token-file` (as overrides), `CUESMITH_TOKEN`, config.json.
 */
export function loadSettings(
  overrides: Partial<HelperSettings> = {},
  env: NodeJS.ProcessEnv = process.env,
): HelperSettings {
  const file = path.join(cuesmithHome(env), "config.json");
  let fromFile: Partial<HelperSettings> = {};
  if (fs.existsSync(file)) {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
      throw new Error(`${file} is not valid JSON (${(err as Error).message})`);
    }
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new Error(`${file} must hold a JSON object`);
    fromFile = validateSettings(raw as Record<string, unknown>, file);
  }
  const fromEnv: Partial<HelperSettings> = env[TOKEN_ENV]?.trim() ? { token: env[TOKEN_ENV].trim() } : {};
  const settings = {
    ...defaultSettings(env),
    ...fromFile,
    ...fromEnv,
    ...validateSettings(overrides as Record<string, unknown>, "flags"),
  };
  if (settings.lan && !settings.token) {
    throw new Error(
      `--lan needs a token (--token-file PATH, ${TOKEN_ENV}, --token, or "token" in config.json): the helper would otherwise be open to the network`,
    );
  }
  return settings;
}
