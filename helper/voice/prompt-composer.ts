// Emotion + undertone -> a MusicGen prompt, following the source article's rules: name the instruments (nouns the
// model knows), at most two mood adjectives, say what the music is for ("background music for narration"), the
// tempo in words, and "no vocals" so the bed never fights the voice-over.
import type { Emotion } from "./emotion/lexicon";

interface Palette {
  mood: string;
  instrument: string;
  tempo: "slow" | "medium" | "upbeat";
  feel: string;
}

const MAIN: Record<Emotion, Palette> = {
  enthusiastic: { mood: "uplifting", instrument: "warm piano", tempo: "upbeat", feel: "hopeful" },
  calm: { mood: "calm", instrument: "soft piano", tempo: "slow", feel: "peaceful" },
  tense: { mood: "tense", instrument: "low pulsing strings", tempo: "medium", feel: "suspenseful" },
  sad: { mood: "melancholic", instrument: "solo piano", tempo: "slow", feel: "tender" },
  hopeful: { mood: "hopeful", instrument: "warm piano", tempo: "medium", feel: "optimistic" },
  playful: { mood: "playful", instrument: "pizzicato strings", tempo: "upbeat", feel: "cheerful" },
  serious: { mood: "focused", instrument: "soft piano", tempo: "medium", feel: "steady" },
  apologetic: { mood: "gentle", instrument: "soft piano", tempo: "slow", feel: "sincere" },
};

/** What an undertone adds: a second mood word, a second instrument, a softer or firmer tempo, a closing feel. */
const UNDER: Record<Emotion, { mood: string; instrument: string; tempoShift: -1 | 0 | 1; feel: string }> = {
  enthusiastic: { mood: "energetic", instrument: "light percussion", tempoShift: 1, feel: "excited" },
  calm: { mood: "relaxed", instrument: "ambient pad", tempoShift: -1, feel: "at ease" },
  tense: { mood: "edgy", instrument: "ticking percussion", tempoShift: 0, feel: "uneasy" },
  sad: { mood: "bittersweet", instrument: "soft strings", tempoShift: -1, feel: "wistful" },
  hopeful: { mood: "hopeful", instrument: "gentle strings", tempoShift: 0, feel: "hopeful" },
  playful: { mood: "light", instrument: "plucked guitar", tempoShift: 1, feel: "playful" },
  serious: { mood: "restrained", instrument: "cello", tempoShift: 0, feel: "serious" },
  apologetic: { mood: "grounded", instrument: "subtle cello", tempoShift: -1, feel: "sincere" },
};

const TEMPOS = ["slow", "medium", "upbeat"] as const;
const TEMPO_WORDS = { slow: "slow tempo", medium: "medium tempo", upbeat: "upbeat tempo" };

export interface PromptInput {
  emotion: Emotion;
  /** "apologetic" or "slightly_apologetic"; null for none. */
  subtone?: string | null;
  /** 0..1 from prosody (speech rate, loudness variation); nudges the tempo when given. */
  energy?: number;
  /** What the bed is for; default narration. */
  context?: string;
}

export function composePrompt({ emotion, subtone, energy, context = "narration" }: PromptInput): string {
  const main = MAIN[emotion];
  const underName = subtone?.replace(/^slightly_/, "") as Emotion | undefined;
  const under = underName && underName !== emotion && underName in UNDER ? UNDER[underName] : null;
  let tempo = TEMPOS.indexOf(main.tempo) + (under?.tempoShift ?? 0);
  if (energy !== undefined) tempo += energy > 0.7 ? 1 : energy < 0.3 ? -1 : 0;
  const tempoWord = TEMPO_WORDS[TEMPOS[Math.max(0, Math.min(2, tempo))]];
  const moods = under ? `${main.mood} but ${under.mood}` : main.mood; // two mood adjectives at most
  const instruments = under ? `${main.instrument} and ${under.instrument}` : main.instrument;
  const feel = under ? `${main.feel} yet ${under.feel}` : main.feel;
  return `${moods} background music for ${context}, ${instruments}, ${tempoWord}, ${feel}, no vocals`;
}
