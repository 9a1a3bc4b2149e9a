// Model folders whose decoder was made by a real exporter: the tiny contract folder (text encoder, EnCodec,
// tokenizer) with decoder_model_merged.onnx replaced by a committed torch.onnx.export fixture
// (tests/fixtures/exported-decoder) and config.json's decoder section set to the fixture's dimensions.
// Built once per fixture into .cache/ (git-ignored); no flat file is written here (tests write the one they need).
import * as fs from "node:fs";
import * as path from "node:path";
import { BUILDER_VERSION, buildTestModel } from "../../models/build";
import { ONNX_DIR, ONNX_FILES } from "../../models/layout";
import { TEST_MODELS_DIR } from "./contract-model";

export const EXPORTED_FIXTURES = path.resolve(__dirname, "..", "fixtures", "exported-decoder");
export type ExportedAttention = "bart" | "sdpa-after" | "sdpa-before";
/** models/export/export_decoder.py's "tiny" size. */
export const EXPORTED_TINY = { layers: 2, hidden: 16, heads: 2, ffn: 32 };

/** A fresh folder (at `dir`, or under .cache/) with the exported `attention` decoder as its fp32 decoder. */
export async function exportedModelDir(
  attention: ExportedAttention,
  dir = path.join(TEST_MODELS_DIR, `exported-${attention}-${BUILDER_VERSION}`),
): Promise<string> {
  const decoder = path.join(dir, ONNX_DIR, ONNX_FILES.decoder.fp32);
  const fixture = path.join(EXPORTED_FIXTURES, `${attention}.onnx`);
  if (fs.existsSync(decoder) && fs.statSync(decoder).size === fs.statSync(fixture).size) return dir;
  // built beside and renamed into place, so an interrupted build never leaves a half-patched folder
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await buildTestModel({ size: "tiny", outDir: tmp, flat: false });
  fs.copyFileSync(fixture, path.join(tmp, ONNX_DIR, ONNX_FILES.decoder.fp32));
  const configFile = path.join(tmp, "config.json");
  const config = JSON.parse(fs.readFileSync(configFile, "utf8"));
  Object.assign(config.decoder, {
    num_hidden_layers: EXPORTED_TINY.layers,
    hidden_size: EXPORTED_TINY.hidden,
    num_attention_heads: EXPORTED_TINY.heads,
    ffn_dim: EXPORTED_TINY.ffn,
  });
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2) + "\n");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return dir;
}
