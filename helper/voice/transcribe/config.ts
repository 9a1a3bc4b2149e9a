// What the loop needs from config.json, generation_config.json and preprocessor_config.json. Every id comes
// from the files (the real whisper-base and the tiny contract model have different vocabularies).
import { WhisperModelError } from "./errors";

export interface WhisperConfig {
  dModel: number;
  decoderLayers: number;
  decoderHeads: number;
  headDim: number;
  vocabSize: number;
  maxTargetPositions: number;
  /** Encoder positions (1500): input frames / 2. */
  maxSourcePositions: number;
  eos: number;
  decoderStart: number;
  noTimestamps: number;
  /** The first timestamp token, <|0.00|> (= no_timestamps + 1, as Whisper defines it). */
  timestampBegin: number;
  /** Language token ("<|en|>") -> id, in the file's order. */
  langToId: Record<string, number>;
  taskToId: Record<string, number>;
  suppressTokens: number[];
  beginSuppressTokens: number[];
  maxInitialTimestampIndex: number | null;
  isMultilingual: boolean;
}

export interface FeatureConfig {
  featureSize: number;
  nFft: number;
  hopLength: number;
  chunkLength: number;
  samplingRate: number;
  /** Samples per window (chunk_length · sampling_rate). */
  nSamples: number;
  /** Mel frames per window (3000). */
  nbMaxFrames: number;
}

type Json = Record<string, unknown>;

function num(obj: Json, key: string, file: string, fallback?: number): number {
  const v = obj[key] ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new WhisperModelError("whisper_corrupt", `${file} has no numeric "${key}"`, file);
  return v;
}

function ids(v: unknown): number[] {
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === "number") : [];
}

export function parseWhisperConfig(config: Json, generation: Json): WhisperConfig {
  const c = "config.json";
  const g = "generation_config.json";
  const dModel = num(config, "d_model", c);
  const decoderHeads = num(config, "decoder_attention_heads", c);
  const noTimestamps = num(generation, "no_timestamps_token_id", g);
  const eosRaw = generation.eos_token_id ?? config.eos_token_id;
  const eos = Array.isArray(eosRaw) ? Number(eosRaw[0]) : Number(eosRaw);
  if (!Number.isInteger(eos)) throw new WhisperModelError("whisper_corrupt", `${g} has no "eos_token_id"`, g);
  const langToId = (generation.lang_to_id ?? {}) as Record<string, number>;
  const taskToId = (generation.task_to_id ?? {}) as Record<string, number>;
  const isMultilingual = generation.is_multilingual === true || Object.keys(langToId).length > 0;
  if (isMultilingual && (Object.keys(langToId).length === 0 || taskToId.transcribe === undefined)) {
    throw new WhisperModelError(
      "whisper_corrupt",
      `${g} lacks "lang_to_id" or "task_to_id" for a multilingual model`,
      g,
    );
  }
  const mit = generation.max_initial_timestamp_index;
  return {
    dModel,
    decoderLayers: num(config, "decoder_layers", c),
    decoderHeads,
    headDim: dModel / decoderHeads,
    vocabSize: num(config, "vocab_size", c),
    maxTargetPositions: num(config, "max_target_positions", c, 448),
    maxSourcePositions: num(config, "max_source_positions", c, 1500),
    eos,
    decoderStart: num(generation, "decoder_start_token_id", g, config.decoder_start_token_id as number),
    noTimestamps,
    timestampBegin: noTimestamps + 1,
    langToId,
    taskToId,
    suppressTokens: ids(generation.suppress_tokens ?? config.suppress_tokens),
    beginSuppressTokens: ids(generation.begin_suppress_tokens ?? config.begin_suppress_tokens),
    maxInitialTimestampIndex: typeof mit === "number" ? mit : null,
    isMultilingual,
  };
}

export function parseFeatureConfig(pre: Json): FeatureConfig {
  const f = "preprocessor_config.json";
  const samplingRate = num(pre, "sampling_rate", f, 16000);
  const chunkLength = num(pre, "chunk_length", f, 30);
  const hopLength = num(pre, "hop_length", f, 160);
  const nSamples = num(pre, "n_samples", f, chunkLength * samplingRate);
  return {
    featureSize: num(pre, "feature_size", f, 80),
    nFft: num(pre, "n_fft", f, 400),
    hopLength,
    chunkLength,
    samplingRate,
    nSamples,
    nbMaxFrames: num(pre, "nb_max_frames", f, nSamples / hopLength),
  };
}
