// The handful of numbers the engine needs from a MusicGen folder's config.json, checked on load.
import { EngineError } from "./errors";

export interface MusicgenConfig {
  codebooks: number;
  /** Entries per codebook; the pad / decoder-start token is this value (2048). */
  codebookSize: number;
  padToken: number;
  decoderStartToken: number;
  layers: number;
  heads: number;
  headDim: number;
  sampleRate: number;
  frameRate: number;
  /** Audio samples per EnCodec frame (640 for 32 kHz at 50 Hz). */
  hopLength: number;
  /** True for the random-weight models built by `cuesmith models build-test`. */
  contractModel: boolean;
}

type Json = Record<string, unknown>;

export function parseMusicgenConfig(raw: unknown, file = "config.json"): MusicgenConfig {
  const bad = (why: string) =>
    new EngineError(
      "model_corrupt",
      `${file} is not a MusicGen config: ${why}`,
      file,
      "re-fetch the model or check --model-dir",
    );
  if (!raw || typeof raw !== "object") throw bad("not a JSON object");
  const cfg = raw as Json;
  if (cfg.model_type !== "musicgen") throw bad(`model_type is ${JSON.stringify(cfg.model_type)}`);
  const dec = cfg.decoder as Json | undefined;
  const audio = cfg.audio_encoder as Json | undefined;
  if (!dec || !audio) throw bad("missing decoder or audio_encoder section");
  const num = (o: Json, key: string, fallback?: number): number => {
    const v = o[key] ?? fallback;
    if (typeof v !== "number" || !Number.isFinite(v)) throw bad(`${key} is missing or not a number`);
    return v;
  };
  const hidden = num(dec, "hidden_size");
  const heads = num(dec, "num_attention_heads");
  const sampleRate = num(audio, "sampling_rate");
  const frameRate = num(audio, "frame_rate", 50);
  const codebookSize = num(dec, "vocab_size");
  const padToken = num(dec, "pad_token_id", codebookSize);
  return {
    codebooks: num(dec, "num_codebooks"),
    codebookSize,
    padToken,
    decoderStartToken: num(cfg, "decoder_start_token_id", num(dec, "bos_token_id", padToken)),
    layers: num(dec, "num_hidden_layers"),
    heads,
    headDim: hidden / heads,
    sampleRate,
    frameRate,
    hopLength: sampleRate / frameRate,
    contractModel: cfg.cuesmith_contract_model != null,
  };
}
