// Install-time rewrites of a model folder's decoders (run after a fetch and by the contract-model builder):
// the flat variant of every installed decoder, and optionally an int8 decoder quantized from fp32.
import * as fs from "node:fs";
import * as path from "node:path";
import type { onnx } from "onnx-proto";
import { DecoderVariant, ONNX_DIR, ONNX_FILES } from "../layout";
import { FlatLayout, flattenDecoder } from "./flat-decoder";
import { externalFiles, readModelByReference, sourcesUnchanged, stampSources, writeModel } from "./onnx-file";
import { quantizeDecoderFile } from "./quantize";

export type { FlatLayout } from "./flat-decoder";
export { flattenDecoder, newSliceName, PAST_LENGTH, FLAT_LAYOUT_KEY } from "./flat-decoder";
export { sourcesUnchanged } from "./onnx-file";

/** Chosen by measurement (bench/RESULTS.md, "Per-step decoder time"); falls back to "capacity" for graphs without the attention pattern. */
export const DEFAULT_FLAT_LAYOUT: FlatLayout = "in-place";

/** Writes onnx/<flat file> for `variant` next to its source; the weights stay where they are (referenced). */
export function writeFlatDecoder(
  dir: string,
  variant: DecoderVariant,
  layout: FlatLayout = DEFAULT_FLAT_LAYOUT,
): string {
  const onnxDir = path.join(dir, ONNX_DIR);
  const source = path.join(onnxDir, ONNX_FILES.decoder[variant]);
  const target = path.join(onnxDir, ONNX_FILES.decoderFlat[variant]);
  let model: onnx.IModelProto;
  try {
    model = flattenDecoder(readModelByReference(source), layout);
  } catch (err) {
    // the in-place attention needs one attention pattern; the capacity rewrite works on any merged decoder
    if (layout !== "in-place") throw err;
    model = flattenDecoder(readModelByReference(source), "capacity");
  }
  model.producerName = "cuesmith-transform";
  stampSources(model, onnxDir, externalFiles(model));
  writeModel(target, model);
  return target;
}

export interface PrepareOptions {
  /** Write decoder_model_merged_quantized.onnx from the fp32 decoder when only fp32 is installed. Default true. */
  quantizeFromFp32?: boolean;
  /** Write the flat rewrites. Default true. */
  flat?: boolean;
  layout?: FlatLayout;
  onProgress?: (msg: string) => void;
}

export interface PrepareResult {
  written: string[];
  /** Rewrites that failed (the folder still works with the published files). */
  errors: { file: string; message: string }[];
}

/** Brings a folder's derived decoders up to date; never throws for a decoder it cannot rewrite. */
export async function prepareDecoders(dir: string, opts: PrepareOptions = {}): Promise<PrepareResult> {
  const { quantizeFromFp32 = true, flat = true, onProgress = () => {} } = opts;
  const onnxDir = path.join(dir, ONNX_DIR);
  const has = (f: string) => fs.existsSync(path.join(onnxDir, f));
  const result: PrepareResult = { written: [], errors: [] };
  const attempt = async (file: string, job: () => void) => {
    onProgress(`writing ${ONNX_DIR}/${file}`);
    await new Promise((resolve) => setImmediate(resolve));
    try {
      job();
      result.written.push(`${ONNX_DIR}/${file}`);
    } catch (err) {
      result.errors.push({ file: `${ONNX_DIR}/${file}`, message: (err as Error).message });
    }
  };
  if (quantizeFromFp32 && has(ONNX_FILES.decoder.fp32) && !has(ONNX_FILES.decoder.q8)) {
    await attempt(ONNX_FILES.decoder.q8, () =>
      quantizeDecoderFile(path.join(onnxDir, ONNX_FILES.decoder.fp32), path.join(onnxDir, ONNX_FILES.decoder.q8)),
    );
  }
  for (const variant of flat ? (["fp32", "q8"] as const) : []) {
    const flat = ONNX_FILES.decoderFlat[variant];
    if (!has(ONNX_FILES.decoder[variant])) continue;
    if (has(flat) && sourcesUnchanged(path.join(onnxDir, flat))) continue;
    await attempt(flat, () => writeFlatDecoder(dir, variant, opts.layout));
  }
  return result;
}
