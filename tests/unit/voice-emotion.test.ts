import { analyzeText, contrastIndex, detectLanguage } from "../../helper/voice/emotion/analyze-text";
import { EMOTIONS } from "../../helper/voice/emotion/lexicon";
import { composePrompt } from "../../helper/voice/prompt-composer";
import { EMOTION_SET } from "../fixtures/emotion-set";

const ARTICLE = "这个新功能真的太棒了！我们花了三个月打磨细节……（停顿）……当然，还有些小问题正在修复。";

describe("the source article's voice-over", () => {
  const r = analyzeText(ARTICLE);
  it("is enthusiastic with a slightly apologetic undertone, with the evidence", () => {
    expect(r.language).toBe("zh");
    expect(r.emotion).toBe("enthusiastic");
    expect(r.subtone).toBe("slightly_apologetic");
    expect(r.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ term: "太棒", emotion: "enthusiastic", part: "main", cue: "intensified" }),
        expect.objectContaining({ emotion: "apologetic", part: "undertone" }),
      ]),
    );
  });
  it("composes the article's prompt", () => {
    expect(composePrompt({ emotion: r.emotion, subtone: r.subtone })).toBe(
      "uplifting but grounded background music for narration, warm piano and subtle cello, medium tempo, hopeful yet sincere, no vocals",
    );
  });
});

describe("text cues", () => {
  it("finds the contrast marker after content only", () => {
    expect(contrastIndex("很好，但是有问题")).toBe(3);
    expect(contrastIndex("Great news, but there is a bug")).toBe(12);
    expect(contrastIndex("But first, coffee")).toBe(-1);
  });
  it("turns a negated word down and an intensified word up", () => {
    const neg = analyzeText("This is not amazing.");
    expect(neg.scores.enthusiastic).toBeLessThan(0);
    expect(analyzeText("This is really amazing.").scores.enthusiastic).toBeGreaterThan(
      analyzeText("This is amazing.").scores.enthusiastic,
    );
  });
  it("reads plain text as calm, without inventing an undertone", () => {
    expect(analyzeText("The file is on the desk.")).toMatchObject({ emotion: "calm", subtone: null, confidence: 0 });
  });
  it("tells Chinese from English", () => {
    expect(detectLanguage("你好，世界")).toBe("zh");
    expect(detectLanguage("hello world")).toBe("en");
  });
});

describe("labelled set (64 zh/en lines written for this test)", () => {
  const FLOOR = 0.85;
  it(`classifies at least ${FLOOR * 100} % correctly, every class above half`, () => {
    expect(EMOTION_SET.length).toBeGreaterThanOrEqual(60);
    const perClass = Object.fromEntries(EMOTIONS.map((e) => [e, { ok: 0, n: 0 }]));
    const misses: string[] = [];
    for (const [text, label] of EMOTION_SET) {
      const got = analyzeText(text).emotion;
      perClass[label].n++;
      if (got === label) perClass[label].ok++;
      else misses.push(`${label} -> ${got}: ${text}`);
    }
    const accuracy = EMOTION_SET.filter(([t, l]) => analyzeText(t).emotion === l).length / EMOTION_SET.length;
    console.log(
      `emotion accuracy ${(accuracy * 100).toFixed(1)} % on ${EMOTION_SET.length} lines; misses:\n${misses.join("\n")}`,
    );
    expect(accuracy).toBeGreaterThanOrEqual(FLOOR);
    for (const e of EMOTIONS) expect(perClass[e].ok / perClass[e].n).toBeGreaterThan(0.5);
  });
});

describe("prompt composer", () => {
  it("names instruments, at most two moods, the use, tempo and no vocals", () => {
    for (const emotion of EMOTIONS) {
      const p = composePrompt({ emotion, subtone: "slightly_serious" });
      expect(p).toMatch(/background music for narration/);
      expect(p).toMatch(/(slow|medium|upbeat) tempo/);
      expect(p).toMatch(/no vocals$/);
      expect(p.split(",")[0].split(" but ").length).toBeLessThanOrEqual(2);
    }
  });
  it("lets energy from the voice nudge the tempo", () => {
    expect(composePrompt({ emotion: "calm", energy: 0.9 })).toMatch(/medium tempo/);
    expect(composePrompt({ emotion: "hopeful", energy: 0.1, context: "a product demo" })).toBe(
      "hopeful background music for a product demo, warm piano, slow tempo, optimistic, no vocals",
    );
  });
});
