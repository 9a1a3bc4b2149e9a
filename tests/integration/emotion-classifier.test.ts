// The optional ONNX zero-shot emotion classifier, on a contract-identical NLI model with random weights (built by
// models/build/nli): its verdicts are random, so this checks the plumbing — pairs tokenized with the model's own
// template, one entailment logit per emotion, a distribution over the eight emotions, the contrast split — and
// that it stands behind the same interface as the lexicon.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildNliTestModel, NLI_BUILDER_VERSION } from "../../models/build/nli";
import { lexiconClassifier, type EmotionClassifier } from "../../helper/voice/emotion/classifier";
import { NliEmotionClassifier, softmaxScores, verdict } from "../../helper/voice/emotion/nli-classifier";
import { EMOTIONS } from "../../helper/voice/emotion/lexicon";
import { analyzeVoiceOver } from "../../helper/service/voice-service";
import { errorBody } from "../../helper/server/errors";

const ARTICLE = "这个新功能真的太棒了！我们花了三个月打磨细节……（停顿）……当然，还有些小问题正在修复。";

function nliDir(): string {
  const dir = path.resolve(__dirname, `../../.cache/test-models/nli-tiny-v${NLI_BUILDER_VERSION}`);
  if (!fs.existsSync(path.join(dir, "config.json"))) buildNliTestModel(dir, 0);
  return dir;
}

describe("zero-shot maths", () => {
  it("softmaxes entailment logits across the emotions", () => {
    const s = softmaxScores([0, 0, 0, 0, 0, 0, 0, Math.log(9)]);
    expect(s.apologetic).toBeCloseTo(9 / 16, 10);
    expect(s.calm).toBeCloseTo(1 / 16, 10);
  });
  it("takes the undertone from the part after the contrast, 'slightly' when it weighs less", () => {
    const main = softmaxScores([3, 0, 0, 0, 1, 0, 0, 0]);
    const under = softmaxScores([0, 0, 0, 0, 0, 0, 0, 1]);
    const v = verdict("zh", main, under);
    expect(v.emotion).toBe("enthusiastic");
    expect(v.subtone).toBe("slightly_apologetic");
    expect(v.evidence.map((e) => [e.part, e.emotion, e.cue])).toEqual([
      ["main", "enthusiastic", "nli"],
      ["undertone", "apologetic", "nli"],
    ]);
    expect(verdict("en", main, null).subtone).toBeNull();
  });
});

describe("the NLI classifier on a contract model", () => {
  let nli: NliEmotionClassifier;
  beforeAll(async () => {
    nli = await NliEmotionClassifier.load(nliDir());
  });

  it("gives a distribution over the eight emotions for English and Chinese, split at the contrast marker", async () => {
    const classifiers: EmotionClassifier[] = [lexiconClassifier, nli];
    for (const c of classifiers) {
      const v = await c.classify(ARTICLE);
      expect(v.language).toBe("zh");
      expect(EMOTIONS).toContain(v.emotion);
      expect(Object.keys(v.scores).sort()).toEqual([...EMOTIONS].sort());
      if (c === nli) {
        expect(Object.values(v.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        expect(v.undertoneScores).not.toBeNull(); // 当然 splits it
      }
    }
    const en = await nli.classify("We are so excited to finally show you this.");
    expect(en.language).toBe("en");
    expect(en.undertoneScores).toBeNull();
    expect(en.evidence[0].term).toMatch(/^The speaker sounds \w+\.$/);
  });

  it("is deterministic, and the text changes the verdict's numbers (the premise reaches the model)", async () => {
    const a = await nli.emotionScores("what a wonderful day", "en");
    expect(await nli.emotionScores("what a wonderful day", "en")).toEqual(a);
    expect(await nli.emotionScores("this is a serious warning about the storm", "en")).not.toEqual(a);
  });

  it("scores like transformers.js's zero-shot pipeline on the same folder (an independent implementation)", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tjs = require("@huggingface/transformers");
    const dir = nliDir();
    tjs.env.allowRemoteModels = false;
    tjs.env.localModelPath = path.dirname(dir) + path.sep;
    const classify = await tjs.pipeline("zero-shot-classification", path.basename(dir), {
      dtype: "fp32",
      device: "cpu",
    });
    const premise = "we spent three months polishing every detail";
    const theirs = await classify(premise, [...EMOTIONS], {
      hypothesis_template: "The speaker sounds {}.",
      multi_label: false,
    });
    const ours = await nli.emotionScores(premise, "en");
    const byLabel = Object.fromEntries(theirs.labels.map((l: string, i: number) => [l, theirs.scores[i]]));
    for (const e of EMOTIONS) expect(ours[e]).toBeCloseTo(byLabel[e], 5);
  });

  it("names the missing file and the fetch command", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-nli-"));
    await expect(NliEmotionClassifier.load(empty)).rejects.toThrow(
      /no config.json: fetch it with "npx cuesmith models fetch emotion-nli"/,
    );
    fs.writeFileSync(path.join(empty, "config.json"), JSON.stringify({ id2label: { 0: "POSITIVE", 1: "NEGATIVE" } }));
    await expect(NliEmotionClassifier.load(empty)).rejects.toThrow(/not an NLI model/);
  });
});

describe("the voice-over analysis picks its classifier", () => {
  it("uses the lexicon by default and the NLI model when a folder is given, with the same result shape", async () => {
    const lexicon = (await analyzeVoiceOver({ text: ARTICLE }, { emotionDir: null, whisperDir: null })).result;
    expect(lexicon).toMatchObject({
      emotion_model: "lexicon",
      emotion: "enthusiastic",
      subtone: "slightly_apologetic",
    });
    const nli = (await analyzeVoiceOver({ text: ARTICLE }, { emotionDir: nliDir(), whisperDir: null })).result;
    expect(nli.emotion_model).toMatch(/^nli:nli-tiny/);
    expect(EMOTIONS).toContain(nli.emotion);
    expect(nli.prompt).toMatch(/background music for narration, .*no vocals$/);
    expect(Object.keys(nli).sort()).toEqual(Object.keys(lexicon).sort());
  });
  it("a named folder that does not hold a model is an error, not a silent fallback", async () => {
    await expect(
      analyzeVoiceOver({ text: "hello" }, { emotionDir: path.join(os.tmpdir(), "cuesmith-no-emotion-model") }),
    ).rejects.toThrow(/no config.json/);
  });
  it("answers a named folder without a model with model_missing, not internal", async () => {
    const err = await analyzeVoiceOver(
      { text: "hello" },
      { emotionDir: path.join(os.tmpdir(), "cuesmith-no-emotion-model") },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorBody(err)).toMatchObject({
      code: "model_missing",
      message: expect.stringMatching(/models fetch emotion-nli/),
    });
  });
});
