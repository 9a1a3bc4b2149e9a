// Which emotion classifier the helper uses: the installed NLI model (loaded once, kept) when its folder is there,
// else the built-in lexicon. A folder named on purpose must load; a broken default install falls back, saying why.
import * as fs from "node:fs";
import * as path from "node:path";
import { emotionModelDir } from "../../config/paths";
import { residentLoader } from "../../util/resident";
import { lexiconClassifier, type EmotionClassifier } from "./classifier";
import { NliEmotionClassifier } from "./nli-classifier";

const resident = residentLoader((dir) => NliEmotionClassifier.load(dir));

export interface ChosenClassifier {
  classifier: EmotionClassifier;
  /** Why the installed model was not used (a broken default install). */
  error?: string;
}

/** `explicitDir`: a folder the caller named (must work); null: always the lexicon; undefined: the default folder if present. */
export async function installedEmotionClassifier(explicitDir?: string | null): Promise<ChosenClassifier> {
  if (explicitDir === null) return { classifier: lexiconClassifier };
  const dir = explicitDir ?? emotionModelDir();
  if (explicitDir === undefined && !fs.existsSync(path.join(dir, "config.json")))
    return { classifier: lexiconClassifier };
  try {
    return { classifier: await resident(dir) };
  } catch (err) {
    if (explicitDir !== undefined) throw err;
    return { classifier: lexiconClassifier, error: err instanceof Error ? err.message : String(err) };
  }
}
