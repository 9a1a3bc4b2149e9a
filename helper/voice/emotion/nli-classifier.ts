// Zero-shot emotion with an NLI model (premise: the transcript; hypothesis: "The speaker sounds <emotion>."), the
// way Hugging Face's zero-shot pipeline does it: one entailment logit per emotion, softmaxed across the emotions.
// The transcript is split at its first contrast marker like the lexicon does: the main feeling before it, the
// undertone after. Loads the published ONNX export layout (config.json id2label, tokenizer.json, onnx/model*.onnx).
import * as fs from "node:fs";
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import type { Tokenizer as TokenizerClass } from "@huggingface/tokenizers" with { "resolution-mode": "import" };
import { contrastIndex, detectLanguage, type Evidence, type Scores, type TextEmotion } from "./analyze-text";
import { CuesmithError } from "../../../shared/errors";
import { padBatch } from "../../engine/tokenizer";
import type { EmotionClassifier } from "./classifier";
import { EMOTIONS, type Emotion } from "./lexicon";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tokenizer } = require("@huggingface/tokenizers") as { Tokenizer: typeof TokenizerClass };

/** Hypotheses per language: the model is multilingual, but a hypothesis in the premise's language reads best. */
const HYPOTHESIS: Record<"zh" | "en", (e: Emotion) => string> = {
  en: (e) => `The speaker sounds ${e}.`,
  zh: (e) => `说话的人听起来${ZH_LABEL[e]}。`,
};
const ZH_LABEL: Record<Emotion, string> = {
  enthusiastic: "很兴奋",
  calm: "很平静",
  tense: "很紧张",
  sad: "很难过",
  hopeful: "充满希望",
  playful: "很俏皮",
  serious: "很严肃",
  apologetic: "很抱歉",
};

/** Model files, best first: the 8-bit export is the one a CPU wants. */
export const NLI_MODEL_FILES = ["onnx/model_quantized.onnx", "onnx/model.onnx"];

/** "emotion_missing": a file of the folder is not there; "emotion_corrupt": it is there but not an NLI model. */
export type NliModelErrorCode = "emotion_missing" | "emotion_corrupt";

export class NliModelError extends CuesmithError<NliModelErrorCode> {
  constructor(code: NliModelErrorCode, message: string) {
    super(code, message);
  }
}

export class NliEmotionClassifier implements EmotionClassifier {
  private constructor(
    readonly name: string,
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: TokenizerClass,
    private readonly entailment: number,
    private readonly padId: number,
    private readonly maxLength: number,
  ) {}

  static async load(dir: string): Promise<NliEmotionClassifier> {
    const need = (file: string) => {
      const p = path.join(dir, file);
      if (!fs.existsSync(p))
        throw new NliModelError(
          "emotion_missing",
          `the emotion model folder ${dir} has no ${file}: fetch it with "npx cuesmith models fetch emotion-nli"`,
        );
      return p;
    };
    const config = JSON.parse(fs.readFileSync(need("config.json"), "utf8")) as { id2label?: Record<string, string> };
    const entry = Object.entries(config.id2label ?? {}).find(([, label]) => label.toLowerCase().startsWith("entail"));
    if (!entry)
      throw new NliModelError(
        "emotion_corrupt",
        `${path.join(dir, "config.json")}: id2label has no "entailment" label, so this is not an NLI model`,
      );
    const tokenizerConfig = fs.existsSync(path.join(dir, "tokenizer_config.json"))
      ? JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8"))
      : {};
    const tokenizer = new Tokenizer(JSON.parse(fs.readFileSync(need("tokenizer.json"), "utf8")), tokenizerConfig);
    const modelFile = NLI_MODEL_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!modelFile)
      throw new NliModelError(
        "emotion_missing",
        `the emotion model folder ${dir} has no ${NLI_MODEL_FILES.join(" or ")}: fetch it with "npx cuesmith models fetch emotion-nli"`,
      );
    const session = await ort.InferenceSession.create(modelFile, {
      executionProviders: ["cpu"],
      graphOptimizationLevel: "all",
    });
    if (!session.outputNames.includes("logits"))
      throw new NliModelError("emotion_corrupt", `${modelFile} has no "logits" output`);
    const padId = tokenizer.token_to_id(String(tokenizerConfig.pad_token ?? "[PAD]")) ?? 0;
    const maxLength =
      typeof tokenizerConfig.model_max_length === "number" && tokenizerConfig.model_max_length < 1e6
        ? tokenizerConfig.model_max_length
        : 512;
    return new NliEmotionClassifier(
      `nli:${path.basename(dir)}`,
      session,
      tokenizer,
      Number(entry[0]),
      padId,
      maxLength,
    );
  }

  /** Softmax over the emotions of each one's entailment logit, for one premise. */
  async emotionScores(premise: string, language: "zh" | "en"): Promise<Scores> {
    const rows: number[][] = EMOTIONS.map((e) => {
      const enc = this.tokenizer.encode(premise, { text_pair: HYPOTHESIS[language](e) });
      return enc.ids.length <= this.maxLength
        ? enc.ids
        : [...enc.ids.slice(0, this.maxLength - 1), enc.ids[enc.ids.length - 1]];
    });
    const { ids, mask, length } = padBatch(rows, this.padId);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", ids, [rows.length, length]),
      attention_mask: new ort.Tensor("int64", mask, [rows.length, length]),
    };
    // exports of BERT-like models take token_type_ids; DeBERTa-v3 (type_vocab_size 0) does not
    if (this.session.inputNames.includes("token_type_ids"))
      feeds.token_type_ids = new ort.Tensor("int64", new BigInt64Array(rows.length * length), [rows.length, length]);
    const logits = (await this.session.run(feeds)).logits;
    const classes = logits.dims[1];
    const data = logits.data as Float32Array;
    return softmaxScores(EMOTIONS.map((_, i) => data[i * classes + this.entailment]));
  }

  async classify(text: string): Promise<TextEmotion> {
    const language = detectLanguage(text);
    const split = contrastIndex(text);
    const mainText = split > 0 ? text.slice(0, split) : text;
    const scores = await this.emotionScores(mainText, language);
    const under = split > 0 ? await this.emotionScores(text.slice(split), language) : null;
    return verdict(language, scores, under);
  }
}

export function softmaxScores(logits: number[]): Scores {
  const top = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - top));
  const sum = exp.reduce((a, b) => a + b, 0);
  return Object.fromEntries(EMOTIONS.map((e, i) => [e, exp[i] / sum])) as Scores;
}

/** Main emotion, subtone ("slightly_x" unless it outweighs the main one) and evidence from two score tables. */
export function verdict(language: "zh" | "en", scores: Scores, under: Scores | null): TextEmotion {
  const ranked = (s: Scores) => (Object.entries(s) as [Emotion, number][]).sort((a, b) => b[1] - a[1]);
  const [[emotion, best], [, second]] = ranked(scores);
  let subtone: string | null = null;
  const evidence: Evidence[] = [
    { term: HYPOTHESIS[language](emotion), emotion, weight: round3(best), part: "main", cue: "nli" },
  ];
  if (under) {
    const [[u, uScore]] = ranked(under);
    if (u !== emotion) {
      subtone = uScore <= best ? `slightly_${u}` : u;
      evidence.push({
        term: HYPOTHESIS[language](u),
        emotion: u,
        weight: round3(uScore),
        part: "undertone",
        cue: "nli",
      });
    }
  }
  return {
    language,
    emotion,
    subtone,
    scores,
    undertoneScores: under,
    evidence,
    confidence: Math.min(1, best - second + 0.2),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
