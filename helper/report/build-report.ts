// The weekly feedback report (the source article: engineers read the frequent problems every week and adjust the
// tag -> prompt table). Pure: entries in, numbers and suggestions out. Every count is of distinct complaints: the
// same WAV (sha256) reported several times for the same reason counts once; the lines themselves are all kept.
import { FEEDBACK_REASONS, FeedbackReason } from "../../shared/protocol";
import type { FeedbackRecord } from "../store/feedback-log";
import { adviseFor } from "./suggest";

/** Distinct complaints per reason; every reason is present (0 when none). */
export type ReasonCounts = Record<FeedbackReason, number>;

export interface PromptRow {
  prompt: string;
  /** The first tag this prompt came from, when any. */
  tag?: string;
  /** Every tag it came from (usually one). */
  tags: string[];
  /** Distinct (take, reason) complaints (every reason but good_fit). */
  count: number;
  /** The same number under the name the panel and the weekly note use. */
  complaints: number;
  /** Distinct takes kept (feedback good_fit). */
  keeps: number;
  /** Distinct takes (WAV hashes) with feedback. */
  takes: number;
  byReason: ReasonCounts;
  /** Distinct non-empty notes, oldest first (at most 10, the latest kept). */
  notes: string[];
}

export interface TagRow {
  tag: string;
  /** Distinct complaints (every reason but good_fit). */
  count: number;
  complaints: number;
  /** Distinct takes kept (good_fit). */
  keeps: number;
  takes: number;
  byReason: ReasonCounts;
}

export interface Suggestion {
  /** "#unboxing", or the prompt itself for feedback on beds made from a free prompt. */
  subject: string;
  tag?: string;
  /** The prompt most used for the subject in the window (what the advice looked at). */
  prompt: string;
  reason: FeedbackReason;
  /** Distinct complaints of this reason for the subject. */
  count: number;
  /** Share of the subject's complaints that have this reason, 0..1. */
  share: number;
  /** The concrete change, e.g. `add "upbeat, 120 bpm" to #unboxing's prompt`. */
  change: string;
  /** A sentence for people: what was heard, the change, and the editors' words. */
  suggestion: string;
}

export interface ReportTotals {
  /** Feedback lines in the window (duplicates included). */
  entries: number;
  /** Distinct complaints: each (take, reason) once. */
  distinct: number;
  /** Lines merged away as repeats of the same take and reason. */
  duplicates: number;
  /** Distinct takes (WAV hashes). */
  takes: number;
  prompts: number;
  tags: number;
  /** Distinct complaints about beds made from a free prompt (no tag). */
  untagged: number;
  /** Distinct takes kept (good_fit), and distinct complaints (every other reason). */
  keeps: number;
  complaints: number;
}

export interface Report {
  since: string;
  until: string;
  totals: ReportTotals;
  byReason: ReasonCounts;
  /** Tags, most complaints first. */
  byTag: TagRow[];
  /** Every prompt with feedback, most complaints first. */
  prompts: PromptRow[];
  /** The first `top` of `prompts`. */
  worstPrompts: PromptRow[];
  /** Changes for the preset table, most complaints first; only reasons reported at least `minCount` times. */
  suggestions: Suggestion[];
  minCount: number;
}

export interface ReportOptions {
  /** Start of the window (inclusive). */
  since: Date;
  /** End of the window (inclusive); default now. */
  now?: Date;
  /** Fewest distinct complaints of one reason for one tag (or prompt) that earn a suggestion; default 2. */
  minCount?: number;
  /** How many worst prompts to list; default 5. */
  top?: number;
}

const MAX_NOTES = 10;

/** The positive answer: a take the editor kept. Every other reason is a complaint. */
export const KEEP_REASON: FeedbackReason = "good_fit";

export const zeroCounts = (): ReasonCounts => Object.fromEntries(FEEDBACK_REASONS.map((r) => [r, 0])) as ReasonCounts;

function cleanNote(note: unknown): string {
  return typeof note === "string" ? note.replace(/\s+/g, " ").trim() : "";
}

function pushNote(notes: string[], note: string): void {
  if (note === "" || notes.includes(note)) return;
  notes.push(note);
  if (notes.length > MAX_NOTES) notes.shift();
}

function mostUsed(values: string[]): string {
  const counts = new Map<string, number>();
  let best = values[0];
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c >= (counts.get(best) ?? 0)) best = v; // ties go to the later (more recent) one
  }
  return best;
}

export function buildReport(all: readonly FeedbackRecord[], options: ReportOptions): Report {
  const { since, now = new Date() } = options;
  const minCount = options.minCount ?? 2;
  const top = options.top ?? 5;
  if (!(since instanceof Date) || Number.isNaN(since.getTime())) throw new RangeError("since must be a valid date");
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError("now must be a valid date");
  if (!Number.isInteger(minCount) || minCount < 1) throw new RangeError("minCount must be a whole number >= 1");
  if (!Number.isInteger(top) || top < 0) throw new RangeError("top must be a whole number >= 0");

  const inWindow = all
    .map((e) => ({ e, t: Date.parse(e.time) }))
    .filter(({ t }) => !Number.isNaN(t) && t >= since.getTime() && t <= now.getTime())
    .sort((a, b) => a.t - b.t)
    .map(({ e }) => e);

  // one complaint per (take, reason): the first line counts; notes from every repeat are kept
  const complaints = new Map<string, { e: FeedbackRecord; notes: string[] }>();
  for (const e of inWindow) {
    const key = `${e.sha256}|${e.reason}`;
    const c = complaints.get(key) ?? { e, notes: [] };
    pushNote(c.notes, cleanNote(e.note));
    complaints.set(key, c);
  }
  const distinct = [...complaints.values()];

  const byReason = zeroCounts();
  const tags = new Map<string, TagRow & { hashes: Set<string> }>();
  const prompts = new Map<string, PromptRow & { hashes: Set<string> }>();
  interface Subject {
    tag?: string;
    prompts: string[];
    byReason: Map<FeedbackReason, { count: number; notes: string[]; bpm: number[] }>;
  }
  const subjects = new Map<string, Subject>();
  let untagged = 0;
  let keeps = 0;

  for (const { e, notes } of distinct) {
    byReason[e.reason]++;
    const keep = e.reason === KEEP_REASON;
    if (keep) keeps++;
    if (e.tag) {
      const row = tags.get(e.tag) ?? {
        tag: e.tag,
        count: 0,
        complaints: 0,
        keeps: 0,
        takes: 0,
        byReason: zeroCounts(),
        hashes: new Set<string>(),
      };
      if (keep) row.keeps++;
      else row.count++;
      row.byReason[e.reason]++;
      row.hashes.add(e.sha256);
      tags.set(e.tag, row);
    } else if (!keep) {
      untagged++;
    }

    const row = prompts.get(e.prompt) ?? {
      prompt: e.prompt,
      tags: [],
      count: 0,
      complaints: 0,
      keeps: 0,
      takes: 0,
      byReason: zeroCounts(),
      notes: [],
      hashes: new Set<string>(),
    };
    if (keep) row.keeps++;
    else row.count++;
    row.byReason[e.reason]++;
    row.hashes.add(e.sha256);
    if (e.tag && !row.tags.includes(e.tag)) row.tags.push(e.tag);
    for (const n of notes) pushNote(row.notes, n);
    prompts.set(e.prompt, row);
    if (keep) continue; // a keep needs no change to the preset table

    // suggestions are per tag (the preset table's key); beds from a free prompt are their own subject
    const subjectKey = e.tag ? `#${e.tag}` : e.prompt;
    const subject: Subject = subjects.get(subjectKey) ?? {
      ...(e.tag ? { tag: e.tag } : {}),
      prompts: [],
      byReason: new Map(),
    };
    subject.prompts.push(e.prompt);
    const r = subject.byReason.get(e.reason) ?? { count: 0, notes: [], bpm: [] };
    r.count++;
    for (const n of notes) pushNote(r.notes, n);
    if (typeof e.bpm_estimate === "number" && Number.isFinite(e.bpm_estimate)) r.bpm.push(e.bpm_estimate);
    subject.byReason.set(e.reason, r);
    subjects.set(subjectKey, subject);
  }

  const byTag: TagRow[] = [...tags.values()]
    .map(({ hashes, ...row }) => ({ ...row, complaints: row.count, takes: hashes.size }))
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  const promptRows: PromptRow[] = [...prompts.values()]
    .map(({ hashes, ...row }) => ({
      prompt: row.prompt,
      ...(row.tags.length ? { tag: row.tags[0] } : {}),
      tags: row.tags,
      count: row.count,
      complaints: row.count,
      keeps: row.keeps,
      takes: hashes.size,
      byReason: row.byReason,
      notes: row.notes,
    }))
    .sort((a, b) => b.count - a.count || b.takes - a.takes || a.prompt.localeCompare(b.prompt));

  const suggestions: Suggestion[] = [];
  for (const [subjectKey, subject] of subjects) {
    const total = [...subject.byReason.values()].reduce((s, r) => s + r.count, 0);
    const prompt = mostUsed(subject.prompts);
    for (const [reason, r] of subject.byReason) {
      if (r.count < minCount) continue;
      const advice = adviseFor(reason, {
        ...(subject.tag ? { tag: subject.tag } : {}),
        prompt,
        notes: r.notes,
        bpmEstimates: r.bpm,
      });
      suggestions.push({
        subject: subjectKey,
        ...(subject.tag ? { tag: subject.tag } : {}),
        prompt,
        reason,
        count: r.count,
        share: Math.round((r.count / total) * 1000) / 1000,
        change: advice.change,
        suggestion: advice.text,
      });
    }
  }
  suggestions.sort(
    (a, b) =>
      b.count - a.count ||
      b.share - a.share ||
      a.subject.localeCompare(b.subject) ||
      FEEDBACK_REASONS.indexOf(a.reason) - FEEDBACK_REASONS.indexOf(b.reason),
  );

  return {
    since: since.toISOString(),
    until: now.toISOString(),
    totals: {
      entries: inWindow.length,
      distinct: distinct.length,
      duplicates: inWindow.length - distinct.length,
      takes: new Set(distinct.map(({ e }) => e.sha256)).size,
      prompts: promptRows.length,
      tags: byTag.length,
      untagged,
      keeps,
      complaints: distinct.length - keeps,
    },
    byReason,
    byTag,
    prompts: promptRows,
    worstPrompts: promptRows.slice(0, top),
    suggestions,
    minCount,
  };
}
