// Which sequence markers ask for a bed, and how long each bed is. Pure: Premiere's markers in, score items out.
import { normalizeTag } from "../../shared/presets";
import { MAX_DURATION_SEC, MIN_DURATION_SEC } from "../../shared/protocol";
import { secondsToTicks, ticksToSeconds, toTicks } from "../../shared/time";
import type { MarkerInfo, SequenceInfo } from "../host/host";

export interface ScoreItem {
  /** Stable key for the take history: the marker's id, else its start and name. */
  key: string;
  name: string;
  tag?: string;
  prompt?: string;
  startTicks: string;
  endTicks: string;
  seconds: number;
}

const TAG_RE = /#([A-Za-z0-9][A-Za-z0-9_-]*)/;
const PROMPT_RE = /^\s*prompt\s*:\s*(.+)$/im;

/**
 * A marker counts when its name or comments hold a `#tag` or a `prompt: …` line. Its bed runs for the marker's
 * duration; a zero-length marker runs to the next marker, or `defaultSeconds` when it is the last one (never past
 * the sequence end).
 */
export function scoreItemsFromMarkers(
  markers: MarkerInfo[],
  sequence: Pick<SequenceInfo, "endTicks">,
  defaultSeconds = 10,
): ScoreItem[] {
  const sorted = [...markers].sort((a, b) => (toTicks(a.startTicks) < toTicks(b.startTicks) ? -1 : 1));
  const items: ScoreItem[] = [];
  sorted.forEach((m, i) => {
    const text = `${m.name}\n${m.comments}`;
    const prompt = PROMPT_RE.exec(m.comments)?.[1].trim();
    const rawTag = TAG_RE.exec(text)?.[1];
    const tag = rawTag !== undefined ? (normalizeTag(rawTag) ?? undefined) : undefined;
    if (!prompt && !tag) return;
    const start = toTicks(m.startTicks);
    let end = start + toTicks(m.durationTicks);
    if (end === start) {
      const next = sorted.slice(i + 1).find((n) => toTicks(n.startTicks) > start);
      end = next ? toTicks(next.startTicks) : start + secondsToTicks(defaultSeconds);
      const seqEnd = toTicks(sequence.endTicks);
      if (seqEnd > start && end > seqEnd) end = seqEnd;
    }
    items.push({
      key: m.id ?? `${m.startTicks}:${m.name}`,
      name: m.name,
      ...(prompt ? { prompt } : { tag }),
      startTicks: start.toString(),
      endTicks: end.toString(),
      seconds: Math.round(ticksToSeconds(end - start) * 1000) / 1000,
    });
  });
  return items;
}

export interface ItemEdit {
  /** "#tag", "tag", or a prompt in words. */
  text: string;
  /** Length in seconds as typed. */
  seconds: number;
}

/** What the panel shows in an item's tag/prompt field. */
export function editTextOf(item: ScoreItem): string {
  return item.prompt ?? `#${item.tag}`;
}

/**
 * The editor's tweak applied to an item: a single word (with or without #) is a tag, anything else a prompt; the
 * length moves the end, not the in-point. Throws, in words, for an empty text or a length MusicGen cannot make.
 */
export function applyEdit(item: ScoreItem, edit: ItemEdit): ScoreItem {
  const text = edit.text.trim();
  if (text === "") throw new Error("type a #tag or a prompt");
  if (!(edit.seconds >= MIN_DURATION_SEC && edit.seconds <= MAX_DURATION_SEC))
    throw new Error(`a bed must be ${MIN_DURATION_SEC} to ${MAX_DURATION_SEC} s long`);
  const single = /^#?([A-Za-z0-9][A-Za-z0-9_-]*)$/.exec(text);
  const tag = single ? normalizeTag(single[1]) : null;
  const seconds = Math.round(edit.seconds * 1000) / 1000;
  const { tag: _t, prompt: _p, ...rest } = item;
  return {
    ...rest,
    ...(tag ? { tag } : { prompt: text }),
    endTicks: (toTicks(item.startTicks) + secondsToTicks(seconds)).toString(),
    seconds,
  };
}

/** What the editor changed on a row: only the fields they touched (the rest follows the marker as it is now). */
export type ItemTweak = Partial<ItemEdit>;

/** The editor's tweak applied to the marker as it reads now: an untouched length follows the marker's. */
export function applyTweak(item: ScoreItem, tweak: ItemTweak = {}): ScoreItem {
  if (tweak.text === undefined && tweak.seconds === undefined) return item;
  return applyEdit(item, { text: tweak.text ?? editTextOf(item), seconds: tweak.seconds ?? item.seconds });
}
