// Install-time rewrites of a model folder's decoders (run after a fetch and by the contract-model builder):
// the flat variant of every installed decoder, and optionally an int8 decoder quantized from fp32.
import * as fs from "node:fs";
import * as path from "node:path";
import type { onnx } from "onnx-proto";
import { DecoderVariant, ONNX_DIR, ONNX_FILES } from "../layout";
import { FLAT_LAYOUTS, FlatLayout, flattenDecoder } from "./flat-decoder";
import { externalFiles, readModelByReference, sourcesUnchanged, stampSources, writeModel } from "./onnx-file";
import { quantizeDecoderFile } from "./quantize";
import { CompareOptions, ensureVerifiedFlat, VerifiedDecoder } from "./self-check";

export type { FlatLayout } from "./flat-decoder";
export {
  flattenDecoder,
  newSliceName,
  PAST_LENGTH,
  FLAT_LAYOUT_KEY,
  FLAT_REASON_KEY,
  FLAT_LAYOUTS,
} from "./flat-decoder";
export { sourcesUnchanged } from "./onnx-file";
export { compareDecoders, decoderDims, readCheckRecord, SELF_CHECK_TOLERANCE, selfCheckFlat } from "./self-check";
export type { SelfCheckResult, VerifiedDecoder } from "./self-check";

/** Chosen by measurement (bench/RESULTS.md, "Per-step decoder time"); the others are fallbacks, in FLAT_LAYOUTS order. */
export const DEFAULT_FLAT_LAYOUT: FlatLayout = "in-place";

/**
 * Writes onnx/<flat file> for `variant` next to its source; the weights stay where they are (referenced). Tries
 * `layout` and then each later layout of FLAT_LAYOUTS; the file records the layout it got and why. Throws when
 * none applies (the engine then runs the published graph).
 */
export function writeFlatDecoder(
  dir: string,
  variant: DecoderVariant,
  layout: FlatLayout = DEFAULT_FLAT_LAYOUT,
): string {
  const onnxDir = path.join(dir, ONNX_DIR);
  const source = path.join(onnxDir, ONNX_FILES.decoder[variant]);
  const target = path.join(onnxDir, ONNX_FILES.decoderFlat[variant]);
  let model: onnx.IModelProto | undefined;
  const failures: string[] = [];
  for (const candidate of FLAT_LAYOUTS.slice(FLAT_LAYOUTS.indexOf(layout))) {
    try {
      const why = failures.length
        ? `${failures[failures.length - 1]}`
        : candidate === layout && layout !== DEFAULT_FLAT_LAYOUT
          ? `${layout} requested`
          : "";
      model = flattenDecoder(readModelByReference(source), candidate, why);
      break;
    } catch (err) {
      failures.push(`${candidate} does not apply: ${(err as Error).message}`);
    }
  }
  if (!model) throw new Error(failures.join("; "));
  model.producerName = "cuesmith-transform";
  stampSources(model, onnxDir, externalFiles(model));
  writeModel(target, model);
  return target;
}

/**
 * The flat decoder of `variant` after its self-check on these weights (self-check.ts): checked (once per version of
 * the file), or replaced by the next layout, or deleted (then "published"). One `log` line per fallback.
 */
export function verifyFlatDecoder(
  dir: string,
  variant: DecoderVariant,
  opts: CompareOptions & { log?: (line: string) => void } = {},
): Promise<VerifiedDecoder> {
  return ensureVerifiedFlat(dir, variant, { ...opts, rewrite: (d, v, layout) => void writeFlatDecoder(d, v, layout) });
}

export interface PrepareOptions {
  /** Write decoder_model_merged_quantized.onnx from the fp32 decoder when only fp32 is installed. Default true. */
  quantizeFromFp32?: boolean;
  /** Write the flat rewrites. Default true. */
  flat?: boolean;
  /** Check each flat rewrite against the published graph on these weights (self-check.ts). Default true. */
  selfCheck?: boolean;
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
  const { quantizeFromFp32 = true, flat = true, selfCheck = true, onProgress = () => {} } = opts;
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
    if (!selfCheck || !has(flat)) continue;
    onProgress(`checking ${ONNX_DIR}/${flat} against ${ONNX_FILES.decoder[variant]}`);
    const verified = await verifyFlatDecoder(dir, variant, { log: onProgress });
    if (verified.layout === "published") {
      result.written = result.written.filter((f) => f !== `${ONNX_DIR}/${flat}`);
      result.errors.push({ file: `${ONNX_DIR}/${flat}`, message: verified.reason });
    }
  }
  return result;
}
