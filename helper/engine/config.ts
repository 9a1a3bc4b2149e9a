// The handful of numbers the engine needs from a MusicGen folder's config.json, checked on load.
import { enumOf, isPlainObject, num, object, ok, optional, type Checker } from "../../shared/protocol/validate";
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

// What the engine reads of a transformers-style MusicGen config.json, in the protocol's checkers; other keys are
// ignored (exporters add many).
const LENIENT = { unknownKeys: "strip" } as const;
const finite = num();
const anything: Checker<unknown> = (value) => ok(value);
const configFile = object(
  {
    model_type: enumOf(["musicgen"]),
    decoder_start_token_id: optional(finite),
    cuesmith_contract_model: optional(anything),
    decoder: object(
      {
        hidden_size: finite,
        num_attention_heads: finite,
        num_codebooks: finite,
        num_hidden_layers: finite,
        vocab_size: finite,
        pad_token_id: optional(finite),
        bos_token_id: optional(finite),
      },
      LENIENT,
    ),
    audio_encoder: object({ sampling_rate: finite, frame_rate: optional(finite) }, LENIENT),
  },
  LENIENT,
);

export function parseMusicgenConfig(raw: unknown, file = "config.json"): MusicgenConfig {
  const bad = (why: string) =>
    new EngineError(
      "model_corrupt",
      `${file} is not a MusicGen config: ${why}`,
      file,
      "re-fetch the model or check --model-dir",
    );
  if (!isPlainObject(raw)) throw bad("not a JSON object");
  const r = configFile(raw, "");
  if (!r.ok) throw bad(r.error.message);
  const { decoder: dec, audio_encoder: audio } = r.value;
  const sampleRate = audio.sampling_rate;
  const frameRate = audio.frame_rate ?? 50;
  const codebookSize = dec.vocab_size;
  const padToken = dec.pad_token_id ?? codebookSize;
  return {
    codebooks: dec.num_codebooks,
    codebookSize,
    padToken,
    decoderStartToken: r.value.decoder_start_token_id ?? dec.bos_token_id ?? padToken,
    layers: dec.num_hidden_layers,
    heads: dec.num_attention_heads,
    headDim: dec.hidden_size / dec.num_attention_heads,
    sampleRate,
    frameRate,
    hopLength: sampleRate / frameRate,
    contractModel: r.value.cuesmith_contract_model != null,
  };
}
