// Scene tag -> MusicGen prompt presets. The starting table is the source article's cheat sheet; the
// helper keeps an editable copy per user/team. Pure functions only: shared by the helper and the panel.

export interface Preset {
  prompt: string;
  /** Pinned seed so every use of the tag in a series sounds like one family (optional). */
  seed?: number;
}

export type PresetTable = Record<string, Preset>;

export const DEFAULT_PRESETS: Readonly<PresetTable> = Object.freeze({
  unboxing: { prompt: "upbeat tech product reveal music, clean synth melody, light percussion, modern and confident" },
  tutorial: { prompt: "friendly educational background, gentle piano and soft strings, clear rhythm, no vocals" },
  vlog_morning: { prompt: "bright acoustic guitar, cheerful ukulele, light rain sounds, morning coffee vibe" },
  course_intro: { prompt: "inspiring orchestral intro, soft harp glissando, steady timpani pulse" },
  logo_sting: { prompt: "cinematic logo sting, deep bass hit, short rising synth, 3 seconds" },
  transition: { prompt: "smooth transition pad, soft swell, no beat, ambient texture" },
  product_slowmo: { prompt: "suspenseful string pad, slow pulse, cinematic tension, no melody" },
  closing_credits: { prompt: "warm closing theme, gentle piano, fade out, 8 seconds" },
});

const TAG_RE = /^[a-z0-9][a-z0-9_]{0,63}$/;

/** "#Vlog-Morning" -> "vlog_morning"; null when what is left is not a usable tag. */
export function normalizeTag(raw: string): string | null {
  const tag = raw
    .trim()
    .replace(/^#/, "")
    .toLowerCase()
    .replace(/[-\s]+/g, "_");
  return TAG_RE.test(tag) ? tag : null;
}

export interface ResolvedPrompt {
  prompt: string;
  /** "preset" when the table had the tag, "fallback" when the prompt was built from the tag's words. */
  source: "preset" | "fallback";
  seed?: number;
}

/** The prompt for a tag: the table's entry, or one built from the tag's words in the article's style. */
export function promptForTag(tag: string, table: Readonly<PresetTable> = DEFAULT_PRESETS): ResolvedPrompt {
  const key = normalizeTag(tag);
  if (key === null) throw new RangeError(`"${tag}" is not a tag: use letters, digits and _ (e.g. unboxing)`);
  const preset = table[key];
  if (preset)
    return { prompt: preset.prompt, source: "preset", ...(preset.seed !== undefined ? { seed: preset.seed } : {}) };
  return {
    prompt: `${key.replace(/_/g, " ")} background music for video, clear instruments, no vocals`,
    source: "fallback",
  };
}

/** Adds the tempo the editor asked for in MusicGen's own words ("..., 110 bpm"), replacing any earlier bpm. */
export function withBpm(prompt: string, bpm?: number): string {
  if (bpm === undefined) return prompt;
  const base = prompt.replace(/,?\s*\d{2,3}\s*bpm\b/gi, "").trim();
  return `${base}, ${Math.round(bpm)} bpm`;
}
