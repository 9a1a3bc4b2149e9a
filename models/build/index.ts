// Builds a MusicGen folder in exactly the published Xenova/musicgen-small layout whose graphs have the
// published input/output contract and deterministic random weights: the real engine runs on it, the audio
// is noise. "tiny" is for tests (seconds), "small" has the real dimensions (for benchmarks, ~2.3 GB).
import * as fs from "node:fs";
import * as path from "node:path";
import type { onnx } from "onnx-proto";
import { CONFIG_FILES, ONNX_DIR, ONNX_FILES } from "../layout";
import { GENERATION_CONFIG, musicgenConfig, PREPROCESSOR_CONFIG } from "./configs";
import { buildDecoder } from "./decoder";
import { DIMS, ModelDims } from "./dims";
import { buildEncodec } from "./encodec";
import { encodeModel, ExternalDataWriter, ModelBuilder } from "./graph";
import { Weights } from "./nn";
import { WeightRandom } from "./random";
import { buildTextEncoder } from "./text-encoder";
import { buildTokenizer } from "./tokenizer";
import { prepareDecoders } from "../transform";

export type TestModelSize = "tiny" | "small";

export interface BuildTestModelOptions {
  size: TestModelSize;
  outDir: string;
  /** Weight seed, default 0: same seed, byte-identical files. */
  seed?: number;
  /** Decoder files to write, default ["fp32"]; "q8" adds decoder_model_merged_quantized.onnx. */
  variants?: ("fp32" | "q8")[];
  /** Write the flat rewrite of each decoder, as a fetch does (models/transform). Default true. */
  flat?: boolean;
  /**
   * Also derive decoder_model_merged_quantized.onnx from fp32 when "q8" is not built, as a fetch of fp32 does.
   * Default false: the built q8 (same weights, quantized at build time) is the reference for tests.
   */
  quantizeFromFp32?: boolean;
  onProgress?: (msg: string) => void;
}

/** Bump whenever a graph, weight or config changes: tests cache built models under this version. */
export const BUILDER_VERSION = "4";

interface GraphJob {
  file: string;
  /** Weight namespace: the fp32 and q8 decoders share it, hence the same weights. */
  namespace: string;
  quantize: boolean;
  build: (model: ModelBuilder, w: Weights) => onnx.IGraphProto;
}

export async function buildTestModel(opts: BuildTestModelOptions): Promise<void> {
  const { size, seed = 0, variants = ["fp32"], flat = true, quantizeFromFp32 = false, onProgress = () => {} } = opts;
  if (!(size in DIMS)) throw new Error(`unknown test model size ${JSON.stringify(size)}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error("seed must be an integer in [0, 2^32)");
  const dims: ModelDims = structuredClone(DIMS[size]);
  const tokenizer = buildTokenizer();
  if (dims.text.vocab === 0) dims.text.vocab = tokenizer.vocabSize;

  const target = path.resolve(opts.outDir);
  // a temp sibling on the same file system, so the final rename is atomic
  const tmp = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`;
  fs.mkdirSync(path.join(tmp, ONNX_DIR), { recursive: true });
  try {
    const json: Record<(typeof CONFIG_FILES)[number], object> = {
      "config.json": musicgenConfig(dims, { size, seed, builder_version: BUILDER_VERSION }),
      "generation_config.json": GENERATION_CONFIG,
      "preprocessor_config.json": PREPROCESSOR_CONFIG,
      "tokenizer.json": tokenizer.tokenizerJson,
      "tokenizer_config.json": tokenizer.tokenizerConfig,
      "special_tokens_map.json": tokenizer.specialTokensMap,
    };
    for (const name of CONFIG_FILES) fs.writeFileSync(path.join(tmp, name), JSON.stringify(json[name], null, 2) + "\n");

    const jobs: GraphJob[] = [
      {
        file: ONNX_FILES.textEncoder,
        namespace: "text_encoder",
        quantize: false,
        build: (m, w) => buildTextEncoder(m, w, dims.text),
      },
      ...[...new Set(variants)].map((v): GraphJob => ({
        file: ONNX_FILES.decoder[v],
        namespace: "decoder",
        quantize: v === "q8",
        build: (m, w) => buildDecoder(m, w, dims.decoder, dims.text.dModel),
      })),
      {
        file: ONNX_FILES.encodec,
        namespace: "encodec",
        quantize: false,
        build: (m, w) => buildEncodec(m, w, dims.encodec),
      },
    ];
    for (const job of jobs) {
      onProgress(`building ${ONNX_DIR}/${job.file} (${size}, seed ${seed})`);
      const file = path.join(tmp, ONNX_DIR, job.file);
      // real-size weights are streamed to <file>_data as they are generated, never held in one protobuf
      const external = size === "small" ? new ExternalDataWriter(`${file}_data`, `${job.file}_data`) : undefined;
      try {
        const model = new ModelBuilder(external);
        const graph = job.build(model, new Weights(model, new WeightRandom(seed, job.namespace), job.quantize));
        fs.writeFileSync(
          file,
          encodeModel(graph, {
            microsoft: job.quantize,
            docString: `cuesmith contract model (${size}, seed ${seed}, builder ${BUILDER_VERSION}): random weights`,
          }),
        );
      } finally {
        external?.close();
      }
      await new Promise((resolve) => setImmediate(resolve)); // let timers and progress output through
    }

    if (flat || quantizeFromFp32) {
      const derived = await prepareDecoders(tmp, { quantizeFromFp32, flat, onProgress });
      if (derived.errors.length)
        throw new Error(`deriving decoders failed: ${derived.errors.map((e) => `${e.file}: ${e.message}`).join("; ")}`);
    }

    try {
      fs.renameSync(tmp, target);
    } catch (err) {
      // someone (another jest worker) finished the same folder first: theirs is as good as ours
      if (!fs.existsSync(path.join(target, "config.json"))) throw err;
      fs.rmSync(tmp, { recursive: true, force: true });
      onProgress(`${target} already built elsewhere; kept it`);
      return;
    }
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  onProgress(`wrote ${target}`);
}
