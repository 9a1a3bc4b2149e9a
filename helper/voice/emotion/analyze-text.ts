// Main emotion and undertone of a voice-over transcript, from the bilingual lexicon. The text is split at the first
// contrast marker (当然 / 但是 / but / although …): before it is the main feeling, after it the undertone. Words
// are found on Intl.Segmenter word boundaries (Chinese has no spaces); a negator just before a word turns it
// down, an intensifier turns it up, and exclamation marks add excitement.
import { CONTRAST_MARKERS, Emotion, EMOTIONS, INTENSIFIERS, LEXICON, NEGATORS } from "./lexicon";

export interface Evidence {
  term: string;
  emotion: Emotion;
  weight: number;
  part: "main" | "undertone";
  cue?: string;
}

export type Scores = Record<Emotion, number>;

export interface TextEmotion {
  language: "zh" | "en";
  emotion: Emotion;
  /** e.g. "slightly_apologetic"; null when the text has no second feeling. */
  subtone: string | null;
  scores: Scores;
  undertoneScores: Scores | null;
  evidence: Evidence[];
  /** 0..1: how clearly the main emotion wins. */
  confidence: number;
}

const zeroScores = (): Scores => Object.fromEntries(EMOTIONS.map((e) => [e, 0])) as Scores;

export function detectLanguage(text: string): "zh" | "en" {
  const cjk = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  const latin = (text.match(/[a-z]/gi) ?? []).length;
  return cjk * 2 >= latin ? "zh" : "en";
}

/** Word segments with their offsets (Intl.Segmenter: dictionary-based for Chinese). */
function words(text: string, lang: "zh" | "en"): { segment: string; index: number }[] {
  const seg = new Intl.Segmenter(lang === "zh" ? "zh" : "en", { granularity: "word" });
  return [...seg.segment(text)]
    .filter((s) => s.isWordLike)
    .map((s) => ({ segment: s.segment.toLowerCase(), index: s.index }));
}

/** Where the undertone starts: the first contrast marker that follows some content, or -1. */
export function contrastIndex(text: string): number {
  const lower = text.toLowerCase();
  let best = -1;
  for (const m of CONTRAST_MARKERS.zh) {
    const i = lower.indexOf(m);
    if (i > 0 && (best < 0 || i < best)) best = i;
  }
  for (const m of CONTRAST_MARKERS.en) {
    const re = new RegExp(`(^|[^a-z])${m.replace(/ /g, "\\s+")}(?![a-z])`, "i");
    const hit = re.exec(lower);
    if (hit && hit.index > 0) {
      const i = hit.index + hit[1].length;
      if (best < 0 || i < best) best = i;
    }
  }
  return best;
}

function scorePart(text: string, lang: "zh" | "en", part: Evidence["part"]): { scores: Scores; evidence: Evidence[] } {
  const scores = zeroScores();
  const evidence: Evidence[] = [];
  const lower = text.toLowerCase();
  const used = new Uint8Array(lower.length);
  const segs = words(text, lang);
  const boundaries = new Set<number>([0, lower.length]);
  for (const s of segs) {
    boundaries.add(s.index);
    boundaries.add(s.index + s.segment.length);
  }
  const before = (index: number) =>
    segs
      .filter((s) => s.index + s.segment.length <= index)
      .slice(-2)
      .map((s) => s.segment);

  for (const entry of LEXICON) {
    const term = entry.term.toLowerCase();
    for (let at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + 1)) {
      const end = at + term.length;
      if (used.subarray(at, end).some((u) => u)) continue;
      // English terms must sit on word boundaries; Chinese terms of two or more characters are specific enough
      // by themselves, single characters must be a whole segment
      const aligned = boundaries.has(at) && boundaries.has(end);
      if (entry.lang === "en" ? !aligned : term.length < 2 && !aligned) continue;
      used.fill(1, at, end);
      const prev = before(at);
      const prevText = lower.slice(Math.max(0, at - 3), at);
      let weight = entry.weight;
      let cue: string | undefined;
      const negated =
        prev.some((w) => NEGATORS.en.includes(w)) ||
        (entry.lang === "zh" && NEGATORS.zh.some((n) => prevText.endsWith(n)));
      const intensified =
        prev.some((w) => INTENSIFIERS.en.includes(w)) ||
        (entry.lang === "zh" && INTENSIFIERS.zh.some((n) => prevText.includes(n)));
      if (negated) {
        weight = -0.5;
        cue = "negated";
      } else if (intensified) {
        weight *= 1.5;
        cue = "intensified";
      }
      scores[entry.emotion] += weight;
      evidence.push({ term: text.slice(at, end), emotion: entry.emotion, weight, part, ...(cue ? { cue } : {}) });
    }
  }
  const bangs = (text.match(/[!！]/g) ?? []).length;
  if (bangs > 0 && scores.enthusiastic + scores.playful > 0) {
    const boost = Math.min(1.5, 0.5 * bangs);
    const target: Emotion = scores.playful > scores.enthusiastic ? "playful" : "enthusiastic";
    scores[target] += boost;
    evidence.push({ term: "!".repeat(bangs), emotion: target, weight: boost, part, cue: "exclamation" });
  }
  return { scores, evidence };
}

/** Emotions by score, highest first (ties in EMOTIONS order). */
function ranked(scores: Scores): [Emotion, number][] {
  return (Object.entries(scores) as [Emotion, number][]).sort((a, b) => b[1] - a[1]);
}

export function analyzeText(text: string): TextEmotion {
  const language = detectLanguage(text);
  const split = contrastIndex(text);
  const main = scorePart(split > 0 ? text.slice(0, split) : text, language, "main");
  const under = split > 0 ? scorePart(text.slice(split), language, "undertone") : null;

  const [[emotion, best], [runnerUp, second]] = ranked(main.scores);
  const mainEmotion: Emotion = best > 0 ? emotion : "calm"; // nothing emotional said: a neutral, calm read
  let subtone: string | null = null;
  if (under) {
    const [[u, uScore]] = ranked(under.scores);
    if (uScore > 0 && u !== mainEmotion) subtone = uScore <= best ? `slightly_${u}` : u; // "slightly" unless it outweighs the main feeling
  } else if (second >= 1 && best > 0) {
    subtone = `slightly_${runnerUp}`; // a clear second feeling in the same breath
  }
  return {
    language,
    emotion: mainEmotion,
    subtone,
    scores: main.scores,
    undertoneScores: under?.scores ?? null,
    evidence: [...main.evidence, ...(under?.evidence ?? [])],
    confidence: best > 0 ? Math.min(1, (best - Math.max(0, second)) / best + 0.2) : 0,
  };
}
