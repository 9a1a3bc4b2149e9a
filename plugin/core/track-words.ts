// The "never put beds on these tracks" rule as an editor writes it: words, not a regular expression. The panel
// stores a case-insensitive pattern; these two functions turn it into words and back.

/** Special characters of a regular expression, escaped in a word. */
const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Words this short match only whole ("vo" must not catch "Vox Pops"); longer ones match inside a name. */
const WHOLE_WORD_MAX = 2;

/** "dialog, voice, VO, narrat" → "dialog|voice|\bvo\b|narrat" ("" for no words: no track is avoided). */
export function wordsToPattern(words: string): string {
  return words
    .split(/[,;\n]/)
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== "")
    .map((w) => (w.length <= WHOLE_WORD_MAX ? `\\b${escape(w)}\\b` : escape(w)))
    .join("|");
}

/** The words of a pattern written by `wordsToPattern`; null when the pattern is a hand-written expression. */
export function patternToWords(pattern: string): string | null {
  if (pattern.trim() === "") return "";
  const words: string[] = [];
  for (const part of pattern.split("|")) {
    const whole = /^\\b([^\\]+)\\b$/.exec(part);
    const word = whole ? whole[1] : part;
    if (/[.*+?^${}()|[\]\\]/.test(word) || word.trim() === "") return null;
    words.push(word);
  }
  return words.join(", ");
}
