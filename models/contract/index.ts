// `cuesmith models build-test`: a folder in exactly the published Xenova/musicgen-small layout whose graphs
// have the published input/output contract and deterministic random weights. Its audio is noise.
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_FILES, ONNX_DIR, ONNX_FILES } from "../layout";
import { GENERATION_CONFIG, musicgenConfig, PREPROCESSOR_CONFIG } from "./configs";
import { buildDecoder } from "./decoder";
import { DIMS } from "./dims";
import { buildEncodec } from "./encodec";
import { ExternalData, GraphBuilder, saveModel } from "./graph";
import { WeightRng } from "./random";
import { buildTextEncoder } from "./text-encoder";
import { buildTokenizerJson, SPECIAL_TOKENS_MAP, TOKENIZER_CONFIG } from "./tokenizer";

export type TestModelSize = "tiny" | "small";

/** Bumped whenever a graph or config changes, so cached test models are rebuilt. */
export const BUILDER_VERSION = "1";

export interface BuildTestModelOptions {
  size: TestModelSize;
  outDir: string;
  seed?: number;
  onProgress?: (msg: string) => void;
}

export async function buildTestModel({ size, outDir, seed = 0, onProgress = () => {} }: BuildTestModelOptions): Promise<void> {
  const dims = structuredClone(DIMS[size]);
  const { json: tokenizer, vocabSize } = buildTokenizerJson();
  if (size === "tiny") dims.text.vocab = vocabSize;
  const target = path.resolve(outDir);
  const tmp = `${target}.building-${process.pid}-${Date.now()}`;
  fs.mkdirSync(path.join(tmp, ONNX_DIR), { recursive: true });
  try {
    const write = (name: (typeof CONFIG_FILES)[number], obj: object) => fs.writeFileSync(path.join(tmp, name), JSON.stringify(obj, null, 2));
    write("config.json", musicgenConfig(dims, dims.text.vocab, { size, seed, builder_version: BUILDER_VERSION, note: "random weights: output is noise" }));
    write("generation_config.json", GENERATION_CONFIG);
    write("preprocessor_config.json", PREPROCESSOR_CONFIG);
    write("tokenizer.json", tokenizer);
    write("tokenizer_config.json", TOKENIZER_CONFIG);
    write("special_tokens_map.json", SPECIAL_TOKENS_MAP);

    // Each graph gets its own seed stream so that changing one graph leaves the others' weights alone.
    const graphs: [string, (g: GraphBuilder, rng: WeightRng) => void][] = [
      [ONNX_FILES.textEncoder, (g, rng) => buildTextEncoder(g, dims.text, rng)],
      [ONNX_FILES.decoder.fp32, (g, rng) => buildDecoder(g, dims.decoder, dims.text.dModel, rng)],
      [ONNX_FILES.encodec, (g, rng) => buildEncodec(g, dims.encodec, rng)],
    ];
    graphs.forEach(([file, build], i) => {
      onProgress(`building ${file} (${size})`);
      const onnxPath = path.join(tmp, ONNX_DIR, file);
      // large models keep their weights in external data, as the published export does
      const external = size === "small" ? new ExternalData(`${onnxPath}_data`, `${file}_data`) : undefined;
      const g = new GraphBuilder(file.replace(".onnx", ""), external);
      build(g, new WeightRng(seed * 7919 + i));
      external?.close();
      saveModel(onnxPath, g.toGraph());
    });
    try {
      fs.renameSync(tmp, target);
    } catch (err) {
      // another process built the same folder first: keep theirs
      if (!fs.existsSync(path.join(target, "config.json"))) throw err;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  onProgress(`wrote ${target}`);
}
