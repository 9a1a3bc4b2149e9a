// The weekly feedback report: what editors disliked, per reason, tag and prompt, and what to change in the preset
// table (the source article: engineers read the frequent problems every week and adjust the tag -> prompt map).
import type { FeedbackReason } from "../../shared/protocol";
import type { FeedbackRecord } from "../store/feedback-log";

export type ReasonCounts = Partial<Record<FeedbackReason, number>>;

export interface PromptRow {
  prompt: string;
  tag?: string;
  /** Distinct takes (WAV hashes) with feedback. */
  takes: number;
  /** Distinct (take, reason) pairs. */
  count: number;
  byReason: ReasonCounts;
  notes: string[];
}

export interface Suggestion {
  tag?: string;
  prompt: string;
  reason: FeedbackReason;
  count: number;
  suggestion: string;
}

export interface Report {
  since: string;
  until: string;
  /** Entries in the window, and those left after counting each take once per reason. */
  entries: number;
  distinct: number;
  byReason: ReasonCounts;
  byTag: Record<string, ReasonCounts>;
  prompts: PromptRow[];
  worstPrompts: PromptRow[];
  suggestions: Suggestion[];
}

/** Words from the editors' notes that name an instrument, to quote back in suggestions. */
const INSTRUMENTS = ["piano", "guitar", "strings", "violin", "cello", "harp", "synth", "drums", "bass", "ukulele", "organ", "flute", "brass", "trumpet", "saxophone", "bells", "marimba", "pad", "choir", "orchestra", "harpsichord"];

function advice(reason: FeedbackReason, row: PromptRow): string {
  const subject = row.tag ? `#${row.tag}` : `"${row.prompt}"`;
  switch (reason) {
    case "too_loud":
      return `${subject} comes out too loud under dialogue: lower its bed level (e.g. bed_level_db -15) or add "soft, gentle, sparse arrangement" to its prompt`;
    case "tempo_slow":
      return `${subject} feels too slow: add "upbeat, 120 bpm" (or set target_bpm) and a driving element such as "light percussion"`;
    case "tempo_fast":
      return `${subject} feels too fast: add "slow tempo, 80 bpm" and drop busy words like "driving" or "energetic"`;
    case "wrong_instrument": {
      const named = INSTRUMENTS.filter((w) => row.notes.some((n) => n.toLowerCase().includes(w)));
      return named.length
        ? `${subject}: editors asked for ${named.map((w) => `"${w}"`).join(", ")} — name it as a noun in the prompt (e.g. "${named[0]} solo")`
        : `${subject}: name the instrument you want as a noun ("piano solo", "acoustic guitar arpeggio") instead of describing a feeling`;
    }
    case "style_mismatch":
      return `${subject}: keep at most two mood adjectives and add a use-context phrase such as "product demo background" or "background for narration"`;
    default:
      return `${subject}: read the notes (${row.notes.slice(0, 3).map((n) => `"${n}"`).join(", ") || "none"}) and try a variant of the prompt`;
  }
}

export function buildReport(all: FeedbackRecord[], { since, now = new Date() }: { since: Date; now?: Date }): Report {
  const inWindow = all.filter((e) => {
    const t = Date.parse(e.time);
    return t >= since.getTime() && t <= now.getTime();
  });
  // the same WAV reported twice for the same reason is one complaint
  const seen = new Set<string>();
  const distinct = inWindow.filter((e) => {
    const key = `${e.sha256}|${e.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  const byReason: ReasonCounts = {};
  const byTag: Record<string, ReasonCounts> = {};
  const rows = new Map<string, PromptRow & { hashes: Set<string> }>();
  for (const e of distinct) {
    byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
    if (e.tag) (byTag[e.tag] ??= {})[e.reason] = (byTag[e.tag][e.reason] ?? 0) + 1;
    const row = rows.get(e.prompt) ?? { prompt: e.prompt, ...(e.tag ? { tag: e.tag } : {}), takes: 0, count: 0, byReason: {}, notes: [], hashes: new Set<string>() };
    row.count++;
    row.byReason[e.reason] = (row.byReason[e.reason] ?? 0) + 1;
    row.hashes.add(e.sha256);
    row.takes = row.hashes.size;
    if (e.note.trim()) row.notes.push(e.note.trim());
    rows.set(e.prompt, row);
  }
  const prompts: PromptRow[] = [...rows.values()]
    .map(({ hashes: _hashes, ...row }) => row)
    .sort((a, b) => b.count - a.count || a.prompt.localeCompare(b.prompt));
  const suggestions: Suggestion[] = prompts.flatMap((row) =>
    (Object.entries(row.byReason) as [FeedbackReason, number][])
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => ({ ...(row.tag ? { tag: row.tag } : {}), prompt: row.prompt, reason, count, suggestion: advice(reason, row) })),
  ).sort((a, b) => b.count - a.count);

  return {
    since: since.toISOString(),
    until: now.toISOString(),
    entries: inWindow.length,
    distinct: distinct.length,
    byReason,
    byTag,
    prompts,
    worstPrompts: prompts.slice(0, 5),
    suggestions,
  };
}
