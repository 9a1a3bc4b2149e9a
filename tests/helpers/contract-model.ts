// Tests share one tiny contract model per seed, built once into .cache/ (git-ignored) and reused across jest
// workers and runs. The folder name carries BUILDER_VERSION, so a graph change builds a fresh one.
import * as fs from "node:fs";
import * as path from "node:path";
import { BUILDER_VERSION, buildTestModel } from "../../models/build";
import { requiredFiles } from "../../models/layout";

export const TEST_MODELS_DIR = path.resolve(__dirname, "..", "..", ".cache", "test-models");

const building = new Map<string, Promise<string>>();

/** Path of the tiny fp32 contract model for `seed`, built on first use (atomically: parallel workers are safe). */
export async function tinyModelDir(seed = 0): Promise<string> {
  const dir = path.join(TEST_MODELS_DIR, `tiny-s${seed}-${BUILDER_VERSION}`);
  let pending = building.get(dir);
  if (!pending) {
    pending = (async () => {
      if (!requiredFiles("fp32").every((f) => fs.existsSync(path.join(dir, f)))) {
        // our builds appear complete or not at all: a partial folder is debris from something else
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(TEST_MODELS_DIR, { recursive: true });
        // buildTestModel renames a finished temp folder into place and keeps a folder another worker finished first
        await buildTestModel({ size: "tiny", outDir: dir, seed });
      }
      return dir;
    })();
    building.set(dir, pending);
    pending.catch(() => building.delete(dir));
  }
  return pending;
}
