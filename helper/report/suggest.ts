// Rule-based advice for the preset table, one rule per feedback reason, following the source article's prompt
// rules: name instruments with nouns, keep at most two mood adjectives, say what the music is for (a use context),
// and put the tempo in MusicGen's own words ("120 bpm"). Each rule looks at the prompt actually used and the
// editors' notes so that the advice names a concrete change rather than a generic hint.
import type { FeedbackReason } from "../../shared/protocol";

export interface SubjectEvidence {
  /** Tag the prompts came from, when the feedback names one (the preset table is keyed by tag). */
  tag?: string;
  /** The prompt used most often for this subject in the window. */
  prompt: string;
  /** Distinct non-empty notes, most recent last. */
  notes: string[];
  /** Tempo the helper measured on the takes (beats per minute), where known. */
  bpmEstimates: number[];
}

export interface Advice {
  /** The concrete change in a few words, e.g. `add "upbeat, 120 bpm"`. */
  change: string;
  /** One sentence for the report: the subject, what was heard, and the change. */
  text: string;
}

const words = (list: string) => list.split(",").map((w) => w.trim());

/** Words that push a bed up front; advice for "too loud" asks to drop the ones in the prompt. */
const LOUD_WORDS = words(
  "energetic, powerful, driving, epic, punchy, heavy, loud, intense, aggressive, bombastic, booming, big drums, bass hit, thunderous, explosive, anthemic",
);
const SOFT_WORDS = words("soft, gentle, quiet, subtle, delicate, sparse, mellow, understated");
const SLOW_WORDS = words(
  "slow, slow tempo, calm, no beat, ambient, relaxed, relaxing, laid-back, downtempo, lazy, drone, meditative",
);
const FAST_WORDS = words("upbeat, energetic, driving, fast, uptempo, up-tempo, dance, frantic, high energy, racing");
/** Mood adjectives (the article: keep at most two). */
const MOOD_WORDS = words(
  "upbeat, modern, confident, friendly, cheerful, bright, inspiring, inspirational, warm, calm, relaxed, relaxing, peaceful, suspenseful, epic, happy, joyful, sad, melancholic, melancholy, dark, dreamy, energetic, playful, uplifting, hopeful, mysterious, tense, romantic, nostalgic, emotional, dramatic, quirky, chill, serene, triumphant, powerful, aggressive, moody, elegant, luxurious, fun, whimsical, optimistic, sentimental, heroic, ominous, gloomy, lively, soothing, cozy",
);
/** Phrases that already say what the music is for. */
const CONTEXT_RE =
  /\b(background|underscore|under (?:dialogue|narration|voice)|for (?:video|narration|voice[- ]?over|vlog|tutorial|podcast)|product (?:demo|reveal)|intro|outro|logo|sting|credits|transition|demo|vlog)\b/i;
/** Instrument nouns (singular; plurals are matched too). */
const INSTRUMENTS = words(
  "piano, acoustic guitar, electric guitar, guitar, bass guitar, bass, strings, string, violin, viola, cello, double bass, harp, synth, synthesizer, pad, drums, drum, percussion, timpani, ukulele, organ, flute, clarinet, oboe, bassoon, brass, trumpet, trombone, horn, french horn, saxophone, sax, bells, glockenspiel, marimba, xylophone, vibraphone, choir, vocals, voice, orchestra, harpsichord, banjo, mandolin, accordion, kalimba, rhodes, electric piano, celesta, handpan, sitar, koto, erhu, guzheng, whistle, claps, shaker, tambourine, 808",
).sort((a, b) => b.length - a.length); // longest first: "acoustic guitar" before "guitar"

const NEGATION_RE =
  /\b(?:not|no|without|less|fewer|too much|too many|instead of|rather than|hate|don't want|dont want|remove|drop|lose)\b[\w\s,'-]{0,24}$/i;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const wordRe = (w: string, plural = false) => new RegExp(`\\b${escapeRe(w)}${plural ? "(?:e?s)?" : ""}\\b`, "i");
const found = (text: string, list: string[]) => list.filter((w) => wordRe(w).test(text));
const q = (w: string) => `"${w}"`;
const qList = (ws: string[]) => ws.map(q).join(", ");

/** Instruments a text names, each once (the longest name wins: "acoustic guitar" hides "guitar"). */
export function instrumentsIn(text: string): { name: string; index: number }[] {
  const hits: { name: string; index: number; end: number }[] = [];
  for (const name of INSTRUMENTS) {
    const re = new RegExp(`\\b${escapeRe(name)}(?:e?s)?\\b`, "gi");
    for (const m of text.matchAll(re)) {
      const index = m.index ?? 0;
      const end = index + m[0].length;
      if (hits.some((h) => index < h.end && end > h.index)) continue; // inside a longer name already found
      hits.push({ name, index, end });
    }
  }
  const seen = new Set<string>();
  return hits
    .sort((a, b) => a.index - b.index)
    .filter((h) => !seen.has(h.name) && seen.add(h.name))
    .map(({ name, index }) => ({ name, index }));
}

/** Instruments the notes ask for and those they reject ("a piano, not violins" -> wanted piano, unwanted violin). */
export function instrumentsWanted(notes: string[]): { wanted: string[]; unwanted: string[] } {
  const wanted = new Set<string>();
  const unwanted = new Set<string>();
  for (const note of notes) {
    for (const { name, index } of instrumentsIn(note)) {
      const before =
        note
          .slice(0, index)
          .split(/[.;:!?,]|\bbut\b/i)
          .pop() ?? ""; // the clause it is in
      (NEGATION_RE.test(before) ? unwanted : wanted).add(name);
    }
  }
  for (const w of unwanted) wanted.delete(w);
  return { wanted: [...wanted], unwanted: [...unwanted] };
}

/** "slow tempo, 80 bpm" style number in the prompt. */
function promptBpm(prompt: string): number | null {
  const m = /\b(\d{2,3})\s*bpm\b/i.exec(prompt);
  return m ? Number(m[1]) : null;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round5 = (x: number) => Math.round(x / 5) * 5;

/** A use-context phrase that fits the tag (the article's "product demo background"). */
export function contextPhraseFor(tag?: string): string {
  const t = tag ?? "";
  if (/unbox|product|demo|review|launch|tech/.test(t)) return "product demo background";
  if (/tutorial|course|lesson|explainer|lecture|howto|how_to|training/.test(t)) return "background for narration";
  if (/vlog|travel|daily|morning|diary/.test(t)) return "vlog background";
  if (/logo|sting|brand/.test(t)) return "logo reveal sting";
  if (/transition|wipe|cut/.test(t)) return "scene transition";
  if (/credit|outro|ending|closing/.test(t)) return "end credits";
  if (/intro|opening|title/.test(t)) return "title sequence intro";
  return t ? `${t.replace(/_/g, " ")} video background` : "video background under narration";
}

function quoteNotes(notes: string[], max = 3, chars = 80): string {
  return notes
    .slice(-max)
    .map((n) => {
      const one = n.replace(/\s+/g, " ").trim();
      return q(one.length > chars ? `${one.slice(0, chars - 1)}…` : one);
    })
    .join(", ");
}

/** The advice for one subject (a tag, or a free prompt) and one reason. */
export function adviseFor(reason: FeedbackReason, ev: SubjectEvidence): Advice {
  const subject = ev.tag
    ? `#${ev.tag}`
    : `the prompt ${q(ev.prompt.length > 60 ? `${ev.prompt.slice(0, 59)}…` : ev.prompt)}`;
  const its = ev.tag ? `#${ev.tag}'s prompt` : "the prompt";
  const prompt = ev.prompt;
  const measured = median(ev.bpmEstimates);
  const heard = measured === null ? "" : ` (measured ≈ ${Math.round(measured)} bpm)`;
  const notes = ev.notes.length ? ` Editors wrote: ${quoteNotes(ev.notes)}.` : "";

  switch (reason) {
    case "too_loud": {
      const soft = found(prompt, SOFT_WORDS);
      const loud = found(prompt, LOUD_WORDS);
      const drop = loud.length ? ` and drop ${qList(loud)}` : "";
      if (soft.length) {
        const change = `lower the bed level for ${subject} by 3–6 dB${drop}`;
        return {
          change,
          text: `${subject} sits too loud under dialogue although ${its} already says ${qList(soft)}: ${change}.${notes}`,
        };
      }
      const change = `lower the bed level for ${subject} or add "soft", "gentle" to ${its}${drop}`;
      return { change, text: `${subject} sits too loud under dialogue: ${change}.${notes}` };
    }
    case "tempo_slow": {
      const current = promptBpm(prompt);
      const slow = found(prompt, SLOW_WORDS);
      // the article's "upbeat, 120 bpm", or 20 bpm above what the prompt asks for / the takes measured when higher
      const target = Math.max(
        120,
        current !== null ? round5(current + 20) : 0,
        measured !== null ? round5(measured + 20) : 0,
      );
      const base =
        current !== null
          ? `replace "${current} bpm" with "upbeat, ${target} bpm" in ${its}`
          : `add "upbeat, ${target} bpm" to ${its}`;
      const change = slow.length ? `${base} and drop ${qList(slow)}` : base;
      return { change, text: `${subject} feels too slow${heard}: ${change}.${notes}` };
    }
    case "tempo_fast": {
      const current = promptBpm(prompt);
      const fast = found(prompt, FAST_WORDS);
      // the article's "slow tempo, 80 bpm", or 20 bpm below the prompt's / the takes' tempo when lower (not under 60)
      const target = Math.max(
        60,
        Math.min(80, current !== null ? round5(current - 20) : 80, measured !== null ? round5(measured - 20) : 80),
      );
      const base =
        current !== null
          ? `replace "${current} bpm" with "slow tempo, ${target} bpm" in ${its}`
          : `add "slow tempo, ${target} bpm" to ${its}`;
      const change = fast.length ? `${base} and drop ${qList(fast)}` : base;
      return { change, text: `${subject} feels too fast${heard}: ${change}.${notes}` };
    }
    case "wrong_instrument": {
      const { wanted, unwanted } = instrumentsWanted(ev.notes);
      const inPrompt = instrumentsWanted([prompt]).wanted; // what the prompt names, not its "no vocals"
      const remove = unwanted.filter((u) => inPrompt.includes(u));
      const removal = remove.length ? ` and remove ${qList(remove)}` : "";
      const has = inPrompt.length ? `it now names ${qList(inPrompt)}` : "it names no instrument";
      if (wanted.length) {
        const change = `name ${qList(wanted)} explicitly as ${wanted.length === 1 ? "a noun" : "nouns"} in ${its} (e.g. "solo ${wanted[0]}")${removal}`;
        return { change, text: `${subject} has the wrong instrument (${has}): ${change}.${notes}` };
      }
      const change = `name the instrument explicitly with a noun in ${its} (e.g. "solo piano", "acoustic guitar")${removal}`;
      return { change, text: `${subject} has the wrong instrument (${has}): ${change}.${notes}` };
    }
    case "style_mismatch": {
      const moods = found(prompt, MOOD_WORDS);
      const phrase = contextPhraseFor(ev.tag);
      const parts: string[] = [];
      if (moods.length > 2) parts.push(`keep at most two mood adjectives (it has ${moods.length}: ${qList(moods)})`);
      if (!CONTEXT_RE.test(prompt)) parts.push(`add a use-context phrase like ${q(phrase)}`);
      if (parts.length === 0)
        parts.push(
          `rewrite the mood words (${moods.length ? qList(moods) : "none yet"}) to match what editors describe, keeping at most two`,
        );
      const change = parts.join("; ");
      return { change, text: `${subject} misses the style editors want: ${change} in ${its}.${notes}` };
    }
    default: {
      const change = `try a variant of ${its} built on the notes, and compare takes with a pinned seed`;
      return { change, text: `${subject} got "other" feedback: ${change}.${notes || " No notes were given."}` };
    }
  }
}
