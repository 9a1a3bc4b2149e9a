// Tests share one tiny contract model per seed, built once into .cache/ (git-ignored) and reused across runs.
import * as fs from "node:fs";
import * as path from "node:path";
import { BUILDER_VERSION, buildTestModel } from "../../models/contract";

export async function tinyModelDir(seed = 0): Promise<string> {
  const dir = path.resolve(__dirname, "..", "..", ".cache", "test-models", `tiny-s${seed}-v${BUILDER_VERSION}`);
  if (!fs.existsSync(path.join(dir, "onnx", "encodec_decode.onnx"))) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    await buildTestModel({ size: "tiny", outDir: dir, seed });
  }
  return dir;
}
