// The on-disk layout of a MusicGen model folder, exactly as published in Xenova/musicgen-small.
// The fetcher writes it, the contract-model builder writes it, the engine loads it.
import * as path from "node:path";

/** Decoder weight variants: "fp32" is `decoder_model_merged.onnx`, "q8" the published 8-bit file. */
export type DecoderVariant = "fp32" | "q8";

export const CONFIG_FILES = [
  "config.json",
  "generation_config.json",
  "preprocessor_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
] as const;

export const ONNX_DIR = "onnx";

export const ONNX_FILES = {
  textEncoder: "text_encoder.onnx",
  decoder: { fp32: "decoder_model_merged.onnx", q8: "decoder_model_merged_quantized.onnx" },
  /** Our install-time rewrite of each decoder (models/transform): returns only the new K/V slice per step. */
  decoderFlat: { fp32: "decoder_model_merged_flat.onnx", q8: "decoder_model_merged_quantized_flat.onnx" },
  encodec: "encodec_decode.onnx",
} as const;

/** Relative paths (POSIX separators) of every file a folder needs for one decoder variant. */
export function requiredFiles(variant: DecoderVariant): string[] {
  return [
    ...CONFIG_FILES,
    `${ONNX_DIR}/${ONNX_FILES.textEncoder}`,
    `${ONNX_DIR}/${ONNX_FILES.decoder[variant]}`,
    `${ONNX_DIR}/${ONNX_FILES.encodec}`,
  ];
}

export interface ModelPaths {
  dir: string;
  config: string;
  generationConfig: string;
  tokenizer: string;
  textEncoder: string;
  decoder: string;
  /** The flat rewrite of `decoder`; may be absent (the engine then runs `decoder`). */
  decoderFlat: string;
  encodec: string;
}

export function modelPaths(dir: string, variant: DecoderVariant = "fp32"): ModelPaths {
  const onnx = (f: string) => path.join(dir, ONNX_DIR, f);
  return {
    dir,
    config: path.join(dir, "config.json"),
    generationConfig: path.join(dir, "generation_config.json"),
    tokenizer: path.join(dir, "tokenizer.json"),
    textEncoder: onnx(ONNX_FILES.textEncoder),
    decoder: onnx(ONNX_FILES.decoder[variant]),
    decoderFlat: onnx(ONNX_FILES.decoderFlat[variant]),
    encodec: onnx(ONNX_FILES.encodec),
  };
}
