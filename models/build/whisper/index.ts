// Builds a Whisper folder in the published onnx-community/whisper-base layout whose graphs have the published
// input/output contract and deterministic random weights: the real transcription loop runs on it, the text is
// gibberish. Tiny dimensions only (seconds to build and run).
import * as fs from "node:fs";
import * as path from "node:path";
import type { onnx } from "onnx-proto";
import { encodeModel, ModelBuilder } from "../graph";
import { Weights } from "../nn";
import { WeightRandom } from "../random";
import {
  WHISPER_CONFIG_FILES,
  WHISPER_ONNX_DIR,
  WHISPER_ONNX_FILES,
  WhisperVariant,
} from "../../../helper/voice/transcribe/layout";
import { whisperConfig, whisperGenerationConfig, whisperTokenizerConfig, WHISPER_PREPROCESSOR_CONFIG } from "./configs";
import { buildWhisperDecoder } from "./decoder";
import { TINY_DIMS } from "./dims";
import { buildEncoder } from "./encoder";
import { buildTokenizerJson, buildVocab } from "./tokenizer";

/** Bump whenever a graph, weight or config changes: tests cache built models under this version. */
export const WHISPER_BUILDER_VERSION = "2";

export interface BuildWhisperOptions {
  outDir: string;
  /** Weight seed, default 0: same seed, byte-identical files. */
  seed?: number;
  /** Default ["fp32"]; "q8" adds the *_quantized.onnx files (int8 DynamicQuantizeMatMul projections). */
  variants?: WhisperVariant[];
  onProgress?: (msg: string) => void;
}

export async function buildWhisperTestModel(opts: BuildWhisperOptions): Promise<void> {
  const { seed = 0, variants = ["fp32"], onProgress = () => {} } = opts;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error("seed must be an integer in [0, 2^32)");
  const dims = TINY_DIMS;
  const vocab = buildVocab();
  const target = path.resolve(opts.outDir);
  const tmp = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`;
  fs.mkdirSync(path.join(tmp, WHISPER_ONNX_DIR), { recursive: true });
  try {
    const json: Record<(typeof WHISPER_CONFIG_FILES)[number], object> = {
      "config.json": whisperConfig(dims, vocab, { size: "tiny", seed, builder_version: WHISPER_BUILDER_VERSION }),
      "generation_config.json": whisperGenerationConfig(vocab),
      "preprocessor_config.json": WHISPER_PREPROCESSOR_CONFIG,
      "tokenizer.json": buildTokenizerJson(vocab),
      "tokenizer_config.json": whisperTokenizerConfig(),
    };
    for (const name of WHISPER_CONFIG_FILES)
      fs.writeFileSync(path.join(tmp, name), JSON.stringify(json[name], null, 2) + "\n");

    const jobs: {
      file: string;
      namespace: string;
      quantize: boolean;
      build: (m: ModelBuilder, w: Weights) => onnx.IGraphProto;
    }[] = [];
    for (const v of [...new Set(variants)]) {
      const quantize = v === "q8";
      jobs.push({
        file: WHISPER_ONNX_FILES.encoder[v],
        namespace: "encoder",
        quantize,
        build: (m, w) => buildEncoder(m, w, dims),
      });
      jobs.push({
        file: WHISPER_ONNX_FILES.decoder[v],
        namespace: "decoder",
        quantize,
        build: (m, w) => buildWhisperDecoder(m, w, dims, vocab.tokens.length),
      });
    }
    for (const job of jobs) {
      onProgress(`building ${WHISPER_ONNX_DIR}/${job.file} (whisper tiny, seed ${seed})`);
      const model = new ModelBuilder();
      const graph = job.build(
        model,
        new Weights(model, new WeightRandom(seed, `whisper-${job.namespace}`), job.quantize),
      );
      fs.writeFileSync(
        path.join(tmp, WHISPER_ONNX_DIR, job.file),
        encodeModel(graph, {
          microsoft: job.quantize,
          docString: `cuesmith whisper contract model (tiny, seed ${seed}, builder ${WHISPER_BUILDER_VERSION}): random weights`,
        }),
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    try {
      fs.renameSync(tmp, target);
    } catch (err) {
      // another jest worker finished the same folder first: theirs is as good as ours
      if (!fs.existsSync(path.join(target, "config.json"))) throw err;
      fs.rmSync(tmp, { recursive: true, force: true });
      return;
    }
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  onProgress(`wrote ${target}`);
}
