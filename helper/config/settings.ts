// The helper's settings: embedded defaults, overridden by `<home>/config.json` (optional), then by CLI flags.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cuesmithHome, defaultModelDir } from "./paths";

export interface HelperSettings {
  host: string;
  port: number;
  /** Team mode: listen on all interfaces and require `token`. */
  lan: boolean;
  token?: string;
  modelName: string;
  modelDir: string;
  variant: "auto" | "fp32" | "q8";
  provider: string;
  /** Fetch the default model on first start when it is missing. */
  autoFetch: boolean;
  /** Where WAVs go when a job names no output folder. */
  outputDir: string;
  /** A job's output_dir must lie inside one of these (the user's home by default). */
  outputRoots: string[];
  cacheDir: string;
  cacheMaxBytes: number;
  /** Per-batch deadline in seconds; unset = derived from the warm-up's measured speed. */
  jobTimeoutSec?: number;
  maxBatch: number;
  maxQueue: number;
  allowedOrigins: string[];
  targetLufs: number;
  bedLevelDb: number;
  presetsFile: string;
  feedbackFile: string;
}

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
    targetLufs: -14,
    bedLevelDb: -12,
    presetsFile: path.join(home, "presets.json"),
    feedbackFile: path.join(home, "feedback.jsonl"),
  };
}

const TYPES: Record<keyof HelperSettings, "string" | "number" | "boolean" | "string[]"> = {
  host: "string",
  port: "number",
  lan: "boolean",
  token: "string",
  modelName: "string",
  modelDir: "string",
  variant: "string",
  provider: "string",
  autoFetch: "boolean",
  outputDir: "string",
  outputRoots: "string[]",
  cacheDir: "string",
  cacheMaxBytes: "number",
  jobTimeoutSec: "number",
  maxBatch: "number",
  maxQueue: "number",
  allowedOrigins: "string[]",
  targetLufs: "number",
  bedLevelDb: "number",
  presetsFile: "string",
  feedbackFile: "string",
};

/** Checks a partial settings object (from the config file or flags); throws naming the key and why. */
export function validateSettings(partial: Record<string, unknown>, source: string): Partial<HelperSettings> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) continue;
    const type = TYPES[key as keyof HelperSettings];
    if (!type) throw new Error(`${source}: unknown setting "${key}"`);
    const ok =
      type === "string[]" ? Array.isArray(value) && value.every((v) => typeof v === "string") : typeof value === type;
    if (!ok || (typeof value === "number" && !Number.isFinite(value)))
      throw new Error(`${source}: "${key}" must be ${type}`);
    out[key] = value;
  }
  const s = out as Partial<HelperSettings>;
  if (s.port !== undefined && !(Number.isInteger(s.port) && s.port >= 0 && s.port < 65536))
    throw new Error(`${source}: "port" must be 0-65535`);
  if (s.variant !== undefined && !["auto", "fp32", "q8"].includes(s.variant))
    throw new Error(`${source}: "variant" must be auto, fp32 or q8`);
  if (s.jobTimeoutSec !== undefined && !(s.jobTimeoutSec > 0))
    throw new Error(`${source}: "jobTimeoutSec" must be > 0`);
  if (s.maxBatch !== undefined && !(Number.isInteger(s.maxBatch) && s.maxBatch >= 1))
    throw new Error(`${source}: "maxBatch" must be an integer >= 1`);
  return s;
}

/** Defaults, then the config file (if present), then explicit overrides. */
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
  const settings = {
    ...defaultSettings(env),
    ...fromFile,
    ...validateSettings(overrides as Record<string, unknown>, "flags"),
  };
  if (settings.lan && !settings.token)
    throw new Error(
      '--lan needs a token (--token or "token" in config.json): the helper would otherwise be open to the network',
    );
  return settings;
}
