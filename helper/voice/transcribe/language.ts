// Language detection as Whisper does it: one decoder step after <|startoftranscript|>, then the most likely
// language token. The probability is a softmax over the allowed language tokens only.
const { exp } = Math;

export interface LanguageChoice {
  /** The code inside the token, e.g. "en" for <|en|>. */
  language: string;
  probability: number;
}

/** Codes of the language tokens in a lang_to_id map ("<|en|>" -> "en"). */
export function languageCodes(langToId: Record<string, number>): string[] {
  return Object.keys(langToId).map((t) => t.replace(/^<\|/, "").replace(/\|>$/, ""));
}

/**
 * @param row logits of the step after <|startoftranscript|>
 * @param candidates language codes to choose among (e.g. ["zh", "en"]); all of lang_to_id when absent
 */
export function pickLanguage(
  row: Float32Array,
  langToId: Record<string, number>,
  candidates?: readonly string[],
): LanguageChoice {
  const all = languageCodes(langToId);
  const allowed = candidates && candidates.length > 0 ? candidates.filter((c) => all.includes(c)) : all;
  if (allowed.length === 0)
    throw new RangeError(`none of the candidate languages ${JSON.stringify(candidates)} is in the model's lang_to_id`);
  const scores = allowed.map((c) => row[langToId[`<|${c}|>`]]);
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  let sum = 0;
  for (const s of scores) sum += exp(s - scores[best]);
  return { language: allowed[best], probability: 1 / sum };
}
