// The on-disk layout of a Whisper model folder, as published in onnx-community/whisper-base (and
// Xenova/whisper-base): the fetcher, the contract-model builder and the loader all use these names.
import * as fs from "node:fs";
import * as path from "node:path";

export type WhisperVariant = "fp32" | "q8";

export const WHISPER_CONFIG_FILES = [
  "config.json",
  "generation_config.json",
  "preprocessor_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
] as const;

export const WHISPER_ONNX_DIR = "onnx";

export const WHISPER_ONNX_FILES = {
  encoder: { fp32: "encoder_model.onnx", q8: "encoder_model_quantized.onnx" },
  decoder: { fp32: "decoder_model_merged.onnx", q8: "decoder_model_merged_quantized.onnx" },
} as const;

/** The folder name under ~/.cuesmith/models and the manifest entry. */
export const WHISPER_MODEL_NAME = "whisper-base";

export function whisperRequiredFiles(variant: WhisperVariant): string[] {
  return [
    ...WHISPER_CONFIG_FILES,
    `${WHISPER_ONNX_DIR}/${WHISPER_ONNX_FILES.encoder[variant]}`,
    `${WHISPER_ONNX_DIR}/${WHISPER_ONNX_FILES.decoder[variant]}`,
  ];
}

/** Encoder and decoder are chosen separately: fp32 when present, else the quantized file (or as asked). */
export function resolveWhisperFiles(
  dir: string,
  variant: WhisperVariant | "auto" = "auto",
): { encoder: string; decoder: string } {
  const pick = (files: Record<WhisperVariant, string>) => {
    if (variant !== "auto") return files[variant];
    return fs.existsSync(path.join(dir, WHISPER_ONNX_DIR, files.fp32)) ||
      !fs.existsSync(path.join(dir, WHISPER_ONNX_DIR, files.q8))
      ? files.fp32
      : files.q8;
  };
  return {
    encoder: `${WHISPER_ONNX_DIR}/${pick(WHISPER_ONNX_FILES.encoder)}`,
    decoder: `${WHISPER_ONNX_DIR}/${pick(WHISPER_ONNX_FILES.decoder)}`,
  };
}

/** True when `dir` has the configs and one encoder and one decoder file: enough to try loading. */
export function isWhisperFolder(dir: string): boolean {
  if (!WHISPER_CONFIG_FILES.every((f) => fs.existsSync(path.join(dir, f)))) return false;
  const has = (files: Record<WhisperVariant, string>) =>
    Object.values(files).some((f) => fs.existsSync(path.join(dir, WHISPER_ONNX_DIR, f)));
  return has(WHISPER_ONNX_FILES.encoder) && has(WHISPER_ONNX_FILES.decoder);
}
