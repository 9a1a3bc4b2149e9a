// Tests share one tiny Whisper contract model per seed, built once into .cache/test-models (git-ignored) and
// reused across jest workers and runs. The folder name carries WHISPER_BUILDER_VERSION.
import * as fs from "node:fs";
import * as path from "node:path";
import { buildWhisperTestModel, WHISPER_BUILDER_VERSION } from "../../models/build/whisper";
import { whisperRequiredFiles } from "../../helper/voice/transcribe/layout";
import { TEST_MODELS_DIR } from "./contract-model";

const building = new Map<string, Promise<string>>();

/** Path of the tiny Whisper contract model (fp32 and q8 files) for `seed`, built on first use. */
export async function tinyWhisperDir(seed = 0): Promise<string> {
  const dir = path.join(TEST_MODELS_DIR, `whisper-tiny-v${WHISPER_BUILDER_VERSION}-s${seed}`);
  let pending = building.get(dir);
  if (!pending) {
    pending = (async () => {
      const complete = [...whisperRequiredFiles("fp32"), ...whisperRequiredFiles("q8")].every((f) =>
        fs.existsSync(path.join(dir, f)),
      );
      if (!complete) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(TEST_MODELS_DIR, { recursive: true });
        await buildWhisperTestModel({ outDir: dir, seed, variants: ["fp32", "q8"] });
      }
      return dir;
    })();
    building.set(dir, pending);
    pending.catch(() => building.delete(dir));
  }
  return pending;
}
