// The feedback the panel sends about one take: which take (by its WAV's sha256, and its job id), what the editor
// thought (a positive "good fit" or a complaint), and their note. Pure: the form builds the body here.
import { FEEDBACK_REASONS, MAX_NOTE_CHARS, type FeedbackBody, type FeedbackReason } from "../../shared/protocol";
import type { Take } from "./score-markers";

/** The positive answer: the helper's report counts these as keeps. */
export const GOOD_FIT: FeedbackReason = "good_fit";

/** What the form offers: the positive answer first, then the helper's complaint reasons. */
export type PanelFeedbackReason = FeedbackReason;
export const PANEL_FEEDBACK_REASONS: readonly FeedbackReason[] = [
  GOOD_FIT,
  ...FEEDBACK_REASONS.filter((r) => r !== GOOD_FIT),
];

/** The take the editor gives feedback on, as the form names it. */
export interface TakeRef {
  jobId: string;
  sha256: string;
  /** 1-based take number of its marker or clip (absent when the take is not in the history). */
  take?: number;
  seed?: number;
  prompt?: string;
}

/** The take with this WAV in a marker's or clip's history, with its number; what is known when it is not there. */
export function takeRef(takes: Take[], placed: { jobId: string; sha256: string }): TakeRef {
  const i = takes.findIndex((t) => t.sha256 === placed.sha256 && t.jobId === placed.jobId);
  if (i < 0) return { ...placed };
  const t = takes[i];
  return { ...placed, take: i + 1, seed: t.seed, ...(t.prompt ? { prompt: t.prompt } : {}) };
}

/** "Take 2 · seed 1234 · calm piano…" — the line that says which take the feedback is about. */
export function takeLine(ref: TakeRef): string {
  const parts = [ref.take !== undefined ? `Take ${ref.take}` : "This take"];
  if (ref.seed !== undefined) parts.push(`seed ${ref.seed}`);
  if (ref.prompt) parts.push(ref.prompt);
  return parts.join(" · ");
}

/**
 * The body of the feedback message: always the take's sha256 (the helper's report groups by it), its job id, the
 * reason, and the trimmed note when there is one. Throws, in words, without a reason (nothing is preselected).
 */
export function feedbackBody(ref: TakeRef, reason: PanelFeedbackReason | "", note: string): FeedbackBody {
  if (!reason) throw new Error("choose what you thought of this take");
  if (!/^[0-9a-f]{64}$/i.test(ref.sha256)) throw new Error("this take has no sha256 to name it by");
  const text = note.trim().slice(0, MAX_NOTE_CHARS);
  return {
    job_id: ref.jobId,
    sha256: ref.sha256.toLowerCase(),
    reason,
    ...(text ? { note: text } : {}),
  };
}
