// Opens a Whisper folder in the published onnx-community/whisper-base layout: configs, tokenizer and the
// encoder and merged-decoder sessions (fp32, or the *_quantized.onnx files when only those are there).
import * as fs from "node:fs";
import * as path from "node:path";
import type * as ort from "onnxruntime-node";
import type { Tokenizer as TokenizerClass } from "@huggingface/tokenizers" with { "resolution-mode": "import" };
import { openSession, ProviderName } from "../../engine/providers";
import { FeatureConfig, parseFeatureConfig, parseWhisperConfig, WhisperConfig } from "./config";
import { WHISPER_FETCH_HINT, WhisperModelError } from "./errors";
import { LogMelExtractor } from "./features";
import { resolveWhisperFiles, WhisperVariant } from "./layout";

// The package is typed as ESM but ships a CommonJS build that Node's require resolves to.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tokenizer } = require("@huggingface/tokenizers") as { Tokenizer: typeof TokenizerClass };

export interface WhisperModel {
  dir: string;
  config: WhisperConfig;
  features: FeatureConfig;
  extractor: LogMelExtractor;
  /** Decodes text token ids (specials are filtered out before). */
  decodeText: (ids: number[]) => string;
  encoder: ort.InferenceSession;
  decoder: ort.InferenceSession;
  files: { encoder: string; decoder: string };
  provider: ProviderName;
}

export interface LoadWhisperOptions {
  variant?: WhisperVariant | "auto";
  providers?: ProviderName[];
  threads?: number;
}

function readJson(dir: string, name: string): Record<string, unknown> {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new WhisperModelError("whisper_missing", `${name} is missing in ${dir}`, name);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new WhisperModelError("whisper_corrupt", `${name} in ${dir} is not valid JSON`, name);
  }
}

export async function loadWhisper(dir: string, options: LoadWhisperOptions = {}): Promise<WhisperModel> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new WhisperModelError(
      "whisper_missing",
      `Whisper model folder ${dir} does not exist`,
      dir,
      WHISPER_FETCH_HINT,
    );
  }
  const config = parseWhisperConfig(readJson(dir, "config.json"), readJson(dir, "generation_config.json"));
  const features = parseFeatureConfig(readJson(dir, "preprocessor_config.json"));
  if (features.featureSize !== 80 && features.featureSize !== 128) {
    throw new WhisperModelError(
      "whisper_corrupt",
      `preprocessor_config.json in ${dir} has feature_size ${features.featureSize}`,
      "preprocessor_config.json",
    );
  }
  let tokenizer: TokenizerClass;
  try {
    tokenizer = new Tokenizer(readJson(dir, "tokenizer.json"), readJson(dir, "tokenizer_config.json"));
  } catch (err) {
    if (err instanceof WhisperModelError) throw err;
    throw new WhisperModelError(
      "whisper_corrupt",
      `tokenizer.json in ${dir} cannot be loaded (${(err as Error).message})`,
      "tokenizer.json",
    );
  }
  const files = resolveWhisperFiles(dir, options.variant);
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
  };
  const open = async (rel: string) => {
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) throw new WhisperModelError("whisper_missing", `${rel} is missing in ${dir}`, rel);
    try {
      return await openSession(file, options.providers ?? ["cpu"], sessionOptions);
    } catch (err) {
      throw new WhisperModelError(
        "whisper_corrupt",
        `${rel} in ${dir} cannot be loaded (${String((err as Error).message)
          .split("\n")[0]
          .slice(0, 300)})`,
        rel,
      );
    }
  };
  const encoder = await open(files.encoder);
  const decoder = await open(files.decoder);
  for (const name of [
    "input_ids",
    "encoder_hidden_states",
    "use_cache_branch",
    "past_key_values.0.decoder.key",
    "past_key_values.0.encoder.key",
  ]) {
    if (!decoder.session.inputNames.includes(name)) {
      throw new WhisperModelError(
        "whisper_corrupt",
        `${files.decoder} in ${dir} is not a merged Whisper decoder (no input "${name}")`,
        files.decoder,
      );
    }
  }
  return {
    dir,
    config,
    features,
    extractor: new LogMelExtractor(features),
    decodeText: (ids) => tokenizer.decode(ids),
    encoder: encoder.session,
    decoder: decoder.session,
    files,
    provider: decoder.provider,
  };
}
